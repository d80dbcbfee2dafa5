"""The roll-up report's words (`/mentor admin report all`): one row per running programme and their
total, for an admin of several programmes or a Slack workspace admin or owner."""

from __future__ import annotations

from typing import Any

from domain.health import Light
from domain.rollup import Rollup, RollupTotal
from prompts.blocks import Block, context, divider, escape, header, message, mrkdwn, section
from prompts.report import NO_PROGRAMME, build_report_message, held_note, lights_line, summary_fields

ROWS_IN_MESSAGE = 15  # a programme is one block; Slack takes at most 50 blocks in a message
NAMES_BEYOND = 20  # the programmes beyond the rows, named in one line (then only counted)

ONE_PROGRAMME = (
    "You run one programme, so here is its report. `/mentor admin report all` adds up several programmes "
    "for someone who runs more than one (or a Slack workspace admin or owner)."
)


def refused(ask: list[str]) -> str:
    """Why someone who runs none of the running programmes gets no roll-up, and whom to ask."""
    who = ", ".join(f"<@{user_id}>" for user_id in ask) if ask else "a Slack workspace admin"
    return (
        "Only programme admins, or a Slack workspace admin or owner, can use `/mentor admin report all`: "
        f"it shows the programmes you run. If you should be running one, ask {who}."
    )


def refusal_message(*, no_programme: bool, ask: list[str]) -> dict[str, Any]:
    text = NO_PROGRAMME if no_programme else refused(ask)
    return message(text, [section(text)])


def _row(title: str, figures: list[str], lights: dict[Light, int], note: str = "") -> Block:
    """One programme (or the total) as one section: its name and lights, the nine figures as fields."""
    text = f"{title}\n{lights_line(lights)}" + (f"\n_{note}_" if note else "")
    return {"type": "section", "text": mrkdwn(text[:3000]), "fields": [mrkdwn(figure[:2000]) for figure in figures[:10]]}


def total_note(total: RollupTotal, programmes: int) -> str:
    """What the total's figures from answers cover, and why no programme's withheld figure is in it."""
    cover = []
    for name, count, shown in (
        ("psychological safety", total.safety_from_programmes, total.cohort.safety_average is not None),
        ("who led", total.balance_from_programmes, total.cohort.balance is not None),
    ):
        cover.append(f"{name} from {count} of {programmes} programmes" if shown else f"{name} not shown")
    return (
        f"Totals from people's answers ({'; '.join(cover)}) add up only the programmes that show that figure, "
        f"and only over at least {total.k} people (the strictest programme's limit), so no programme's hidden "
        "figure can be worked out by subtracting the others from the total."
    )


def build_rollup_message(rollup: Rollup) -> dict[str, Any]:
    """The roll-up: the total first, then a row per programme (the first `ROWS_IN_MESSAGE`), the rest named."""
    if rollup.total is None:
        single = build_report_message(rollup.reports[0])
        return {**single, "blocks": [*single["blocks"], context(ONE_PROGRAMME)]}
    count = len(rollup.reports)
    who = f"All {count} running programmes in this workspace" if rollup.whole_workspace else f"The {count} running programmes you run"
    blocks: list[Block] = [
        header("Your programmes: how they are going"),
        context(f"{who}: one row each, then their total. Each programme's pairs needing attention and chart are in its own report: `/mentor programme <name>`, then `/mentor admin report`."),
        _row("*All programmes together*", summary_fields(rollup.total.cohort), rollup.total.lights),
        context(total_note(rollup.total, count)),
        divider(),
    ]
    for report in rollup.reports[:ROWS_IN_MESSAGE]:
        lights = {light: report.count(light) for light in Light}
        blocks.append(_row(f"*{escape(report.programme_name)}*", summary_fields(report.cohort), lights, held_note(report)))
    beyond = rollup.reports[ROWS_IN_MESSAGE:]
    if beyond:
        names = ", ".join(escape(report.programme_name) for report in beyond[:NAMES_BEYOND])
        more = f" and {len(beyond) - NAMES_BEYOND} more" if len(beyond) > NAMES_BEYOND else ""
        blocks.append(context(f"…and {len(beyond)} more programmes, counted in the total: {names}{more}."[:2000]))
    smallest = min(report.k for report in rollup.reports)
    blocks.append(context(
        f"Figures from people's answers are shown for each programme only over at least its own limit of people "
        f"({smallest} or more), and change only once that many more have answered, so no one can be singled out."
    ))
    return message(f"Roll-up of {count} programmes: programme health", blocks)
