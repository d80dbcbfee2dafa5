"""The disclosure gate: the only way a figure over people's answers reaches an admin.

Answers are what people tell Flipside in reflections and check-ins: how safe they feel, who led a
session, whether it is working, whether they would recommend it. Every surface an admin sees (the
report, the admin Home, the chart, the CSV, the monthly peer post, the final report) is built from the
`HealthReport` that `released_report` returns, so they all show the same released value of a figure.

The rules:
- A figure over answers is computed only over at least k distinct people, k = max(`K_FLOOR`, the
  programme's setting): a programme stored with a smaller k is raised to 5.
- No two releases of a figure differ by fewer than k people's answers. We chose a release ledger over
  calibrated noise: it is deterministic (two admins see the same figure), it can be explained to a works
  council in one sentence ("a figure changes only once 5 more people have answered"), and noise small
  enough to keep a 1-5 average useful would not hide one person among 6. For each (programme, figure)
  the ledger (`store.releases`) keeps the value last released and a digest of each person's contribution
  ever released in it. A new value is released only when at least k people's contributions are not among
  those digests (new people, or people whose answers changed); otherwise the last released value is
  shown again, "as of" its date.
- A digest is a salted SHA-256 of the figure's name and the person's answer rows (row id and value),
  never of who they are: it says nothing the answer rows themselves do not, and it is the same before and
  after the person's erasure (which keeps numeric answers, detached), so an erasure releases nothing.
- Figures by month are each their own population: a month's who-led shares need k distinct people who
  answered about that month's sessions, else "not enough people".
- Pair-level signals an admin sees are behaviour (sessions held, booked, cancelled by side, late) and two
  flags derived from answers that participants are told about where the question is asked: "roles
  reverting" (who led) and "topics drying up" (new insight). Never a pair's answers or counts of them.
- The validated measures (bot/flows/measure_figures.py) are figures like any other: each scale, side
  and kind (alpha, change to the mid-point or close, the close's level) over its own population. An
  erasure deletes a person's measure answers rather than detaching them: that removes contributions
  and adds none, so it releases nothing either, and the next release is computed without them.

What it does not guarantee: behaviour is shown per pair (a pair's cancellations are visible); a cohort
of exactly k people can be shown a figure in which one person's answer weighs 1/k; someone who can read
the database reads the answers themselves.
- Who led is gated by month only; the cohort's who-led shares are the sum of the months released, so
  subtracting the months shown from the cohort figure reveals nothing of a month withheld.
- The roll-up across programmes (`released_total`) does the same one level up: each programme's row is
  its own released report (its own k, its own ledger), and a total of a figure over answers combines
  only the rows that show it, so subtracting the rows shown from the total reveals nothing of a row
  withheld, and it changes only when a row's release does. The total is shown only when the people
  behind it number at least the strictest k among the programmes; otherwise it is withheld too.
  Behaviour is summed over every programme, as each programme's report shows it anyway.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.flows.measure_figures import apply_measures, measure_candidates
from bot.rules.health import DETRACTOR_UP_TO, PROMOTER_FROM, build_report, session_lead
from domain.anonymity import effective_k
from domain.health import Balance, CheckInFigures, CohortFigures, HealthReport, Light
from domain.rollup import RollupTotal
from domain.statuses import CheckInKind, SessionStatus
from store import releases
from store.models import Reflection
from store.reports import ProgrammeHistory


@dataclass(frozen=True)
class Candidate:
    """A figure as today's answers would make it: its value (None: fewer than k people) and each
    person's contribution, as the rows it came from."""

    figure: str
    value: dict[str, Any] | None
    contributions: dict[str, str]  # person -> their answer rows, canonical JSON


@dataclass(frozen=True)
class Decision:
    figure: str
    value: dict[str, Any] | None  # what the admin sees; None: nothing released yet
    released_at: datetime | None
    held: bool  # answers have come in since that release, fewer than k people's
    release: bool  # this call releases `value`
    seen: frozenset[str]


def digest(salt: str, figure: str, contribution: str) -> str:
    return hashlib.sha256(f"{salt}|{figure}|{contribution}".encode()).hexdigest()[:32]


def decide(candidate: Candidate, *, k: int, salt: str, last_value: dict[str, Any] | None, released_at: datetime | None, seen: frozenset[str], now: datetime) -> Decision:
    """Release the candidate only when at least k people's contributions were never released before."""
    digests = {digest(salt, candidate.figure, text) for text in candidate.contributions.values()}
    fresh = digests - seen
    if candidate.value is not None and len(fresh) >= k:
        return Decision(candidate.figure, candidate.value, now, held=False, release=True, seen=frozenset(seen | digests))
    return Decision(candidate.figure, last_value, released_at, held=bool(fresh) and last_value is not None, release=False, seen=seen)


