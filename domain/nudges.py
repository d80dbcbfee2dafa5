"""The kinds of queued message (outbox rows), and the groups a person can turn off."""

from __future__ import annotations


class Kind:
    """Outbox kinds. Session-bound ones always go; the others obey quiet hours, the cap and mutes."""

    REMINDER = "reminder"
    REFLECTION_PROMPT = "reflection_prompt"
    BOOKED = "session_booked"
    MOVED = "session_moved"
    CANCELLED = "session_cancelled"
    CONFIRMED = "session_confirmed"
    INVITE = "calendar_invite"  # an email with the session as a calendar event (iMIP): the booking, a move or the cancellation
    NO_EMAIL = "calendar_no_email"  # once: no email invite reaches this person, as Slack shows no email for them
    CALENDAR_EVENT = "calendar_event"  # the session on the booker's connected calendar: created, moved or cancelled there
    CALENDAR_NOTICE = "calendar_notice"  # about a connected calendar: connected, or (once) could not be updated
    MOMENTUM = "momentum"  # no session booked: please book the next one
    PAIR_STALLED = "pair_stalled"  # to a programme admin, at the top of the ladder
    CANCEL_STREAK = "cancel_streak"  # two cancellations in a row by the same side
    POST_DIED = "post_died"  # to a programme admin: a post for them or their cohort's channel was refused for good


TIPS = "tips"  # the reflection detectors' kinds (detector_*), turned off together


ACTION_DUE = "action_due"  # bot/flows/action_reminders.py
