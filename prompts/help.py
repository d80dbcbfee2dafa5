"""What `/mentor help` says, and the pointer for a DM the bot does not understand."""

from __future__ import annotations

from typing import Any

from domain.programme_limits import REOPEN_GRACE_DAYS
from domain.roles import Role
from domain.views import PairView
from prompts.blocks import Block, context, divider, excerpt, header, message, section
from prompts.home import enrolled_text
from prompts.next_step import next_step_button, next_step_text
from prompts.pairing import role_name

COMMANDS: list[tuple[str, str]] = [
    ("/mentor help", "What you can do, and where you stand."),
    ("/mentor charter", "Agree with your partner how you'll work together."),
    ("/mentor goals", "Set one to three personal goals and update how they're going."),
    ("/mentor topics", "Choose and order the topics you'll cover together."),
    ("/mentor schedule", "Book a session (or type a time: `/mentor schedule next tuesday 3pm`)."),
    ("/mentor schedule suggest", "Three times that suit you both, each with a button to book it."),
    ("/mentor sessions", "Your sessions, coming up and past, to confirm, move or cancel."),
    ("/mentor log", "Record a session you've already had (or `/mentor log yesterday 4pm`)."),
    ("/mentor settings", "Choose which nudges you get, and set dates you're away."),
    ("/mentor reflect", "Reflect on your last session: a few short questions in our DM."),
    ("/mentor reflections", "Read your reflections, and what your partner chose to share."),
    ("/mentor progress", "Your own scores on the programme's statements (safety, relationship, inclusion), start to close. Only you see them."),
    ("/mentor actions", "Your pair's actions: tick them off, add, edit or drop them."),
    ("/mentor profile", "Your department and the topics you'd like to explore, for matching."),
    ("/mentor away until 20 December", "Hold your nudges while you're away (any day: `next friday` works too; `/mentor away off` when back)."),
    ("/mentor calendar", "Connect Google Calendar or Microsoft 365, so booked sessions land on it (`/mentor calendar disconnect` to stop)."),
    ("/mentor privacy", "What I keep about you and who sees it; export or delete your data."),
    ("/mentor programme", "In more than one programme? See which one your commands are about, and switch (`/mentor programme <name>`)."),
]

ADMIN_COMMANDS: list[tuple[str, str]] = [
    ("/mentor admin setup", "Set up or change the programme (`setup new` starts another beside it; `setup new <template>` starts it from a template)."),
    ("/mentor admin template", "List the programme templates; `template save <name>` saves this programme's settings as one, `template delete <name>` deletes it."),
    ("/mentor admin enrol mentor @a @b", "Enrol reverse-mentors or mentees; `enrol` alone opens a form, `enrol bulk` takes pasted emails."),
    ("/mentor admin pair @mentor @mentee", "Pair two enrolled people; `pair` alone opens a form."),
    ("/mentor admin match", "Suggest the best pairs for everyone enrolled but not yet paired."),
    ("/mentor admin org", "Import your org chart (CSV), so matching keeps reporting lines apart; or upload the .csv in our DM."),
    ("/mentor admin pause @someone until 20 December", "Pause a pair, until a day or until resumed; `resume @someone` brings it back."),
    ("/mentor admin end @someone", f"End a pair (`unpair` to pair them again) once you confirm; `reopen @someone` undoes it within {REOPEN_GRACE_DAYS} days."),
    ("/mentor admin report", "How the programme is going, with a chart in our DM."),
    ("/mentor admin report all", "Every running programme you run side by side, and their total (a workspace admin sees them all)."),
    ("/mentor admin export", "A CSV with one row per pair: counts and flags, no private answers."),
    ("/mentor admin peers #channel", "A monthly post for the cohort's reverse-mentors in a channel of your choice."),
]


def _listed(commands: list[tuple[str, str]]) -> str:
    return "\n".join(f"• `{command}`: {what}" for command, what in commands)


def build_help_message(
    *, unknown: str | None = None, pair: PairView | None = None, admin: bool = False, enrolled: tuple[Role, str] | None = None
) -> dict[str, Any]:
    """Help for anyone; for someone in a pair (their view of it), where they stand
    too; for someone enrolled and waiting (their role, the programme's name), that they are; for someone
    who may run the programme (`admin`), the admin commands."""
    blocks = []
    if unknown:
        blocks.append(section(f"I don't know `/mentor {excerpt(unknown)}` yet. Here is what I can do:"))
    blocks += [
        header("Flipside: reverse mentoring, kept on track"),
        section(
            "I help a reverse-mentor and a senior colleague agree how they will work together, "
            "keep their sessions happening, and reflect on what they learn."
        ),
        divider(),
        *_standing(pair),
        *([section(enrolled_text(enrolled[0], programme_name=enrolled[1])), divider()] if enrolled else []),
        section(_listed(COMMANDS)),
    ]
    if admin:
        blocks += [divider(), section(f"*For programme admins*\n{_listed(ADMIN_COMMANDS)}")]
    blocks.append(context("Open my *Home* tab any time to see your next step."))
    fallback = f"I don't know `/mentor {excerpt(unknown)}`. " if unknown else ""
    return message(fallback + "Flipside help: type /mentor help to see what you can do.", blocks)


def did_you_mean(typed: str, meant: str) -> str:
    """A typo's answer: the command as typed and as it was probably meant, both quoted short and clean."""
    return f"I don't know `/mentor {excerpt(typed)}`. Did you mean `/mentor {excerpt(meant)}`?"


def build_did_you_mean(typed: str, meant: str) -> dict[str, Any]:
    text = did_you_mean(typed, meant)
    return message(text, [section(text), context("Type `/mentor help` to see everything I can do.")])


def _standing(pair: PairView | None) -> list[Block]:
    if pair is None:
        return []
    where = f"You're the *{role_name(pair.role)}* in a pair with <@{pair.partner_id}>."
    step = pair.next_step
    step_button = next_step_button(step, pair_id=pair.pair_id, roadmap=pair.roadmap, session_id=pair.step_session_id)
    return [section(where), section(f"*Your next step:* {next_step_text(step, partner_id=pair.partner_id)}", accessory=step_button), divider()]


def build_dm_pointer() -> dict[str, Any]:
    text = "I didn't catch that. Type `/mentor help` to see what I can do, or open my Home tab for your next step."
    return message(text, [section(text)])
