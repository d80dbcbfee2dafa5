"""The programme's mid-point check-in, closing reflection, final report and peer-support post."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.health import HealthReport
from prompts.blocks import Block, actions, button, context, divider, escape, header, message, plain, section
from prompts.measure_report import did_it_work_blocks
from prompts.report import balance_line, check_in_lines, percent, summary_blocks
from prompts.timefmt import format_day

CHECK_IN_OPEN = "check_in_open"
CHECK_IN_SUBMIT = "check_in_submit"
MIDPOINT = "midpoint"
CLOSING = "closing"

WORKING_OPTIONS = [
    ("1", "1: not working at all"),
    ("2", "2: not really"),
    ("3", "3: partly"),
    ("4", "4: mostly"),
    ("5", "5: working really well"),
]
GOALS_OPTIONS = [("all", "All of them"), ("some", "Some of them"), ("none", "Not yet")]
AGAIN_OPTIONS = [("yes", "Yes"), ("maybe", "Maybe"), ("no", "No")]
RECOMMEND_OPTIONS = [(str(score), str(score) + (": not at all likely" if score == 0 else ": extremely likely" if score == 10 else "")) for score in range(11)]

PRIVATE_NOTE = "Your written answers stay private. The programme team only sees scores added up across at least {k} people, never yours."
NOT_IN_PAIR = "This check-in belongs to someone else's pair, so I can't record it for you."
# Shown under a field of the check-in modal left unanswered (by block id; Slack's response_action errors).
ERRORS = {
    "working": "Please choose how well it's working, from 1 to 5.",
    "recommend": "Please choose a number from 0 to 10.",
    "goals_achieved": "Please choose one.",
    "take_part_again": "Please choose one.",
}


def _value(kind: str, pair_id: int) -> str:
    return f"{kind}:{pair_id}"


def parse_value(value: str) -> tuple[str, int] | None:
    kind, _, pair_id = value.partition(":")
    if kind not in (MIDPOINT, CLOSING) or not pair_id.isdigit():
        return None
    return kind, int(pair_id)


def build_midpoint_prompt(*, pair_id: int, programme_name: str, k: int) -> dict[str, Any]:
    text = f"We're half-way through {escape(programme_name)}. Two quick questions: is it working for you, and is there anything you'd change?"
    return message(
        text,
        [
            section(f":hourglass_flowing_sand: {text}"),
            actions(button("Answer the check-in", CHECK_IN_OPEN, _value(MIDPOINT, pair_id), style="primary")),
            context(PRIVATE_NOTE.format(k=k)),
        ],
    )


def build_closing_prompt(*, pair_id: int, programme_name: str, k: int) -> dict[str, Any]:
    text = (
        f"{escape(programme_name)} has come to an end. Thank you for taking part. Would you spend two minutes on a closing "
        "reflection: your goals, what changed for you, and what the organisation should do differently?"
    )
    return message(
        text,
        [
            section(f":checkered_flag: {text}"),
            actions(button("Write my closing reflection", CHECK_IN_OPEN, _value(CLOSING, pair_id), style="primary")),
            context(PRIVATE_NOTE.format(k=k)),
        ],
    )


def _options(choices: list[tuple[str, str]]) -> list[dict[str, Any]]:
    return [{"text": plain(label[:75]), "value": value} for value, label in choices]


def _select(block_id: str, label: str, choices: list[tuple[str, str]], *, placeholder: str = "Choose") -> Block:
    return {
        "type": "input",
        "block_id": block_id,
        "label": plain(label),
        "element": {"type": "static_select", "action_id": block_id, "placeholder": plain(placeholder), "options": _options(choices)},
    }


def _text(block_id: str, label: str, hint: str = "") -> Block:
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "optional": True,
        "label": plain(label),
        "element": {"type": "plain_text_input", "action_id": block_id, "multiline": True, "max_length": 2000},
    }
    if hint:
        block["hint"] = plain(hint)
    return block


def build_check_in_modal(*, kind: str, pair_id: int, k: int) -> dict[str, Any]:
    if kind == MIDPOINT:
        title = "Mid-point check-in"
        blocks = [
            _select("working", "Is the mentoring working for you?", WORKING_OPTIONS),
            _text("change", "Anything you'd change?", "Private: no one else sees this. It may be worth raising with your partner too."),
        ]
    else:
        title = "Closing reflection"
        blocks = [
            _select("goals_achieved", "Did you achieve the goals you set?", GOALS_OPTIONS),
            _text("what_changed", "What changed for you?"),
            _text("organisation_should", "What should the organisation do differently?"),
            _select("recommend", "How likely are you to recommend reverse mentoring to a colleague?", RECOMMEND_OPTIONS, placeholder="0 to 10"),
            _select("take_part_again", "Would you take part again?", AGAIN_OPTIONS),
        ]
    return {
        "type": "modal",
        "callback_id": CHECK_IN_SUBMIT,
        "private_metadata": _value(kind, pair_id),
        "title": plain(title),
        "submit": plain("Send"),
        "close": plain("Not now"),
        "blocks": [*blocks, context(PRIVATE_NOTE.format(k=k))],
    }


def check_in_thanks(kind: str) -> dict[str, Any]:
    if kind == MIDPOINT:
        text = "Thank you for checking in. If something needs to change, the half-way point is a good moment to raise it with your partner."
    else:
        text = "Thank you for your closing reflection, and for everything you put into the programme."
    return message(text, [section(text)])


def build_programme_ended(*, programme_name: str, pairs_ended: int, final_report_on: date) -> dict[str, Any]:
    text = (
        f"{escape(programme_name)} reached its end date. I've ended its {pairs_ended} pairs and asked everyone for a closing reflection. "
        f"I'll send you the final report on {format_day(final_report_on)}, once people have had time to answer."
    )
    return message(text, [section(text)])


def build_final_report(report: HealthReport) -> dict[str, Any]:
    cohort = report.cohort
    outcomes = (
        f"*Outcomes*\n• {cohort.sessions_held} sessions held; {percent(cohort.reflection_rate)} of reflections answered\n"
        f"• {cohort.goals_achieved} goals achieved, {cohort.goals_under_way} still under way\n"
        f"• {cohort.actions_done} actions done, {cohort.actions_open} still open\n"
        f"• {cohort.topics_covered} roadmap topics covered\n"
        f"• Who led: {balance_line(cohort.balance)}"
    )
    closing = check_in_lines(report.check_ins, report.k) or f"*Closing reflections*\nNobody answered the closing reflection, so there's no score to show (I need at least {report.k} people)."
    blocks: list[Block] = [
        header(f"{report.programme_name}: final report"),
        *summary_blocks(report)[:1],
        divider(),
        section(outcomes),
        section(closing),
        divider(),
        *did_it_work_blocks(report),
        context("Scores are shown only across enough people that no one can be singled out. No private answer is ever included."),
    ]
    return message(f"{escape(report.programme_name)}: final report", blocks)


def build_peer_post(report: HealthReport, *, month: str) -> dict[str, Any]:
    cohort = report.cohort
    trend = next((t for t in report.trends if t.month == month), None)
    held_this_month = trend.held if trend else 0
    text = (
        "Time for this month's reverse-mentor circle. What's working in your sessions? A question that opened things up, "
        "a way you handled a tricky moment, a topic that landed well: share it in the thread so others can try it."
    )
    figures = (
        f"*The cohort so far* (all pairs together, never one pair's)\n"
        f"• {cohort.sessions_held} sessions held, {held_this_month} this month\n"
        f"• Who led: {balance_line(cohort.balance)}\n"
        f"• {cohort.topics_covered} roadmap topics covered, {cohort.goals_achieved} goals achieved"
    )
    return message(text, [section(f":seedling: {text}"), section(figures), context("Keep your partner's confidences: share what you did, not what they said.")])


PEERS_USAGE = (
    "To name the private channel for your cohort's reverse-mentors, type `/mentor admin peers #channel` and pick the channel "
    "from the list. `/mentor admin peers off` stops the monthly post."
)


def peers_set(channel_id: str, replaced: str | None = None) -> str:
    instead = f" This is instead of <#{replaced}>, where I won't post any more." if replaced else ""
    return (
        f"Once a month I'll post in <#{channel_id}> a prompt to share what's working, with the cohort's figures (never a pair's)."
        f"{instead} If it's a private channel, invite me there with `/invite @Flipside`."
    )


def peers_not_found(channel_id: str) -> str:
    return (
        f"I can't find <#{channel_id}>: it may have been deleted, or it's a private channel I haven't been invited to. "
        "Invite me there with `/invite @Flipside`, then try again. Nothing has changed."
    )


def peers_archived(channel_id: str) -> str:
    return f"<#{channel_id}> is archived, so I can't post there. Choose another channel; nothing has changed."


PEERS_NOT_CHECKED = "I couldn't check that channel with Slack just now, so nothing has changed. Please try again in a minute."


PEERS_OFF = "I've stopped the monthly peer-support post."
