"""The programme health report as an admin reads it: the summary, the pairs needing attention, the
chart's words, and the replies of `/mentor admin report` and `/mentor admin export`."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.health import Balance, CheckInFigures, CohortFigures, HealthReport, Light, PairHealth
from domain.roles import Led
from prompts.blocks import Block, context, divider, escape, fields, header, message, section
from prompts.measure_report import did_it_work_blocks
from prompts.timefmt import format_day

LIGHT_EMOJI = {Light.RED: ":red_circle:", Light.AMBER: ":large_orange_circle:", Light.GREEN: ":large_green_circle:"}
NOT_ENOUGH = "not enough responses to show"
NOT_ENOUGH_PEOPLE = "not enough people have answered to show"
FIGURE_NAMES = {"safety": "psychological safety", "midpoint": "the mid-point check-in", "closing": "the closing reflections"}
ATTENTION_IN_MESSAGE = 10

# The chart's words.
CHART_SESSIONS_TITLE = "Sessions each month"
CHART_SESSIONS_AXIS = "Sessions"
CHART_HELD = "Held"
CHART_CANCELLED = "Cancelled"
CHART_BALANCE_TITLE = "Who led the sessions held"
CHART_BALANCE_AXIS = "% of sessions"
CHART_LED_MENTOR = "Reverse-mentor led"
CHART_LED_EVEN = "Even"
CHART_LED_MENTEE = "Mentee led"



def refusal(command: str) -> str:
    """Why someone who is not an admin gets nothing from `/mentor admin <command>`."""
    return f"Only the programme's admins can use `/mentor admin {command}`. If you think you should be one, ask whoever set the programme up."


REFUSAL = refusal("report")
NO_PROGRAMME = "There's no programme running yet. Run `/mentor admin setup` to start one, then I can report on it."
UPLOAD_FAILED = "I couldn't upload the file to our conversation just now. Please try again in a minute."


def month_label(month: str) -> str:
    return f"{date.fromisoformat(month + '-01'):%b %Y}"


def chart_title(report: HealthReport) -> str:
    return f"{report.programme_name}: programme health"


def percent(value: float | None) -> str:
    return "–" if value is None else f"{round(100 * value)}%"


def pair_label(pair: PairHealth) -> str:
    return f"<@{pair.mentor_id}> and <@{pair.mentee_id}>"


def balance_line(balance: Balance | None) -> str:
    if balance is None:
        return NOT_ENOUGH_PEOPLE
    if not balance.known:
        return "no answers yet"
    return f"reverse-mentor {percent(balance.share(Led.MENTOR))}, even {percent(balance.share(Led.BALANCED))}, mentee {percent(balance.share(Led.MENTEE))}"


def figure_name(figure: str) -> str:
    if figure.startswith("m:"):
        return "the measures in 'Did it work?'"
    if figure.startswith("led:"):
        return f"who led in {month_label(figure[4:])}"
    return FIGURE_NAMES.get(figure, figure)


def held_note(report: HealthReport) -> str:
    """Figures shown as last released, while fewer than k new people's answers wait (bot/flows/disclosure.py)."""
    if not report.held:
        return ""
    parts = list(dict.fromkeys(f"{figure_name(figure)} as of {format_day(released.date())}" for figure, released in sorted(report.held.items())))
    return f"Figures from people's answers: {'; '.join(parts)}. Each updates once {report.k} more people have answered, so no one's answer can be worked out."


def attention_line(pair: PairHealth) -> str:
    reasons = "; ".join(reason.text for reason in pair.reasons)
    return f"{LIGHT_EMOJI[pair.light]} {pair_label(pair)}: {reasons}"  # type: ignore[index]


def safety_line(cohort: CohortFigures) -> str:
    return f"{cohort.safety_average} out of 5 ({cohort.safety_respondents} people)" if cohort.safety_average is not None else NOT_ENOUGH


def summary_fields(cohort: CohortFigures) -> list[str]:
    """The nine figures of the summary, each a field's text (the report, the Home and the roll-up)."""
    return [
        f"*Pairs*\n{cohort.pairs_active} active, {cohort.pairs_paused} paused, {cohort.pairs_ended} ended",
        f"*Sessions*\n{cohort.sessions_held} held, {cohort.sessions_planned} booked ahead",
        f"*Cancelled*\n{cohort.cancelled} ({cohort.cancelled_late} at short notice); "
        f"by reverse-mentors {cohort.cancelled_by_mentor_side}, by mentees {cohort.cancelled_by_mentee_side}",
        f"*Reflections answered*\n{percent(cohort.reflection_rate)} ({cohort.reflections_completed} of {cohort.reflections_asked})",
        f"*Who led*\n{balance_line(cohort.balance)}",
        f"*Roadmap topics covered*\n{cohort.topics_covered} of {cohort.topics_planned}",
        f"*Goals*\n{cohort.goals_achieved} achieved, {cohort.goals_under_way} under way, {cohort.goals_not_started} not started",
        f"*Actions*\n{cohort.actions_done} done, {cohort.actions_open} open, {cohort.actions_overdue} overdue",
        f"*Psychological safety*\n{safety_line(cohort)}",
    ]


