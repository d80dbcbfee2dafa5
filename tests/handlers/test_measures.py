"""The validated measures in the DM: asked once per wave after the charter, at the mid-point and at the close;
one statement at a time (1-7 or Skip) or a form; refused to anyone not asked; `/mentor progress` (issue 18)."""

import json
from datetime import UTC, datetime, time, timedelta

from sqlmodel import select

from bot.sweep.programme_close import MIDPOINT_WINDOW_DAYS, midpoint_of
from bot.sweep.steps import sweep
from domain.measures import Wave
from domain.roles import Role
from prompts import measures as words
from sandbox.slack_requests import SlackRequests
from sandbox.workspace import Workspace
from store.models import MeasureAnswer, Outbox, Pair, Programme
from tests.conftest import START
from tests.factories import make_charter, make_pair, make_programme
from tests.factories_measures import answer_all
from tests.handlers.pairing_support import buttons, text_of

MENTOR, MENTEE, OTHER = "U0MENTOR", "U0MENTEE", "U0OTHER"


async def seed(bot, *, agreed: bool = True) -> Programme:
    async with bot.services.sessions.begin() as session:
        programme = await make_programme(session, now=START)
        pair = await make_pair(session, programme=programme, now=START)
        await make_charter(session, pair=pair, now=START, agreed=agreed)
    return programme


async def ask_both(bot, clock) -> None:
    """Sweep while Priya (Kolkata) is at work, then once Tom (New York) is: the wave reaches each in their day."""
    await bot.sweep_now()
    clock.advance(timedelta(hours=5))
    await bot.sweep_now()


async def answers(bot, user_id: str | None = None) -> list[MeasureAnswer]:
    async with bot.services.sessions.begin() as session:
        statement = select(MeasureAnswer).order_by(MeasureAnswer.id)
        if user_id:
            statement = statement.where(MeasureAnswer.user_id == user_id)
        return list((await session.exec(statement)).all())


def waiting(workspace: Workspace, user_id: str) -> dict | None:
    """The person's latest DM that shows 1-7 buttons, as Slack sends it back with a click."""
    for message in reversed(workspace.dm_messages(user_id)):
        if f"{words.MEASURE_ANSWER}_1" in buttons(message.blocks):
            return {"type": "message", "ts": message.ts, "text": message.text, "blocks": message.blocks}
    return None


def asking(workspace: Workspace, user_id: str) -> dict:
    found = waiting(workspace, user_id)
    assert found is not None, "no statement waiting"
    return found


async def click(slack: SlackRequests, user_id: str, message: dict, answer: str) -> None:
    await slack.block_action(user_id, buttons(message["blocks"])[f"{words.MEASURE_ANSWER}_{answer}"], message=message)


async def test_after_both_agree_the_charter_each_side_gets_the_first_statement_once(bot, workspace: Workspace, clock):
    await seed(bot)

    first = await bot.sweep_now()
    clock.advance(timedelta(hours=5))
    again = await bot.sweep_now()

    assert (first.counts["measures_asked"], again.counts["measures_asked"]) == (2, 0)
    for user_id in (MENTOR, MENTEE):
        message = asking(workspace, user_id)
        assert message["text"].startswith("1 of ")
        assert words.MEASURE_OPEN_FORM in buttons(message["blocks"])
        assert "only sees them added up across at least 5 people" in text_of(message["blocks"])


async def test_nothing_is_asked_before_both_agree(bot):
    await seed(bot, agreed=False)

    assert (await bot.sweep_now()).counts["measures_asked"] == 0


async def test_a_click_saves_the_answer_shows_it_and_asks_the_next_statement_and_skip_is_kept_as_a_skip(bot, slack: SlackRequests, workspace: Workspace):
    await seed(bot)
    await bot.sweep_now()
    first = asking(workspace, MENTOR)

    await click(slack, MENTOR, first, "6")
    await workspace.wait_until(lambda: (waiting(workspace, MENTOR) or first)["ts"] != first["ts"])
    second = asking(workspace, MENTOR)
    await click(slack, MENTOR, second, "skip")
    await workspace.wait_until(lambda: (waiting(workspace, MENTOR) or second)["ts"] != second["ts"])

    saved = await answers(bot, MENTOR)
    first_key, second_key = (item.key for item in words.items_for(Role.MENTOR)[:2])
    assert [(row.wave, row.item_key, row.value, row.role) for row in saved] == [("baseline", first_key, 6, "mentor"), ("baseline", second_key, None, "mentor")]
    [updated] = [call for call in workspace.calls_to("chat.update") if call.args["ts"] == first["ts"]]
    assert "You answered 6 (agree)" in json_text(updated.args)
    assert asking(workspace, MENTOR)["text"].startswith("3 of ")


def json_text(args: dict) -> str:
    return json.dumps(args)


async def test_the_last_statement_thanks_and_points_to_progress(bot, slack: SlackRequests, workspace: Workspace, clock):
    await seed(bot)
    await ask_both(bot, clock)
    total = len(words.items_for(Role.MENTEE))
    for _ in range(total):
        message = asking(workspace, MENTEE)
        await click(slack, MENTEE, message, "5")
        await workspace.wait_until(lambda m=message: workspace.dm_messages(MENTEE)[-1].ts != m["ts"])

    assert len(await answers(bot, MENTEE)) == total
    assert f"{total} of {total} statements answered at the start" in workspace.dm_messages(MENTEE)[-1].text


