"""The words and blocks for a booking outside working hours: the time in both zones, and the explicit
"book anyway" (a button under a typed `/mentor schedule <when>`, a tick box in the booking form).

The choice carries the time it was shown for (its epoch), so it books that time and no other."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from prompts.blocks import Block, actions, button, context, message, plain, section
from prompts.timefmt import format_when

BOOK_ANYWAY_ACTION = "session_book_anyway"  # the button under a typed time: its value is the time's epoch
DONT_BOOK_ACTION = "session_dont_book"
ANYWAY_BLOCK = "anyway"  # the tick box in the booking form
VALUE = "value"  # the action_id of the single input in each block, as in prompts/sessions.py


@dataclass(frozen=True)
class Outside:
    """A time someone asked to book, and whose working hours it falls outside."""

    starts_at: datetime
    tz: str  # the booker's zone
    partner_id: str
    partner_tz: str
    booker_outside: bool
    partner_outside: bool
    start_hour: int
    end_hour: int


def both_zones(starts_at: datetime, *, tz: str, partner_id: str, partner_tz: str) -> str:
    """'Thu 5 Mar, 10:00 IST for you, Wed 4 Mar, 23:30 EST for @Tom'."""
    return f"{format_when(starts_at, tz)} for you, {format_when(starts_at, partner_tz)} for <@{partner_id}>"


def _for_whom(outside: Outside) -> str:
    if outside.booker_outside and outside.partner_outside:
        return "for you both"
    return "for you" if outside.booker_outside else f"for <@{outside.partner_id}>"


def warning_text(outside: Outside) -> str:
    times = both_zones(outside.starts_at, tz=outside.tz, partner_id=outside.partner_id, partner_tz=outside.partner_tz)
    return (f":warning: That's {times}: outside working hours {_for_whom(outside)} "
            f"({outside.start_hour:02d}:00 to {outside.end_hour:02d}:00 on weekdays).")


def anyway_value(starts_at: datetime) -> str:
    return str(int(starts_at.timestamp()))


def anyway_time(value: str | None) -> datetime | None:
    """The time a "book anyway" choice was shown for; None for a value it never carries."""
    try:
        return datetime.fromtimestamp(int(str(value)), UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def build_outside_hours_warning(outside: Outside) -> dict[str, Any]:
    """The answer to a typed time outside someone's working hours: nothing booked until they choose."""
    text = warning_text(outside)
    return message(text, [
        section(f"{text}\nI haven't booked it. Book it anyway if that suits you both, or try another time."),
        actions(button("Book anyway", BOOK_ANYWAY_ACTION, anyway_value(outside.starts_at), style="primary"),
                button("Don't book", DONT_BOOK_ACTION, "no"), block_id="outside-hours"),
    ])


NOT_BOOKED = "Not booked. `/mentor schedule` with another time books one, or `/mentor schedule` alone opens a form."


def build_not_booked() -> dict[str, Any]:
    return message(NOT_BOOKED, [section(NOT_BOOKED)])


def form_warning(outside: Outside, *, verb: str = "Book", submit: str = "Book") -> list[Block]:
    """The booking (or moving) form's question, shown above its fields: the time in both zones, and a tick box."""
    option = {"text": plain(f"{verb} it anyway"), "value": anyway_value(outside.starts_at)}
    return [
        section(warning_text(outside)),
        {
            "type": "input",
            "block_id": ANYWAY_BLOCK,
            "optional": True,
            "label": plain("Outside working hours"),
            "element": {"type": "checkboxes", "action_id": VALUE, "options": [option]},
        },
        context(f"Tick it and press {submit} again, or pick another time."),
    ]


def anyway_ticked(values: dict[str, Any], when: datetime | None) -> bool:
    """Whether the form's tick box was ticked for exactly the time submitted (a changed time asks again)."""
    chosen = ((values.get(ANYWAY_BLOCK) or {}).get(VALUE) or {}).get("selected_options") or []
    return when is not None and any(anyway_time(option.get("value")) == when for option in chosen)
