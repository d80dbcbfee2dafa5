"""Several programmes in one workspace: `/mentor programme [name]`, the Switch buttons, and the line
naming the programme at the top of every `/mentor` reply of someone who has more than one."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.commands import arguments, subcommand, team_of, words
from bot.flows.programme_scope import Scope, choose_programme, read_scope
from bot.http import PooledRespond
from bot.services import services_of
from handlers.home import republish_homes
from prompts import programmes as programme_words

# Replies that are about the person or the workspace, not one programme, carry no programme line.
UNLABELLED = {"help", "privacy", "profile", "away", "calendar", "programme", "program"}
UNLABELLED_ADMIN = {"setup", "org"}
CHOOSE_BUTTON = re.compile(rf"^{programme_words.CHOOSE_ACTION}(_\d+)?$")  # Slack wants ids unique in a block: any suffix


async def handle_programme_command(ack: AsyncAck, command: dict, client: AsyncWebClient, respond: AsyncRespond, context: dict) -> None:
    await ack()
    services = services_of(context)
    team_id, user_id = command["team_id"], command["user_id"]
    given = arguments(command.get("text"), "programme").strip()
    chosen = await choose_programme(services, client, team_id=team_id, user_id=user_id, name=given or None)
    if not isinstance(chosen, Scope):
        await respond(**programme_words.build_chosen(chosen.name))
        republish_homes(services, client, team_id=team_id, user_ids=[user_id])
        return
    current = chosen.programme.name if chosen.programme else None
    if given:
        await respond(**programme_words.build_unknown(given, [name for name in (current, *(name for _, name in chosen.switches)) if name]))
    else:
        await respond(**programme_words.build_programmes(current, chosen.switches))


async def handle_choose_button(ack: AsyncAck, body: dict, action: dict, client: AsyncWebClient, respond: AsyncRespond, context: dict) -> None:
    await ack()
    services = services_of(context)
    team_id, user_id = team_of(body, context), body["user"]["id"]
    value = str(action.get("value") or "")
    chosen = await choose_programme(services, client, team_id=team_id, user_id=user_id, programme_id=int(value) if value.isdigit() else -1)
    if isinstance(chosen, Scope):
        reply = programme_words.build_not_yours()
    else:
        reply = programme_words.build_chosen(chosen.name)
    if body.get("response_url"):
        await respond(**reply)
    republish_homes(services, client, team_id=team_id, user_ids=[user_id])


def _labelled_as(text: str | None) -> bool | None:
    """Whether a `/mentor` command's reply names a programme: None when it does not, else whether the
    programme is the admin's (True) or the member's (False)."""
    given = [word.lower() for word in words(text)]
    if not given or given[0] in UNLABELLED:
        return None
    if given[0] == "admin":
        return None if len(given) < 2 or given[1] in UNLABELLED_ADMIN else True
    return False


async def name_the_programme(body: dict, context: AsyncBoltContext, next: Callable[[], Awaitable[None]]) -> None:  # noqa: A002
    """Before a `/mentor` command runs: its replies go out with the programme they are about on top,
    when the person has more than one running (read once, at the first reply; the commands pick
    their programme the same way, bot/flows/programme_scope.py)."""
    admin = _labelled_as(body.get("text")) if body.get("command") else None
    respond = context.get("respond")
    if admin is not None and isinstance(respond, PooledRespond):
        services = services_of(context)
        client: AsyncWebClient = context["client"]
        team_id, user_id = team_of(body, context), body.get("user_id") or ""
        scope: list[Scope] = []

        async def amend(reply: dict[str, Any]) -> dict[str, Any]:
            if not scope:
                scope.append(await read_scope(services, client, team_id=team_id, user_id=user_id, admin=admin))
            found = scope[0]
            if found.programme is None or not found.several:
                return reply
            return programme_words.labelled(reply, found.programme.name, [other.name for other in found.others])

        context["respond"] = PooledRespond(response_url=respond.response_url or "", http=respond.http, amend=amend)
    await next()


def register(app: AsyncApp) -> None:
    app.middleware(name_the_programme)
    for word in ("programme", "program"):
        app.command("/mentor", matchers=[subcommand(word)])(handle_programme_command)
    app.action(CHOOSE_BUTTON)(handle_choose_button)
