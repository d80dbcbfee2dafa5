"""Work that follows a change but is not part of its answer (republishing both members' Home, say).

The person who clicked waits for the answer to their click, not for the Homes; under load, the bot's
one event loop would otherwise spend as much on the Homes as on the answers. So such work runs
after the answer, a few pieces at a time, and each piece is keyed by what it is for: asked for again
while it still waits its turn, it is not queued twice (it reads the store when it runs, so it shows
every change made before then). Asked for once it has started, it runs again afterwards.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Hashable

logger = logging.getLogger(__name__)

AT_ONCE = 4  # a slow Slack holding one piece up does not hold up the rest


class Background:
    """One per process (held by Services); created outside any event loop, used inside one."""

    def __init__(self, *, at_once: int = AT_ONCE) -> None:
        self.at_once = at_once
        self._turns: asyncio.Semaphore | None = None
        self._waiting: set[Hashable] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    def once(self, key: Hashable, work: Callable[[], Awaitable[None]]) -> bool:
        """Run `work` in the background unless work for `key` is already waiting; say whether it was queued."""
        if key in self._waiting:
            return False
        self._waiting.add(key)
        task = asyncio.get_running_loop().create_task(self._run(key, work))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return True

    async def _run(self, key: Hashable, work: Callable[[], Awaitable[None]]) -> None:
        if self._turns is None:
            self._turns = asyncio.Semaphore(self.at_once)
        try:
            async with self._turns:
                self._waiting.discard(key)  # from here on, a new change asks for a run of its own
                await work()
        except Exception:
            logger.exception("background work for %s failed", key)
        finally:
            self._waiting.discard(key)

    @property
    def pending(self) -> int:
        return len(self._tasks)

    async def finish(self, within: float = 10.0) -> None:
        """Let what is queued run (for `within` seconds at most): at stop, before the database closes."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=within)
