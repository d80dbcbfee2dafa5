"""`/mentor admin report` and `/mentor admin export`: what the admin sees and gets, and who is refused."""

import asyncio
import csv
from io import StringIO

from bot.flows.export import CSV_COLUMNS
from prompts import report as words
from prompts.check_ins import PEERS_USAGE
from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Channel, Workspace
from store import programmes
from tests.factories import make_programme
from tests.factories_history import COHORT_NOW, PRIVATE, seed_known_cohort

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


async def wait_for_responses(workspace: Workspace, count: int = 1, within: float = 5.0) -> list[dict]:
    """Bodies the bot posted to response_url; they land after the ack, so wait for them."""
    arrived = asyncio.Event()
    workspace.listeners.append(lambda kind, _data: arrived.set() if kind == "response" else None)
    try:
        async with asyncio.timeout(within):
            while len(workspace.responses) < count:
                arrived.clear()
                await arrived.wait()
    except TimeoutError:
        pass
    return workspace.responses


async def seed(bot, clock):
    async with bot.services.sessions.begin() as session:
        cohort = await seed_known_cohort(session)
    clock.set(COHORT_NOW)
    return cohort


async def test_admin_report_replies_with_the_summary_and_pairs_needing_attention(bot, slack: SlackRequests, workspace: Workspace, clock):
    await seed(bot, clock)
    await slack.command("U0ADMIN", "admin report")
    responses = await wait_for_responses(workspace)
    await workspace.wait_for_calls("files.completeUploadExternal")  # let the chart finish before the bot stops
    reply = responses[0]
    assert reply["response_type"] == "ephemeral"
    text = str(reply["blocks"])
    assert "Spring cohort: how the programme is going" in text
    assert "7 held, 1 booked ahead" in text
    assert "<@U0M2> and <@U0E2>: 2 cancellations in a row by the mentee side" in text
    assert PRIVATE not in text


async def test_admin_report_uploads_a_png_chart_to_the_admins_dm(bot, slack: SlackRequests, workspace: Workspace, clock):
    await seed(bot, clock)
    await slack.command("U0ADMIN", "admin report")
    completed = await workspace.wait_for_calls("files.completeUploadExternal")
    assert [call.args["filename"] for call in workspace.calls_to("files.getUploadURLExternal")] == ["flipside-health-2026-06-03.png"]
    assert completed[0].args["channel_id"] == workspace.dm_channel("U0ADMIN")
    file_id = completed[0].args["files"][0]["id"]
    assert workspace.files[file_id]["content"].startswith(PNG_SIGNATURE)
    shared = [message for message in workspace.dm_messages("U0ADMIN") if message.files]
    assert [message.files[0]["id"] for message in shared] == [file_id]


async def test_admin_export_uploads_a_csv_with_the_documented_columns_and_no_private_text(bot, slack: SlackRequests, workspace: Workspace, clock):
    cohort = await seed(bot, clock)
    await slack.command("U0ADMIN", "admin export")
    completed = await workspace.wait_for_calls("files.completeUploadExternal")
    content = workspace.files[completed[0].args["files"][0]["id"]]["content"].decode()
    rows = list(csv.DictReader(StringIO(content)))
    assert list(rows[0]) == [name for name, _ in CSV_COLUMNS]
    assert PRIVATE not in content
    struggling = next(row for row in rows if row["pair_id"] == str(cohort.struggling.id))
    assert (struggling["light"], struggling["sessions_held"], struggling["sessions_cancelled"]) == ("red", "2", "2")
    assert struggling["reasons"].startswith("2 cancellations in a row by the mentee side; no session for 7 weeks")
    assert len(rows) == 5


async def test_the_export_names_people_by_their_full_names_as_hr_knows_them(bot, slack: SlackRequests, workspace: Workspace, clock):
    # Priya and Tom are met through Slack (enrolling asks users.info): their display names are
    # "priya" and "tom", their full names "Priya Nair" and "Tom Becker".
    async with bot.services.sessions.begin() as session:
        await make_programme(session, now=clock.now())
    await slack.command_reply("U0ADMIN", "admin enrol mentor <@U0MENTOR|priya>")
    await slack.command_reply("U0ADMIN", "admin enrol mentee <@U0MENTEE|tom>")
    await slack.command_reply("U0ADMIN", "admin pair <@U0MENTOR|priya> <@U0MENTEE|tom>")
    await slack.command("U0ADMIN", "admin export")
    completed = await workspace.wait_for_calls("files.completeUploadExternal")
    [row] = list(csv.DictReader(StringIO(workspace.files[completed[0].args["files"][0]["id"]]["content"].decode())))
    assert (row["mentor"], row["mentee"]) == ("Priya Nair", "Tom Becker")


async def test_admin_export_confirms_in_the_command_reply(bot, slack: SlackRequests, workspace: Workspace, clock):
    await seed(bot, clock)
    await slack.command("U0ADMIN", "admin export")
    responses = await wait_for_responses(workspace)
    assert responses[0]["text"] == words.export_sent()["text"]


async def test_a_participant_is_refused_the_report_and_gets_no_file(bot, slack: SlackRequests, workspace: Workspace, clock):
    await seed(bot, clock)
    await slack.command("U0MENTOR", "admin report")
    responses = await wait_for_responses(workspace)
    assert responses[0]["text"] == words.REFUSAL
    assert workspace.calls_to("files.getUploadURLExternal") == []


