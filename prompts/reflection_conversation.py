"""The reflection as a DM conversation: the seven questions (worded for each side), re-asks, the
follow-up, the private tips, and the answers' labels the form and the read-back share.

Slack wants action_ids unique within a block, so each button gets its own id (`<prefix>_<n>`)
and carries its meaning in `value` as "<session_id>:<answer>".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from domain.reflection import OTHER_TOPIC, Answer, Learning, Skipped, Step, TopicChoice, question_key
from domain.roles import Led, Role
from domain.times import TimeProblem
from domain.views import ActionView, RoadmapItemView
from prompts import content, limits
from prompts.blocks import Block, actions, button, context, escape, message, section
from prompts.dates import due_day_problem_text
from prompts.privacy import FLAG_NOTICE, FLAG_ROLES, FLAG_TOPICS
from prompts.timefmt import format_day

REFLECTION_TOOK_PLACE_ACTION = "reflection_took_place"  # also on the sessions issue's post-session prompt
REFLECTION_ANSWER_ACTION = "reflection_answer"  # reflection_answer_<step>_<n>
REFLECTION_OPEN_FORM_ACTION = "reflection_open_form"

TOOK_PLACE_LABELS = {"yes": "Yes, it did", "cancelled": "It was cancelled", "no_show": "The other person did not come"}
LED_LABELS = {"me": "Me", "partner": "My partner", "even": "About even"}
SAFETY_LABELS = {1: "1 Not at all", 2: "2", 3: "3", 4: "4", 5: "5 Completely"}

# The two answers behind a pair flag the admin sees: said where they are asked (bot/flows/disclosure.py).
LED_NOTICE = FLAG_NOTICE.format(flag=FLAG_ROLES)
INSIGHT_NOTICE = FLAG_NOTICE.format(flag=FLAG_TOPICS)

QUESTIONS: dict[str, str] = {
    "took_place:mentor": "Did your session with {partner} on {when} take place?",
    "took_place:mentee": "Did your session with {partner} on {when} take place?",
    "led:mentor": "Who did most of the sharing and teaching today? As the reverse-mentor, the lead is meant to be yours, but an honest answer helps most. " + LED_NOTICE,
    "led:mentee": "Who did most of the sharing and teaching today? In reverse mentoring your reverse-mentor leads, but an honest answer helps most. " + LED_NOTICE,
    "safety:mentor": "How free did you feel to say what was on your mind? From 1 (not at all) to 5 (completely). Only you see this unless you share.",
    "safety:mentee": "How free did you feel to say what was on your mind? From 1 (not at all) to 5 (completely). Only you see this unless you share.",
    "topic:mentor": "Which topic did you cover?",
    "topic:mentee": "Which topic did you cover?",
    "learning:mentor": "What did you learn or see differently? Perhaps about how decisions are made, or about yourself as someone who leads. Only you see this unless you share. " + INSIGHT_NOTICE,
    "learning:mentee": "What did you learn or see differently? Only you see this unless you share. " + INSIGHT_NOTICE,
    "actions:mentor": "What will you do as a result? One action per line. Add a date if you like, such as `by friday` or `by 20 April`.",
    "actions:mentee": "What will you do as a result, for yourself or for the organisation? One action per line. Add a date if you like, such as `by friday` or `by 20 April`.",
    "share:mentor": "Share this reflection with {partner}? They will see it only once they have reflected on this session too.",
    "share:mentee": "Share this reflection with {partner}? They will see it only once they have reflected on this session too.",
}

HINTS: dict[str, str] = {
    "took_place:unclear": "Reply *yes*, *cancelled*, or *they didn't come*.",
    "took_place:no_or_which": "Was it cancelled, or did {partner} not come? Reply *cancelled* or *they didn't come*.",
    "led:unclear": "Reply *me*, *my partner* or *about even*.",
    "safety:unclear": "Reply with a number from 1 to 5.",
    "safety:range": "That needs to be a number from 1 to 5.",
    "topic:unclear": "Reply with a topic's number or name, or *other*.",
    "topic:topic": "I couldn't match that to a topic. Reply with its number or name, or *other*.",
    "topic:topic_number": "There is no topic with that number. Reply with one from the list, or *other*.",
    "learning:unclear": "Type what you learned, or *nothing new*.",
    "actions:unclear": "Type one action per line, or *none*.",
    "share:unclear": "Reply *yes* to share, or *no* to keep it private.",
}


tips = content.tips


@dataclass(frozen=True)
class SessionContext:
    session_id: int
    partner_id: str
    role: Role
    when: str  # the session's start, in the reader's zone


def topic_choices(roadmap: Sequence[RoadmapItemView], session_topic_key: str = "") -> list[TopicChoice]:
    """The roadmap as options, in its agreed order (the DM question and the form list the same).
    A long roadmap keeps ten: the session's own topic, then those not yet covered, then the rest."""
    kept = sorted(roadmap, key=lambda item: (item.topic_key != session_topic_key, item.covered_at is not None, item.position))[:10]
    return [TopicChoice(item.topic_key, item.title) for item in sorted(kept, key=lambda item: item.position)]


