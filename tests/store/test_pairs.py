from domain.roles import Role
from domain.statuses import PairStatus
from store import pairs, people, programmes
from tests.conftest import START
from tests.factories import make_pair, make_programme


async def test_open_pairs_finds_either_side_and_skips_ended_pairs(db):
    async with db.begin() as session:
        programme = await make_programme(session, now=START)
        ended = await make_pair(session, programme=programme, now=START, mentor_id="U0MENTOR", mentee_id="U0OTHER", status=PairStatus.ENDED)
        active = await make_pair(session, programme=programme, now=START)
    async with db() as session:
        assert [pair.id for pair in await pairs.open_pairs_of(session, team_id="T0FLIPSIDE", user_id="U0MENTOR")] == [active.id]
        assert [pair.id for pair in await pairs.open_pairs_of(session, team_id="T0FLIPSIDE", user_id="U0MENTEE")] == [active.id]
        assert await pairs.open_pairs_of(session, team_id="T0FLIPSIDE", user_id="U0OTHER") == []
        assert await pairs.open_pairs_of(session, team_id="T0OTHERTEAM", user_id="U0MENTOR") == []
        assert await programmes.admin_ids(session, team_id="T0FLIPSIDE", programme_id=programme.id) == ["U0ADMIN"]
    assert ended.id != active.id
    assert pairs.role_in(active, "U0MENTEE") is Role.MENTEE
    assert pairs.partner_of(active, "U0MENTEE") == "U0MENTOR"


async def test_upsert_person_keeps_what_they_told_us(db):
    async with db.begin() as session:
        person = await people.upsert_person(session, team_id="T0FLIPSIDE", user_id="U0MENTOR", name="Priya", tz="Asia/Kolkata", now=START)
        person.department = "Data"
    async with db.begin() as session:
        await people.upsert_person(session, team_id="T0FLIPSIDE", user_id="U0MENTOR", name="Priya N", tz="Europe/London", now=START)
    async with db() as session:
        stored = await people.get_person(session, team_id="T0FLIPSIDE", user_id="U0MENTOR")
    assert (stored.name, stored.tz, stored.department) == ("Priya N", "Europe/London", "Data")
