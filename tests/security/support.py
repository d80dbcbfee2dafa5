"""What the isolation, authorization and hostile-input tests share: the app's listeners as registered,
a snapshot of one workspace's rows, everything the bot said, and a modal filled in as a person would.
"""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import inspect, select, text
from sqlmodel import SQLModel

import handlers
from bot.runtime import Runtime
from sandbox.slack_requests import BotResponse
from sandbox.workspace import Workspace

# --- the app's listeners, as `register(app)` adds them -------------------------------------------


@dataclass
class Listeners:
    """Every `/mentor` subcommand (its words, "" for the catch-all), block action id and view callback id."""

    subcommands: set[str] = field(default_factory=set)
    actions: set[str] = field(default_factory=set)  # an action id, or a regex's pattern
    views: set[str] = field(default_factory=set)
    events: set[str] = field(default_factory=set)


class _RecordingApp:
    """Stands in for the AsyncApp in `register(app)`, noting what each module listens for."""

    def __init__(self) -> None:
        self.found = Listeners()

    @staticmethod
    def _key(constraint: Any) -> str:
        if isinstance(constraint, re.Pattern):
            return constraint.pattern
        if isinstance(constraint, dict):
            return str(constraint.get("type") or constraint.get("action_id") or constraint.get("callback_id") or constraint)
        return str(constraint)

    def command(self, name: str, matchers: list | None = None, **_: Any):
        assert name == "/mentor", f"a new slash command {name}: add it to the security tests"
        words = [matcher.__name__.removeprefix("subcommand_").replace("_", " ") for matcher in matchers or [] if matcher.__name__.startswith("subcommand_")]
        self.found.subcommands.add(words[0] if words else "")
        return lambda function: function

    def action(self, constraint: Any, **_: Any):
        self.found.actions.add(self._key(constraint))
        return lambda function: function

    def view(self, constraint: Any, **_: Any):
        self.found.views.add(self._key(constraint))
        return lambda function: function

    def event(self, constraint: Any, **_: Any):
        self.found.events.add(self._key(constraint))
        return lambda function: function

    def middleware(self, function: Any) -> Any:
        return function

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"handlers register with app.{name}: teach tests/security/support.py about it")


def registered_listeners() -> Listeners:
    app = _RecordingApp()
    for module in handlers.MODULES:
        module.register(app)  # type: ignore[arg-type]
    return app.found


# --- one workspace's rows ------------------------------------------------------------------------


BOOKKEEPING = {"processedevent"}  # event ids seen, kept a day to deduplicate Slack's retries: not a team's data
# Where the bot's own question messages are, so they lose their buttons once answered (a re-ask or a
# re-posted question adds one): not anything a person gave.
BOOKKEEPING_COLUMNS = {("reflection", "open_messages")}


async def team_rows(bot: Runtime, team_id: str) -> dict[str, list[tuple]]:
    """Every row of every table that carries a team_id, for this team, in a stable order."""
    async with bot.engine.connect() as connection:

        def tables(sync: Any) -> list[tuple[str, list[str]]]:
            inspector = inspect(sync)
            return [(name, [column["name"] for column in inspector.get_columns(name)]) for name in inspector.get_table_names()]

        snapshot: dict[str, list[tuple]] = {}
        for table, columns in await connection.run_sync(tables):
            if "team_id" not in columns or table in BOOKKEEPING:
                continue
            order = "id" if "id" in columns else columns[0]
            kept = ", ".join(f'"{column}"' for column in columns if (table, column) not in BOOKKEEPING_COLUMNS)
            result = await connection.execute(text(f'SELECT {kept} FROM "{table}" WHERE team_id = :team ORDER BY "{order}"'), {"team": team_id})
            snapshot[table] = [tuple(row) for row in result.all()]
        return snapshot


async def all_rows(bot: Runtime) -> dict[str, list[tuple]]:
    """Every row of every table the models declare, whatever the team, in a stable order; text
    columns read as the app reads them (decrypted), so re-encrypting the same words is no change.
    The processed-event ids are bookkeeping, not data (a repeat is noticed by finding its own id there)."""
    import store.models  # noqa: F401  (the tables register themselves on SQLModel.metadata)

    snapshot: dict[str, list[tuple]] = {}
    async with bot.engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            if table.name in BOOKKEEPING:
                continue
            result = await connection.execute(select(table).order_by(*table.primary_key.columns))
            snapshot[table.name] = [tuple(row) for row in result.all()]
    return snapshot


