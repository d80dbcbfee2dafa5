"""Every word and Block Kit structure about booking sessions: the forms, the notices of a booking,
a move or a cancellation, the refusals and `/mentor sessions` (the reminders are prompts/session_reminders.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from domain.times import TimeProblem
from prompts import content
from prompts.blocks import Block, actions, button, context, escape, excerpt, message, plain, section
from prompts.booking_hours import anyway_ticked
from prompts.calendar import CalendarEntry, add_to_calendar_button, calendar_links
from prompts.timefmt import format_day, format_when, local

# action_id / callback_id constants, imported by handlers/sessions.py
CONFIRM_ACTION = "session_confirm"
RESCHEDULE_ACTION = "session_reschedule"
CANCEL_ACTION = "session_cancel"
SCHEDULE_OPEN_ACTION = "session_schedule_open"  # "Book a session" (Home): opens the same form as `/mentor schedule`

SCHEDULE_CALLBACK = "session_schedule"
LOG_CALLBACK = "session_log"
RESCHEDULE_CALLBACK = "session_reschedule_submit"
CANCEL_CALLBACK = "session_cancel_submit"

WHEN_BLOCK = "when"
LENGTH_BLOCK = "length"
TOPIC_BLOCK = "topic"
WHERE_BLOCK = "where"
REASON_BLOCK = "reason"
VALUE = "value"  # the action_id of the single input in each block

NO_TOPIC = "none"
LENGTHS = (30, 45, 60, 75, 90, 120)


def _catalogue() -> dict[str, dict[str, Any]]:
    return {topic["key"]: topic for topic in content.topic_catalogue()}


def catalogue_topics() -> list[tuple[str, str]]:
    return [(key, topic["title"]) for key, topic in _catalogue().items()]


@dataclass(frozen=True)
class SessionView:
    """A session as the messages show it, for one reader."""

    id: int
    starts_at: datetime
    minutes: int
    topic: str
    location: str
    status: str
    partner_id: str
    tz: str
    late_cancel: bool = False
    confirmed: bool = False
    partner_tz: str = ""  # the partner's zone, where a message names their time too
    partner_name: str = ""  # their name in Slack, for a calendar's plain text (messages mention them instead)
    programme: str = ""  # the pair's programme, named when the reader is in more than one

    def calendar_entry(self) -> CalendarEntry:
        return CalendarEntry(self.id, self.starts_at, self.minutes, self.topic, self.location, self.partner_name)


def when_text(view: SessionView) -> str:
    """When and how long, in the reader's zone."""
    return f"{format_when(view.starts_at, view.tz)} ({view.minutes} min)"


def when_for_both(view: SessionView) -> str:
    """When and how long in the reader's zone, and the partner's local time when their clock differs."""
    if not view.partner_tz or format_when(view.starts_at, view.partner_tz) == format_when(view.starts_at, view.tz):
        return when_text(view)
    return f"{when_text(view)}; for <@{view.partner_id}> that's {format_when(view.starts_at, view.partner_tz)}"


def session_details(view: SessionView) -> str:
    """When, with whom, the topic and the place, one per line, in the reader's zone."""
    lines = [f"*When:* {when_text(view)}", f"*With:* <@{view.partner_id}>"]
    if view.programme:
        lines.append(f"*Programme:* {escape(view.programme)}")
    if view.topic:
        lines.append(f"*Topic:* {escape(view.topic)}")
    if view.location:
        lines.append(f"*Where:* {escape(view.location)}")
    return "\n".join(lines)


def session_buttons(session_id: int, *, confirmed: bool = False, calendar: CalendarEntry | None = None) -> Block:
    """Confirm (until this reader has), Reschedule, Cancel, and "Add to calendar" where the session is offered as an event."""
    elements = []
    if not confirmed:
        elements.append(button("Confirm", CONFIRM_ACTION, str(session_id), style="primary"))
    elements += [button("Reschedule", RESCHEDULE_ACTION, str(session_id)), button("Cancel", CANCEL_ACTION, str(session_id))]
    if calendar is not None:
        elements.append(add_to_calendar_button(calendar))
    return actions(*elements, block_id=f"session-{session_id}")


