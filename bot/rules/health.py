"""Programme health: the cohort's figures, a traffic light per pair and the trends, from data and `now`.

`build_report(history, now)` is a pure function of the rows in `store.reports.ProgrammeHistory`.
It holds behaviour only: every figure over people's answers (safety, who led, check-in scores) is
left empty here and filled in by the disclosure gate (`bot/flows/disclosure.py`), and no free text appears
at all. The two pair flags derived from answers ("roles reverting", "topics drying up") are the only
answers that reach a pair's row, and participants are told so where those questions are asked.

Traffic light thresholds (a pair's light is its worst reason; ended pairs have no light):

| Reason | Light | When |
|---|---|---|
| no session for N weeks | amber | nothing held for more than the cadence + `GRACE_DAYS`, and nothing booked |
| no session for N weeks | red | nothing held for more than twice the cadence + `GRACE_DAYS`, and nothing booked |
| N cancellations in a row (by the mentee side) | red | the last `CANCELLATIONS_IN_A_ROW` or more sessions were all cancelled |
| last session cancelled at short notice | amber | the latest session was a late cancellation |
| roles reverting | amber | the senior side led `REVERTING_COUNT` of the last `REVERTING_WINDOW` held sessions |
| topics drying up | amber | the last `DRYING_WINDOW` held sessions brought neither a new insight nor roadmap progress |
| charter not agreed after N weeks | amber / red | after `CHARTER_AMBER_DAYS` / `CHARTER_RED_DAYS` from pairing |
| no roadmap agreed after N weeks | amber | no roadmap topics `ROADMAP_AMBER_DAYS` after pairing |
| few reflections answered | amber | under `REFLECTION_RATE_AMBER` of the reflections asked for the last 3 held sessions |
| N actions overdue | amber | `OVERDUE_ACTIONS_AMBER` or more open actions past their due date |

A paused pair (paused until today or later) is not flagged for gaps or cancellations.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from domain.health import (
    LIGHT_ORDER,
    CheckInFigures,
    CohortFigures,
    HealthReport,
    Light,
    MonthTrend,
    PairHealth,
    Reason,
)
from domain.roles import Led
from domain.statuses import ActionStatus, CheckInKind, GoalProgress, PairStatus, SessionStatus
from store.models import MentoringSession, Pair, Reflection
from store.reports import ProgrammeHistory

GRACE_DAYS = 14
CANCELLATIONS_IN_A_ROW = 2
REVERTING_WINDOW = 3
REVERTING_COUNT = 2
DRYING_WINDOW = 2
CHARTER_AMBER_DAYS = 14
CHARTER_RED_DAYS = 28
ROADMAP_AMBER_DAYS = 21
REFLECTION_WINDOW = 3
REFLECTION_RATE_AMBER = 0.5
OVERDUE_ACTIONS_AMBER = 2
PROMOTER_FROM = 9  # NPS-style: 9-10 promote, 0-6 detract
DETRACTOR_UP_TO = 6


def session_lead(reflections: list[Reflection]) -> Led | None:
    """Who led a session: the mentee when either side said so (as the detectors do), else the mentor
    when either said so, else even when someone answered; None when nobody did."""
    answers = {reflection.led_by for reflection in reflections if reflection.led_by}
    for led in (Led.MENTEE, Led.MENTOR, Led.BALANCED):
        if led in answers:
            return led
    return None


def span(days: int) -> str:
    if days >= 14:
        return f"{days // 7} weeks"
    return "1 day" if days == 1 else f"{days} days"


def _side(pair: Pair, user_id: str | None) -> str | None:
    if user_id == pair.mentor_id:
        return "mentor"
    if user_id == pair.mentee_id:
        return "mentee"
    return None


def _is_paused(pair: Pair, today: date) -> bool:
    return pair.status == PairStatus.PAUSED and (pair.paused_until is None or pair.paused_until >= today)


def _month(moment: datetime | date) -> str:
    return f"{moment.year:04d}-{moment.month:02d}"


def _months(first: date, last: date) -> list[str]:
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def build_report(history: ProgrammeHistory, now: datetime) -> HealthReport:
    programme = history.programme
    today = now.date()
    reflections_by_session: dict[int, list[Reflection]] = defaultdict(list)
    for reflection in history.reflections:
        reflections_by_session[reflection.session_id].append(reflection)
    sessions_by_pair: dict[int, list[MentoringSession]] = defaultdict(list)
    for session in sorted(history.sessions, key=lambda s: (s.starts_at, s.id or 0)):
        sessions_by_pair[session.pair_id].append(session)
    charters = {charter.pair_id: charter for charter in history.charters}
    roadmap_by_pair: dict[int, list] = defaultdict(list)
    for item in history.roadmap:
        roadmap_by_pair[item.pair_id].append(item)
    goals_by_pair: dict[int, list] = defaultdict(list)
    for goal in history.goals:
        goals_by_pair[goal.pair_id].append(goal)
    actions_by_pair: dict[int, list] = defaultdict(list)
    for action in history.actions:
        actions_by_pair[action.pair_id].append(action)

    cohort = CohortFigures()
    pairs: list[PairHealth] = []
    last_month = max(min(today, programme.ends_on), programme.starts_on)
    trends = {month: MonthTrend(month=month) for month in _months(programme.starts_on, last_month)}

    for pair in history.pairs:
        health = PairHealth(pair_id=pair.id or 0, mentor_id=pair.mentor_id, mentee_id=pair.mentee_id, status=pair.status)
        if pair.status == PairStatus.ENDED:
            cohort.pairs_ended += 1
        elif pair.status == PairStatus.PAUSED:
            cohort.pairs_paused += 1
        else:
            cohort.pairs_active += 1
        sessions = sessions_by_pair[pair.id or 0]
        held_leads: list[tuple[MentoringSession, Led | None]] = []
        for session in sessions:
            # A cancellation counts in the month it was planned for, or when it was called off if that was earlier.
            when = min(session.starts_at, session.cancelled_at or session.starts_at)
            trend = None
            if session.status in (SessionStatus.HELD, SessionStatus.CANCELLED):
                trend = trends.setdefault(_month(when), MonthTrend(month=_month(when)))
            if session.status == SessionStatus.HELD:
                lead = session_lead(reflections_by_session[session.id or 0])
                held_leads.append((session, lead))
                health.held += 1
                cohort.sessions_held += 1
                cohort.reflections_asked += 2
                cohort.reflections_completed += min(2, sum(1 for r in reflections_by_session[session.id or 0] if r.completed_at is not None))
                health.last_session = session.starts_at
                if trend is not None:
                    trend.held += 1
            elif session.status == SessionStatus.CANCELLED:
                health.cancelled += 1
                if session.late_cancel:
                    health.late_cancelled += 1
                    cohort.cancelled_late += 1
                else:
                    cohort.cancelled_not_late += 1
                side = _side(pair, session.cancelled_by)
                if side == "mentor":
                    cohort.cancelled_by_mentor_side += 1
                elif side == "mentee":
                    cohort.cancelled_by_mentee_side += 1
                else:
                    cohort.cancelled_by_others += 1
                if trend is not None:
                    trend.cancelled += 1
            elif session.status == SessionStatus.NO_SHOW:
                cohort.sessions_missed += 1
            elif session.status == SessionStatus.BOOKED and session.starts_at > now:
                cohort.sessions_planned += 1
                if health.next_session is None:
                    health.next_session = session.starts_at

        roadmap = roadmap_by_pair[pair.id or 0]
        health.topics_planned = len(roadmap)
        health.topics_covered = sum(1 for item in roadmap if item.covered_at is not None)
        covered = {item.covered_session_id for item in roadmap if item.covered_session_id is not None}
        cohort.topics_planned += health.topics_planned
        cohort.topics_covered += health.topics_covered
        for goal in goals_by_pair[pair.id or 0]:
            health.goals += 1
            if goal.progress == GoalProgress.ACHIEVED:
                health.goals_achieved += 1
                cohort.goals_achieved += 1
            elif goal.progress == GoalProgress.UNDER_WAY:
                health.goals_under_way += 1
                cohort.goals_under_way += 1
            else:
                cohort.goals_not_started += 1
        for action in actions_by_pair[pair.id or 0]:
            if action.status == ActionStatus.DONE:
                health.actions_done += 1
            elif action.status == ActionStatus.OPEN:
                health.actions_open += 1
                if action.due_on is not None and action.due_on < today:
                    health.actions_overdue += 1
        cohort.actions_open += health.actions_open
        cohort.actions_done += health.actions_done
        cohort.actions_overdue += health.actions_overdue
        charter = charters.get(pair.id or 0)
        health.charter_agreed = charter is not None and charter.mentor_agreed_at is not None and charter.mentee_agreed_at is not None

        if pair.status != PairStatus.ENDED:
            cadence = charter.cadence_days if charter is not None else programme.cadence_days
            health.reasons = _reasons(pair, health, sessions, held_leads, reflections_by_session, cadence, covered, now)
            health.light = _worst(health.reasons)
        pairs.append(health)

    cohort.safety_respondents = len({r.author_id for r in history.reflections if r.safety is not None})

    return HealthReport(
        programme_name=programme.name,
        now=now,
        k=programme.k_anonymity,
        cohort=cohort,
        pairs=pairs,
        trends=[trends[month] for month in sorted(trends)],
        check_ins=_check_in_counts(history),
        names=dict(history.names),
    )


def _worst(reasons: list[Reason]) -> Light:
    if any(reason.light is Light.RED for reason in reasons):
        return Light.RED
    if reasons:
        return Light.AMBER
    return Light.GREEN


def _reasons(
    pair: Pair,
    health: PairHealth,
    sessions: list[MentoringSession],
    held_leads: list[tuple[MentoringSession, Led | None]],
    reflections_by_session: dict[int, list[Reflection]],
    cadence_days: int,
    covered_sessions: set[int],
    now: datetime,
) -> list[Reason]:
    reasons: list[Reason] = []
    today = now.date()
    paused = _is_paused(pair, today)
    age_days = (now - pair.created_at).days

    if not paused and health.next_session is None:
        since = health.last_session or pair.created_at
        gap = (now - since).days
        if gap > cadence_days + GRACE_DAYS:
            light = Light.RED if gap > 2 * cadence_days + GRACE_DAYS else Light.AMBER
            text = f"no session for {span(gap)}" if health.last_session else f"no session yet, {span(gap)} after pairing"
            reasons.append(Reason(light, text))

    if not paused:
        past = [s for s in sessions if s.status in (SessionStatus.HELD, SessionStatus.CANCELLED, SessionStatus.NO_SHOW)]
        run: list[MentoringSession] = []
        for session in reversed(past):
            if session.status != SessionStatus.CANCELLED:
                break
            run.append(session)
        if len(run) >= CANCELLATIONS_IN_A_ROW:
            sides = {_side(pair, s.cancelled_by) for s in run}
            by = f" by the {sides.pop()} side" if len(sides) == 1 and None not in sides else ""
            reasons.append(Reason(Light.RED, f"{len(run)} cancellations in a row{by}"))
        elif run and run[0].late_cancel:
            reasons.append(Reason(Light.AMBER, "last session cancelled at short notice"))

    recent = [lead for _, lead in held_leads if lead is not None][-REVERTING_WINDOW:]
    if len(recent) >= REVERTING_COUNT and recent.count(Led.MENTEE) >= REVERTING_COUNT:
        reasons.append(Reason(Light.AMBER, f"roles reverting: the senior side led {recent.count(Led.MENTEE)} of the last {len(recent)} sessions"))

    if len(held_leads) >= DRYING_WINDOW:
        last = [session for session, _ in held_leads[-DRYING_WINDOW:]]
        if not any(_made_progress(session, reflections_by_session, covered_sessions) for session in last):
            reasons.append(Reason(Light.AMBER, f"topics drying up: no new insight or roadmap progress in the last {DRYING_WINDOW} sessions"))

    if not health.charter_agreed and age_days >= CHARTER_AMBER_DAYS:
        light = Light.RED if age_days >= CHARTER_RED_DAYS else Light.AMBER
        reasons.append(Reason(light, f"charter not agreed after {span(age_days)}"))

    if health.topics_planned == 0 and age_days >= ROADMAP_AMBER_DAYS:
        reasons.append(Reason(Light.AMBER, f"no roadmap agreed after {span(age_days)}"))

    window = [session for session, _ in held_leads[-REFLECTION_WINDOW:]]
    if len(window) >= 2:
        completed = sum(min(2, sum(1 for r in reflections_by_session[s.id or 0] if r.completed_at is not None)) for s in window)
        if completed / (2 * len(window)) < REFLECTION_RATE_AMBER:
            reasons.append(Reason(Light.AMBER, "few reflections answered after recent sessions"))

    if health.actions_overdue >= OVERDUE_ACTIONS_AMBER:
        reasons.append(Reason(Light.AMBER, f"{health.actions_overdue} actions overdue"))

    return sorted(reasons, key=lambda reason: LIGHT_ORDER[reason.light])


def _made_progress(session: MentoringSession, reflections_by_session: dict[int, list[Reflection]], covered: set[int]) -> bool:
    """A new insight reported by either side, or a roadmap topic covered in it, counts as progress."""
    if session.id in covered:
        return True
    return any(reflection.new_insight for reflection in reflections_by_session[session.id or 0])


def _check_in_counts(history: ProgrammeHistory) -> CheckInFigures:
    """How many people answered each check-in (behaviour); their scores come from the disclosure gate."""
    figures = CheckInFigures()
    figures.midpoint_respondents = len({c.user_id for c in history.check_ins if c.kind == CheckInKind.MIDPOINT and c.working is not None})
    figures.closing_respondents = len({c.user_id for c in history.check_ins if c.kind == CheckInKind.CLOSING})
    return figures
