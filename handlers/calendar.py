""""Add to calendar" on a session: the .ics uploaded into the person's DM. Thin: parse, call the flow
(bot.flows.calendar_files), upload, say where it went."""

from __future__ import annotations

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.commands import team_of
from bot.flows.calendar_files import calendar_file
from bot.repeats import first_click
from bot.services import services_of
from bot.uploads import upload_to_dm
from handlers.pair_support import tell
from handlers.sessions import refusal_text
from prompts import calendar as words
from prompts import sessions as session_prompts


async def handle_add_to_calendar(ack: AsyncAck, body: dict, action: dict, client: AsyncWebClient, context: dict) -> None:
    await ack()
    services = services_of(context)
    if not await first_click(services, body):
        return  # the second of a double-click: the file is already on its way
    user_id = body["user"]["id"]
    session_id = session_prompts.session_id_of(action.get("value", ""))
    if session_id is None:
        return
    made = await calendar_file(services, client, team_id=team_of(body, context), user_id=user_id, session_id=session_id,
                               now=services.clock.now())
    if made.view is None:
        await tell(client, body, session_prompts.build_refusal(refusal_text(made.outcome, user_id)))
        return
    entry = made.view.calendar_entry()
    await upload_to_dm(client, user_id=user_id, content=made.content, filename=words.calendar_filename(entry),
                       title=words.calendar_file_title(entry), comment=words.calendar_file_comment())


def register(app: AsyncApp) -> None:
    app.action(words.ADD_TO_CALENDAR_ACTION)(handle_add_to_calendar)
