"""Uninstall: tokens deleted at once; the workspace's programme data deleted after the retention period, once."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, func, select

from bot.clock import ManualClock
from bot.runtime import Runtime
from bot.sweep import retention
from sandbox.oauth import SlackOAuth
from sandbox.slack_requests import SlackRequests
from store.models import Enrolment, Pair, Person, Programme, ProgrammeAdmin, Workspace
from tests.factories import make_pair, make_person, make_programme
from tests.oauth.conftest import Installer, acme, globex, once_stored, send_event


async def _installation(bot: Runtime, team_id: str):
    return await bot.app.installation_store.async_find_installation(enterprise_id=None, team_id=team_id)


async def _uninstalled(bot: Runtime, team_id: str) -> bool:
    async with bot.services.sessions() as session:
        workspace = (await session.exec(select(Workspace).where(Workspace.team_id == team_id))).first()
    return workspace is not None and workspace.uninstalled_at is not None


async def _seed_programme(bot: Runtime, team_id: str) -> None:
    now = bot.clock.now()
    async with bot.services.sessions.begin() as session:
        programme = await make_programme(session, now=now, team_id=team_id)
        await make_person(session, user_id="U0MENTOR", team_id=team_id, now=now)
        await make_pair(session, programme=programme, now=now)


async def _rows(bot: Runtime, team_id: str) -> dict[str, int]:
    counts = {}
    async with bot.services.sessions() as session:
        for model in (Programme, ProgrammeAdmin, Person, Enrolment, Pair):
            result = await session.exec(select(func.count()).select_from(model).where(col(model.team_id) == team_id))
            counts[model.__name__] = result.one()
    return counts


async def test_app_uninstalled_deletes_the_workspaces_tokens(installer: Installer, bot: Runtime, slack: SlackRequests):
    await installer.install(acme())
    await installer.install(globex())

    response = await send_event(slack, acme(), {"type": "app_uninstalled"})

    assert response.status == 200
    assert await once_stored(lambda: _uninstalled(bot, "T0ACME"))
    assert await _installation(bot, "T0ACME") is None
    assert await _installation(bot, "T0GLOBEX") is not None


async def test_tokens_revoked_for_the_bot_deletes_its_tokens_and_marks_the_workspace_uninstalled(
    installer: Installer, bot: Runtime, slack: SlackRequests
):
    await installer.install(acme())

    await send_event(slack, acme(), {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["U0BOT"]}})

    assert await once_stored(lambda: _uninstalled(bot, "T0ACME"))
    assert await _installation(bot, "T0ACME") is None


async def test_programme_data_is_kept_through_the_retention_period(installer: Installer, bot: Runtime, slack: SlackRequests, clock: ManualClock):
    await installer.install(acme())
    await _seed_programme(bot, "T0ACME")
    before = await _rows(bot, "T0ACME")
    await send_event(slack, acme(), {"type": "app_uninstalled"})
    assert await once_stored(lambda: _uninstalled(bot, "T0ACME"))

    clock.advance(timedelta(days=29, hours=23))
    report = await bot.sweep_now()

    assert report.counts["uninstalled_workspaces_deleted"] == 0
    assert _kept_every_row(before, await _rows(bot, "T0ACME"))
    assert all(count > 0 for count in before.values())


def _kept_every_row(before: dict[str, int], after: dict[str, int]) -> bool:
    """No row of the workspace is gone (the sweep, reaching it with its own token, may add people)."""
    return all(after[table] >= count for table, count in before.items())


async def test_programme_data_is_deleted_once_after_the_retention_period(installer: Installer, bot: Runtime, slack: SlackRequests, clock: ManualClock):
    await installer.install(acme())
    await installer.install(globex())
    await _seed_programme(bot, "T0ACME")
    await _seed_programme(bot, "T0GLOBEX")
    globex_rows = await _rows(bot, "T0GLOBEX")
    await send_event(slack, acme(), {"type": "app_uninstalled"})
    assert await once_stored(lambda: _uninstalled(bot, "T0ACME"))

    clock.advance(timedelta(days=30, minutes=1))
    first = await bot.sweep_now()
    second = await bot.sweep_now()

    assert (first.counts["uninstalled_workspaces_deleted"], second.counts["uninstalled_workspaces_deleted"]) == (1, 0)
    assert set((await _rows(bot, "T0ACME")).values()) == {0}
    assert _kept_every_row(globex_rows, await _rows(bot, "T0GLOBEX"))


async def test_reinstalling_within_the_period_keeps_the_data(
    installer: Installer, bot: Runtime, slack: SlackRequests, clock: ManualClock, oauth: SlackOAuth
):
    await installer.install(acme())
    await _seed_programme(bot, "T0ACME")
    before = await _rows(bot, "T0ACME")
    await send_event(slack, acme(), {"type": "app_uninstalled"})
    assert await once_stored(lambda: _uninstalled(bot, "T0ACME"))

    clock.advance(timedelta(days=10))
    await installer.install(acme())
    clock.advance(timedelta(days=25))
    report = await bot.sweep_now()

    assert report.counts["uninstalled_workspaces_deleted"] == 0
    assert _kept_every_row(before, await _rows(bot, "T0ACME"))
    assert await _installation(bot, "T0ACME") is not None


async def test_with_one_workspace_and_no_oauth_an_uninstall_deletes_nothing(bot: Runtime, clock: ManualClock):
    await _seed_programme(bot, "T0FLIPSIDE")
    before = await _rows(bot, "T0FLIPSIDE")

    await retention.forget_installation(bot.services, None, enterprise_id=None, team_id="T0FLIPSIDE", is_enterprise_install=False)
    clock.advance(timedelta(days=365))
    await bot.sweep_now()

    assert not await _uninstalled(bot, "T0FLIPSIDE")
    assert await _rows(bot, "T0FLIPSIDE") == before
