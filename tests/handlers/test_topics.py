"""The topic roadmap through signed requests: choose and order 4 to 8, both agree, reset on change."""

from __future__ import annotations

from domain.statuses import PairStatus
from prompts import content
from prompts import topics as topic_prompts
from store import roadmap
from store.models import Pair, RoadmapItem
from tests.factories import TEAM
from tests.handlers.pairing_support import (
    buttons,
    click_in_ephemeral,
    initial_values,
    option,
    seed_pair,
    text_of,
)

CATALOGUE = [topic["key"] for topic in content.topic_catalogue()]


async def _open_modal(slack, workspace, user_id: str, pair_id: int) -> dict:
    opened = len(workspace.calls_to("views.open"))
    action = {"type": "button", "block_id": "b", "action_id": topic_prompts.TOPICS_CHOOSE_ACTION, "value": str(pair_id)}
    await slack.block_action(user_id, action, view={"id": "VHOME", "type": "home"})
    await workspace.wait_for_calls("views.open", opened + 1)
    return workspace.modal_stacks[user_id][-1]


def _choice(keys: list[str], own: str = "") -> dict:
    return {
        topic_prompts.CHOOSE_BLOCK: {topic_prompts.CHOOSE_ACTION: {"type": "multi_static_select", "selected_options": [option(key) for key in keys]}},
        topic_prompts.OWN_BLOCK: {topic_prompts.OWN_ACTION: {"type": "plain_text_input", "value": own or None}},
    }


async def _choose(slack, workspace, user_id: str, pair_id: int, keys: list[str], own: str = "", *, expect_posts: int = 2):
    view = await _open_modal(slack, workspace, user_id, pair_id)
    posts = len(workspace.calls_to("chat.postMessage"))
    publishes = len(workspace.calls_to("views.publish"))
    response = await slack.view_submission(user_id, view, {**initial_values(view), **_choice(keys, own)})
    if expect_posts:
        await workspace.wait_for_calls("chat.postMessage", posts + expect_posts)
        await workspace.wait_for_calls("views.publish", publishes + 2)  # the last thing a save does
    return response


async def _state(bot, pair_id: int) -> tuple[Pair, list[RoadmapItem]]:
    async with bot.services.sessions.begin() as session:
        from store import pairs

        pair = await pairs.get_pair(session, team_id=TEAM, pair_id=pair_id)
        return pair, await roadmap.roadmap_items(session, team_id=TEAM, pair_id=pair_id)


async def _click(slack, workspace, user_id: str, action_id: str) -> None:
    request = workspace.dm_messages(user_id)[-1]
    button = buttons(request.blocks)[action_id]
    publishes = len(workspace.calls_to("views.publish"))
    await slack.block_action(user_id, {"type": "button", "block_id": "b", **button}, message=request.as_slack())
    await workspace.wait_for_calls("views.publish", publishes + 2)  # the last thing agreeing does


def test_the_catalogue_has_at_least_eighteen_topics_each_with_starters():
    assert len(CATALOGUE) >= 18
    assert all(2 <= len(topic["starters"]) <= 3 for topic in content.topic_catalogue())


async def test_topics_command_without_a_pair_is_refused(slack):
    body = await slack.command_reply("U0OTHER", "topics")
    assert body["response_type"] == "ephemeral"
    assert "not in a pair yet" in body["text"]


async def test_the_form_offers_the_catalogue_and_the_pairs_own_topics(slack, workspace, bot, clock):
    pair = await seed_pair(bot, clock)
    async with bot.services.sessions.begin() as session:
        await roadmap.add_own_topic(session, team_id=TEAM, pair_id=pair.id, title="Neurodiversity at work", created_by="U0MENTOR")
    view = await _open_modal(slack, workspace, "U0MENTOR", pair.id)
    select = next(block for block in view["blocks"] if block.get("block_id") == topic_prompts.CHOOSE_BLOCK)["element"]
    catalogue_group, own_group = select["option_groups"]
    assert [o["value"] for o in catalogue_group["options"]] == CATALOGUE
    assert [o["text"]["text"] for o in own_group["options"]] == ["Neurodiversity at work"]


async def test_a_programme_started_from_a_template_offers_only_its_topics(slack, workspace, bot, clock):
    offered = ["lived-experience", "hybrid-working", "ai-tools-at-work", "inclusive-meetings"]
    pair = await seed_pair(bot, clock, programme_fields={"topic_keys": ",".join(offered), "template_name": "Reverse mentoring pilot"})
    view = await _open_modal(slack, workspace, "U0MENTOR", pair.id)
    select = next(block for block in view["blocks"] if block.get("block_id") == topic_prompts.CHOOSE_BLOCK)["element"]
    (catalogue_group,) = select["option_groups"]
    assert [o["value"] for o in catalogue_group["options"]] == [key for key in CATALOGUE if key in offered]


