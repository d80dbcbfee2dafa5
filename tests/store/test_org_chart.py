"""The org chart in the store: each import replaces it whole, and two at once end with one whole chart."""

import asyncio

from domain.org_chart import OrgPlace
from store import org_chart
from store.erasure import erase_person
from store.org_chart import NewEntry
from tests.conftest import START

TEAM = "T0FLIPSIDE"


def chart(prefix: str, size: int) -> list[NewEntry]:
    """`size` people in one line of reporting, their ids and addresses marked with `prefix`."""
    return [
        NewEntry(f"U{prefix}{n}", f"{prefix.lower()}{n}@example.com", f"U{prefix}{n - 1}" if n else "", f"Dept {prefix}")
        for n in range(size)
    ]


async def test_an_import_replaces_the_whole_chart(db):
    async with db.begin() as session:
        await org_chart.replace_chart(session, team_id=TEAM, entries=chart("A", 3), now=START)
        await org_chart.replace_chart(session, team_id="T0OTHERTEAM", entries=chart("A", 2), now=START)
    async with db.begin() as session:
        assert await org_chart.replace_chart(session, team_id=TEAM, entries=chart("B", 2), now=START) == 2
    async with db() as session:
        assert await org_chart.places(session, team_id=TEAM) == {
            "UB0": OrgPlace("UB0", "", "Dept B"), "UB1": OrgPlace("UB1", "UB0", "Dept B"),
        }
        assert await org_chart.chart_size(session, team_id="T0OTHERTEAM") == 2  # another workspace's chart is its own


async def test_an_import_that_fails_part_way_leaves_the_old_chart(db):
    async with db.begin() as session:
        await org_chart.replace_chart(session, team_id=TEAM, entries=chart("A", 3), now=START)
    duplicated = [*chart("B", 2), NewEntry("UB0", "again@example.com")]  # the same person twice: the insert fails
    try:
        async with db.begin() as session:
            await org_chart.replace_chart(session, team_id=TEAM, entries=duplicated, now=START)
    except Exception:  # noqa: BLE001 - the database's own integrity error, whichever driver
        pass
    else:
        raise AssertionError("a chart with one person twice was saved")
    async with db() as session:
        assert sorted(await org_chart.places(session, team_id=TEAM)) == ["UA0", "UA1", "UA2"]


async def test_two_imports_at_once_end_with_one_whole_chart_not_a_mix(db):
    first, second = chart("A", 600), chart("B", 600)

    async def import_(entries: list[NewEntry]) -> None:
        async with db.begin() as session:
            await org_chart.replace_chart(session, team_id=TEAM, entries=entries, now=START)

    await asyncio.gather(import_(first), import_(second))

    async with db() as session:
        kept = set(await org_chart.places(session, team_id=TEAM))
    assert kept in ({entry.user_id for entry in first}, {entry.user_id for entry in second})


async def test_erasing_someone_deletes_their_place_and_leaves_a_token_as_their_reports_manager(db):
    async with db.begin() as session:
        await org_chart.replace_chart(session, team_id=TEAM, entries=chart("A", 3), now=START)
    async with db.begin() as session:
        erasure = await erase_person(session, team_id=TEAM, user_id="UA1", now=START)
    async with db() as session:
        entries = await org_chart.chart_entries(session, team_id=TEAM)
    assert erasure.org_chart == 1
    assert [(entry.user_id, entry.email, entry.manager_id) for entry in entries] == [
        ("UA0", "a0@example.com", ""), ("UA2", "a2@example.com", erasure.token),
    ]