async def test_a_participant_is_refused_the_export(bot, slack: SlackRequests, workspace: Workspace, clock):
    await seed(bot, clock)
    await slack.command("U0MENTEE", "admin export")
    responses = await wait_for_responses(workspace)
    assert responses[0]["text"] == words.refusal("export")
    assert workspace.calls_to("files.getUploadURLExternal") == []


async def test_a_participant_refused_the_export_is_told_about_the_export_not_a_report(bot, slack: SlackRequests, workspace: Workspace, clock):
    await seed(bot, clock)
    await slack.command("U0MENTEE", "admin export")
    [refused] = await wait_for_responses(workspace)
    assert "`/mentor admin export`" in refused["text"] and "report" not in refused["text"]


async def test_with_no_programme_the_report_points_to_setup(slack: SlackRequests, workspace: Workspace):
    await slack.command("U0ADMIN", "admin report")
    responses = await wait_for_responses(workspace)
    assert "/mentor admin setup" in responses[0]["text"]


async def test_admin_names_a_peer_channel(bot, slack: SlackRequests, workspace: Workspace, clock):
    await seed(bot, clock)
    reply = await slack.command_reply("U0ADMIN", "admin peers <#C0MENTORS|mentors-circle>")
    assert reply is not None
    assert "<#C0MENTORS>" in reply["text"]
    async with bot.services.sessions.begin() as session:
        programme = await programmes.last_programme(session, team_id="T0FLIPSIDE")
    assert programme.peer_channel_id == "C0MENTORS"


async def test_a_peer_channel_that_does_not_exist_is_refused_and_the_earlier_one_kept(bot, slack: SlackRequests, workspace: Workspace, clock):
    await seed(bot, clock)
    await slack.command_reply("U0ADMIN", "admin peers <#C0MENTORS|mentors-circle>")
    reply = await slack.command_reply("U0ADMIN", "admin peers <#C0NOPE>")
    assert "can't find <#C0NOPE>" in reply["text"] and "/invite @Flipside" in reply["text"]
    assert [call.args["channel"] for call in workspace.calls_to("conversations.info")] == ["C0MENTORS", "C0NOPE"]
    async with bot.services.sessions.begin() as session:
        programme = await programmes.last_programme(session, team_id="T0FLIPSIDE")
    assert programme.peer_channel_id == "C0MENTORS"


async def test_a_private_channel_the_bot_is_not_in_is_refused_with_how_to_invite_it(bot, slack: SlackRequests, workspace: Workspace, clock):
    workspace.add_channel(Channel(id="C0SECRET", name="secret", is_private=True, bot_is_member=False))
    await seed(bot, clock)
    reply = await slack.command_reply("U0ADMIN", "admin peers <#C0SECRET|secret>")
    assert "/invite @Flipside" in reply["text"]
    async with bot.services.sessions.begin() as session:
        assert (await programmes.last_programme(session, team_id="T0FLIPSIDE")).peer_channel_id is None


async def test_an_archived_peer_channel_is_refused(bot, slack: SlackRequests, workspace: Workspace, clock):
    workspace.add_channel(Channel(id="C0OLD", name="old-circle", is_archived=True))
    await seed(bot, clock)
    reply = await slack.command_reply("U0ADMIN", "admin peers <#C0OLD|old-circle>")
    assert "archived" in reply["text"]


async def test_choosing_a_new_peer_channel_says_which_one_it_replaces(bot, slack: SlackRequests, workspace: Workspace, clock):
    workspace.add_channel(Channel(id="C0CIRCLE2", name="circle-two"))
    await seed(bot, clock)
    await slack.command_reply("U0ADMIN", "admin peers <#C0MENTORS|mentors-circle>")
    reply = await slack.command_reply("U0ADMIN", "admin peers <#C0CIRCLE2|circle-two>")
    assert "<#C0CIRCLE2>" in reply["text"] and "instead of <#C0MENTORS>" in reply["text"]


async def test_peers_without_a_channel_explains_how(bot, slack: SlackRequests, clock):
    await seed(bot, clock)
    reply = await slack.command_reply("U0ADMIN", "admin peers mentors")
    assert reply is not None
    assert reply["text"] == PEERS_USAGE


async def test_a_participant_cannot_name_the_peer_channel(bot, slack: SlackRequests, clock):
    await seed(bot, clock)
    reply = await slack.command_reply("U0MENTOR", "admin peers <#C0MENTORS|mentors-circle>")
    assert reply is not None
    assert reply["text"] == words.refusal("peers")


async def test_the_uploaded_chart_can_be_fetched_from_its_url_for_the_sandbox_page(bot, slack: SlackRequests, workspace: Workspace, clock):
    import aiohttp

    await seed(bot, clock)
    await slack.command("U0ADMIN", "admin report")
    completed = await workspace.wait_for_calls("files.completeUploadExternal")
    [shared] = [message for message in workspace.dm_messages("U0ADMIN") if message.files]
    async with aiohttp.ClientSession() as session, session.get(shared.files[0]["url_private"]) as response:
        assert response.content_type == "image/png"
        assert await response.read() == workspace.files[completed[0].args["files"][0]["id"]]["content"]
