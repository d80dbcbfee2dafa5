"""`/mentor privacy`: what Flipside keeps about you and who sees it, your export, and deleting your data."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from domain.erasure import Erasure
from prompts.blocks import actions, button, context, divider, escape, header, message, plain, section
from prompts.timefmt import format_day

EXPORT_ACTION = "privacy_export"
DELETE_ACTION = "privacy_delete"
DELETE_CALLBACK = "privacy_delete_confirm"
CONFIRM_BLOCK = CONFIRM_ACTION = "privacy_confirm_word"
CONFIRM_WORD = "DELETE"
DEFAULT_K = 5
DEFAULT_RETENTION_DAYS = 365


def _days(days: int) -> str:
    return "1 day" if days == 1 else f"{days} days"


# What a programme admin sees, in the same words wherever a participant is told (the welcome DM,
# `/mentor privacy`, the questions behind the two flags); bot/flows/disclosure.py is what makes it true.
ADMIN_SURFACES = "the programme report and its chart, the CSV export, their Home tab and the final report"
FLAG_ROLES = "\"roles reverting\" (the senior side led 2 of the last 3 sessions, from your answers to who led)"
FLAG_TOPICS = "\"topics drying up\" (2 sessions in a row with no new insight and no roadmap topic covered)"
FLAG_NOTICE = "Your admin never sees this answer, only the pair flag {flag} it can raise."


def admin_sees(k: int) -> str:
    """Exactly what a programme admin sees, no more and no less, and what that does not promise."""
    return (
        f"*What your programme admin sees* (in {ADMIN_SURFACES})\n"
        "• For your pair: sessions booked, held and cancelled (by which side, and at short notice), whether the charter and "
        "roadmap are agreed, how many goals and actions there are and how far along, whether reflections were answered, "
        f"and two flags from your answers: {FLAG_ROLES} and {FLAG_TOPICS}.\n"
        f"• For the whole cohort only: how safe people feel, who led the sessions, the check-in scores and the change on the "
        f"programme's statements since the start, each over at "
        f"least {k} people and changing only once {k} more people have answered. The monthly post to reverse-mentors "
        "carries cohort figures only.\n"
        "• Never: what you write, any single answer of yours, or any figure from answers for one person or one pair.\n"
        f"What this does not promise: what you do (sessions, cancellations) is shown for your pair; a cohort figure over "
        f"exactly {k} people still counts your answer as one of {k}."
    )


def build_privacy_menu(*, k: int = DEFAULT_K, retention_days: int = DEFAULT_RETENTION_DAYS) -> dict[str, Any]:
    """The ephemeral answer to `/mentor privacy`: plain words, then the two buttons."""
    keeps = (
        "*What I keep about you*\n"
        "• Your name and time zone from Slack, and the department and topics you told me.\n"
        "• Your pair: your charter, goals, topics, sessions and actions.\n"
        "• Your reflections after each session, your check-in answers and your 1-7 answers to the programme's statements "
        "(`/mentor progress` shows your scores).\n"
        "What you write is stored encrypted."
    )
    who = (
        "*Who sees what*\n"
        "• *Your reflections are private to you by default.* If you choose to share one, your partner sees it only "
        "once they have reflected on the same session too.\n"
        "• Your partner sees your charter, your goals, your shared actions and your sessions, as you see theirs."
    )
    kept = (
        f"*How long*: your programme's personal data is kept for {_days(retention_days)} after it ends, then what "
        "people wrote is erased. The programme's figures stay, as anonymous counts."
    )
    blocks = [
        header("Your data in Flipside"),
        section(keeps),
        section(who),
        section(admin_sees(k)),
        section(kept),
        divider(),
        section("You can have a copy of everything I hold about you, or ask me to delete it."),
        actions(
            button("Export my data", EXPORT_ACTION, style="primary"),
            button("Delete my data", DELETE_ACTION, style="danger"),
        ),
    ]
    return {"response_type": "ephemeral", **message("Your data in Flipside: what I keep, who sees it, and your export or deletion.", blocks)}


# --- export ----------------------------------------------------------------------------------------


def export_filename(today: date) -> str:
    return f"flipside-my-data-{today.isoformat()}.json"


def export_comment() -> str:
    return (
        "Here is everything I hold about you, as a JSON file: your profile, pairs, charter, goals, reflections, "
        "actions, sessions, check-ins, answers to the programme's statements and the messages I sent you. Your partner's own answers are not in it."
    )


EXPORT_TITLE = "Your Flipside data"
EXPORT_FAILED = "Sorry, I couldn't send your file just now. Please try `/mentor privacy` again in a few minutes."
DELETE_FAILED = "Sorry, something went wrong and nothing was deleted. Please try `/mentor privacy` again in a few minutes."


def plain_message(text: str) -> dict[str, Any]:
    return message(text.replace("*", ""), [section(text)])


# --- delete ----------------------------------------------------------------------------------------


def build_delete_modal(*, partner_ids: list[str]) -> dict[str, Any]:
    """The confirmation: what goes, what stays, and the word to type."""
    goes = (
        "*What I will delete*\n"
        "• Everything you wrote: reflections, goals and notes, actions, check-in answers, your part of the charter, "
        "and reasons you gave for cancelling.\n"
        "• Your profile (name, department, topics, away dates) and the messages I have waiting for you.\n"
        "• Your role as an admin of any programme, and what my messages to others said about you.\n"
        "• Your answers to the programme's 1-7 statements: deleted outright, so they leave the cohort's figures."
    )
    stays = (
        "*What stays*\n"
        "• Your partner's own goals, reflections and actions, and the sessions you had together.\n"
        "• Your numeric answers, with your name taken off, so the programme's totals still add up. "
        "Nobody can link them back to you."
    )
    if partner_ids:
        partners = ", ".join(f"<@{partner}>" for partner in partner_ids)
        stays += f"\n\n*This also ends your pairing with {partners}*: I can't keep supporting your pair without your data."
    return {
        "type": "modal",
        "callback_id": DELETE_CALLBACK,
        "title": plain("Delete my data"),
        "submit": plain("Delete everything"),
        "close": plain("Keep my data"),
        "blocks": [
            section(goes),
            section(stays),
            section("This can't be undone. If you want a copy first, close this and choose *Export my data*."),
            {
                "type": "input",
                "block_id": CONFIRM_BLOCK,
                "label": plain(f"Type {CONFIRM_WORD}, in capitals, to confirm"),
                "element": {"type": "plain_text_input", "action_id": CONFIRM_ACTION, "placeholder": plain(CONFIRM_WORD)},
            },
        ],
    }


def confirm_errors(typed: str | None) -> dict[str, str]:
    """Exactly the word the label asks for (spaces around it forgiven): deleting can't be undone."""
    if (typed or "").strip() == CONFIRM_WORD:
        return {}
    return {CONFIRM_BLOCK: f"Type {CONFIRM_WORD} in capitals to delete your data, or close this window to keep it."}


