"""A programme started from a template offers its pairs that template's ground rules, not the whole
catalogue: the charter form lists and pre-ticks them, and a submission can't add one it did not offer."""

from __future__ import annotations

from bot.rules.programme_templates import builtin_templates, find, programme_extras
from prompts import charter as charter_prompts
from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Workspace
from store import charters
from store.models import Programme
from tests.factories import TEAM
from tests.handlers.pairing_support import initial_values, option, seed_pair

PILOT = find(builtin_templates(), "Reverse mentoring pilot")
assert PILOT is not None
PILOT_RULES = list(PILOT.settings.ground_rule_keys)
NOT_IN_PILOT = "phones-away"


async def _open_modal(slack: SlackRequests, workspace: Workspace, user_id: str) -> dict:
    opened = len(workspace.calls_to("views.open"))
    assert (await slack.command(user_id, "charter")).status == 200
    await workspace.wait_for_calls("views.open", opened + 1)
    return workspace.modal_stacks[user_id][-1]


def _rules_element(view: dict) -> dict:
    return next(block for block in view["blocks"] if block.get("block_id") == charter_prompts.RULES_BLOCK)["element"]


def _offered(view: dict) -> list[str]:
    return [choice["value"] for choice in _rules_element(view)["options"]]


def _ticked(view: dict) -> list[str]:
    return [choice["value"] for choice in _rules_element(view).get("initial_options") or []]


def _ticking(values: dict, keys: list[str]) -> dict:
    values[charter_prompts.RULES_BLOCK] = {
        charter_prompts.RULES_ACTION: {"type": "checkboxes", "selected_options": [{**option(key), "text": {"type": "mrkdwn", "text": key}} for key in keys]}
    }
    return values


async def _submit(slack: SlackRequests, workspace: Workspace, view: dict, values: dict) -> None:
    publishes = len(workspace.calls_to("views.publish"))
    response = await slack.view_submission("U0MENTOR", view, values)
    assert response.status == 200 and (not response.text or "errors" not in response.json())
    await workspace.wait_for_calls("views.publish", publishes + 2)  # the last thing a save does


async def _saved_rules(bot, pair_id: int) -> list[str]:
    async with bot.services.sessions.begin() as session:
        charter = await charters.get_charter(session, team_id=TEAM, pair_id=pair_id)
    assert charter is not None
    return charter_prompts.rule_keys(charter.ground_rules)


async def test_a_pair_in_a_programme_from_the_pilot_template_is_offered_its_six_rules_all_ticked(slack, workspace, bot, clock):
    pair = await seed_pair(bot, clock, programme_fields=programme_extras(PILOT))
    view = await _open_modal(slack, workspace, "U0MENTOR")
    assert len(PILOT_RULES) == 6
    assert sorted(_offered(view)) == sorted(PILOT_RULES) and NOT_IN_PILOT not in _offered(view)
    assert sorted(_ticked(view)) == sorted(PILOT_RULES)  # the admin chose these for the programme
    await _submit(slack, workspace, view, initial_values(view))
    assert sorted(await _saved_rules(bot, pair.id)) == sorted(PILOT_RULES)


async def test_a_submission_cannot_add_a_rule_the_programme_does_not_offer(slack, workspace, bot, clock):
    pair = await seed_pair(bot, clock, programme_fields=programme_extras(PILOT))
    view = await _open_modal(slack, workspace, "U0MENTOR")
    await _submit(slack, workspace, view, _ticking(initial_values(view), ["mentor-leads", NOT_IN_PILOT, "no-such-rule"]))
    assert await _saved_rules(bot, pair.id) == ["mentor-leads"]


async def test_a_programme_without_its_own_rules_offers_the_whole_catalogue_with_three_ticked(slack, workspace, bot, clock):
    await seed_pair(bot, clock)
    view = await _open_modal(slack, workspace, "U0MENTOR")
    assert _offered(view) == list(charter_prompts.ground_rules())
    assert _ticked(view) == list(charter_prompts.ground_rules())[:3]


async def test_a_rule_the_pair_agreed_before_the_list_narrowed_is_still_shown_so_it_can_be_unticked(slack, workspace, bot, clock):
    pair = await seed_pair(bot, clock)
    view = await _open_modal(slack, workspace, "U0MENTOR")
    await _submit(slack, workspace, view, _ticking(initial_values(view), [NOT_IN_PILOT, "mentor-leads"]))
    async with bot.services.sessions.begin() as session:
        programme = await session.get(Programme, pair.programme_id)
        programme.ground_rule_keys = ",".join(PILOT_RULES)
        session.add(programme)
    view = await _open_modal(slack, workspace, "U0MENTOR")
    assert NOT_IN_PILOT in _offered(view) and sorted(_ticked(view)) == sorted([NOT_IN_PILOT, "mentor-leads"])
    await _submit(slack, workspace, view, _ticking(initial_values(view), ["mentor-leads"]))
    assert await _saved_rules(bot, pair.id) == ["mentor-leads"]
