"""`/mentor topics`: choose and order four to eight topics, both agree, and see which are covered."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.commands import subcommand
from bot.rules.pair_access import Refusal, view_refusal
from bot.services import services_of
from domain.roles import Role
from domain.statuses import PairStatus
from handlers.home import republish_homes
from handlers.pair_support import (
    dm,
    editable_pair,
    number,
    open_pair_modal,
    replace_clicked_message,
    team_of,
    tell,
)
from prompts import content
from prompts import pairing as pairing_prompts
from prompts import topics as topic_prompts
from store import events, pairs, roadmap
from store.models import Pair


def _partner_role(role: Role) -> Role:
    return Role.MENTEE if role is Role.MENTOR else Role.MENTOR


async def handle_topics_command(ack: AsyncAck, respond: AsyncRespond, command: dict, context: dict) -> None:
    # Acknowledge first and answer through response_url: reading the store may be slow.
    await ack()
    services, user_id = services_of(context), command["user_id"]
    team_id = command.get("team_id") or context.get("team_id") or ""
    async with services.sessions.begin() as session:
        pair = await pairs.current_pair(session, team_id=team_id, user_id=user_id)
        refusal = view_refusal(pair, user_id)
        if refusal is None and pair is not None:
            role = pairs.role_in(pair, user_id)
            reply = topic_prompts.build_roadmap_message(
                pair_id=pair.id,
                items=await roadmap.roadmap_items(session, team_id=team_id, pair_id=pair.id),
                i_agreed=roadmap.roadmap_agreed_by(pair, role),
                partner_agreed=roadmap.roadmap_agreed_by(pair, _partner_role(role)),
                can_edit=pair.status != PairStatus.PAUSED,
            )
    if refusal is not None:
        reply = pairing_prompts.refusal(refusal)
    await respond(response_type="ephemeral", **reply)


async def handle_topics_choose(ack: AsyncAck, body: dict, action: dict, client: AsyncWebClient, context: dict) -> None:
    await ack()

    async def build(session: AsyncSession, pair: Pair, _user_id: str) -> dict[str, Any]:
        own = await roadmap.own_topics(session, team_id=pair.team_id, pair_id=pair.id)
        items = await roadmap.roadmap_items(session, team_id=pair.team_id, pair_id=pair.id)
        return topic_prompts.build_topics_modal(
            pair_id=pair.id,
            own_topics=[(roadmap.own_key(topic), topic.title) for topic in own],
            chosen_keys=[item.topic_key for item in items],
            minimum=roadmap.MIN_TOPICS,
            maximum=roadmap.MAX_TOPICS,
        )

    await open_pair_modal(body, action, client, context, build)


async def handle_topics_submission(ack: AsyncAck, body: dict, view: dict, client: AsyncWebClient, context: dict) -> None:
    services, user_id, team_id = services_of(context), body["user"]["id"], team_of(body, context)
    chosen_values, new_titles = topic_prompts.parse_topics_submission(view["state"]["values"])
    pair_id = number(view.get("private_metadata"))
    titles = content.topic_titles()
    error = None
    repeat = False
    async with services.sessions.begin() as session:
        pair, refusal = await editable_pair(session, team_id=team_id, user_id=user_id, pair_id=pair_id)
        if refusal is None and pair is not None:
            own = {roadmap.own_key(topic): topic.title for topic in await roadmap.own_topics(session, team_id=team_id, pair_id=pair.id)}
            chosen: list[tuple[str, str]] = []
            for value in chosen_values:
                title = titles.get(value) or own.get(value)
                if title and value not in dict(chosen):
                    chosen.append((value, title))
            fresh = [title for title in new_titles if title.casefold() not in {known.casefold() for _, known in chosen}]
            count = len(chosen) + len(fresh)
            if not roadmap.MIN_TOPICS <= count <= roadmap.MAX_TOPICS:
                # Counted before anything is written, so a wrong count leaves the store as it was.
                error = topic_prompts.wrong_count(count, roadmap.MIN_TOPICS, roadmap.MAX_TOPICS)
            elif not await events.first_submission(session, team_id=team_id, view_id=view.get("id", ""), now=services.clock.now()):
                repeat = True  # Submit pressed again: saved and told already
            else:
                for title in fresh:
                    topic = await roadmap.add_own_topic(session, team_id=team_id, pair_id=pair.id, title=title, created_by=user_id)
                    key = roadmap.own_key(topic)
                    if key not in dict(chosen):
                        chosen.append((key, topic.title))
                role = pairs.role_in(pair, user_id)
                items, changed, partner_had_agreed = await roadmap.set_roadmap(session, pair=pair, role=role, chosen=chosen, now=services.clock.now())
                partner_agreed = roadmap.roadmap_agreed_by(pair, _partner_role(role))
    if error is not None:
        await ack(response_action="errors", errors={topic_prompts.CHOOSE_BLOCK: error})
        return
    if refusal is not None or pair is None:
        notice = pairing_prompts.refusal(refusal or Refusal.NOT_IN_PAIR)
        await ack(response_action="update", view=pairing_prompts.build_notice_modal(topic_prompts.MODAL_TITLE, notice))
        return
    await ack()
    if repeat:
        return
    partner_id = pairs.partner_of(pair, user_id)
    if changed:
        await dm(
            client,
            partner_id,
            topic_prompts.build_roadmap_request(pair_id=pair.id, items=items, from_id=user_id, changed_after_agreeing=partner_had_agreed),
        )
    saved = topic_prompts.build_roadmap_saved(pair_id=pair.id, items=items, partner_id=partner_id, both_agreed=not changed and partner_agreed)
    await dm(client, user_id, saved)
    republish_homes(services, client, team_id=team_id, user_ids=[user_id, partner_id])


async def handle_topics_move(ack: AsyncAck, body: dict, action: dict, respond: AsyncRespond, client: AsyncWebClient, context: dict) -> None:
    await ack()
    services, user_id, team_id = services_of(context), body["user"]["id"], team_of(body, context)
    parsed = topic_prompts.parse_move_value((action.get("selected_option") or {}).get("value") or "")
    direction, item_id, shown_at = parsed if parsed is not None else ("", None, None)
    moved = False
    async with services.sessions.begin() as session:
        item = await roadmap.get_item(session, team_id=team_id, item_id=item_id) if item_id is not None else None
        pair, refusal = await editable_pair(session, team_id=team_id, user_id=user_id, pair_id=item.pair_id if item is not None else None)
        if refusal is None and pair is not None and item is not None:
            role = pairs.role_in(pair, user_id)
            moved, partner_had_agreed = await roadmap.move_item(
                session, pair=pair, role=role, item_id=item.id, steps=-1 if direction == "up" else 1, now=services.clock.now(), shown_at=shown_at
            )
            items = await roadmap.roadmap_items(session, team_id=team_id, pair_id=pair.id)
            updated = topic_prompts.build_roadmap_message(
                pair_id=pair.id,
                items=items,
                i_agreed=roadmap.roadmap_agreed_by(pair, role),
                partner_agreed=roadmap.roadmap_agreed_by(pair, _partner_role(role)),
                can_edit=True,
            )
    if refusal is not None or pair is None:
        await tell(client, body, pairing_prompts.refusal(refusal or Refusal.NOT_IN_PAIR))
        return
    if not moved:
        return
    await replace_clicked_message(client, body, respond, updated)
    partner_id = pairs.partner_of(pair, user_id)
    if partner_had_agreed:
        await dm(client, partner_id, topic_prompts.build_roadmap_request(pair_id=pair.id, items=items, from_id=user_id, changed_after_agreeing=True))
    republish_homes(services, client, team_id=team_id, user_ids=[user_id, partner_id])


async def handle_topics_agree(ack: AsyncAck, body: dict, action: dict, respond: AsyncRespond, client: AsyncWebClient, context: dict) -> None:
    await ack()
    services, user_id, team_id = services_of(context), body["user"]["id"], team_of(body, context)
    pair_text, _, order = str(action.get("value") or "").partition(":")
    pair_id = number(pair_text)
    outcome = ""
    async with services.sessions.begin() as session:
        pair, refusal = await editable_pair(session, team_id=team_id, user_id=user_id, pair_id=pair_id)
        if refusal is None and pair is not None:
            role = pairs.role_in(pair, user_id)
            items = await roadmap.roadmap_items(session, team_id=team_id, pair_id=pair.id)
            if not items:
                outcome = "empty"
            elif topic_prompts.agreement_value(pair.id, items) != action.get("value"):
                outcome = "stale"
            elif await roadmap.agree_roadmap(session, pair=pair, role=role, now=services.clock.now()):
                outcome = "agreed"
                both = roadmap.roadmap_agreed_by(pair, _partner_role(role))
            else:
                outcome = "already"  # a double-click: agreed and told already
    if refusal is not None or pair is None:
        await tell(client, body, pairing_prompts.refusal(refusal or Refusal.NOT_IN_PAIR))
        return
    if outcome == "empty":
        await tell(client, body, topic_prompts.build_nothing_to_agree())
        return
    if outcome == "stale":
        await replace_clicked_message(client, body, respond, topic_prompts.build_roadmap_changed_since(pair_id=pair.id, items=items))
        return
    await replace_clicked_message(client, body, respond, topic_prompts.build_roadmap_agreed(items=items))
    if outcome == "already":
        return
    partner_id = pairs.partner_of(pair, user_id)
    if both:
        await dm(client, partner_id, topic_prompts.build_partner_agreed_roadmap(partner_id=user_id))
    republish_homes(services, client, team_id=team_id, user_ids=[user_id, partner_id])


def register(app: AsyncApp) -> None:
    app.command("/mentor", matchers=[subcommand("topics")])(handle_topics_command)
    app.action(topic_prompts.TOPICS_CHOOSE_ACTION)(handle_topics_choose)
    app.action(topic_prompts.TOPICS_MOVE_ACTION)(handle_topics_move)
    app.action(topic_prompts.TOPICS_AGREE_ACTION)(handle_topics_agree)
    app.view(topic_prompts.TOPICS_CALLBACK)(handle_topics_submission)