def _question_text(step: Step, ctx: SessionContext, topics: list[TopicChoice]) -> str:
    text = QUESTIONS[question_key(step, ctx.role)].format(partner=f"<@{ctx.partner_id}>", when=ctx.when)
    if step is Step.TOPIC:
        numbered = [f"{number}. {escape(topic.title)}" for number, topic in enumerate(topics, start=1)]
        numbered.append(f"{len(topics) + 1}. Something else")
        text += "\n" + "\n".join(numbered)
    return f"*Question {int(step)} of 7.* {text}"


def _answer_buttons(step: Step, ctx: SessionContext, topics: list[TopicChoice]) -> list[dict[str, Any]]:
    sid = ctx.session_id
    if step is Step.TOOK_PLACE:
        labels = {**TOOK_PLACE_LABELS, "no_show": f"{'My mentee' if ctx.role is Role.MENTOR else 'My reverse-mentor'} did not come"}
        return [
            button(label, f"{REFLECTION_TOOK_PLACE_ACTION}_{number}", f"{sid}:{value}", style="primary" if value == "yes" else None)
            for number, (value, label) in enumerate(labels.items())
        ]

    def answer(label: str, value: str, number: int | str) -> dict[str, Any]:
        return button(label, f"{REFLECTION_ANSWER_ACTION}_{int(step)}_{number}", f"{sid}:{value}")

    skip = answer("Skip", "skip", "skip")
    if step is Step.LED:
        return [answer(label, value, number) for number, (value, label) in enumerate(LED_LABELS.items())] + [skip]
    if step is Step.SAFETY:
        return [answer(label, str(value), value) for value, label in SAFETY_LABELS.items()] + [skip]
    if step is Step.TOPIC:
        buttons = [answer(topic.title[:75], str(number), number) for number, topic in enumerate(topics, start=1)]
        return buttons + [answer("Something else", OTHER_TOPIC, "other"), skip]
    if step is Step.LEARNING:
        return [answer("Nothing new this time", "no", "no"), skip]
    if step is Step.ACTIONS:
        return [answer("No actions this time", "none", "none"), skip]
    if step is Step.SHARE:
        return [answer("Share with my partner", "yes", "yes"), answer("Keep it private", "no", "no")]
    return []


def question_blocks(step: Step, ctx: SessionContext, topics: list[TopicChoice]) -> list[Block]:
    return [
        section(_question_text(step, ctx, topics)),
        actions(*_answer_buttons(step, ctx, topics), block_id=f"reflection_answers_{int(step)}"),
        actions(button("Use a form instead", REFLECTION_OPEN_FORM_ACTION, str(ctx.session_id)), block_id="reflection_form"),
        context("Click a button or type your answer here. *skip* moves on."),
    ]


def build_question(step: Step, ctx: SessionContext, topics: list[TopicChoice]) -> dict[str, Any]:
    return message(_question_text(step, ctx, topics).replace("*", ""), question_blocks(step, ctx, topics))


def build_reask(step: Step, ctx: SessionContext, topics: list[TopicChoice], reason: str, day_problem: TimeProblem | None = None, typed: str = "") -> dict[str, Any]:
    if day_problem is not None:
        hint = due_day_problem_text(day_problem, typed)
    else:
        hint = limits.typed_answer_too_long() if reason == "too_long" else HINTS.get(f"{step.name.lower()}:{reason}") or HINTS.get(f"{step.name.lower()}:unclear", "")
        hint = hint.format(partner=f"<@{ctx.partner_id}>")
    text = f"Sorry, I didn't quite catch that. {hint} Or type *skip* to move on."
    return message(text.replace("*", ""), [section(text), *question_blocks(step, ctx, topics)])


def build_answered(step: Step, ctx: SessionContext, topics: list[TopicChoice], label: str) -> dict[str, Any]:
    """The question as it reads once answered: the buttons give way to the answer."""
    text = _question_text(step, ctx, topics)
    return message(text.replace("*", ""), [section(text), context(f"Your answer: *{escape(label)}*")])


ANSWERED_IN_FORM = "Answered in the form"
ANSWERED_MEANWHILE = "Answered"
LABEL_LIMIT = 200  # an answer echoed under its question: the start of a long one is enough