def lights_line(counts: dict[Light, int]) -> str:
    return (
        f"{LIGHT_EMOJI[Light.GREEN]} {counts.get(Light.GREEN, 0)} on track   "
        f"{LIGHT_EMOJI[Light.AMBER]} {counts.get(Light.AMBER, 0)} worth a look   "
        f"{LIGHT_EMOJI[Light.RED]} {counts.get(Light.RED, 0)} need attention"
    )


def summary_blocks(report: HealthReport) -> list[Block]:
    """The cohort at a glance: nine fields and a line of lights, the same on every surface."""
    blocks: list[Block] = [
        fields(*summary_fields(report.cohort)),
        context(lights_line({light: report.count(light) for light in Light})),
    ]
    check_ins = check_in_lines(report.check_ins, report.k)
    if check_ins:
        blocks.append(section(check_ins))
    note = held_note(report)
    if note:
        blocks.append(context(note))
    return blocks


def check_in_lines(figures: CheckInFigures, k: int) -> str:
    lines = []
    if figures.midpoint_respondents:
        average = f"{figures.midpoint_working_average} out of 5" if figures.midpoint_working_average is not None else NOT_ENOUGH
        lines.append(f"*Mid-point check-in* ({figures.midpoint_respondents} answered): is it working? {average}")
    if figures.closing_respondents:
        if figures.recommend_score is None:
            lines.append(f"*Closing reflections* ({figures.closing_respondents} answered): {NOT_ENOUGH} (I need at least {k})")
        else:
            goals = figures.goals_achieved or {}
            again = figures.take_part_again or {}
            lines.append(
                f"*Closing reflections* ({figures.closing_respondents} answered): recommendation score {figures.recommend_score:+d} "
                f"(average {figures.recommend_average} out of 10); goals achieved: all {goals.get('all', 0)}, some {goals.get('some', 0)}, "
                f"none {goals.get('none', 0)}; would take part again: yes {again.get('yes', 0)}, maybe {again.get('maybe', 0)}, no {again.get('no', 0)}"
            )
    return "\n".join(lines)


def build_report_message(report: HealthReport) -> dict[str, Any]:
    attention = report.needing_attention
    blocks: list[Block] = [header(f"{report.programme_name}: how the programme is going"), *summary_blocks(report), divider()]
    if attention:
        lines = "\n".join(attention_line(pair) for pair in attention[:ATTENTION_IN_MESSAGE])
        blocks.append(section(f"*Pairs needing attention*\n{lines}"))
        if len(attention) > ATTENTION_IN_MESSAGE:
            blocks.append(context(f"…and {len(attention) - ATTENTION_IN_MESSAGE} more: see my Home tab or `/mentor admin export`."))
    else:
        blocks.append(section("*Pairs needing attention*\nNone right now: every pair is on track."))
    blocks += [divider(), *did_it_work_blocks(report)]
    blocks.append(context(
        f"I've sent the chart to our DM. Figures from people's answers are shown only over at least {report.k} people, "
        f"and change only once {report.k} more have answered, so no one can be singled out."
    ))
    return message(f"{escape(report.programme_name)}: programme health report", blocks)


def chart_comment(report: HealthReport) -> str:
    return f"Sessions held and cancelled each month, and who led them: {escape(report.programme_name)}."


def export_comment(report: HealthReport) -> str:
    return f"One row per pair for {escape(report.programme_name)}: counts and flags only, no private answers."


def export_sent() -> dict[str, Any]:
    text = "I've sent the CSV export to our DM: one row per pair, counts and flags only."
    return message(text, [section(text)])


def chart_filename(report: HealthReport) -> str:
    return f"flipside-health-{report.now:%Y-%m-%d}.png"


def export_filename(report: HealthReport) -> str:
    return f"flipside-pairs-{report.now:%Y-%m-%d}.csv"


def plain_message(text: str) -> dict[str, Any]:
    return message(text, [section(text)])
