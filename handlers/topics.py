"""`/mentor topics`: choose and order four to eight topics, both agree, and see which are covered.
Thin: parse, call a flow (bot.flows.topics), render with prompts/topics.py, send."""

from __future__ import annotations

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.commands import subcommand, team_of
from bot.flows import topics as flow
from bot.flows.topics import Agreement, RoadmapLook
from bot.rules.pair_access import Refusal
from bot.services import services_of
from handlers.home import republish_homes
from handlers.pair_support import dm, number, replace_clicked_message, tell
from prompts import pairing as pairing_prompts
from prompts import topics as topic_prompts


def _roadmap_message(look: RoadmapLook) -> dict:
    return topic_prompts.build_roadmap_message(
        pair_id=look.pair_id, items=look.items, i_agreed=look.i_agreed, partner_agreed=look.partner_agreed, can_edit=look.can_edit
    )


async def handle_topics_command(ack: AsyncAck, respond: AsyncRespond, command: dict, context: dict) -> None:
    # Acknowledge first and answer through response_url: reading the store may be slow.
    await ack()
    look = await flow.look_at_roadmap(services_of(context), team_id=team_of(command, context), user_id=command["user_id"])
    reply = pairing_prompts.refusal(look.refusal) if look.refusal is not None else _roadmap_message(look)
    await respond(response_type="ephemeral", **reply)


async def handle_topics_choose(ack: AsyncAck, body: dict, action: dict, client: AsyncWebClient, context: dict) -> None:
    await ack()
    form = await flow.topics_form(services_of(context), team_id=team_of(body, context), user_id=body["user"]["id"], pair_id=number(action.get("value")))
    if isinstance(form, Refusal):
        await tell(client, body, pairing_prompts.refusal(form))
        return
    modal = topic_prompts.build_topics_modal(
        pair_id=form.pair_id, own_topics=form.own_topics, chosen_keys=form.chosen_keys, minimum=form.minimum, maximum=form.maximum,
        offered_keys=form.offered_keys,
    )
    await client.views_open(trigger_id=body["trigger_id"], view=modal)


async def handle_topics_submission(ack: AsyncAck, body: dict, view: dict, client: AsyncWebClient, context: dict) -> None:
    services, user_id, team_id = services_of(context), body["user"]["id"], team_of(body, context)
    chosen_values, new_titles = topic_prompts.parse_topics_submission(view["state"]["values"])
    saved = await flow.save_roadmap(
        services, team_id=team_id, user_id=user_id, pair_id=number(view.get("private_metadata")), view_id=view.get("id", ""),
        chosen_values=chosen_values, new_titles=new_titles,
    )
    if saved.refusal is not None:
        notice = pairing_prompts.refusal(saved.refusal)
        await ack(response_action="update", view=pairing_prompts.build_notice_modal(topic_prompts.MODAL_TITLE, notice))
        return
    if saved.wrong_count is not None:
        await ack(response_action="errors", errors={topic_prompts.CHOOSE_BLOCK: topic_prompts.wrong_count(saved.wrong_count, flow.MIN_TOPICS, flow.MAX_TOPICS)})
        return
    await ack()
    if saved.repeat:  # Submit pressed again: saved and told already
        return
    look = saved.look
    if saved.changed:
        request = topic_prompts.build_roadmap_request(pair_id=look.pair_id, items=look.items, from_id=user_id, changed_after_agreeing=saved.partner_had_agreed)
        await dm(client, look.partner_id, request)
    both_agreed = not saved.changed and look.partner_agreed
    await dm(client, user_id, topic_prompts.build_roadmap_saved(pair_id=look.pair_id, items=look.items, partner_id=look.partner_id, both_agreed=both_agreed))
    republish_homes(services, client, team_id=team_id, user_ids=[user_id, look.partner_id])


async def handle_topics_move(ack: AsyncAck, body: dict, action: dict, respond: AsyncRespond, client: AsyncWebClient, context: dict) -> None:
    await ack()
    services, user_id, team_id = services_of(context), body["user"]["id"], team_of(body, context)
    parsed = topic_prompts.parse_move_value((action.get("selected_option") or {}).get("value") or "")
    direction, item_id, shown_at = parsed if parsed is not None else ("", None, None)
    outcome = await flow.move_topic(services, team_id=team_id, user_id=user_id, item_id=item_id, up=direction == "up", shown_at=shown_at)
    if outcome.refusal is not None:
        await tell(client, body, pairing_prompts.refusal(outcome.refusal))
        return
    if not outcome.moved:
        return
    look = outcome.look
    await replace_clicked_message(client, body, respond, _roadmap_message(look))
    if outcome.partner_had_agreed:
        request = topic_prompts.build_roadmap_request(pair_id=look.pair_id, items=look.items, from_id=user_id, changed_after_agreeing=True)
        await dm(client, look.partner_id, request)
    republish_homes(services, client, team_id=team_id, user_ids=[user_id, look.partner_id])


async def handle_topics_agree(ack: AsyncAck, body: dict, action: dict, respond: AsyncRespond, client: AsyncWebClient, context: dict) -> None:
    await ack()
    services, user_id, team_id = services_of(context), body["user"]["id"], team_of(body, context)
    value = str(action.get("value") or "")
    outcome = await flow.agree_to_roadmap(services, team_id=team_id, user_id=user_id, pair_id=number(value.partition(":")[0]), value=value)
    look = outcome.look
    if outcome.refusal is not None:
        await tell(client, body, pairing_prompts.refusal(outcome.refusal))
        return
    if outcome.agreement is Agreement.EMPTY:
        await tell(client, body, topic_prompts.build_nothing_to_agree())
        return
    if outcome.agreement is Agreement.STALE:
        await replace_clicked_message(client, body, respond, topic_prompts.build_roadmap_changed_since(pair_id=look.pair_id, items=look.items))
        return
    await replace_clicked_message(client, body, respond, topic_prompts.build_roadmap_agreed(items=look.items))
    if outcome.agreement is Agreement.ALREADY:
        return
    if look.partner_agreed:
        await dm(client, look.partner_id, topic_prompts.build_partner_agreed_roadmap(partner_id=user_id))
    republish_homes(services, client, team_id=team_id, user_ids=[user_id, look.partner_id])


def register(app: AsyncApp) -> None:
    app.command("/mentor", matchers=[subcommand("topics")])(handle_topics_command)
    app.action(topic_prompts.TOPICS_CHOOSE_ACTION)(handle_topics_choose)
    app.action(topic_prompts.TOPICS_MOVE_ACTION)(handle_topics_move)
    app.action(topic_prompts.TOPICS_AGREE_ACTION)(handle_topics_agree)
    app.view(topic_prompts.TOPICS_CALLBACK)(handle_topics_submission)
