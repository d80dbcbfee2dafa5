"""The reflection after each session, one question at a time in the DM: started by `/mentor reflect`
or the post-session prompt, answered by a click or a typed reply. Each use case reads, decides with
the rules in bot/rules/reflection_flow.py and writes in one transaction; what to send comes back as an
`Outcome`, sent by `deliver` once that transaction has committed.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.directory import known_person
from bot.flows.action_reminders import create_actions
from bot.flows.programme_scope import pair_in_scope
from bot.rules import reflection_flow as flow
from bot.rules.nudges import FOLLOW_UP_KIND, follow_up_key, session_key_prefix
from bot.services import Services
from bot.slack_errors import SLACK_FAILURES, error_code
from bot.views import action_view, roadmap_view
from domain.nudges import Kind
from domain.reflection import OTHER_TOPIC, Answer, Learning, NotUnderstood, Skipped, Step, TopicChoice
from domain.roles import Role
from prompts import reflection_conversation as prompts
from prompts.timefmt import format_when
from store import actions as action_store
from store import outbox, people
from store import reflections as store
from store.models import MentoringSession, Pair, Reflection
from store.pairs import get_pair, partner_of, role_in
from store.roadmap import roadmap_items
from store.sessions import get_session

logger = logging.getLogger(__name__)

WINDOW = timedelta(days=7)  # how long after a session its reflection is still waiting on answers


class Refusal(StrEnum):
    """Why nothing was asked or saved; the handler says so in words from prompts/reflection_conversation.py."""

    NOT_YOURS = "not_yours"
    ALREADY_ANSWERED = "already_answered"
    NO_PAIR = "no_pair"
    NO_ENDED_SESSION = "no_ended_session"
    ALREADY_REFLECTED = "already_reflected"


@dataclass
class Conversation:
    """Everything needed to ask or apply one question, read inside one transaction."""

    mentoring_session: MentoringSession
    pair: Pair
    reflection: Reflection
    role: Role
    tz: str
    ctx: prompts.SessionContext
    topics: list[TopicChoice]


@dataclass
class Outcome:
    """What to send once the transaction has committed."""

    posts: list[dict[str, Any]] = field(default_factory=list)  # messages to the author, in order
    partner_posts: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    updates: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)  # (channel, ts, message): answered questions
    convo: Conversation | None = None  # whose question the posts may ask
    changed_pair: Pair | None = None  # set when an answer changed what Home shows (held, topic covered, actions)
    refusal: Refusal | None = None


async def answered_questions(
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
    topics = prompts.topic_choices(roadmap_view(roadmap), mentoring_session.topic_key)
    return Conversation(mentoring_session, pair, reflection, role, person.tz, ctx, topics)


async def conversation_for(
    session: AsyncSession, client: AsyncWebClient, *, team_id: str, session_id: int, user_id: str, now: datetime, create: bool = True
) -> Conversation | None:
    """The person's conversation about this session; None when it is not one of their pair's."""
    mentoring_session = await get_session(session, team_id=team_id, session_id=session_id)
    if mentoring_session is None:
        return None
    return await _conversation(session, client, team_id=team_id, mentoring_session=mentoring_session, user_id=user_id, now=now, create=create)


async def apply_reply(session: AsyncSession, convo: Conversation, reply: Answer | Skipped, *, now: datetime) -> Outcome:
    """Store one answer (or a skip), move the conversation on, and say what to send next."""
    reflection = convo.reflection
    outcome = Outcome(convo=convo)
    outcome.updates = await answered_questions(session, convo, answered=reply.step, label=prompts.reply_label(reply, convo.topics))
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
            if value != OTHER_TOPIC:
                await store.mark_covered(
                    session, team_id=reflection.team_id, pair_id=reflection.pair_id, topic_key=str(value), session_id=reflection.session_id, now=now
                )
                outcome.changed_pair = convo.pair
        elif reply.step is Step.LEARNING:
            assert isinstance(value, Learning)
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
        await complete(session, convo, outcome, now=now)
    else:
        outcome.posts.append(prompts.build_question(step, convo.ctx, convo.topics))
    await store.save_reflection(session, reflection=reflection)
    return outcome


async def complete(session: AsyncSession, convo: Conversation, outcome: Outcome, *, now: datetime) -> None:
    """The reflection is done: thank the author, and tell each side of what the other shared once both have reflected."""
    reflection = convo.reflection
    reflection.step = int(Step.DONE)
    first_time = reflection.completed_at is None
    reflection.completed_at = reflection.completed_at or now
    created = await action_store.actions_of_reflection(session, team_id=reflection.team_id, reflection_id=reflection.id) if reflection.id else []
    outcome.posts.append(prompts.build_completed(held=reflection.took_place in (None, "yes"), created=[action_view(action) for action in created]))
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


def button_reply(step: Step, value: str, topics: list[TopicChoice]) -> Answer | Skipped | None:
    """A button's value as the answer it stands for; None for a value no button of this question has."""
    if value == "skip":
        return Skipped(step)
    if step is Step.TOOK_PLACE:
        return Answer(step, value) if value in flow.TOOK_PLACE_VALUES else None
    if step is Step.LED:
        return Answer(step, value) if value in flow.LED_VALUES else None
    if step is Step.SAFETY:
        return Answer(step, int(value)) if value.isdigit() and 1 <= int(value) <= 5 else None
    if step is Step.TOPIC:
        if value == OTHER_TOPIC:
            return Answer(step, value)
        index = int(value) - 1 if value.isdigit() else -1
        return Answer(step, topics[index].key) if 0 <= index < len(topics) else None
    if step is Step.LEARNING:
        return Answer(step, Learning("", False)) if value == "no" else None
    if step is Step.ACTIONS:
        return Answer(step, []) if value == "none" else None
    if step is Step.SHARE:
        return Answer(step, value == "yes")
    return None


