"""The open actions a pair carries into its next session, soonest due first."""

from datetime import date

from store.actions import open_actions
from tests.conftest import START
from tests.factories import make_pair, make_programme
from tests.factories_sessions import make_action


async def test_open_actions_are_the_pairs_open_ones_soonest_due_first(db):
    async with db.begin() as session:
        programme = await make_programme(session, now=START)
        pair = await make_pair(session, programme=programme, now=START)
        other = await make_pair(session, programme=programme, now=START, mentor_id="U0OTHER", mentee_id="U0OWNER")
        await make_action(session, pair=pair, owner_id="U0MENTOR", text="No date", now=START)
        await make_action(session, pair=pair, owner_id="U0MENTEE", text="Later", now=START, due_on=date(2026, 5, 1))
        await make_action(session, pair=pair, owner_id="U0MENTOR", text="Sooner", now=START, due_on=date(2026, 4, 1))
        await make_action(session, pair=pair, owner_id="U0MENTOR", text="Done", now=START, status="done")
        await make_action(session, pair=pair, owner_id="U0MENTOR", text="Dropped", now=START, status="dropped")
        await make_action(session, pair=other, owner_id="U0OTHER", text="Not theirs", now=START)
    async with db() as session:
        found = await open_actions(session, team_id=pair.team_id, pair_id=pair.id)
    assert [action.text for action in found] == ["Sooner", "Later", "No date"]
