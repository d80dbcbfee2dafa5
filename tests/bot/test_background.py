"""Work after an answer (bot/background.py): queued once per key while it waits, run again when asked
for after it started, a few at a time, and a failure logged without stopping the rest."""

import asyncio
import logging

from bot.background import Background


async def test_asking_again_while_it_waits_its_turn_queues_nothing_more():
    background = Background(at_once=1)
    release = asyncio.Event()
    ran: list[str] = []

    async def blocker() -> None:
        await release.wait()
        ran.append("blocker")

    async def home() -> None:
        ran.append("home")

    assert background.once("blocker", blocker)
    assert background.once("home", home)
    assert not background.once("home", home)  # still waiting behind the blocker: the same run
    release.set()
    await background.finish()
    assert ran == ["blocker", "home"]


async def test_asking_again_once_it_has_started_runs_it_again_afterwards():
    background = Background()
    started, release = asyncio.Event(), asyncio.Event()
    runs = 0

    async def home() -> None:
        nonlocal runs
        runs += 1
        started.set()
        await release.wait()

    background.once("home", home)
    await started.wait()
    assert background.once("home", home)  # a change after the first run began: it may not show it
    release.set()
    await background.finish()
    assert runs == 2


async def test_no_more_than_at_once_run_together():
    background = Background(at_once=2)
    running = most = 0
    release = asyncio.Event()

    async def work() -> None:
        nonlocal running, most
        running += 1
        most = max(most, running)
        await release.wait()
        running -= 1

    for key in range(5):
        background.once(key, work)
    for _ in range(5):
        await asyncio.sleep(0)
    assert most == 2
    release.set()
    await background.finish()
    assert background.pending == 0


async def test_a_failure_is_logged_and_the_rest_still_run(caplog):
    background = Background()
    ran: list[str] = []

    async def broken() -> None:
        raise RuntimeError("Slack said no")

    async def fine() -> None:
        ran.append("fine")

    with caplog.at_level(logging.ERROR, logger="bot.background"):
        background.once("broken", broken)
        background.once("fine", fine)
        await background.finish()
    assert ran == ["fine"]
    assert "background work for broken failed" in caplog.text and "Slack said no" in caplog.text
    assert background.once("broken", fine)  # its key is free again
    await background.finish()