def reply_label(reply: Answer | Skipped, topics: list[TopicChoice]) -> str:
    """An answer as it reads under its question, however it was given (a button or typed)."""
    if isinstance(reply, Skipped):
        return "Skipped"
    step, value = reply.step, reply.value
    label = str(value)
    if step is Step.TOOK_PLACE:
        label = TOOK_PLACE_LABELS.get(label, label)
    elif step is Step.LED:
        label = LED_LABELS.get(label) or {Led.MENTOR.value: "The reverse-mentor", Led.MENTEE.value: "The mentee"}.get(label, label)
    elif step is Step.SAFETY:
        label = SAFETY_LABELS.get(value, label)  # type: ignore[call-overload]
    elif step is Step.TOPIC:
        label = "Something else" if value == OTHER_TOPIC else next((topic.title for topic in topics if topic.key == value), label)
    elif step is Step.LEARNING and isinstance(value, Learning):
        label = value.text or ("Yes" if value.new_insight else "Nothing new this time")
    elif step is Step.ACTIONS and isinstance(value, list):
        label = "; ".join(line.text for line in value) or "No actions this time"
    elif step is Step.SHARE:
        label = "Share with my partner" if value else "Keep it private"
    return label if len(label) <= LABEL_LIMIT else label[: LABEL_LIMIT - 1] + "…"


def asked_step(message: dict[str, Any]) -> Step | None:
    """The question a message's buttons answer, read from their action_ids; None without any."""
    for block in message.get("blocks") or []:
        if block.get("type") != "actions":
            continue
        for element in block.get("elements") or []:
            action_id = str(element.get("action_id", ""))
            if action_id.startswith(REFLECTION_TOOK_PLACE_ACTION):
                return Step.TOOK_PLACE
            number = action_id.removeprefix(f"{REFLECTION_ANSWER_ACTION}_").partition("_")[0]
            if action_id.startswith(f"{REFLECTION_ANSWER_ACTION}_") and number.isdigit():
                return Step(int(number))
    return None


def build_followup(step: Step, ctx: SessionContext, topics: list[TopicChoice]) -> dict[str, Any]:
    opening = (
        f"A gentle nudge: how did your session with <@{ctx.partner_id}> on {ctx.when} go? "
        "It takes a couple of minutes, and you can skip any question. I won't ask again."
    )
    return message(opening.replace("*", ""), [section(opening), *question_blocks(step, ctx, topics)])


def build_started(when: str) -> dict[str, Any]:
    text = f"Your reflection on the session on {when} is waiting in our DM, one question at a time."
    return message(text, [section(text)])


def build_completed(*, held: bool, created: list[ActionView]) -> dict[str, Any]:
    if not held:
        text = "Thanks for letting me know; I've noted it on the session. When you're ready, book the next one so the momentum isn't lost."
        return message(text, [section(text)])
    lines = ["Thank you, your reflection is saved. Read it back any time with `/mentor reflections`."]
    if created:
        listed = "\n".join(f"• {escape(action.text)}" + (f" (by {format_day(action.due_on)})" if action.due_on else "") for action in created)
        lines.append(f"I've added {'this action' if len(created) == 1 else 'these actions'} for you, visible to your partner too:\n{listed}")
        lines.append("Tick them off with `/mentor actions`.")
    text = "\n\n".join(lines)
    return message(lines[0], [section(text)])


def build_low_safety_tips() -> dict[str, Any]:
    items = "\n".join(f"• {tip}" for tip in tips()["low_safety_private"])
    text = f"*A few thoughts, just for you.* Nobody else sees this message or your answer.\n{items}"
    return message("A few thoughts, just for you.", [section(text)])


def build_partner_shared(*, author_id: str, when: str) -> dict[str, Any]:
    text = f"<@{author_id}> shared their reflection on your session on {when}. Read it with `/mentor reflections`."
    return message(text, [section(text)])


def build_no_pair() -> dict[str, Any]:
    text = "You aren't in a mentoring pair yet, so there's nothing to reflect on. Your programme admin can pair you up."
    return message(text, [section(text)])


def build_no_ended_session() -> dict[str, Any]:
    text = "You have no session that has ended yet. Once you've met, `/mentor reflect` will ask you about it."
    return message(text, [section(text)])


def build_already_reflected(*, when: str, session_id: int) -> dict[str, Any]:
    text = f"You've already reflected on your session on {when}. Read it with `/mentor reflections`, or change your answers in the form."
    return message(text, [section(text), actions(button("Use a form instead", REFLECTION_OPEN_FORM_ACTION, str(session_id)))])


def build_not_yours() -> dict[str, Any]:
    text = "That reflection belongs to someone else's session, so I can't open it for you."
    return message(text, [section(text)])


def build_already_answered() -> dict[str, Any]:
    text = "You've already answered that question. The current one is the latest message from me."
    return message(text, [section(text)])


def build_something_went_wrong() -> dict[str, Any]:
    text = "Sorry, something went wrong on my side and nothing was saved. Please try again in a moment."
    return message(text, [section(text)])
