"""The stand-in workspace's waiting: what the tests and benchmarks wait on must wake every waiter."""

import asyncio

from sandbox.workspace import Call, Workspace


async def test_every_waiter_wakes_on_the_call_it_waits_for_not_only_the_last_to_start_waiting():
    workspace = Workspace(team_id="T0WAIT")
    first = asyncio.create_task(workspace.wait_for_calls("chat.postMessage", within=3))
    second = asyncio.create_task(workspace.wait_until(lambda: bool(workspace.calls_to("chat.postMessage")), within=3))
    await asyncio.sleep(0)  # both are waiting now
    workspace.record(Call("chat.postMessage", {"channel": "D1"}))
    # Before each waiter had an event of its own, the first slept out its three seconds.
    done, _ = await asyncio.wait({first, second}, timeout=1)
    assert done == {first, second}
    assert len(first.result()) == 1 and second.result() is True


async def test_a_waiter_that_times_out_says_what_there_is():
    workspace = Workspace(team_id="T0WAIT")
    assert await workspace.wait_for_calls("views.publish", within=0.05) == []
    assert await workspace.wait_until(lambda: False, within=0.05) is False