def _canonical(rows: list[tuple]) -> str:
    return json.dumps(sorted(rows), separators=(",", ":"))


def _balance_value(balance: Balance) -> dict[str, Any]:
    return {"mentor": balance.mentor, "mentee": balance.mentee, "balanced": balance.balanced}


def candidates(history: ProgrammeHistory, k: int) -> list[Candidate]:
    """Every figure over answers the report can show, each over its own population of people."""
    found: list[Candidate] = []

    safety_rows: dict[str, list[tuple]] = defaultdict(list)
    for reflection in history.reflections:
        if reflection.safety is not None:
            safety_rows[reflection.author_id].append((reflection.id or 0, reflection.safety))
    answers = [value for rows in safety_rows.values() for _, value in rows]
    value = {"average": round(sum(answers) / len(answers), 1), "respondents": len(safety_rows)} if len(safety_rows) >= k else None
    found.append(Candidate("safety", value, {person: _canonical(rows) for person, rows in safety_rows.items()}))

    # Who led: over held sessions, by the people who answered the question about them.
    held = {session.id: session for session in history.sessions if session.status == SessionStatus.HELD}
    by_session: dict[int, list[Reflection]] = defaultdict(list)
    for reflection in history.reflections:
        if reflection.session_id in held:
            by_session[reflection.session_id].append(reflection)
    populations: dict[str, tuple[Balance, dict[str, list[tuple]]]] = defaultdict(lambda: (Balance(), defaultdict(list)))
    for session_id, reflections in by_session.items():
        session = held[session_id]
        lead = session_lead(reflections)
        if lead is None:
            continue
        balance, rows = populations[f"led:{session.starts_at:%Y-%m}"]
        balance.add(lead)
        for reflection in reflections:
            if reflection.led_by:
                rows[reflection.author_id].append((reflection.id or 0, reflection.led_by))
    for figure in sorted({f"led:{session.starts_at:%Y-%m}" for session in held.values()}):
        balance, rows = populations[figure]
        found.append(Candidate(figure, _balance_value(balance) if len(rows) >= k else None, {person: _canonical(r) for person, r in rows.items()}))

    midpoint: dict[str, list[tuple]] = defaultdict(list)
    for check_in in history.check_ins:
        if check_in.kind == CheckInKind.MIDPOINT and check_in.working is not None:
            midpoint[check_in.user_id].append((check_in.id or 0, check_in.working))
    scores = [score for rows in midpoint.values() for _, score in rows]
    value = {"average": round(sum(scores) / len(scores), 1)} if len(midpoint) >= k else None
    found.append(Candidate("midpoint", value, {person: _canonical(rows) for person, rows in midpoint.items()}))

    closing_rows: dict[str, list[tuple]] = defaultdict(list)
    closing = [c for c in history.check_ins if c.kind == CheckInKind.CLOSING]
    for check_in in closing:
        closing_rows[check_in.user_id].append((check_in.id or 0, check_in.goals_achieved or "", check_in.take_part_again or "", -1 if check_in.recommend is None else check_in.recommend))
    value = None
    if len(closing_rows) >= k:
        recommend = [c.recommend for c in closing if c.recommend is not None]
        promoters = sum(1 for score in recommend if score >= PROMOTER_FROM)
        detractors = sum(1 for score in recommend if score <= DETRACTOR_UP_TO)
        value = {
            "goals_achieved": dict(Counter(c.goals_achieved for c in closing if c.goals_achieved)),
            "take_part_again": dict(Counter(c.take_part_again for c in closing if c.take_part_again)),
            "recommend_average": round(sum(recommend) / len(recommend), 1) if recommend else None,
            "recommend_score": round(100 * (promoters - detractors) / len(recommend)) if recommend else None,
        }
    found.append(Candidate("closing", value, {person: _canonical(rows) for person, rows in closing_rows.items()}))
    return found


