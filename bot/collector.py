"""Python's cyclic garbage collector, held off while a planning step builds its many short-lived objects.

Each full pass of the collector walks every live object in the process (a few hundred thousand in the
bot) and holds the event loop meanwhile, for a hundred milliseconds or more; a step that makes a
hundred thousand objects sets off several. Held off, those objects are freed by reference counting
when the step is done (they make no cycles), so the passes are not put off but never needed.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """The collector off for the block, and back on after unless it was already off (so nested or
    interleaved uses never leave it off)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