async def rows_of_others_pointing_at(bot: Runtime, team_id: str) -> dict[str, list[tuple]]:
    """Rows of any other team that refer (by foreign key) to a row of this team: a write that took
    another workspace's id on trust. Empty when the teams are apart."""
    async with bot.engine.connect() as connection:

        def links(sync: Any) -> list[tuple[str, str, str]]:
            inspector = inspect(sync)
            found = []
            for table in inspector.get_table_names():
                columns = {column["name"] for column in inspector.get_columns(table)}
                for key in inspector.get_foreign_keys(table):
                    if "team_id" in columns and len(key["constrained_columns"]) == 1:
                        found.append((table, key["constrained_columns"][0], key["referred_table"]))
            return found

        found: dict[str, list[tuple]] = {}
        for table, column, referred in await connection.run_sync(links):
            result = await connection.execute(
                text(f'SELECT * FROM "{table}" WHERE team_id != :team AND "{column}" IN (SELECT id FROM "{referred}" WHERE team_id = :team)'),
                {"team": team_id},
            )
            rows = [tuple(row) for row in result.all()]
            if rows:
                found[f"{table}.{column}"] = rows
        return found


async def row_counts(bot: Runtime) -> dict[str, int]:
    async with bot.engine.connect() as connection:
        tables = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
        return {
            table: (await connection.execute(text(f'SELECT COUNT(*) FROM "{table}"'))).scalar_one()
            for table in tables
            if table not in ("alembic_version", "processedevent")
        }


# --- waiting for the bot and reading what it said --------------------------------------------------


async def settle(within: float = 10.0) -> None:
    """Wait until every listener Bolt started after its ack has finished (their effects land after the
    ack), and the work they left for after their answer (bot/background.py: republishing Homes)."""

    def running() -> list[asyncio.Task]:
        return [
            task
            for task in asyncio.all_tasks()
            if not task.done() and getattr(task.get_coro(), "__qualname__", "").endswith(("run_ack_function_asynchronously", "Background._run"))
        ]

    async with asyncio.timeout(within):
        while pending := running():
            await asyncio.wait(pending)


def said(workspace: Workspace, *, since: int = 0, responses: list[BotResponse] | None = None, response_urls_since: int = 0) -> str:
    """Everything the bot sent since call `since`: Web API call arguments, response_url posts and HTTP replies."""
    parts = [json.dumps(call.args, default=str) for call in workspace.calls[since:]]
    parts += [json.dumps(body, default=str) for body in workspace.responses[response_urls_since:]]
    parts += [response.text for response in responses or []]
    return "\n".join(parts)


def uploaded(workspace: Workspace, *, since: set[str]) -> list[str]:
    """The text of every file the bot uploaded that was not there before (CSV and JSON exports; not charts)."""
    return [
        stored.get("content", b"").decode("utf-8", "replace")
        for file_id, stored in workspace.files.items()
        if file_id not in since and not str(stored.get("name", "")).endswith(".png")
    ]


# --- modals, filled in -----------------------------------------------------------------------------


def fill(
    view: dict[str, Any], *, typed: str | None = None, today: date | None = None, user: str = "U0MENTOR", chosen: dict[str, dict[str, Any]] | None = None
) -> dict[str, dict[str, Any]]:
    """Slack's `state.values` for a modal as someone would submit it: initial values kept, required
    choices made (the first option), every text box holding `typed` (or its initial value), and
    `chosen` (block id -> element value) where the defaults would not do."""
    day = (today or date(2026, 3, 4)) + timedelta(days=14)
    values: dict[str, dict[str, Any]] = {}
    for block in view.get("blocks", []):
        if block.get("type") != "input":
            continue
        element = block["element"]
        kind = element["type"]
        options = [option for group in element.get("option_groups", []) for option in group["options"]] + list(element.get("options", []))
        if kind == "plain_text_input":
            value: dict[str, Any] = {"value": typed if typed is not None else element.get("initial_value", "TEAM-B words")}
        elif kind in ("static_select", "radio_buttons"):
            value = {"selected_option": element.get("initial_option") or (options[0] if options else None)}
        elif kind == "multi_static_select":
            value = {"selected_options": element.get("initial_options") or options[:4]}
        elif kind == "checkboxes":
            value = {"selected_options": element.get("initial_options") or options[:1]}
        elif kind == "datepicker":
            value = {"selected_date": element.get("initial_date") or day.isoformat()}
        elif kind == "datetimepicker":
            value = {"selected_date_time": element.get("initial_date_time") or int(datetime.combine(day, time(10), tzinfo=UTC).timestamp())}
        elif kind == "timepicker":
            value = {"selected_time": element.get("initial_time") or "10:00"}
        elif kind == "users_select":
            value = {"selected_user": element.get("initial_user") or user}
        elif kind == "multi_users_select":
            value = {"selected_users": element.get("initial_users") or [user]}
        elif kind == "number_input":
            value = {"value": element.get("initial_value") or str(element.get("min_value") or 1)}
        else:
            value = {"value": element.get("initial_value")}
        value.update((chosen or {}).get(block["block_id"], {}))
        values[block["block_id"]] = {element["action_id"]: {"type": kind, **value}}
    return values


def text_inputs(view: dict[str, Any]) -> list[tuple[str, str, int | None]]:
    """(block id, action id, max_length) of each text box in a modal."""
    found = []
    for block in view.get("blocks", []):
        element = block.get("element") or {}
        if block.get("type") == "input" and element.get("type") == "plain_text_input":
            found.append((block["block_id"], element["action_id"], element.get("max_length")))
    return found
