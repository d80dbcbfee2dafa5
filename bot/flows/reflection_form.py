"""The reflection's form: the whole of it in one modal, instead of (or after) the questions in the DM.
Opened for one session, checked field by field before Slack closes it, saved once in one transaction.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.flows.action_reminders import create_actions
from bot.flows.reflection_conversation import (
    Conversation,
    Outcome,
    answered_questions,
    complete,
    conversation_for,
)
from bot.rules import reflection_flow as flow
from bot.services import Services
from domain.reflection import OTHER_TOPIC, ActionLine, Answer, NotUnderstood, Step
from prompts.dates import due_day_problem_text
from prompts.reflection_conversation import ANSWERED_IN_FORM, build_low_safety_tips
from prompts.reflection_form import FORM_ACTION, FORM_ERRORS
from store import events
from store import reflections as store


def _selected(values: dict, block: str) -> str | None:
    element = (values.get(block) or {}).get(FORM_ACTION) or {}
    option = element.get("selected_option")
    if option:
        return option.get("value")
    if element.get("selected_date"):
        return element["selected_date"]
    if element.get("selected_options"):
        return ",".join(option["value"] for option in element["selected_options"])
    return element.get("value")


def read_form(values: dict, *, now: datetime, tz: str) -> flow.FormAnswers:
    """The form's answers, or errors by block for Slack to show under each field."""
    answers = flow.FormAnswers()
    answers.took_place = _selected(values, "took_place")
    if answers.took_place not in flow.TOOK_PLACE_VALUES:
        answers.took_place = None
        answers.errors["took_place"] = FORM_ERRORS["took_place"]
    led = _selected(values, "led")
    answers.led = led if led in flow.LED_VALUES else None
    safety = _selected(values, "safety")
    answers.safety = int(safety) if safety and safety.isdigit() and 1 <= int(safety) <= 5 else None
    answers.topic_key = _selected(values, "topic") or None
    learning = (_selected(values, "learning") or "").strip()
    answers.learning = learning
    answers.new_insight = True if learning else None
    answers.shared = (_selected(values, "share") or "") == "yes"
    due_text = _selected(values, "due")
    default_due: date | None = date.fromisoformat(due_text) if due_text else None
    today = now.astimezone(ZoneInfo(tz)).date()
    if default_due is not None and default_due < today:
        answers.errors["due"] = FORM_ERRORS["due_past"]
    reply = flow.understand(Step.ACTIONS, _selected(values, "actions") or "", now=now, tz=tz) if (_selected(values, "actions") or "").strip() else None
    if isinstance(reply, NotUnderstood):
        answers.errors["actions"] = due_day_problem_text(reply.day_problem, reply.typed) if reply.day_problem else FORM_ERRORS["actions"]
    elif isinstance(reply, Answer):
        answers.actions = [ActionLine(line.text, line.due_on or default_due) for line in reply.value]  # type: ignore[union-attr]
    return answers


async def form_conversation(services: Services, client: AsyncWebClient, *, team_id: str, user_id: str, session_id: int, now: datetime) -> Conversation | None:
    """What the form shows (the answers so far), without starting a reflection; None when the session is not theirs."""
    async with services.sessions.begin() as session:
        return await conversation_for(session, client, team_id=team_id, session_id=session_id, user_id=user_id, now=now, create=False)


async def check_form(
    services: Services, client: AsyncWebClient, *, team_id: str, user_id: str, session_id: int, values: dict, now: datetime
) -> flow.FormAnswers | None:
    """The submitted form's answers, read in the author's time zone; None when the session is not theirs."""
    convo = await form_conversation(services, client, team_id=team_id, user_id=user_id, session_id=session_id, now=now)
    return read_form(values, now=now, tz=convo.tz) if convo is not None else None


async def submit_form(
    services: Services, client: AsyncWebClient, *, team_id: str, user_id: str, session_id: int, view_id: str, answers: flow.FormAnswers, now: datetime
) -> Outcome | None:
    """Save the checked form; None when Submit was pressed again and the reflection is saved already."""
    async with services.sessions.begin() as session:
        if not await events.first_submission(session, team_id=team_id, view_id=view_id, now=now):
            return None
        convo = await conversation_for(session, client, team_id=team_id, session_id=session_id, user_id=user_id, now=now)
        assert convo is not None
        return await save_form(session, convo, answers, now=now)


async def save_form(session: AsyncSession, convo: Conversation, answers: flow.FormAnswers, *, now: datetime) -> Outcome:
    """Every answer of the form at once; the questions still open in the DM show it was answered in the form."""
    reflection = convo.reflection
    outcome = Outcome(changed_pair=convo.pair)  # the form always says whether the session took place
    if reflection.completed_at is None:
        outcome.updates = await answered_questions(session, convo, answered=None, label=ANSWERED_IN_FORM)
    was_low = flow.is_low_safety(reflection.safety)
    assert answers.took_place is not None
    reflection.took_place = answers.took_place
    await store.record_took_place(session, team_id=reflection.team_id, mentoring_session=convo.mentoring_session, answer=answers.took_place, now=now)
    if answers.took_place == "yes":
        reflection.led_by = flow.led_by(answers.led, convo.role) if answers.led else reflection.led_by
        reflection.safety = answers.safety if answers.safety is not None else reflection.safety
        if answers.topic_key:
            reflection.topic_key = answers.topic_key
            if answers.topic_key != OTHER_TOPIC:
                await store.mark_covered(
                    session, team_id=reflection.team_id, pair_id=reflection.pair_id, topic_key=answers.topic_key, session_id=reflection.session_id, now=now
                )
        reflection.learning = answers.learning or reflection.learning
        if answers.new_insight is not None:
            reflection.new_insight = answers.new_insight
        reflection.shared = answers.shared
        await create_actions(
            session,
            team_id=reflection.team_id,
            pair_id=reflection.pair_id,
            owner_id=reflection.author_id,
            lines=answers.actions,
            tz=convo.tz,
            now=now,
            reflection_id=reflection.id,
        )
        if flow.is_low_safety(reflection.safety) and not was_low:
            outcome.posts.append(build_low_safety_tips())
    await store.save_reflection(session, reflection=reflection)
    await complete(session, convo, outcome, now=now)
    return outcome