async def test_someone_else_clicking_a_persons_statement_is_refused_and_nothing_is_saved(bot, slack: SlackRequests, workspace: Workspace):
    await seed(bot)
    await bot.sweep_now()
    stolen = asking(workspace, MENTOR)
    mentor_only = buttons(stolen["blocks"])[f"{words.MEASURE_ANSWER}_1"] | {"value": "baseline:1:inclusion_heard:1"}

    await click(slack, OTHER, stolen, "1")  # Léo, in no pair, replays Priya's button
    await slack.block_action(MENTEE, mentor_only, message=stolen)  # her partner answers a statement asked only of her side
    await workspace.wait_until(lambda: len(workspace.responses) >= 2)

    assert await answers(bot) == []
    assert all(words.NOT_ASKED in json_text(reply) for reply in workspace.responses)


async def test_a_wave_not_yet_asked_cannot_be_answered(bot, slack: SlackRequests, workspace: Workspace):
    await seed(bot)
    await bot.sweep_now()
    message = asking(workspace, MENTOR)
    forged = buttons(message["blocks"])[f"{words.MEASURE_ANSWER}_7"] | {"value": message_value(message, "7").replace("baseline:", "close:")}

    await slack.block_action(MENTOR, forged, message=message)
    await workspace.wait_until(lambda: bool(workspace.responses))

    assert await answers(bot) == []


def message_value(message: dict, answer: str) -> str:
    return buttons(message["blocks"])[f"{words.MEASURE_ANSWER}_{answer}"]["value"]


async def test_the_form_saves_every_answer_at_once_and_a_blank_is_a_skip(bot, slack: SlackRequests, workspace: Workspace, clock):
    await seed(bot)
    await ask_both(bot, clock)
    message = asking(workspace, MENTEE)
    await slack.block_action(MENTEE, buttons(message["blocks"])[words.MEASURE_OPEN_FORM], message=message)
    await workspace.wait_for_calls("views.open")
    view = workspace.modal_stacks[MENTEE][-1]
    items = words.items_for(Role.MENTEE)
    values = {item.key: {item.key: {"type": "static_select", "selected_option": {"value": "4"}}} for item in items[1:]}
    values[items[0].key] = {items[0].key: {"type": "static_select", "selected_option": None}}

    await slack.view_submission(MENTEE, view, values)
    await workspace.wait_until(lambda: "statements answered" in workspace.dm_messages(MENTEE)[-1].text)

    saved = {row.item_key: row.value for row in await answers(bot, MENTEE)}
    assert saved == {items[0].key: None} | {item.key: 4 for item in items[1:]}


async def test_the_mid_point_and_the_close_each_ask_again_once(bot):
    programme = await seed(bot)
    await bot.sweep_now()

    mid = await _sweep_at(bot, datetime.combine(midpoint_of(programme), time(9), tzinfo=UTC))
    close = await _sweep_at(bot, datetime.combine(programme.ends_on, time(9), tzinfo=UTC))
    after = await _sweep_at(bot, datetime.combine(programme.ends_on, time(15), tzinfo=UTC) + timedelta(days=1))

    assert (mid, close, after) == (2, 2, 0)
    async with bot.services.sessions.begin() as session:
        kinds = sorted((await session.exec(select(Outbox.kind).where(Outbox.kind.startswith("measures_")))).all())
    assert kinds == ["measures_baseline"] * 2 + ["measures_close"] * 2 + ["measures_mid"] * 2


async def _sweep_at(bot, now: datetime) -> int:
    return (await sweep(bot.services, bot.clients, now)).counts["measures_asked"]


async def test_progress_shows_a_persons_own_scores_and_never_their_partners(bot, slack: SlackRequests):
    await seed(bot)
    async with bot.services.sessions.begin() as session:
        pair = (await session.exec(select(Pair))).one()
        await answer_all(session, pair=pair, user_id=MENTOR, wave=Wave.BASELINE, score=2, now=START)
        await answer_all(session, pair=pair, user_id=MENTOR, wave=Wave.MID, score=3, now=START)
        await answer_all(session, pair=pair, user_id=MENTEE, wave=Wave.BASELINE, score=6, now=START)  # the partner's: never shown to Priya

    mine = await slack.command_reply(MENTOR, "progress")
    theirs = await slack.command_reply(MENTEE, "progress")
    nobody = await slack.command_reply(OTHER, "progress")

    text = text_of(mine["blocks"])
    assert "at the start: 2.0 out of 7; at the mid-point: 3.0 out of 7" in text
    assert "6.0" not in text
    assert "at the start: 6.0 out of 7" in text_of(theirs["blocks"]) and "2.0" not in text_of(theirs["blocks"])
    assert nobody["text"] == words.PROGRESS_NONE


async def test_a_pair_agreed_after_the_half_way_day_gets_no_baseline_but_is_asked_at_the_close(bot):
    async with bot.services.sessions.begin() as session:
        programme = await make_programme(session, now=START)
        pair = await make_pair(session, programme=programme, now=START)
        late = datetime.combine(midpoint_of(programme), time(9), tzinfo=UTC) + timedelta(days=MIDPOINT_WINDOW_DAYS + 1)
        await make_charter(session, pair=pair, now=late)

    after_half_way = await _sweep_at(bot, late + timedelta(hours=1))
    at_close = await _sweep_at(bot, datetime.combine(programme.ends_on, time(9), tzinfo=UTC))

    assert (after_half_way, at_close) == (0, 2)
