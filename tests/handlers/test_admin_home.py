"""The admin's Home tab: the summary, the pairs needing attention, paged within Block Kit's limits."""

from datetime import timedelta

from prompts.admin_home import ADMIN_EXPORT, ADMIN_HOME_NEXT, ADMIN_HOME_PREVIOUS, HOME_BLOCK_LIMIT
from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Workspace
from store.models import Pair
from tests.conftest import START
from tests.factories import make_programme
from tests.factories_history import COHORT_NOW, seed_known_cohort


async def seed_many_pairs(bot, count: int) -> None:
    """Pairs made a month ago that have not agreed a charter: every one is amber."""
    async with bot.services.sessions.begin() as session:
        programme = await make_programme(session, now=START - timedelta(days=30))
        session.add_all(
            Pair(team_id=programme.team_id, programme_id=programme.id, mentor_id=f"U1M{index:03d}", mentee_id=f"U1E{index:03d}", created_at=START - timedelta(days=30))
            for index in range(count)
        )


def button(view: dict, action_id: str) -> dict | None:
    for block in view["blocks"]:
        for element in block.get("elements", []):
            if element.get("action_id") == action_id:
                return element
    return None


def pair_lines(view: dict) -> list[str]:
    return [block["text"]["text"] for block in view["blocks"] if block["type"] == "section" and "text" in block and "<@U1M" in block["text"]["text"]]


async def test_an_admin_opening_home_sees_the_summary_and_pairs_needing_attention(bot, slack: SlackRequests, workspace: Workspace, clock):
    async with bot.services.sessions.begin() as session:
        await seed_known_cohort(session)
    clock.set(COHORT_NOW)
    await slack.app_home_opened("U0ADMIN")
    await workspace.wait_for_calls("views.publish")
    view = workspace.home_views["U0ADMIN"]
    text = str(view["blocks"])
    assert "Spring cohort: programme health" in text
    assert ":red_circle: <@U0M2> and <@U0E2>" in text
    assert [button(view, action)["text"]["text"] for action in ("admin_setup_open", "admin_enrol_open", "admin_pair_open", ADMIN_EXPORT)] == [
        "Set up", "Enrol people", "Pair people", "Export CSV",
    ]


async def test_a_participant_opening_home_does_not_see_the_admin_home(bot, slack: SlackRequests, workspace: Workspace, clock):
    async with bot.services.sessions.begin() as session:
        await seed_known_cohort(session)
    clock.set(COHORT_NOW)
    await slack.app_home_opened("U0MENTOR")
    await workspace.wait_for_calls("views.publish")
    assert "programme health" not in str(workspace.home_views["U0MENTOR"]["blocks"])


async def test_with_200_pairs_the_admin_home_stays_within_100_blocks_and_pages(bot, slack: SlackRequests, workspace: Workspace):
    await seed_many_pairs(bot, 200)
    await slack.app_home_opened("U0ADMIN")
    await workspace.wait_for_calls("views.publish")
    view = workspace.home_views["U0ADMIN"]
    assert len(view["blocks"]) <= HOME_BLOCK_LIMIT
    assert len(pair_lines(view)) == 20
    assert "Showing 1–20 of 200" in str(view["blocks"])
    assert button(view, ADMIN_HOME_PREVIOUS) is None
    assert button(view, ADMIN_HOME_NEXT)["value"] == "1"


async def test_next_republishes_the_following_page(bot, slack: SlackRequests, workspace: Workspace):
    await seed_many_pairs(bot, 200)
    await slack.app_home_opened("U0ADMIN")
    await workspace.wait_for_calls("views.publish")
    first = workspace.home_views["U0ADMIN"]
    await slack.block_action("U0ADMIN", button(first, ADMIN_HOME_NEXT), view=first)
    await workspace.wait_for_calls("views.publish", 2)
    second = workspace.home_views["U0ADMIN"]
    assert "Showing 21–40 of 200" in str(second["blocks"])
    assert set(pair_lines(second)).isdisjoint(pair_lines(first))
    assert button(second, ADMIN_HOME_PREVIOUS)["value"] == "0"


async def test_export_on_the_admin_home_uploads_the_csv(bot, slack: SlackRequests, workspace: Workspace):
    await seed_many_pairs(bot, 3)
    await slack.app_home_opened("U0ADMIN")
    await workspace.wait_for_calls("views.publish")
    view = workspace.home_views["U0ADMIN"]
    await slack.block_action("U0ADMIN", button(view, ADMIN_EXPORT), view=view)
    completed = await workspace.wait_for_calls("files.completeUploadExternal")
    content = workspace.files[completed[0].args["files"][0]["id"]]["content"].decode()
    assert len(content.strip().splitlines()) == 4  # the header and three pairs


async def test_when_the_upload_fails_the_admin_is_told_to_try_again(bot, slack: SlackRequests, workspace: Workspace):
    from prompts.report import UPLOAD_FAILED
    from sandbox.workspace import SlackApiError

    await seed_many_pairs(bot, 3)
    await slack.app_home_opened("U0ADMIN")
    await workspace.wait_for_calls("views.publish")
    view = workspace.home_views["U0ADMIN"]
    workspace.failures["files.getUploadURLExternal"] = [SlackApiError("internal_error")]
    await slack.block_action("U0ADMIN", button(view, ADMIN_EXPORT), view=view)
    messages = await workspace.wait_for_calls("chat.postMessage")
    assert messages[0].args["text"] == UPLOAD_FAILED