def build_deleted(erasure: Erasure) -> dict[str, Any]:
    """The DM after an erasure: what was deleted, in counts."""
    if not erasure.anything:
        return plain_message("There's nothing about you left to delete: I hold no data about you.")
    parts = [
        (erasure.reflections, "reflection"),
        (erasure.goals, "goal"),
        (erasure.actions, "action"),
        (erasure.check_ins, "check-in answer"),
        (erasure.measure_answers, "statement answer"),
        (erasure.cancellations, "cancellation reason"),
        (erasure.messages, "message"),
    ]
    listed = [f"• {count} {what}{'' if count == 1 else 's'}" for count, what in parts if count]
    if erasure.charters:
        listed.append("• your part of the charter")
    if erasure.profile:
        listed.append("• your profile")
    if erasure.enrolments:
        listed.append(f"• your enrolment in {erasure.enrolments} programme{'' if erasure.enrolments == 1 else 's'}")
    if erasure.calendars:
        listed.append("• your connected calendar (disconnected) and the record of the sessions on it")
    if erasure.org_chart:
        listed.append("• your place in the org chart")
    lines = "\n".join(listed) or "• your name on your pair's records"
    text = f"Done: I've deleted your data.\n{lines}"
    if erasure.partners_left:
        text += "\nYour pairing has ended. Your partner keeps their own records."
    text += "\nYour numeric answers stay in the programme's totals, with your name taken off. Thank you for taking part."
    return message("Done: I've deleted your data.", [section(text), context("If you use Flipside again, I'll start afresh.")])


def build_partner_left(user_id: str) -> dict[str, Any]:
    return plain_message(
        f"Your pairing with <@{user_id}> has ended: they have left the programme. Your own goals, reflections and actions "
        "are kept. Your programme admin can pair you with someone new."
    )


def build_pair_ended_for_admin(partner_id: str) -> dict[str, Any]:
    """To the programme admin: the pair ended because one side erased their data; no one else is named, no reason given."""
    return plain_message(
        f"The pairing of <@{partner_id}> has ended: their partner left the programme. "
        f"<@{partner_id}> can be paired with someone new: `/mentor admin match` or `/mentor admin pair`."
    )


# --- retention -------------------------------------------------------------------------------------


def build_retention_purged(*, programme_name: str, ends_on: date, retention_days: int, now: datetime) -> dict[str, Any]:
    """To each admin, once, when a programme's personal text has been erased."""
    text = (
        f"*{escape(programme_name)}* ended on {format_day(ends_on)}, and its {_days(retention_days)} of keeping personal data "
        f"are up, so today ({format_day(now.date())}) I erased what people wrote: reflections, goals, actions, "
        "check-in answers and charters. The programme's figures stay, as counts."
    )
    return plain_message(text)
