"""What is due, as plain functions of data and `now`: session reminders, the post-session prompt,
the momentum ladder and the cancellation streak. The sweep and the booking code turn these plans
into outbox rows; nothing here reads the store or the clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.nudges import ACTION_DUE, TIPS, Kind
from domain.roles import Role
from domain.statuses import SessionStatus

SESSION_BOUND = frozenset({Kind.REMINDER, Kind.REFLECTION_PROMPT, Kind.BOOKED, Kind.MOVED, Kind.CANCELLED, Kind.CONFIRMED, Kind.INVITE,
                           Kind.NO_EMAIL, Kind.CALENDAR_EVENT, Kind.CALENDAR_NOTICE})
# What a person may turn off in /mentor settings (session reminders cannot be turned off).
OPTIONAL_KINDS = (Kind.MOMENTUM, Kind.CANCEL_STREAK, TIPS, ACTION_DUE, Kind.PAIR_STALLED)
# Reports and notices of a programme's end are not nudges: working hours apply, the weekly cap does not.
NOT_CAPPED = frozenset({"final_report", "programme_ended", Kind.POST_DIED})


def mute_group(kind: str) -> str:
    """The settings entry that turns this kind off."""
    return TIPS if kind.startswith("detector_") else kind

# Priorities: when the weekly cap holds nudges back, the highest goes first.
PRIORITY = {Kind.PAIR_STALLED: 30, Kind.MOMENTUM: 20, Kind.CANCEL_STREAK: 10}

FIRST_SESSION_GRACE = timedelta(days=10)
LADDER_STEP = timedelta(days=7)
DEFAULT_REMINDER_MINUTES = (1440, 60)


def is_session_bound(kind: str) -> bool:
    return kind in SESSION_BOUND


def reminder_minutes(setting: str | None) -> tuple[int, ...]:
    """The programme's 'minutes before a session' list ("1440,60"); the defaults when unreadable."""
    values = []
    for part in (setting or "").split(","):
        part = part.strip()
        if part.isdigit() and int(part) > 0:
            values.append(int(part))
    return tuple(sorted(set(values), reverse=True)) or DEFAULT_REMINDER_MINUTES


# --- session-bound nudges -----------------------------------------------------------------------


@dataclass(frozen=True)
class SessionNudge:
    key: str
    kind: str
    recipient_id: str
    due_at: datetime
    expires_at: datetime | None
    minutes_before: int | None = None  # for a reminder


def session_key_prefix(session_id: int) -> str:
    """Every nudge tied to a session has a key beginning `session:<id>:`, so moving or cancelling
    the session can withdraw them all at once."""
    return f"session:{session_id}:"


def session_id_of(key: str) -> int | None:
    """The session a nudge's key belongs to (`session:<id>:...`), or None for other nudges."""
    parts = key.split(":", 2)
    return int(parts[1]) if len(parts) > 2 and parts[0] == "session" and parts[1].isdigit() else None


def session_nudges(
    *,
    session_id: int,
    starts_at: datetime,
    minutes: int,
    people: Sequence[str],
    reminders: Sequence[int],
    reflection_delay_minutes: int,
    now: datetime,
    version: int = 0,
) -> list[SessionNudge]:
    """Reminders before the session and the prompt after it, for each person.

    A reminder whose moment has already passed when the session is booked is skipped (the booking
    message itself is the reminder); each expires when the session starts, so it is never sent late.
    `version` (the number of reschedules) keeps a moved session's new nudges apart from the old ones.
    """
    prefix = session_key_prefix(session_id)
    plan: list[SessionNudge] = []
    for user_id in people:
        for before in reminders:
            due = starts_at - timedelta(minutes=before)
            if due <= now:
                continue
            plan.append(
                SessionNudge(
                    key=f"{prefix}v{version}:remind-{before}:{user_id}",
                    kind=Kind.REMINDER,
                    recipient_id=user_id,
                    due_at=due,
                    expires_at=starts_at,
                    minutes_before=before,
                )
            )
        plan.append(
            SessionNudge(
                key=f"{prefix}v{version}:reflect:{user_id}",
                kind=Kind.REFLECTION_PROMPT,
                recipient_id=user_id,
                due_at=max(starts_at + timedelta(minutes=minutes + reflection_delay_minutes), now),
                expires_at=None,
            )
        )
    return plan


# --- cancellations ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionFacts:
    """The little the rules need to know of a session."""

    id: int
    starts_at: datetime
    minutes: int
    status: str
    booked_by: str = ""
    cancelled_by: str | None = None
    cancelled_at: datetime | None = None


@dataclass(frozen=True)
class CancellationStreak:
    side: Role | None  # who cancelled the latest sessions in a row; None for no streak
    count: int
    last_session_id: int | None = None


