"""The reflection after each session: one question at a time in the DM (buttons or typed replies),
or the whole of it in a form; `/mentor reflect` to start, `/mentor reflections` to read back.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel.ext.asyncio.session import AsyncSession

from bot import reflection_flow as flow
from bot.action_reminders import create_actions
from bot.commands import subcommand
from bot.directory import known_person
from bot.nudges import Kind, session_key_prefix
from bot.permissions import is_programme_admin
from bot.reflection_flow import Answer, NotUnderstood, Skipped, Step
from bot.reflection_sweep import FOLLOW_UP_KIND, follow_up_key
from bot.services import Services
from bot.slack_errors import SLACK_FAILURES, error_code
from handlers.home import refresh_pair_homes
from prompts import reflections as prompts
from prompts.timefmt import format_when
from store import actions as action_store
from store import events, outbox, people
from store import reflections as store
from store.models import MentoringSession, Pair, Reflection, Role
from store.pairs import current_pair, get_pair, partner_of, role_in
from store.roadmap import roadmap_items
from store.sessions import get_session

logger = logging.getLogger(__name__)

WINDOW = timedelta(days=7)  # how long after a session its reflection is still waiting on answers

TOOK_PLACE_BUTTON = re.compile(rf"^{prompts.REFLECTION_TOOK_PLACE_ACTION}(_\w+)?$")
ANSWER_BUTTON = re.compile(rf"^{prompts.REFLECTION_ANSWER_ACTION}_(\d)_\w+$")


@dataclass
class Conversation:
    """Everything needed to ask or apply one question, read inside one transaction."""

    mentoring_session: MentoringSession
    pair: Pair
    reflection: Reflection
    role: Role
    tz: str
    ctx: prompts.SessionContext
    topics: list[flow.TopicChoice]


@dataclass
class Outcome:
    """What to send once the transaction has committed."""

    posts: list[dict[str, Any]] = field(default_factory=list)  # messages to the author, in order
    partner_posts: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    updates: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)  # (channel, ts, message): answered questions
    convo: Conversation | None = None  # whose question the posts may ask
    changed_pair: Pair | None = None  # set when an answer changed what Home shows (held, topic covered, actions)


async def _answered_questions(
    session: AsyncSession, convo: Conversation, *, answered: Step | None, label: str
) -> list[tuple[str, str, dict[str, Any]]]:
    """Every message still showing buttons for the question just answered (`answered`), or for any
    question still open once the form has saved the lot (None): each now shows its answer instead.

    The bot's own posts are remembered on the reflection; the post-session prompt and the follow-up
    went through the outbox, which keeps where they landed and what they asked."""
    reflection = convo.reflection
    current = flow.current_step(reflection.step)
    assert reflection.id is not None
    remembered = await store.take_open_messages(session, team_id=reflection.team_id, reflection_id=reflection.id)
    places: dict[tuple[str, str], Step] = {(channel, ts): flow.current_step(step) for step, channel, ts in remembered}
    session_id, user_id = reflection.session_id, reflection.author_id
    nudges = [
        *await outbox.sent_messages(session, team_id=reflection.team_id, recipient_id=user_id, kind=Kind.REFLECTION_PROMPT, key_prefix=session_key_prefix(session_id)),
        *await outbox.sent_messages(session, team_id=reflection.team_id, recipient_id=user_id, kind=FOLLOW_UP_KIND, key_prefix=follow_up_key(session_id, user_id)),
    ]
    for row in nudges:
        asked = prompts.asked_step(json.loads(row.payload))
        if asked is not None and row.sent_channel and row.sent_ts and (asked is answered if answered is not None else asked >= current):
            places.setdefault((row.sent_channel, row.sent_ts), asked)
    # A copy posted for an earlier question just as it was answered elsewhere shows its own question, answered.
    return [
        (channel, ts, prompts.build_answered(step, convo.ctx, convo.topics, label if answered in (None, step) else prompts.ANSWERED_MEANWHILE))
        for (channel, ts), step in places.items()
    ]


async def _conversation(
    session: AsyncSession, client: AsyncWebClient, *, team_id: str, mentoring_session: MentoringSession, user_id: str, now: datetime, create: bool = True
) -> Conversation | None:
    pair = await get_pair(session, team_id=team_id, pair_id=mentoring_session.pair_id)
    if pair is None or user_id not in (pair.mentor_id, pair.mentee_id):
        return None
    if create:
        reflection = await store.start_reflection(session, team_id=team_id, mentoring_session=mentoring_session, author_id=user_id, now=now)
    else:
        reflection = await store.get_reflection(session, team_id=team_id, session_id=mentoring_session.id, author_id=user_id) or Reflection(
            team_id=team_id, session_id=mentoring_session.id, pair_id=pair.id, author_id=user_id, started_at=now
        )
    person = await known_person(session, client, team_id=team_id, user_id=user_id, now=now)
    roadmap = await roadmap_items(session, team_id=team_id, pair_id=pair.id)
    role = role_in(pair, user_id)
    ctx = prompts.SessionContext(
        session_id=mentoring_session.id,
        partner_id=partner_of(pair, user_id),
        role=role,
        when=format_when(mentoring_session.starts_at, person.tz),
    )
    topics = prompts.topic_choices(roadmap, mentoring_session.topic_key)
    return Conversation(mentoring_session, pair, reflection, role, person.tz, ctx, topics)


async def conversation_for(
    session: AsyncSession, client: AsyncWebClient, *, team_id: str, session_id: int, user_id: str, now: datetime, create: bool = True
) -> Conversation | None:
    mentoring_session = await get_session(session, team_id=team_id, session_id=session_id)
    if mentoring_session is None:
        return None
    return await _conversation(session, client, team_id=team_id, mentoring_session=mentoring_session, user_id=user_id, now=now, create=create)


async def apply_reply(session: AsyncSession, convo: Conversation, reply: Answer | Skipped, *, now: datetime) -> Outcome:
    """Store one answer (or a skip), move the conversation on, and say what to send next."""
    reflection = convo.reflection
    outcome = Outcome(convo=convo)
    outcome.updates = await _answered_questions(session, convo, answered=reply.step, label=prompts.reply_label(reply, convo.topics))
    if isinstance(reply, Answer):
        value = reply.value
        if reply.step is Step.TOOK_PLACE:
            reflection.took_place = str(value)
            await store.record_took_place(session, team_id=reflection.team_id, mentoring_session=convo.mentoring_session, answer=str(value), now=now)
            outcome.changed_pair = convo.pair
        elif reply.step is Step.LED:
            reflection.led_by = flow.led_by(str(value), convo.role)
        elif reply.step is Step.SAFETY:
            reflection.safety = int(value)  # type: ignore[call-overload]
            if flow.is_low_safety(reflection.safety):
                outcome.posts.append(prompts.build_low_safety_tips())
        elif reply.step is Step.TOPIC:
            reflection.topic_key = str(value)
            if value != flow.OTHER_TOPIC:
                await store.mark_covered(
                    session, team_id=reflection.team_id, pair_id=reflection.pair_id, topic_key=str(value), session_id=reflection.session_id, now=now
                )
                outcome.changed_pair = convo.pair
        elif reply.step is Step.LEARNING:
            assert isinstance(value, flow.Learning)
            reflection.learning = value.text
            reflection.new_insight = value.new_insight
        elif reply.step is Step.ACTIONS:
            assert isinstance(value, list)
            await create_actions(
                session,
                team_id=reflection.team_id,
                pair_id=reflection.pair_id,
                owner_id=reflection.author_id,
                lines=value,
                tz=convo.tz,
                now=now,
                reflection_id=reflection.id,
            )
            if value:
                outcome.changed_pair = convo.pair
        elif reply.step is Step.SHARE:
            reflection.shared = bool(value)
    step = flow.next_step(reply)
    reflection.step = int(step)
    if step is Step.DONE:
        await _complete(session, convo, outcome, now=now)
    else:
        outcome.posts.append(prompts.build_question(step, convo.ctx, convo.topics))
    session.add(reflection)
    await session.flush()
    return outcome


async def _complete(session: AsyncSession, convo: Conversation, outcome: Outcome, *, now: datetime) -> None:
    reflection = convo.reflection
    reflection.step = int(Step.DONE)
    first_time = reflection.completed_at is None
    reflection.completed_at = reflection.completed_at or now
    created = await action_store.actions_of_reflection(session, team_id=reflection.team_id, reflection_id=reflection.id) if reflection.id else []
    outcome.posts.append(prompts.build_completed(held=reflection.took_place in (None, "yes"), created=created))
    if not first_time:
        return
    partner_id = convo.ctx.partner_id
    theirs = await store.get_reflection(session, team_id=reflection.team_id, session_id=reflection.session_id, author_id=partner_id)
    if theirs is None or theirs.completed_at is None:
        return
    if reflection.shared:
        partner = await people.get_person(session, team_id=reflection.team_id, user_id=partner_id)
        when = format_when(convo.mentoring_session.starts_at, partner.tz if partner is not None else "UTC")
        outcome.partner_posts.append((partner_id, prompts.build_partner_shared(author_id=reflection.author_id, when=when)))
    if theirs.shared:
        outcome.posts.append(prompts.build_partner_shared(author_id=partner_id, when=convo.ctx.when))


async def _show_answered(client: AsyncWebClient, channel: str, ts: str, answered: dict[str, Any]) -> None:
    """Show a question as answered. The answer is saved whatever happens here: a message Slack will
    not edit any more keeps its buttons, and a click on them only says the question is answered."""
    try:
        await client.chat_update(channel=channel, ts=ts, **answered)
    except SLACK_FAILURES as error:
        logger.warning("could not show the answer on question message %s: %s", ts, error_code(error))


async def _send(services: Services, client: AsyncWebClient, user_id: str, outcome: Outcome) -> None:
    """Answered questions lose their buttons, then the replies go out; a posted question is
    remembered, so that it too loses its buttons once answered, however it is answered."""
    for channel, ts, answered in outcome.updates:
        await _show_answered(client, channel, ts, answered)
    asking: list[tuple[str, str, Step]] = []
    for post in outcome.posts:
        response = await client.chat_postMessage(channel=user_id, **post)
        step = prompts.asked_step(post)
        if step is not None and response.get("channel") and response.get("ts"):
            asking.append((response["channel"], response["ts"], step))
    for partner_id, post in outcome.partner_posts:
        await client.chat_postMessage(channel=partner_id, **post)
    if outcome.convo is not None:
        await _settle_question_messages(services, client, outcome.convo, asking)
    if outcome.changed_pair is not None:
        refresh_pair_homes(services, client, outcome.changed_pair)


async def _settle_question_messages(services: Services, client: AsyncWebClient, convo: Conversation, asking: list[tuple[str, str, Step]]) -> None:
    """Remember the questions just posted; posts that crossed an answer (a quick reply, or a click on
    another copy) lose their buttons at once."""
    reflection = convo.reflection
    if reflection.id is None:
        return
    async with services.sessions.begin() as session:
        recorded, stale = await store.settle_open_messages(
            session, team_id=reflection.team_id, reflection_id=reflection.id, step=reflection.step, places=[(channel, ts) for channel, ts, _ in asking]
        )
    late = [(step, channel, ts) for channel, ts, step in asking] if not recorded else []
    for step, channel, ts in [*late, *stale]:
        answered = prompts.build_answered(flow.current_step(step), convo.ctx, convo.topics, prompts.ANSWERED_MEANWHILE)
        await _show_answered(client, channel, ts, answered)


def _button_reply(step: Step, value: str, topics: list[flow.TopicChoice]) -> Answer | Skipped | None:
    if value == "skip":
        return Skipped(step)
    if step is Step.TOOK_PLACE:
        return Answer(step, value) if value in flow.TOOK_PLACE_VALUES else None
    if step is Step.LED:
        return Answer(step, value) if value in flow.LED_VALUES else None
    if step is Step.SAFETY:
        return Answer(step, int(value)) if value.isdigit() and 1 <= int(value) <= 5 else None
    if step is Step.TOPIC:
        if value == flow.OTHER_TOPIC:
            return Answer(step, value)
        index = int(value) - 1 if value.isdigit() else -1
        return Answer(step, topics[index].key) if 0 <= index < len(topics) else None
    if step is Step.LEARNING:
        return Answer(step, flow.Learning("", False)) if value == "no" else None
    if step is Step.ACTIONS:
        return Answer(step, []) if value == "none" else None
    if step is Step.SHARE:
        return Answer(step, value == "yes")
    return None


def _split_value(value: str) -> tuple[int, str] | None:
    session_id, _, answer = (value or "").partition(":")
    return (int(session_id), answer) if session_id.isdigit() and answer else None


# --- listeners --------------------------------------------------------------------------------


async def handle_reflection_button(ack: AsyncAck, body: dict, action: dict, client: AsyncWebClient, context: dict, respond: AsyncRespond) -> None:
    await ack()
    services: Services = context["services"]
    user_id = body["user"]["id"]
    team_id = context["team_id"]
    action_id = action["action_id"]
    match = ANSWER_BUTTON.match(action_id)
    step = Step(int(match.group(1))) if match else Step.TOOK_PLACE
    parsed = _split_value(action.get("value", ""))
    if parsed is None:
        return
    session_id, value = parsed
    now = services.clock.now()
    async with services.sessions.begin() as session:
        convo = await conversation_for(session, client, team_id=team_id, session_id=session_id, user_id=user_id, now=now)
        if convo is None:
            await respond(replace_original=False, response_type="ephemeral", **prompts.build_not_yours())
            return
        already = convo.reflection.completed_at is not None or flow.current_step(convo.reflection.step) is not step
        if already or not await store.claim_step(session, reflection=convo.reflection, step=int(step)):
            await respond(replace_original=False, response_type="ephemeral", **prompts.build_already_answered())
            return
        reply = _button_reply(step, value, convo.topics)
        if reply is None:
            return
        outcome = await apply_reply(session, convo, reply, now=now)
    container = body.get("container") or {}
    clicked = (container.get("channel_id"), container.get("message_ts"))
    if all(clicked) and clicked not in {(channel, ts) for channel, ts, _ in outcome.updates}:
        answered = prompts.build_answered(step, convo.ctx, convo.topics, prompts.reply_label(reply, convo.topics))
        outcome.updates.append((str(clicked[0]), str(clicked[1]), answered))
    await _send(services, client, user_id, outcome)


async def answer_in_dm(event: dict, client: AsyncWebClient, context: dict) -> bool:
    """A DM is an answer when a reflection is waiting on this person; False when none is."""
    services: Services = context["services"]
    user_id = event.get("user")
    team_id = context.get("team_id") or event.get("team")
    if not user_id or not team_id:
        return False
    now = services.clock.now()
    async with services.sessions.begin() as session:
        reflection = await store.pending_reflection(session, team_id=team_id, author_id=user_id, since=now - WINDOW)
        if reflection is not None:
            session_id = reflection.session_id
        else:
            prompted = await store.prompted_session_without_reflection(session, team_id=team_id, user_id=user_id, now=now, window=WINDOW)
            if prompted is None:
                return False
            session_id = prompted[0].id
        convo = await conversation_for(session, client, team_id=team_id, session_id=session_id, user_id=user_id, now=now)
        if convo is None:
            return False
        step = flow.current_step(convo.reflection.step)
        reply = flow.understand(step, event.get("text") or "", topics=convo.topics, now=now, tz=convo.tz)
        if isinstance(reply, NotUnderstood):
            outcome = Outcome(posts=[prompts.build_reask(step, convo.ctx, convo.topics, reply.reason)], convo=convo)
        else:
            outcome = await apply_reply(session, convo, reply, now=now)
    await _send(services, client, user_id, outcome)
    return True


async def handle_reflect_command(ack: AsyncAck, command: dict, client: AsyncWebClient, context: dict, respond: AsyncRespond) -> None:
    await ack()
    services: Services = context["services"]
    user_id = command["user_id"]
    team_id = command["team_id"]
    now = services.clock.now()
    async with services.sessions.begin() as session:
        pair = await current_pair(session, team_id=team_id, user_id=user_id)
        if pair is None:
            await respond(response_type="ephemeral", **prompts.build_no_pair())
            return
        mentoring_session = await store.last_ended_session(session, team_id=team_id, pair_id=pair.id, now=now)
        if mentoring_session is None:
            await respond(response_type="ephemeral", **prompts.build_no_ended_session())
            return
        convo = await _conversation(session, client, team_id=team_id, mentoring_session=mentoring_session, user_id=user_id, now=now)
        assert convo is not None
        if convo.reflection.completed_at is not None:
            await respond(response_type="ephemeral", **prompts.build_already_reflected(when=convo.ctx.when, session_id=mentoring_session.id))
            return
        # An unfinished reflection carries on at its question; answers so far stay.
        step = flow.current_step(convo.reflection.step)
        outcome = Outcome(posts=[prompts.build_question(step, convo.ctx, convo.topics)], convo=convo)
    await _send(services, client, user_id, outcome)
    await respond(response_type="ephemeral", **prompts.build_started(convo.ctx.when))


async def handle_open_form(ack: AsyncAck, body: dict, action: dict, client: AsyncWebClient, context: dict) -> None:
    await ack()
    services: Services = context["services"]
    user_id = body["user"]["id"]
    value = action.get("value", "")
    if not value.isdigit():
        return
    now = services.clock.now()
    async with services.sessions.begin() as session:
        convo = await conversation_for(session, client, team_id=context["team_id"], session_id=int(value), user_id=user_id, now=now, create=False)
        if convo is None:
            await client.chat_postMessage(channel=user_id, **prompts.build_not_yours())
            return
        view = prompts.build_form_modal(convo.ctx, convo.topics, convo.reflection)
    await client.views_open(trigger_id=body["trigger_id"], view=view)


def _selected(values: dict, block: str) -> str | None:
    element = (values.get(block) or {}).get(prompts.FORM_ACTION) or {}
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
        answers.errors["took_place"] = prompts.FORM_ERRORS["took_place"]
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
        answers.errors["due"] = prompts.FORM_ERRORS["due_past"]
    reply = flow.understand(Step.ACTIONS, _selected(values, "actions") or "", now=now, tz=tz) if (_selected(values, "actions") or "").strip() else None
    if isinstance(reply, NotUnderstood):
        answers.errors["actions"] = prompts.FORM_ERRORS["actions_past"]
    elif isinstance(reply, Answer):
        answers.actions = [flow.ActionLine(line.text, line.due_on or default_due) for line in reply.value]  # type: ignore[union-attr]
    return answers


async def handle_form_submission(ack: AsyncAck, body: dict, view: dict, client: AsyncWebClient, context: dict) -> None:
    services: Services = context["services"]
    user_id = body["user"]["id"]
    team_id = context["team_id"]
    now = services.clock.now()
    metadata = view.get("private_metadata", "")
    if not metadata.isdigit():
        await ack()
        return
    async with services.sessions.begin() as session:
        convo = await conversation_for(session, client, team_id=team_id, session_id=int(metadata), user_id=user_id, now=now, create=False)
    if convo is None:
        await ack()
        return
    answers = read_form(view["state"]["values"], now=now, tz=convo.tz)
    if answers.errors:
        await ack(response_action="errors", errors=answers.errors)
        return
    await ack()
    try:
        async with services.sessions.begin() as session:
            if not await events.first_submission(session, team_id=team_id, view_id=view.get("id", ""), now=now):
                return  # Submit pressed again: the reflection is saved already
            convo = await conversation_for(session, client, team_id=team_id, session_id=int(metadata), user_id=user_id, now=now)
            assert convo is not None
            outcome = await save_form(session, convo, answers, now=now)
    except Exception:
        logger.exception("saving a reflection form failed")
        await client.chat_postMessage(channel=user_id, **prompts.build_something_went_wrong())
        return
    await _send(services, client, user_id, outcome)


async def save_form(session: AsyncSession, convo: Conversation, answers: flow.FormAnswers, *, now: datetime) -> Outcome:
    reflection = convo.reflection
    outcome = Outcome(changed_pair=convo.pair)  # the form always says whether the session took place
    if reflection.completed_at is None:
        outcome.updates = await _answered_questions(session, convo, answered=None, label=prompts.ANSWERED_IN_FORM)
    was_low = flow.is_low_safety(reflection.safety)
    assert answers.took_place is not None
    reflection.took_place = answers.took_place
    await store.record_took_place(session, team_id=reflection.team_id, mentoring_session=convo.mentoring_session, answer=answers.took_place, now=now)
    if answers.took_place == "yes":
        reflection.led_by = flow.led_by(answers.led, convo.role) if answers.led else reflection.led_by
        reflection.safety = answers.safety if answers.safety is not None else reflection.safety
        if answers.topic_key:
            reflection.topic_key = answers.topic_key
            if answers.topic_key != flow.OTHER_TOPIC:
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
            outcome.posts.append(prompts.build_low_safety_tips())
    session.add(reflection)
    await session.flush()
    await _complete(session, convo, outcome, now=now)
    return outcome


async def handle_reflections_command(ack: AsyncAck, respond: AsyncRespond, command: dict, client: AsyncWebClient, context: dict) -> None:
    """Read back: your own reflections, and what your partner shared once you have reflected too.

    Acknowledged first: who may see what can mean asking Slack (users.info)."""
    await ack()
    services: Services = context["services"]
    user_id = command["user_id"]
    team_id = command["team_id"]
    now = services.clock.now()
    async with services.sessions.begin() as session:
        pair = await current_pair(session, team_id=team_id, user_id=user_id)
        if pair is None:
            admin = await is_programme_admin(session, client, team_id=team_id, user_id=user_id)
            await respond(response_type="ephemeral", **prompts.build_reflections_list([], viewer_role=Role.MENTOR, topic_titles={}, admin=admin))
            return
        person = await known_person(session, client, team_id=team_id, user_id=user_id, now=now)
        entries = await visible_reflections(session, team_id=team_id, pair=pair, viewer_id=user_id, tz=person.tz)
        roadmap = await roadmap_items(session, team_id=team_id, pair_id=pair.id)
    titles = {item.topic_key: item.title for item in roadmap}
    await respond(response_type="ephemeral", **prompts.build_reflections_list(entries, viewer_role=role_in(pair, user_id), topic_titles=titles))


async def visible_reflections(session: AsyncSession, *, team_id: str, pair: Pair, viewer_id: str, tz: str) -> list[prompts.ReflectionEntry]:
    """The one place that decides what of a pair's reflections a viewer may read."""
    partner_id = partner_of(pair, viewer_id)
    by_session: dict[int, tuple[MentoringSession, dict[str, Reflection]]] = {}
    for reflection, mentoring_session in await store.reflections_of_pair(session, team_id=team_id, pair_id=pair.id):
        by_session.setdefault(mentoring_session.id, (mentoring_session, {}))[1][reflection.author_id] = reflection
    entries = []
    for mentoring_session, reflections in by_session.values():
        own = reflections.get(viewer_id)
        theirs = reflections.get(partner_id)
        viewer_has_reflected = own is not None and own.completed_at is not None
        shown = None
        if theirs is not None and theirs.completed_at is not None:
            seen = flow.visibility(author_id=partner_id, viewer_id=viewer_id, shared=theirs.shared, viewer_has_reflected=viewer_has_reflected)
            shown = theirs if seen is not None and seen.content else None
        entries.append(
            prompts.ReflectionEntry(
                when=format_when(mentoring_session.starts_at, tz),
                own=own,
                partner=shown,
                partner_reflected=theirs is not None and theirs.completed_at is not None,
                partner_id=partner_id,
            )
        )
    return entries


def register(app: AsyncApp) -> None:
    app.command("/mentor", matchers=[subcommand("reflections")])(handle_reflections_command)
    app.command("/mentor", matchers=[subcommand("reflect")])(handle_reflect_command)
    app.action(TOOK_PLACE_BUTTON)(handle_reflection_button)
    app.action(ANSWER_BUTTON)(handle_reflection_button)
    app.action(prompts.REFLECTION_OPEN_FORM_ACTION)(handle_open_form)
    app.view(prompts.REFLECTION_FORM_CALLBACK)(handle_form_submission)