def apply(report: HealthReport, decisions: dict[str, Decision]) -> HealthReport:
    """Put the released values into the report; nothing else over answers ever enters it."""
    safety = decisions.get("safety")
    if safety is not None and safety.value is not None:
        report.cohort.safety_average = safety.value["average"]
        report.cohort.safety_respondents = safety.value["respondents"]
    months = {figure: Balance(**decision.value) for figure, decision in decisions.items() if figure.startswith("led:") and decision.value is not None}
    for trend in report.trends:
        trend.balance = months.get(f"led:{trend.month}")
    if months:  # the sum of the months released, so it tells nothing they do not
        report.cohort.balance = Balance(
            mentor=sum(b.mentor for b in months.values()), mentee=sum(b.mentee for b in months.values()), balanced=sum(b.balanced for b in months.values())
        )
    midpoint = decisions.get("midpoint")
    if midpoint is not None and midpoint.value is not None:
        report.check_ins.midpoint_working_average = midpoint.value["average"]
    closing = decisions.get("closing")
    if closing is not None and closing.value is not None:
        figures: CheckInFigures = report.check_ins
        figures.goals_achieved = closing.value["goals_achieved"]
        figures.take_part_again = closing.value["take_part_again"]
        figures.recommend_average = closing.value["recommend_average"]
        figures.recommend_score = closing.value["recommend_score"]
    report.held = {figure: decision.released_at for figure, decision in decisions.items() if decision.held and decision.released_at is not None}
    return report


async def released_report(session: AsyncSession, history: ProgrammeHistory, now: datetime) -> HealthReport:
    """The report every admin surface shows: behaviour as it is, figures over answers as the gate
    releases them (recording a new release in the ledger, in the caller's transaction)."""
    programme = history.programme
    k = effective_k(programme.k_anonymity)
    report = build_report(history, now)
    report.k = k
    found = candidates(history, k) + [Candidate(figure, value, contributions) for figure, value, contributions in measure_candidates(history, k)]
    rows = await releases.ledger(session, team_id=programme.team_id, programme_id=programme.id or 0, figures=[c.figure for c in found])
    decisions: dict[str, Decision] = {}
    for candidate in found:
        row = rows[candidate.figure]
        decision = decide(
            candidate, k=k, salt=row.salt, last_value=json.loads(row.value) if row.value else None,
            released_at=row.released_at, seen=frozenset(row.seen.split()), now=now,
        )
        if decision.release:
            releases.record_release(row, value=json.dumps(decision.value, sort_keys=True), seen=" ".join(sorted(decision.seen)), now=now)
            session.add(row)
        decisions[candidate.figure] = decision
    report = apply(report, decisions)
    return apply_measures(report, {figure: d.value for figure, d in decisions.items() if figure.startswith("m:")}, answered=bool(history.measure_answers))



def answer_people(history: ProgrammeHistory, report: HealthReport) -> dict[str, frozenset[str]]:
    """Who stands behind each figure over answers that this released report shows (none where it
    shows none): people who answered safety; people who said who led a held session of a month shown."""
    safety = frozenset(r.author_id for r in history.reflections if r.safety is not None) if report.cohort.safety_average is not None else frozenset()
    shown = {trend.month for trend in report.trends if trend.balance is not None}
    held = {s.id: f"{s.starts_at:%Y-%m}" for s in history.sessions if s.status == SessionStatus.HELD}
    led = frozenset(r.author_id for r in history.reflections if r.led_by and held.get(r.session_id) in shown)
    return {"safety": safety, "led": led}


_BEHAVIOUR = [f.name for f in fields(CohortFigures) if f.name not in ("balance", "safety_average", "safety_respondents")]


def released_total(rows: list[tuple[HealthReport, dict[str, frozenset[str]]]]) -> RollupTotal:
    """The total row of a roll-up: behaviour summed; safety and who led combined from the rows that
    show them, released only over at least the strictest k people (see the module's docstring)."""
    k = max(report.k for report, _ in rows)
    cohort = CohortFigures(**{name: sum(getattr(report.cohort, name) for report, _ in rows) for name in _BEHAVIOUR})
    lights = {light: sum(report.count(light) for report, _ in rows) for light in Light}
    total = RollupTotal(k=k, cohort=cohort, lights=lights)

    safety = [(report.cohort, people["safety"]) for report, people in rows if report.cohort.safety_average is not None]
    respondents = sum(figures.safety_respondents for figures, _ in safety)
    behind = len(frozenset().union(*(people for _, people in safety)))
    if safety and min(respondents, behind) >= k:
        cohort.safety_average = round(sum(f.safety_average * f.safety_respondents for f, _ in safety) / respondents, 1)  # type: ignore[operator]
        cohort.safety_respondents = respondents
        total.safety_from_programmes = len(safety)

    led = [(report.cohort.balance, people["led"]) for report, people in rows if report.cohort.balance is not None]
    if led and len(frozenset().union(*(people for _, people in led))) >= k:
        cohort.balance = Balance(
            mentor=sum(b.mentor for b, _ in led), mentee=sum(b.mentee for b, _ in led), balanced=sum(b.balanced for b, _ in led)  # type: ignore[union-attr]
        )
        total.balance_from_programmes = len(led)
    return total
