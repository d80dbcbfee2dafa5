"""An org chart uploaded as a .csv file in the DM with the bot: fetched with the bot token, imported by the
same code as the form (each bad line refused, nothing half-imported), and refused whole when too big;
a non-admin's CSV is politely declined and other files left alone."""

import asyncio

from aiohttp import web

from sandbox.workspace import Member
from store import org_chart
from tests.factories import TEAM, make_programme
from tests.handlers.admin_helpers import text_of

HEADER = "email,manager_email,department,location,employee_id"
# A spreadsheet's export in a comma-decimal locale: a BOM, semicolons, and a quoted field holding both.
GOOD = "\ufeff" + "\r\n".join([
    "Email;Manager e-mail;Department;Location;Employee ID",
    'tom@example.com;;Operations;"New York; NY, USA";E1',
    'amara@example.com;tom@example.com;"People, Culture";London;E2',
    "priya@example.com;amara@example.com;Data;Kolkata;E3",
    "leo@example.com;tom@example.com;Design;Paris;E4",
]) + "\r\n"


def dms_to(workspace, user_id: str) -> list[str]:
    """The text of what the bot said in its DM with someone (not what they posted there), oldest first."""
    return [
        text_of({"text": message.text, "blocks": message.blocks}) for message in workspace.dm_messages(user_id)
        if message.user == workspace.bot_user_id and message.ephemeral_to is None
    ]


async def _programme(db, clock):
    async with db.begin() as session:
        return await make_programme(session, now=clock.now())


async def _upload(slack, workspace, content: bytes, *, user_id="U0ADMIN", name="org chart.csv", mimetype="text/csv", replies=1) -> list[str]:
    before = len(dms_to(workspace, user_id))
    response = await slack.file_share(user_id, name=name, content=content, mimetype=mimetype)
    assert response.status == 200
    await workspace.wait_until(lambda: len(dms_to(workspace, user_id)) >= before + replies, within=60)
    return dms_to(workspace, user_id)[before:]


async def _chart(db) -> dict[str, tuple[str, str]]:
    async with db() as session:
        entries = await org_chart.chart_entries(session, team_id=TEAM)
    return {entry.user_id: (entry.manager_id, entry.department) for entry in entries}


async def test_an_admin_uploads_a_csv_with_a_bom_semicolons_and_quoted_commas_and_it_is_imported(slack, workspace, db, clock):
    await _programme(db, clock)
    replies = await _upload(slack, workspace, GOOD.encode("utf-8"), replies=2)
    assert "Reading `org chart.csv` as your org chart" in replies[0]
    assert "Org chart imported: 4 people in 4 departments, 1 at the top of their chain" in replies[1]
    assert await _chart(db) == {
        "U0MENTEE": ("", "Operations"), "U0ADMIN": ("U0MENTEE", "People, Culture"),
        "U0MENTOR": ("U0ADMIN", "Data"), "U0OTHER": ("U0MENTEE", "Design"),
    }
    # files.info asked with the bot token, the bytes fetched from url_private with it in the header.
    assert [call.token for call in workspace.calls_to("files.info")] == [workspace.bot_token]
    assert [call.token for call in workspace.calls_to("GET url_private")] == [workspace.bot_token]


async def test_a_bad_line_in_an_uploaded_file_refuses_it_whole_and_says_to_upload_it_again(slack, workspace, db, clock):
    await _programme(db, clock)
    await _upload(slack, workspace, GOOD.encode(), replies=2)
    bad = f"{HEADER}\ntom@example.com,,Operations,NY,\nnobody@example.com,tom@example.com,Sales,Paris,\n"
    replies = await _upload(slack, workspace, bad.encode(), replies=2)
    assert "Org chart not imported: 1 line was refused" in replies[1]
    assert "Line 3: no one in Slack has the email `nobody@example.com`" in replies[1]
    assert "upload the whole file here again" in replies[1]
    assert len(await _chart(db)) == 4  # the chart from before, untouched


async def test_a_reimport_by_file_replaces_the_chart(slack, workspace, db, clock):
    await _programme(db, clock)
    await _upload(slack, workspace, GOOD.encode(), replies=2)
    await _upload(slack, workspace, f"{HEADER}\ntom@example.com,,Operations,NY,\npriya@example.com,tom@example.com,Data,Kolkata,\n".encode(), replies=2)
    assert await _chart(db) == {"U0MENTEE": ("", "Operations"), "U0MENTOR": ("U0MENTEE", "Data")}


async def test_a_file_over_a_megabyte_is_refused_with_its_size_before_it_is_downloaded(slack, workspace, db, clock):
    await _programme(db, clock)
    big = (GOOD + "x" * 1_100_000).encode()
    [reply] = await _upload(slack, workspace, big)
    assert "Org chart not imported: `org chart.csv` is 1.1 MB, and I read org charts of up to 1.0 MB. Nothing was saved." in reply
    assert not workspace.calls_to("GET url_private")
    assert await _chart(db) == {}


