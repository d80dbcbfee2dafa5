"""The rules of what is due: session nudges, the cancellation streak and the momentum ladder."""

from datetime import UTC, datetime, timedelta

from bot.rules.nudges import (
    PairFacts,
    SessionFacts,
    consecutive_cancellations,
    momentum_ladder,
    reminder_minutes,
    session_nudges,
)
from domain.nudges import Kind
from domain.roles import Role

T0 = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)
MENTOR, MENTEE = "U0MENTOR", "U0MENTEE"


def held(session_id: int, day: int) -> SessionFacts:
    return SessionFacts(id=session_id, starts_at=T0 + timedelta(days=day), minutes=60, status="held", booked_by=MENTEE)


def cancelled(session_id: int, day: int, by: str, at_day: float | None = None) -> SessionFacts:
    return SessionFacts(
        id=session_id, starts_at=T0 + timedelta(days=day), minutes=60, status="cancelled", booked_by=MENTEE,
        cancelled_by=by, cancelled_at=T0 + timedelta(days=at_day if at_day is not None else day - 1),
    )


def facts(*sessions: SessionFacts, driver: str = "mentee", ends_in_days: int = 182) -> PairFacts:
    return PairFacts(
        pair_id=7, team_id="T", mentor_id=MENTOR, mentee_id=MENTEE, driver=driver, cadence_days=30, started_at=T0,
        programme_ends_at=T0 + timedelta(days=ends_in_days), admins=("U0ADMIN",), sessions=tuple(sessions),
    )


def test_reminder_minutes_read_the_programme_setting():
    assert reminder_minutes("1440,60") == (1440, 60)
    assert reminder_minutes("60, 2880") == (2880, 60)
    assert reminder_minutes("") == (1440, 60)


def test_session_nudges_skip_reminders_already_past_and_expire_at_the_start():
    start = T0 + timedelta(hours=5)
    plan = session_nudges(session_id=42, starts_at=start, minutes=60, people=[MENTOR], reminders=(1440, 60),
                          reflection_delay_minutes=15, now=T0)
    assert [(n.key, n.kind, n.due_at, n.expires_at) for n in plan] == [
        ("session:42:v0:remind-60:U0MENTOR", Kind.REMINDER, start - timedelta(hours=1), start),
        ("session:42:v0:reflect:U0MENTOR", Kind.REFLECTION_PROMPT, start + timedelta(minutes=75), None),
    ]


def test_two_cancellations_in_a_row_by_the_same_side_are_a_streak():
    streak = consecutive_cancellations([held(1, 0), cancelled(2, 30, MENTEE), cancelled(3, 40, MENTEE)], mentor_id=MENTOR, mentee_id=MENTEE)
    assert (streak.side, streak.count, streak.last_session_id) == (Role.MENTEE, 2, 3)


def test_a_cancellation_by_the_other_side_or_a_held_session_breaks_the_streak():
    assert consecutive_cancellations([cancelled(2, 30, MENTOR), cancelled(3, 40, MENTEE)], mentor_id=MENTOR, mentee_id=MENTEE).count == 1
    assert consecutive_cancellations([cancelled(2, 30, MENTEE), held(3, 40)], mentor_id=MENTOR, mentee_id=MENTEE).count == 0


def test_first_session_ladder_starts_ten_days_after_agreement():
    rungs = momentum_ladder(facts(), T0)
    assert [(r.rung, r.recipient_id, r.due_at - T0) for r in rungs] == [
        ("driver", MENTEE, timedelta(days=10)),
        ("both", MENTOR, timedelta(days=17)),
        ("both", MENTEE, timedelta(days=17)),
        ("admin", "U0ADMIN", timedelta(days=24)),
    ]
    assert all(r.first_session for r in rungs)


def test_the_ladder_counts_from_the_last_session_plus_the_cadence():
    rungs = momentum_ladder(facts(held(1, 5), driver="mentor"), T0 + timedelta(days=20))
    assert rungs[0].recipient_id == MENTOR and rungs[0].due_at == T0 + timedelta(days=35)
    assert rungs[0].key == "momentum:pair:7:since:s1:driver:U0MENTOR"


def test_nothing_is_due_while_a_session_is_booked():
    booked = SessionFacts(id=2, starts_at=T0 + timedelta(days=40), minutes=60, status="booked", booked_by=MENTEE)
    assert momentum_ladder(facts(held(1, 5), booked), T0 + timedelta(days=38)) == []


def test_a_cancellation_after_the_gap_opened_restarts_the_ladder():
    rungs = momentum_ladder(facts(held(1, 0), cancelled(2, 45, MENTEE, at_day=44)), T0 + timedelta(days=44))
    assert rungs[0].due_at == T0 + timedelta(days=44)
    assert ":since:c2:" in rungs[0].key


def test_no_rungs_after_the_programme_ends():
    assert momentum_ladder(facts(ends_in_days=5), T0 + timedelta(days=6)) == []
    assert [r.rung for r in momentum_ladder(facts(ends_in_days=20), T0)] == ["driver", "both", "both"]