def consecutive_cancellations(sessions: Sequence[SessionFacts], *, mentor_id: str, mentee_id: str) -> CancellationStreak:
    """How many of the pair's most recent sessions were cancelled in a row by the same side.

    Sessions still booked are skipped (they have not happened or been called off yet); a held or
    missed session ends the streak, as does a cancellation by the other side.
    """
    sides = {mentor_id: Role.MENTOR, mentee_id: Role.MENTEE}
    side: Role | None = None
    count = 0
    last_id: int | None = None
    for session in sorted(sessions, key=lambda s: (s.starts_at, s.id), reverse=True):
        if session.status == SessionStatus.BOOKED:
            continue
        if session.status != SessionStatus.CANCELLED:
            break
        who = sides.get(session.cancelled_by or "")
        if who is None or (side is not None and who is not side):
            break
        if side is None:
            side, last_id = who, session.id
        count += 1
    return CancellationStreak(side=side, count=count, last_session_id=last_id)


STREAK_LIMIT = 2


# --- the momentum ladder ------------------------------------------------------------------------


@dataclass(frozen=True)
class PairFacts:
    pair_id: int
    team_id: str
    mentor_id: str
    mentee_id: str
    driver: str  # mentor, mentee or alternating (the charter's word; mentee without a charter)
    cadence_days: int
    started_at: datetime  # when both agreed the charter, else when they were paired
    programme_ends_at: datetime | None
    admins: tuple[str, ...]
    sessions: tuple[SessionFacts, ...]


@dataclass(frozen=True)
class Rung:
    key: str
    kind: str
    rung: str  # driver, both or admin
    recipient_id: str
    due_at: datetime
    first_session: bool
    overdue_since: datetime


def momentum_prefix(pair_id: int) -> str:
    return f"momentum:pair:{pair_id}:"


def driver_of(facts: PairFacts, last_booked_by: str | None) -> str:
    if facts.driver == Role.MENTOR:
        return facts.mentor_id
    if facts.driver == "alternating" and last_booked_by:
        # Whoever did not book the last session books the next.
        return facts.mentee_id if last_booked_by == facts.mentor_id else facts.mentor_id
    return facts.mentee_id


def momentum_ladder(facts: PairFacts, now: datetime) -> list[Rung]:
    """The ladder for a pair with nothing booked: the driver, a week later both, a week after that
    the programme admins. Empty while a session is booked (or the programme is over).

    The gap is measured from the last session that took place (or was due to) plus the cadence;
    for a new pair, from agreeing the charter (or pairing) plus ten days. A cancellation after the
    gap opened starts the ladder again from the cancellation. Keys name the session (or the start)
    the gap is counted from, so each rung fires once per gap.
    """
    if facts.programme_ends_at is not None and now >= facts.programme_ends_at:
        return []
    if any(s.status == SessionStatus.BOOKED and s.starts_at > now for s in facts.sessions):
        return []
    met = [s for s in facts.sessions if s.status == SessionStatus.HELD or (s.status == SessionStatus.BOOKED and s.starts_at <= now)]
    last_met = max(met, key=lambda s: (s.starts_at, s.id), default=None)
    if last_met is not None:
        overdue = last_met.starts_at + timedelta(days=facts.cadence_days)
        anchor = f"s{last_met.id}"
        first = False
    else:
        overdue = facts.started_at + FIRST_SESSION_GRACE
        anchor = "start"
        first = True
    since = last_met.starts_at if last_met is not None else None
    cancels = [
        s for s in facts.sessions
        if s.status == SessionStatus.CANCELLED and s.cancelled_at is not None and (since is None or s.starts_at > since)
    ]
    latest_cancel = max(cancels, key=lambda s: (s.cancelled_at, s.id), default=None)
    if latest_cancel is not None and latest_cancel.cancelled_at is not None and latest_cancel.cancelled_at > overdue:
        overdue = latest_cancel.cancelled_at
        anchor = f"c{latest_cancel.id}"
    booked_by = max(facts.sessions, key=lambda s: (s.starts_at, s.id)).booked_by if facts.sessions else None
    driver = driver_of(facts, booked_by)
    base = f"{momentum_prefix(facts.pair_id)}since:{anchor}:"
    rungs = [Rung(f"{base}driver:{driver}", Kind.MOMENTUM, "driver", driver, overdue, first, overdue)]
    for user_id in (facts.mentor_id, facts.mentee_id):
        rungs.append(Rung(f"{base}both:{user_id}", Kind.MOMENTUM, "both", user_id, overdue + LADDER_STEP, first, overdue))
    for admin_id in facts.admins:
        rungs.append(Rung(f"{base}admin:{admin_id}", Kind.PAIR_STALLED, "admin", admin_id, overdue + 2 * LADDER_STEP, first, overdue))
    if facts.programme_ends_at is not None:
        rungs = [rung for rung in rungs if rung.due_at < facts.programme_ends_at]
    return rungs


def momentum_anchor_prefix(rungs: Sequence[Rung]) -> str | None:
    """The key prefix shared by a pair's current rungs (older gaps' pending rows are stale)."""
    if not rungs:
        return None
    key = rungs[0].key
    return key[: key.index(":", key.index(":since:") + len(":since:")) + 1]


FOLLOW_UP_KIND = "reflection_followup"  # the reminder to finish a reflection, a day after the session


def follow_up_key(session_id: int, user_id: str) -> str:
    return f"reflect-followup:session:{session_id}:{user_id}"