def session_id_of(value: str) -> int | None:
    """The session id a session button carries; None for a value these buttons never send."""
    try:
        return int(str(value).split(":")[0])
    except ValueError:
        return None


def book_button() -> dict[str, Any]:
    return button("Book a session", SCHEDULE_OPEN_ACTION, "book", style="primary")


# --- booking ------------------------------------------------------------------------------------


def build_booking_message(view: SessionView, *, booked_by_reader: bool, after_programme_end: bool = False) -> dict[str, Any]:
    intro = "You booked a session." if booked_by_reader else f"<@{view.partner_id}> booked a session with you."
    blocks = [section(f"*{intro}* :calendar:\n{session_details(view)}" + _their_time(view))]
    if after_programme_end:
        blocks.append(context(":warning: This is after the programme's planned end. That's fine if you both want to keep going."))
    blocks += [session_buttons(view.id, confirmed=view.confirmed, calendar=view.calendar_entry()), calendar_links(view.calendar_entry())]
    blocks.append(context("I'll remind you both beforehand, and ask how it went afterwards."))
    return message(f"{intro} {when_for_both(view)}", blocks)


def _their_time(view: SessionView) -> str:
    shown = when_for_both(view)
    return f"\n*Their time:* {format_when(view.starts_at, view.partner_tz)}" if shown != when_text(view) else ""


def build_booked_ack(view: SessionView, *, after_programme_end: bool) -> dict[str, Any]:
    text = f"Booked: {when_for_both(view)}. I've sent you both the details."
    if after_programme_end:
        text += " Note: that's after the programme's planned end."
    return message(text, [section(text)])


def build_confirmed_notice(view: SessionView, *, confirmer_id: str) -> dict[str, Any]:
    text = f"<@{confirmer_id}> confirmed your session on {when_text(view)}. :white_check_mark:"
    return message(text, [section(text)])


def build_confirmed_ack(view: SessionView) -> dict[str, Any]:
    text = f"Thanks, you've confirmed {when_text(view)}. I've let <@{view.partner_id}> know."
    return message(text, [section(text)])


def build_moved_notice(view: SessionView, *, moved_by_reader: bool, previous: datetime, reason: str) -> dict[str, Any]:
    who = "You moved" if moved_by_reader else f"<@{view.partner_id}> moved"
    text = f"{who} your session from {format_when(previous, view.tz)} to {when_text(view)}."
    blocks = [section(f"*{text}*" + (f"\n*Why:* {escape(reason)}" if reason else "") + f"\n{session_details(view)}"),
              session_buttons(view.id, confirmed=view.confirmed, calendar=view.calendar_entry()), calendar_links(view.calendar_entry())]
    return message(text, blocks)


def build_cancelled_notice(view: SessionView, *, cancelled_by_reader: bool, reason: str) -> dict[str, Any]:
    if cancelled_by_reader:
        text = f"You cancelled your session on {when_text(view)}."
        follow = "When you're ready, `/mentor schedule` books the next one."
    else:
        text = f"<@{view.partner_id}> cancelled your session on {when_text(view)}."
        follow = "These things happen. `/mentor schedule` books a new time whenever suits you both."
    body = text + (f"\n*Why:* {escape(reason)}" if reason else "") + "\n" + follow
    return message(text, [section(body)])


def build_session_gone(reason: str = "That session has already been cancelled or has taken place.") -> dict[str, Any]:
    return message(reason, [section(reason)])


# --- refusals -----------------------------------------------------------------------------------

TIME_PROBLEMS = {
    TimeProblem.EMPTY: "Tell me when, for example `/mentor schedule next tuesday 3pm`, or type `/mentor schedule` for a form.",
    TimeProblem.UNPARSEABLE: "I couldn't read *{typed}* as a date and time. Try something like `next tuesday 3pm` or `14 March 10:30`.",
    TimeProblem.NO_TIME: "*{typed}* has no time of day. Add one, for example `{typed} 3pm`.",
    TimeProblem.SAME_WEEKDAY: "Did you mean today or next week? Say `today ...` or `next {typed}`.",
    TimeProblem.NUMERIC_DATE: "*{typed}* could mean two different dates. Write the month as a word, like `4 March 2pm`.",
    TimeProblem.IN_THE_PAST: "*{typed}* is in the past. To record a session you've already had, use `/mentor log {typed}`.",
    TimeProblem.IN_THE_FUTURE: "*{typed}* hasn't happened yet. To book it, use `/mentor schedule {typed}`.",
}


