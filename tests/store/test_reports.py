"""The report's loader reads a programme in a fixed number of queries, however many pairs it has."""

from sqlalchemy import event

from store.reports import load_history
from tests.conftest import START
from tests.factories import make_pair, make_programme
from tests.factories_history import held


async def queries_to_load(db, pairs: int) -> int:
    async with db.begin() as session:
        programme = await make_programme(session, now=START)
        for index in range(pairs):
            pair = await make_pair(session, programme=programme, now=START, mentor_id=f"U1M{index}", mentee_id=f"U1E{index}")
            await held(session, pair, "2026-03-10T10:00:00")
        statements: list[str] = []
        engine = session.bind.sync_engine if hasattr(session.bind, "sync_engine") else session.bind
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            history = await load_history(session, team_id="T0FLIPSIDE", programme=programme)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
    assert len(history.pairs) == pairs and len(history.reflections) == 2 * pairs
    return len(statements)


async def test_loading_a_programme_takes_the_same_queries_for_3_or_30_pairs(db):
    assert await queries_to_load(db, 3) == await queries_to_load(db, 30)
