"""Suggested session times: the list `/mentor schedule suggest` answers with (each time in both zones,
with a button that books it) and the lines the booking form opens with."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from domain.suggestions import NoSuggestion
from prompts.blocks import Block, button, context, message, section
from prompts.booking_hours import anyway_value, both_zones

SUGGESTED_BOOK_ACTION = "session_book_suggested"  # its value is the time's epoch, as "Book anyway"'s is
OWN_TIME_HINT = "Or book a time of your own: `/mentor schedule` opens the form, `/mentor schedule thursday 3pm` books straight away."
WHAT_SUITS = "in both your working hours, clear of your other sessions and of any calendar either of you has connected"


def suggested_value(starts_at: datetime) -> str:
    return anyway_value(starts_at)


def _problem_text(problem: NoSuggestion, *, partner_id: str, minutes: int, start_hour: int, end_hour: int) -> str:
    hours = f"{start_hour:02d}:00 to {end_hour:02d}:00 on weekdays"
    if problem is NoSuggestion.NO_SHARED_HOURS:
        return (f"Your working day and <@{partner_id}>'s never overlap for a whole {minutes}-minute session ({hours}, each in "
                "your own zone), so I have no time to suggest. Type a time that could work, and I'll show it in both zones before booking.")
    return (f"Every time your working days share ({hours}) is taken in the weeks ahead, by your sessions or your calendars. "
            "Type a time that could work, and I'll show it in both zones before booking.")


def build_suggestions(
    times: Sequence[datetime], *, tz: str, partner_id: str, partner_tz: str, minutes: int, problem: NoSuggestion | None,
    start_hour: int, end_hour: int,
) -> dict[str, Any]:
    """The answer to `/mentor schedule suggest`: up to three times, each with Book this."""
    if not times:
        text = _problem_text(problem or NoSuggestion.ALL_BUSY, partner_id=partner_id, minutes=minutes, start_hour=start_hour, end_hour=end_hour)
        return message(text, [section(text), context(OWN_TIME_HINT)])
    text = f"Times for a {minutes}-minute session that suit you and <@{partner_id}>, {WHAT_SUITS}:"
    blocks: list[Block] = [section(text)]
    blocks += [
        section(both_zones(start, tz=tz, partner_id=partner_id, partner_tz=partner_tz),
                accessory=button("Book this", SUGGESTED_BOOK_ACTION, suggested_value(start), style="primary"))
        for start in times
    ]
    blocks.append(context(OWN_TIME_HINT))
    return message(text, blocks)


def form_lines(times: Sequence[datetime], *, tz: str, partner_id: str, partner_tz: str) -> list[Block]:
    """Above the booking form's fields: the times that suit both (the first is filled in)."""
    if not times:
        return []
    listed = "\n".join(f"• {both_zones(start, tz=tz, partner_id=partner_id, partner_tz=partner_tz)}" for start in times)
    return [context(f"*Times that suit you both* ({WHAT_SUITS}); the first is filled in below:\n{listed}")]
