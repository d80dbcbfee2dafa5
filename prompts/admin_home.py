"""The admin's Home tab: the report summary, the pairs needing attention (paged), and the way in to
setup, enrolment, pairing and export. A Home tab holds at most 100 blocks, so pairs are paged."""

from __future__ import annotations

from typing import Any

from domain.health import HealthReport
from prompts.blocks import Block, actions, button, context, divider, header, section
from prompts.measure_report import did_it_work_blocks
from prompts.report import attention_line, summary_blocks

ADMIN_SETUP_OPEN = "admin_setup_open"  # handled by the admin setup module
ADMIN_ENROL_OPEN = "admin_enrol_open"
ADMIN_PAIR_OPEN = "admin_pair_open"
ADMIN_ORG_OPEN = "admin_org_open"  # handled by handlers/admin_org.py
ADMIN_EXPORT = "admin_export"
ADMIN_ROLLUP = "admin_rollup"  # the roll-up across programmes (`/mentor admin report all`), to the DM
ADMIN_HOME_PREVIOUS = "admin_home_previous"
ADMIN_HOME_NEXT = "admin_home_next"
PAGE_SIZE = 20
HOME_BLOCK_LIMIT = 100


def page_count(total: int) -> int:
    return max(1, -(-total // PAGE_SIZE))


def build_admin_home(report: HealthReport, *, page: int = 0) -> dict[str, Any]:
    attention = report.needing_attention
    pages = page_count(len(attention))
    page = min(max(page, 0), pages - 1)
    shown = attention[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    blocks: list[Block] = [
        header(f"{report.programme_name}: programme health"),
        *summary_blocks(report),
        actions(
            button("Set up", ADMIN_SETUP_OPEN),
            button("Enrol people", ADMIN_ENROL_OPEN),
            button("Pair people", ADMIN_PAIR_OPEN),
            button("Org chart", ADMIN_ORG_OPEN),
            button("Export CSV", ADMIN_EXPORT, style="primary"),
            button("All programmes", ADMIN_ROLLUP),
            block_id="admin_home_actions",
        ),
        divider(),
        header("Pairs needing attention"),
    ]
    if not attention:
        blocks.append(section("None right now: every pair is on track. :tada:"))
    else:
        first = page * PAGE_SIZE + 1
        blocks.append(context(f"Red first, then amber. Showing {first}–{first + len(shown) - 1} of {len(attention)}."))
        blocks += [section(attention_line(pair)) for pair in shown]
        pager = []
        if page > 0:
            pager.append(button("Previous", ADMIN_HOME_PREVIOUS, str(page - 1)))
        if page < pages - 1:
            pager.append(button("Next", ADMIN_HOME_NEXT, str(page + 1)))
        if pager:
            blocks.append(actions(*pager, block_id="admin_home_pager"))
    blocks += [divider(), *did_it_work_blocks(report)]
    blocks.append(context("Reasons are flags, never anyone's words. Safety is shown only across enough people that no one can be singled out."))
    return {"type": "home", "blocks": blocks[:HOME_BLOCK_LIMIT]}