async def test_choosing_topics_keeps_their_order_adds_own_topics_and_asks_the_partner(slack, workspace, bot, clock):
    pair = await seed_pair(bot, clock)
    chosen = [CATALOGUE[3], CATALOGUE[0], CATALOGUE[7], CATALOGUE[1]]
    await _choose(slack, workspace, "U0MENTOR", pair.id, chosen, own="Neurodiversity at work")
    pair, items = await _state(bot, pair.id)
    assert [item.topic_key for item in items][:4] == chosen
    assert items[4].title == "Neurodiversity at work"
    assert items[4].topic_key.startswith("own:")
    assert pair.roadmap_mentor_agreed_at == clock.now()
    assert pair.roadmap_mentee_agreed_at is None
    request = workspace.dm_messages("U0MENTEE")[-1]
    assert "has chosen topics for your roadmap" in request.text
    assert topic_prompts.TOPICS_AGREE_ACTION in buttons(request.blocks)


async def test_fewer_than_four_topics_are_sent_back(slack, workspace, bot, clock):
    pair = await seed_pair(bot, clock)
    body = (await _choose(slack, workspace, "U0MENTOR", pair.id, CATALOGUE[:3], expect_posts=0)).json()
    assert body["response_action"] == "errors"
    assert "at least 4" in body["errors"][topic_prompts.CHOOSE_BLOCK]
    assert (await _state(bot, pair.id))[1] == []


async def test_more_than_eight_topics_are_sent_back_and_no_own_topic_is_saved(slack, workspace, bot, clock):
    pair = await seed_pair(bot, clock)
    body = (await _choose(slack, workspace, "U0MENTOR", pair.id, CATALOGUE[:8], own="One more", expect_posts=0)).json()
    assert "at most 8" in body["errors"][topic_prompts.CHOOSE_BLOCK]
    async with bot.services.sessions.begin() as session:
        assert await roadmap.own_topics(session, team_id=TEAM, pair_id=pair.id) == []


async def test_the_roadmap_is_agreed_once_the_partner_agrees(slack, workspace, bot, clock):
    pair = await seed_pair(bot, clock)
    await _choose(slack, workspace, "U0MENTOR", pair.id, CATALOGUE[:4])
    await _click(slack, workspace, "U0MENTEE", topic_prompts.TOPICS_AGREE_ACTION)
    pair, _ = await _state(bot, pair.id)
    assert pair.roadmap_mentor_agreed_at is not None
    assert pair.roadmap_mentee_agreed_at is not None
    told = await workspace.wait_for_calls("chat.postMessage", 3)
    assert told[-1].args["channel"] == "U0MENTOR"
    assert "has agreed your topic roadmap" in told[-1].args["text"]


async def test_changing_an_agreed_roadmap_asks_the_partner_again(slack, workspace, bot, clock):
    pair = await seed_pair(bot, clock)
    await _choose(slack, workspace, "U0MENTOR", pair.id, CATALOGUE[:4])
    await _click(slack, workspace, "U0MENTEE", topic_prompts.TOPICS_AGREE_ACTION)
    await workspace.wait_for_calls("chat.postMessage", 3)
    await _choose(slack, workspace, "U0MENTEE", pair.id, CATALOGUE[:5])
    pair, items = await _state(bot, pair.id)
    assert len(items) == 5
    assert pair.roadmap_mentor_agreed_at is None
    assert pair.roadmap_mentee_agreed_at is not None
    assert "after you'd agreed it" in workspace.dm_messages("U0MENTOR")[-1].text


async def test_moving_a_topic_down_reorders_and_asks_an_agreed_partner_again(slack, workspace, bot, clock):
    pair = await seed_pair(bot, clock)
    await _choose(slack, workspace, "U0MENTOR", pair.id, CATALOGUE[:4])
    await _click(slack, workspace, "U0MENTEE", topic_prompts.TOPICS_AGREE_ACTION)
    await workspace.wait_for_calls("chat.postMessage", 3)
    listing = await slack.command_reply("U0MENTEE", "topics")
    first = next(block for block in listing["blocks"] if block.get("accessory", {}).get("action_id") == topic_prompts.TOPICS_MOVE_ACTION)
    down = next(o for o in first["accessory"]["options"] if o["value"].startswith("down:"))
    action = {"type": "overflow", "block_id": "b", "action_id": topic_prompts.TOPICS_MOVE_ACTION, "selected_option": down}
    publishes = len(workspace.calls_to("views.publish"))
    await click_in_ephemeral(slack, "U0MENTEE", action)
    await workspace.wait_for_calls("views.publish", publishes + 2)
    assert workspace.responses[-1]["replace_original"] is True
    pair, items = await _state(bot, pair.id)
    assert [item.topic_key for item in items] == [CATALOGUE[1], CATALOGUE[0], CATALOGUE[2], CATALOGUE[3]]
    assert pair.roadmap_mentor_agreed_at is None
    assert "after you'd agreed it" in workspace.dm_messages("U0MENTOR")[-1].text


