"""What admins see around the steps that are hard to take back: who may set up the first programme,
the confirmation before a pair ends, reopening an ended pair, and a post that Slack refused."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from domain.pair_reopen import ReopenRefusal, ReopenRefused
from domain.programme_limits import REOPEN_GRACE_DAYS
from prompts.blocks import ephemeral, escape, message, plain, section
from prompts.timefmt import format_day

END_CALLBACK = "admin_pair_end"
REOPEN_USAGE = "Mention one person from the ended pair, e.g. `/mentor admin reopen @priya`."
REOPEN_HINT = f"You can undo it within {REOPEN_GRACE_DAYS} days with `/mentor admin reopen @someone`."


# --- the first set-up --------------------------------------------------------------------------------

def build_first_setup_refused() -> dict[str, Any]:
    return ephemeral(
        "There is no programme here yet, and the first one is set up by a Slack workspace admin or owner, "
        "or by someone they name in the app's settings (`FLIPSIDE_SETUP_ADMINS`). "
        "Ask one of them to run `/mentor admin setup`; they can make you an admin of it in the form."
    )


# --- ending a pair ---------------------------------------------------------------------------------------

END_WORDS = {
    # verb: (title, submit, what the pair is told)
    "end": ("End this pair?", "End the pair", "I'll thank them both for their time and tell them the pair has ended."),
    "unpair": ("Unpair them?", "Unpair them", "I'll tell them both, kindly, that you've ended their pairing and will be in touch."),
}


def build_end_confirmation(verb: str, *, mentor_id: str, mentee_id: str, pair_id: int) -> dict[str, Any]:
    """The modal an admin confirms before a pair ends: who, what happens, and how to undo it."""
    title, submit, told = END_WORDS[verb]
    return {
        "type": "modal",
        "callback_id": END_CALLBACK,
        "private_metadata": json.dumps({"pair_id": pair_id, "verb": verb}),
        "title": plain(title),
        "submit": plain(submit),
        "close": plain("Keep the pair"),
        "blocks": [
            section(f"This ends the pair of <@{mentor_id}> (reverse-mentor) and <@{mentee_id}> (mentee)."),
            section(f"{told} Their reminders and nudges stop. Their sessions, charter, roadmap, goals and reflections are kept."),
            section(f"{REOPEN_HINT} Only if you meant to hold things for a while, close this and use `/mentor admin pause` instead."),
        ],
    }


ENDED = {
    "end": "The pair of <@{mentor}> and <@{mentee}> has ended, and I've thanked them both.",
    "unpair": "<@{mentor}> and <@{mentee}> are no longer paired, and I've let them both know; both can be paired again.",
}


def build_ended(verb: str, *, mentor_id: str, mentee_id: str, reopen_until: date) -> dict[str, Any]:
    """To the admin once the pair has ended: done, history kept, and until when it can be undone."""
    text = (
        ENDED[verb].format(mentor=mentor_id, mentee=mentee_id)
        + f" Their history is kept. Changed your mind? `/mentor admin reopen <@{mentor_id}>` until {format_day(reopen_until)}."
    )
    return message(text, [section(text)])


# --- reopening ----------------------------------------------------------------------------------------

def build_reopened(*, mentor_id: str, mentee_id: str) -> dict[str, Any]:
    return ephemeral(f"The pair of <@{mentor_id}> and <@{mentee_id}> is reopened, with its history as it was. I've let them both know.")


def build_reopened_notice(*, partner_id: str) -> dict[str, Any]:
    text = (
        f"Good news: your programme admin has reopened your reverse-mentoring with <@{partner_id}>, so it's *back on*. "
        "Your charter, sessions, roadmap and notes are all as you left them. A good next step is to book your next session."
    )
    return message(text.replace("*", ""), [section(text)])


def build_reopen_refused(refused: ReopenRefused) -> dict[str, Any]:
    who = f"<@{refused.user_id}>"
    match refused.reason:
        case ReopenRefusal.NO_ENDED_PAIR:
            text = f"{who} has no ended pair to reopen."
        case ReopenRefusal.PROGRAMME_CLOSED:
            text = f"The pair of {who} belongs to a programme that has closed, so it can't be reopened. Pair them again in this one instead."
        case ReopenRefusal.ERASED:
            text = f"I can't reopen the pair of {who}: one of them deleted their data, which ended it for good."
        case ReopenRefusal.TOO_LATE:
            ended = format_day(refused.ended_on) if refused.ended_on else "a while ago"
            text = (
                f"The pair of {who} ended on {ended}, more than {REOPEN_GRACE_DAYS} days ago, so it can't be reopened. "
                "Pair them again with `/mentor admin pair @mentor @mentee`."
            )
        case _:
            text = f"I can't reopen that pair: {who} is in another pair now. End or unpair that one first."
    return ephemeral(text)


# --- a post Slack refused ---------------------------------------------------------------------------

def build_post_died(*, recipient_id: str, error: str, admin_id: str) -> dict[str, Any]:
    """To an admin, once: a post for them or their cohort's channel could not be delivered."""
    where = "you" if recipient_id == admin_id else f"<#{recipient_id}>"
    text = f"A message I meant for {where} couldn't be delivered: Slack said `{escape(error)}`."
    if recipient_id.startswith(("C", "G")):
        text += (
            " The channel may have been archived or deleted, or it's private and I'm not in it. "
            "Choose another with `/mentor admin peers #channel`, or invite me there with `/invite @Flipside`."
        )
    return message(text, [section(text)])