# --- use cases --------------------------------------------------------------------------------


async def click(
    services: Services,
    client: AsyncWebClient,
    *,
    team_id: str,
    user_id: str,
    session_id: int,
    step: Step,
    value: str,
    clicked: tuple[str, str] | None,
    now: datetime,
) -> Outcome:
    """A button on a question: the answer, once, and only to the question the conversation waits on.
    The clicked message (`clicked`: channel, ts) shows the answer too, whichever copy it was."""
    async with services.sessions.begin() as session:
        convo = await conversation_for(session, client, team_id=team_id, session_id=session_id, user_id=user_id, now=now)
        if convo is None:
            return Outcome(refusal=Refusal.NOT_YOURS)
        already = convo.reflection.completed_at is not None or flow.current_step(convo.reflection.step) is not step
        if already or not await store.claim_step(session, reflection=convo.reflection, step=int(step)):
            return Outcome(refusal=Refusal.ALREADY_ANSWERED)
        reply = button_reply(step, value, convo.topics)
        if reply is None:
            return Outcome()
        outcome = await apply_reply(session, convo, reply, now=now)
    if clicked is not None and clicked not in {(channel, ts) for channel, ts, _ in outcome.updates}:
        answered = prompts.build_answered(step, convo.ctx, convo.topics, prompts.reply_label(reply, convo.topics))
        outcome.updates.append((clicked[0], clicked[1], answered))
    return outcome


async def answer_typed(services: Services, client: AsyncWebClient, *, team_id: str, user_id: str, text: str, now: datetime) -> Outcome | None:
    """A DM as the answer to the question waiting on this person (asked again when not understood);
    None when no reflection waits on them."""
    async with services.sessions.begin() as session:
        reflection = await store.pending_reflection(session, team_id=team_id, author_id=user_id, since=now - WINDOW)
        if reflection is not None:
            session_id = reflection.session_id
        else:
            prompted = await store.prompted_session_without_reflection(session, team_id=team_id, user_id=user_id, now=now, window=WINDOW)
            if prompted is None:
                return None
            session_id = prompted[0].id
        convo = await conversation_for(session, client, team_id=team_id, session_id=session_id, user_id=user_id, now=now)
        if convo is None:
            return None
        step = flow.current_step(convo.reflection.step)
        reply = flow.understand(step, text, topics=convo.topics, now=now, tz=convo.tz)
        if isinstance(reply, NotUnderstood):
            return Outcome(posts=[prompts.build_reask(step, convo.ctx, convo.topics, reply.reason, reply.day_problem, reply.typed)], convo=convo)
        return await apply_reply(session, convo, reply, now=now)


async def start(services: Services, client: AsyncWebClient, *, team_id: str, user_id: str, now: datetime) -> Outcome:
    """`/mentor reflect`: the question the reflection on the last ended session waits on. An
    unfinished reflection carries on at its question; answers so far stay."""
    async with services.sessions.begin() as session:
        pair = await pair_in_scope(session, team_id=team_id, user_id=user_id)
        if pair is None:
            return Outcome(refusal=Refusal.NO_PAIR)
        mentoring_session = await store.last_ended_session(session, team_id=team_id, pair_id=pair.id, now=now)
        if mentoring_session is None:
            return Outcome(refusal=Refusal.NO_ENDED_SESSION)
        convo = await _conversation(session, client, team_id=team_id, mentoring_session=mentoring_session, user_id=user_id, now=now)
        assert convo is not None
        if convo.reflection.completed_at is not None:
            return Outcome(convo=convo, refusal=Refusal.ALREADY_REFLECTED)
        step = flow.current_step(convo.reflection.step)
        return Outcome(posts=[prompts.build_question(step, convo.ctx, convo.topics)], convo=convo)


# --- sending ----------------------------------------------------------------------------------


async def show_answered(client: AsyncWebClient, channel: str, ts: str, answered: dict[str, Any]) -> None:
    """Show a question as answered. The answer is saved whatever happens here: a message Slack will
    not edit any more keeps its buttons, and a click on them only says the question is answered."""
    try:
        await client.chat_update(channel=channel, ts=ts, **answered)
    except SLACK_FAILURES as error:
        logger.warning("could not show the answer on question message %s: %s", ts, error_code(error))


async def deliver(services: Services, client: AsyncWebClient, *, user_id: str, outcome: Outcome) -> None:
    """Answered questions lose their buttons, then the replies go out; a posted question is
    remembered, so that it too loses its buttons once answered, however it is answered."""
    for channel, ts, answered in outcome.updates:
        await show_answered(client, channel, ts, answered)
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
        await show_answered(client, channel, ts, answered)