def time_problem_text(problem: TimeProblem, typed: str) -> str:
    return TIME_PROBLEMS[problem].format(typed=excerpt(typed))


def build_refusal(text: str) -> dict[str, Any]:
    return message(text, [section(text)])


NO_PAIR = "You're not in an active pair yet, so there's nothing to book. Your programme admin will pair you up."
NOT_YOURS = "That session isn't one of yours."
PICK_A_TIME = "Pick a date and time."
PICKED_PAST = "That time has already passed. Pick a time in the future."
PICKED_FUTURE = "That time hasn't come yet. To book a future session, use `/mentor schedule`."
SOMETHING_WRONG = "Sorry, something went wrong on my side. Please try again in a moment."


def overlap_text(when: datetime, tz: str) -> str:
    return f"You already have a session around {format_when(when, tz)}. Pick a time that doesn't overlap it."


def refusal_text(reason: str, *, clash: datetime | None, tz: str, since: datetime | None = None, partner_id: str = "") -> str:
    """The words for a refusal reason from `bot.flows.bookings` (an overlap names the other session's start;
    a session logged too early, when the programme or the pair began)."""
    if reason == "overlap" and clash is not None:
        return overlap_text(clash, tz)
    if reason == "before_programme" and since is not None:
        return (f"The programme started on {format_day(local(since, tz).date())}, so I can only log sessions from then on. "
                "Check the date and try again.")
    if reason == "before_pair" and since is not None:
        return (f"You and <@{partner_id}> were paired on {format_when(since, tz)}, so I can only log your sessions together "
                "from then on. Check the date and try again.")
    texts = {"no_pair": NO_PAIR, "not_yours": NOT_YOURS, "gone": build_session_gone()["text"], "in_the_past": PICKED_PAST,
             "in_the_future": PICKED_FUTURE}
    return texts.get(reason, SOMETHING_WRONG)


# --- modals -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FormAnswers:
    """What a booking, logging, moving or cancelling form was submitted with (absent fields empty)."""

    when: datetime | None
    minutes: int
    topic_key: str | None
    location: str
    reason: str
    anyway: bool = False  # "book anyway" ticked for this very time


def read_form(view: dict[str, Any]) -> FormAnswers:
    """The answers from a submitted session form's state, by the block ids these forms use."""
    values = (view.get("state") or {}).get("values") or {}

    def value(block_id: str) -> dict[str, Any]:
        return values.get(block_id, {}).get(VALUE) or {}

    def selected(block_id: str) -> str | None:
        option = value(block_id).get("selected_option")
        return option.get("value") if option else None

    epoch = value(WHEN_BLOCK).get("selected_date_time")
    when = datetime.fromtimestamp(int(epoch), UTC) if epoch is not None else None
    return FormAnswers(
        when=when,
        minutes=int(selected(LENGTH_BLOCK) or 0),
        topic_key=selected(TOPIC_BLOCK),
        location=(value(WHERE_BLOCK).get("value") or "").strip(),
        reason=(value(REASON_BLOCK).get("value") or "").strip(),
        anyway=anyway_ticked(values, when),
    )


def _modal(callback_id: str, title: str, submit: str, blocks: list[Block], metadata: str, close: str = "Cancel") -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title[:24]),
        "submit": plain(submit[:24]),
        "close": plain(close[:24]),
        "private_metadata": metadata,
        "blocks": blocks,
    }


def _when_input(label: str, initial: datetime) -> Block:
    # Slack shows a datetimepicker in the viewer's own zone and sends back a UTC epoch.
    return {
        "type": "input",
        "block_id": WHEN_BLOCK,
        "label": plain(label),
        "element": {"type": "datetimepicker", "action_id": VALUE, "initial_date_time": int(initial.timestamp())},
    }


def _option(text: str, value: str) -> dict[str, Any]:
    return {"text": plain(text[:75]), "value": value[:150]}


