"""The nudges that keep a pair moving, and the settings that let a person quieten them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from domain.nudges import ACTION_DUE, TIPS, Kind
from prompts.blocks import context, escape, message, plain, section
from prompts.timefmt import format_day

SETTINGS_CALLBACK = "nudge_settings"
KINDS_BLOCK = "kinds"
AWAY_BLOCK = "away"
VALUE = "value"

# What each optional nudge is called in /mentor settings.
KIND_LABELS = {
    Kind.MOMENTUM: "Reminders to book the next session when it's been a while",
    Kind.CANCEL_STREAK: "A note when sessions keep getting cancelled",
    TIPS: "Tips after your reflections (balance, fresh topics, goals)",
    ACTION_DUE: "A reminder when an action you agreed is due",
    Kind.PAIR_STALLED: "For programme admins: when a pair has stalled",
}


def build_momentum_nudge(*, rung: str, partner_id: str, first_session: bool, cadence_days: int, next_topic: str = "") -> dict[str, Any]:
    """"Please book": to the pair's booker, then to both; it names the roadmap's next topic not yet covered."""
    if rung == "driver":
        if first_session:
            text = f"Time to book your first session with <@{partner_id}>? A first conversation sets the tone, and it needn't be long."
        else:
            text = (
                f"It's been more than {cadence_days} days since you last met <@{partner_id}>, and nothing is booked. "
                "You agreed to book your sessions: could you find a time this week?"
            )
    elif first_session:
        text = f"You and <@{partner_id}> haven't had your first session yet. Whoever is free first, could you suggest a time?"
    else:
        text = (
            f"You and <@{partner_id}> haven't met for a while and nothing is booked. "
            "Pairs who keep a regular rhythm get the most from it: could one of you suggest a time?"
        )
    shown = f"{text} Next on your roadmap: *{escape(next_topic)}*." if next_topic else text
    blocks = [section(shown), context("`/mentor schedule` books a session in a few clicks. Turn these off in `/mentor settings`.")]
    return message(text, blocks)


def build_pair_stalled_notice(*, mentor_id: str, mentee_id: str, since: datetime, first_session: bool) -> dict[str, Any]:
    # Slack's date token shows the date in each reader's own zone; the fallback is UTC.
    day = f"<!date^{int(since.timestamp())}^{{date_long}}|{format_day(since.date())}>"
    what = "haven't had a first session" if first_session else "haven't met or booked a session"
    text = f"<@{mentor_id}> (reverse-mentor) and <@{mentee_id}> {what}; I've reminded them twice since {day}."
    blocks = [
        section(f"*A pair may need a hand* :wave:\n{text}"),
        context("A friendly word from you often helps. I only tell you about the gap, never about what they discussed."),
    ]
    return message("A pair may need a hand: " + text, blocks)


def build_cancel_streak_nudge(*, partner_id: str, cancelled_by_reader: bool) -> dict[str, Any]:
    if cancelled_by_reader:
        text = (
            f"Your last two sessions with <@{partner_id}> were both called off from your side. Diaries get busy, we know. "
            "Could you look at a time that you can protect, or agree a different rhythm with your partner?"
        )
    else:
        text = (
            f"Your last two sessions with <@{partner_id}> were called off. It might help to talk about a time or "
            "rhythm that works better for you both."
        )
    blocks = [section(text), context("`/mentor schedule` books a new time. Turn these notes off in `/mentor settings`.")]
    return message(text, blocks)


def build_settings_modal(*, muted: set[str], away_until: date | None) -> dict[str, Any]:
    options = [{"text": plain(label[:75]), "value": kind} for kind, label in KIND_LABELS.items()]
    checked = [option for option in options if option["value"] not in muted]
    element: dict[str, Any] = {"type": "checkboxes", "action_id": VALUE, "options": options}
    if checked:
        element["initial_options"] = checked
    away: dict[str, Any] = {"type": "datepicker", "action_id": VALUE, "placeholder": plain("Pick a date")}
    if away_until is not None:
        away["initial_date"] = away_until.isoformat()
    return {
        "type": "modal",
        "callback_id": SETTINGS_CALLBACK,
        "title": plain("Your nudges"),
        "submit": plain("Save"),
        "close": plain("Cancel"),
        "blocks": [
            section("Reminders before your sessions always come. Choose which other nudges you'd like."),
            {"type": "input", "block_id": KINDS_BLOCK, "optional": True, "label": plain("Send me"), "element": element},
            {"type": "input", "block_id": AWAY_BLOCK, "optional": True, "label": plain("Away until (inclusive)"), "element": away},
            context("While you're away I hold every nudge except reminders of sessions already booked."),
        ],
    }


def build_settings_saved(*, muted: set[str], away_until: date | None) -> dict[str, Any]:
    off = [KIND_LABELS[kind].lower() for kind in KIND_LABELS if kind in muted]
    text = "Saved. " + ("Turned off: " + "; ".join(off) + "." if off else "You'll get every kind of nudge.")
    if away_until is not None:
        text += f" I'll hold nudges until you're back after {format_day(away_until)}."
    return message(text, [section(text)])