async def test_a_spreadsheet_named_csv_is_refused_as_not_text(slack, workspace, db, clock):
    await _programme(db, clock)
    [*_, reply] = await _upload(slack, workspace, b"PK\x03\x04\x00\x00binary spreadsheet", replies=2)
    assert "isn't a text CSV" in reply
    assert await _chart(db) == {}


async def test_someone_who_is_not_an_admin_is_told_the_upload_is_for_admins_and_nothing_is_read(slack, workspace, db, clock):
    await _programme(db, clock)
    [reply] = await _upload(slack, workspace, GOOD.encode(), user_id="U0MENTOR")
    assert "Importing an org chart is for the programme's admins, so I haven't read it" in reply
    assert not workspace.calls_to("GET url_private")
    assert not workspace.calls_to("users.lookupByEmail")
    assert await _chart(db) == {}


async def test_another_kind_of_file_gets_an_admin_a_one_line_hint_and_anyone_else_nothing(slack, workspace, db, clock):
    await _programme(db, clock)
    [hint] = await _upload(slack, workspace, b"\x89PNG...", name="team photo.png", mimetype="image/png")
    assert "I only read one kind of file here: an org chart as a `.csv` (for programme admins). I've left `team photo.png` alone." in hint
    await slack.file_share("U0MENTOR", name="notes.pdf", content=b"%PDF-1.7", mimetype="application/pdf")
    await workspace.wait_for_calls("files.info", 2)
    await slack.direct_message("U0MENTOR", "help")  # a later message is answered: the file was passed over, not stuck
    await workspace.wait_until(lambda: len(dms_to(workspace, "U0MENTOR")) >= 1)
    assert len(dms_to(workspace, "U0MENTOR")) == 1  # the help, and nothing about the file
    assert not workspace.calls_to("GET url_private")


async def test_the_bot_token_is_never_sent_to_an_address_that_is_not_slacks(slack, workspace, db, clock):
    # files.info names a url_private on a lookalike host (here a local server that records what it is sent).
    seen = []

    async def serve(request):
        seen.append(request.headers.get("Authorization"))
        return web.Response(text=GOOD, content_type="text/csv")

    app = web.Application()
    app.router.add_get("/{tail:.*}", serve)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    await _programme(db, clock)
    original = workspace.share_file

    def share_elsewhere(user_id, **kwargs):
        message = original(user_id, **kwargs)
        workspace.files[message.files[0]["id"]]["url_private"] = f"http://localhost:{port}/files-pri/T0/chart.csv"
        return message

    workspace.share_file = share_elsewhere
    try:
        [_, reply] = await _upload(slack, workspace, GOOD.encode(), replies=2)
    finally:
        await runner.cleanup()
    assert "Slack wouldn't let me read `org chart.csv`. Nothing was saved." in reply
    assert seen == []
    assert await _chart(db) == {}


async def test_five_thousand_lines_are_found_in_slack_a_few_at_a_time(slack, workspace, db, clock):
    await _programme(db, clock)
    lines = [HEADER, "ceo@big.example,,Board,London,"]
    for number in range(1, 5000):
        user_id = f"U{number:07d}"
        workspace.add_member(Member(id=user_id, name=f"p{number}", real_name=f"Person {number}", email=f"p{number}@big.example"))
        lines.append(f"p{number}@big.example,{'ceo@big.example' if number < 50 else f'p{number // 50}@big.example'},Dept {number % 40},Site,")
    workspace.add_member(Member(id="U0CEO", name="ceo", real_name="Chief", email="ceo@big.example"))
    in_flight = []
    record = workspace.record

    def recording(call):
        record(call)
        if call.method == "users.lookupByEmail":
            in_flight.append(sum(1 for seen in workspace.calls_to("users.lookupByEmail") if not seen.answered))

    workspace.record = recording
    workspace.delay_seconds = 0.002  # each answer a moment late, so lookups in flight together show
    replies = await _upload(slack, workspace, "\n".join(lines).encode(), replies=2)
    assert "Org chart imported: 5000 people in 41 departments, 1 at the top of their chain" in replies[1]
    assert len(workspace.calls_to("users.lookupByEmail")) == 5000
    assert 1 < max(in_flight) <= 8
    assert len(await _chart(db)) == 5000


async def test_two_admins_uploading_at_once_end_with_one_whole_chart(slack, workspace, db, clock):
    await _programme(db, clock)
    mine = f"{HEADER}\ntom@example.com,,Operations,NY,\npriya@example.com,tom@example.com,Data,Kolkata,\n"
    theirs = f"{HEADER}\nleo@example.com,,Design,Paris,\namara@example.com,leo@example.com,People,London,\nsam@example.com,leo@example.com,IT,London,\n"
    await asyncio.gather(
        _upload(slack, workspace, mine.encode(), replies=2),
        _upload(slack, workspace, theirs.encode(), user_id="U0OWNER", replies=2),
    )
    assert "Org chart imported: 2 people" in dms_to(workspace, "U0ADMIN")[-1]
    assert "Org chart imported: 3 people" in dms_to(workspace, "U0OWNER")[-1]
    assert set(await _chart(db)) in ({"U0MENTEE", "U0MENTOR"}, {"U0OTHER", "U0ADMIN", "U0OWNER"})