def _length_input(minutes: int) -> Block:
    choices = sorted(set(LENGTHS) | {minutes})
    options = [_option(f"{m} minutes", str(m)) for m in choices]
    return {
        "type": "input",
        "block_id": LENGTH_BLOCK,
        "label": plain("How long"),
        "element": {
            "type": "static_select",
            "action_id": VALUE,
            "options": options,
            "initial_option": options[choices.index(minutes)],
        },
    }


def _topic_input(topics: list[tuple[str, str]], initial_key: str | None) -> Block:
    options = [_option(title, key) for key, title in topics[:99]] + [_option("No set topic: an open conversation", NO_TOPIC)]
    initial = next((option for option in options if option["value"] == initial_key), options[-1])
    return {
        "type": "input",
        "block_id": TOPIC_BLOCK,
        "label": plain("Topic"),
        "element": {"type": "static_select", "action_id": VALUE, "options": options, "initial_option": initial},
    }


def _text_input(block_id: str, label: str, placeholder: str, *, multiline: bool = False, initial: str = "") -> Block:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": VALUE,
        "multiline": multiline,
        "max_length": 300,
        "placeholder": plain(placeholder),
    }
    if initial:
        element["initial_value"] = initial
    return {"type": "input", "block_id": block_id, "optional": True, "label": plain(label), "element": element}


def build_schedule_modal(
    *, initial: datetime, minutes: int, topics: list[tuple[str, str]], topic_key: str | None, metadata: str, location: str = "",
    notes: list[Block] | None = None,
) -> dict[str, Any]:
    """The booking form, with `notes` above the fields: the times that suit both when it opens
    (prompts/suggestions.py), or the warning (prompts/booking_hours.py) when it is shown again because
    the time chosen is outside someone's working hours."""
    return _modal(
        SCHEDULE_CALLBACK,
        "Book a session",
        "Book",
        [
            section("Pick a time that suits you both. I'll send you each the details in your own time zone."),
            *(notes or []),
            _when_input("When", initial),
            _length_input(minutes),
            _topic_input(topics, topic_key),
            _text_input(WHERE_BLOCK, "Where", "A room, or a video link", initial=location),
        ],
        metadata,
    )


def build_log_modal(*, initial: datetime, minutes: int, topics: list[tuple[str, str]], topic_key: str | None, metadata: str) -> dict[str, Any]:
    return _modal(
        LOG_CALLBACK,
        "Log a session",
        "Log it",
        [
            section("Met without booking through me? Record it here and I'll ask you both how it went."),
            _when_input("When did you meet?", initial),
            _length_input(minutes),
            _topic_input(topics, topic_key),
        ],
        metadata,
    )


def build_reschedule_modal(view: SessionView, *, initial: datetime, reason: str = "", notes: list[Block] | None = None) -> dict[str, Any]:
    """The form to move a session; shown again with what was chosen and the warning (`notes`) when the new
    time is outside someone's working hours."""
    return _modal(
        RESCHEDULE_CALLBACK,
        "Move a session",
        "Move it",
        [
            section(f"Moving your session with <@{view.partner_id}> on {when_text(view)}. I'll tell them straight away."),
            *(notes or []),
            _when_input("New time", initial),
            _text_input(REASON_BLOCK, "Why", "A line for your partner", multiline=True, initial=reason),
        ],
        str(view.id),
    )


def build_cancel_modal(view: SessionView, *, late: bool) -> dict[str, Any]:
    blocks = [section(f"Cancel your session with <@{view.partner_id}> on {when_text(view)}? I'll tell them straight away.")]
    if late:
        blocks.append(context("It's less than 24 hours away, so it will count as a late cancellation."))
    blocks.append(_text_input(REASON_BLOCK, "Why", "A line for your partner", multiline=True))
    return _modal(CANCEL_CALLBACK, "Cancel a session", "Cancel session", blocks, str(view.id), close="Keep it")


# --- logging ------------------------------------------------------------------------------------


def build_logged_ack(view: SessionView) -> dict[str, Any]:
    text = f"Logged your session with <@{view.partner_id}> on {when_text(view)}. I've asked you both how it went."
    return message(text, [section(text)])
