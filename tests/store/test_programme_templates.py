"""Saved programme templates: names unique per workspace in any case, and a refused save leaves the
transaction usable (nothing half-saved)."""

from sqlmodel import select

from store import programme_templates
from store.models import ProgrammeTemplate
from tests.conftest import START
from tests.factories import TEAM


async def test_a_name_is_unique_per_workspace_in_any_case(db):
    async with db.begin() as session:
        first = await programme_templates.add_template(session, team_id=TEAM, name="Quarterly", settings="{}", created_by="U0ADMIN", now=START)
        again = await programme_templates.add_template(session, team_id=TEAM, name=" quarterly ", settings="{}", created_by="U0ADMIN", now=START)
        elsewhere = await programme_templates.add_template(session, team_id="T0OTHER", name="Quarterly", settings="{}", created_by="U0X", now=START)
    assert first is not None and again is None and elsewhere is not None
    async with db.begin() as session:
        rows = (await session.exec(select(ProgrammeTemplate.team_id, ProgrammeTemplate.name))).all()
        assert sorted(rows) == [("T0FLIPSIDE", "Quarterly"), ("T0OTHER", "Quarterly")]
        assert [row.name for row in await programme_templates.list_templates(session, team_id=TEAM)] == ["Quarterly"]


async def test_deleting_removes_only_that_workspaces_template(db):
    async with db.begin() as session:
        for team_id in (TEAM, "T0OTHER"):
            await programme_templates.add_template(session, team_id=team_id, name="Quarterly", settings="{}", created_by="U0ADMIN", now=START)
    async with db.begin() as session:
        assert await programme_templates.delete_template(session, team_id=TEAM, name="QUARTERLY") is True
        assert await programme_templates.delete_template(session, team_id=TEAM, name="Quarterly") is False
    async with db.begin() as session:
        assert await programme_templates.get_template(session, team_id=TEAM, name="Quarterly") is None
        assert await programme_templates.get_template(session, team_id="T0OTHER", name="quarterly") is not None