async def test_agreeing_an_order_that_has_since_changed_agrees_nothing(slack, workspace, bot, clock):
    pair = await seed_pair(bot, clock)
    await _choose(slack, workspace, "U0MENTOR", pair.id, CATALOGUE[:4])
    old_request = workspace.dm_messages("U0MENTEE")[-1]
    await _choose(slack, workspace, "U0MENTOR", pair.id, list(reversed(CATALOGUE[:4])))
    agree = buttons(old_request.blocks)[topic_prompts.TOPICS_AGREE_ACTION]
    await slack.block_action("U0MENTEE", {"type": "button", "block_id": "b", **agree}, message=old_request.as_slack())
    updates = await workspace.wait_for_calls("chat.update")
    assert "has changed since" in updates[-1].args["text"]
    assert (await _state(bot, pair.id))[0].roadmap_mentee_agreed_at is None


async def test_someone_outside_the_pair_cannot_agree_its_roadmap(slack, workspace, bot, clock):
    pair = await seed_pair(bot, clock)
    await _choose(slack, workspace, "U0MENTOR", pair.id, CATALOGUE[:4])
    agree = buttons(workspace.dm_messages("U0MENTEE")[-1].blocks)[topic_prompts.TOPICS_AGREE_ACTION]
    await slack.block_action("U0OTHER", {"type": "button", "block_id": "b", **agree}, message={"ts": "1.1", "text": "x"})
    told = await workspace.wait_for_calls("chat.postEphemeral")
    assert "not part of" in told[0].args["text"]
    assert (await _state(bot, pair.id))[0].roadmap_mentee_agreed_at is None


async def test_the_roadmap_shows_which_topics_are_covered(slack, workspace, bot, clock):
    pair = await seed_pair(bot, clock)
    await _choose(slack, workspace, "U0MENTOR", pair.id, CATALOGUE[:4])
    async with bot.services.sessions.begin() as session:
        first = (await roadmap.roadmap_items(session, team_id=TEAM, pair_id=pair.id))[0]
        first.covered_at = clock.now()
        session.add(first)
    body = await slack.command_reply("U0MENTOR", "topics")
    lines = [line for line in text_of(body["blocks"]).splitlines() if line.startswith(("1.", "2."))]
    assert "covered" in lines[0]
    assert "covered" not in lines[1]


async def test_next_uncovered_topic_is_the_first_not_yet_covered_in_order(bot, clock):
    pair = await seed_pair(bot, clock)
    async with bot.services.sessions.begin() as session:
        pair_row = await session.get(Pair, pair.id)
        chosen = [(key, content.topic_titles()[key]) for key in CATALOGUE[:4]]
        await roadmap.set_roadmap(session, pair=pair_row, role=roadmap.Role.MENTOR, chosen=chosen, now=clock.now())
        assert (await roadmap.next_uncovered_topic(session, team_id=TEAM, pair_id=pair.id)).topic_key == CATALOGUE[0]
        items = await roadmap.roadmap_items(session, team_id=TEAM, pair_id=pair.id)
        items[0].covered_at = clock.now()
        session.add(items[0])
        await session.flush()
        assert (await roadmap.next_uncovered_topic(session, team_id=TEAM, pair_id=pair.id)).topic_key == CATALOGUE[1]
        assert await roadmap.next_uncovered_topic(session, team_id="T0ELSEWHERE", pair_id=pair.id) is None


async def test_a_paused_pair_sees_its_roadmap_without_buttons(slack, bot, clock):
    await seed_pair(bot, clock, status=PairStatus.PAUSED)
    body = await slack.command_reply("U0MENTOR", "topics")
    assert buttons(body["blocks"]) == {}
    assert "paused" in text_of(body["blocks"])


async def test_the_savers_copy_can_reorder_the_roadmap_in_place(slack, workspace, bot, clock):
    pair = await seed_pair(bot, clock)
    await _choose(slack, workspace, "U0MENTOR", pair.id, CATALOGUE[:4])
    saved = workspace.dm_messages("U0MENTOR")[-1]
    menus = [block["accessory"] for block in saved.blocks if block.get("accessory", {}).get("action_id") == topic_prompts.TOPICS_MOVE_ACTION]
    up = next(o for o in menus[-1]["options"] if o["value"].startswith("up:"))
    action = {"type": "overflow", "block_id": "b", "action_id": topic_prompts.TOPICS_MOVE_ACTION, "selected_option": up}
    publishes = len(workspace.calls_to("views.publish"))
    await slack.block_action("U0MENTOR", action, message=saved.as_slack())
    await workspace.wait_for_calls("views.publish", publishes + 2)
    updates = workspace.calls_to("chat.update")
    assert updates[0].args["channel"] == workspace.dm_channel("U0MENTOR")
    pair, items = await _state(bot, pair.id)
    assert [item.topic_key for item in items] == [CATALOGUE[0], CATALOGUE[1], CATALOGUE[3], CATALOGUE[2]]
    assert pair.roadmap_mentor_agreed_at is not None
