"""What a person is told when they are paired, and when their pair changes (paused, resumed, ended).

The texts come from `prompts/data/onboarding.json`, `session_template.json` and `topic_guide.json`,
so they can be reworded without touching code.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.anonymity import effective_k
from domain.roles import Role
from domain.views import ProgrammeView
from prompts import content
from prompts.blocks import actions, button, context, divider, escape, header, message, section
from prompts.charter import CHARTER_OPEN_ACTION, rhythm
from prompts.privacy import admin_sees
from prompts.timefmt import format_day


def _bullets(lines: list[str]) -> str:
    return "\n".join(f"• {line}" for line in lines)


def _minutes(value: int) -> str:
    if value % 1440 == 0:
        days = value // 1440
        return "a day" if days == 1 else f"{days} days"
    if value % 60 == 0:
        hours = value // 60
        return "an hour" if hours == 1 else f"{hours} hours"
    return f"{value} minutes"


def _when_text(programme: ProgrammeView, *, charter_cadence_days: int | None = None) -> str:
    reminders = [_minutes(int(part)) for part in programme.reminder_minutes.split(",") if part.strip()]
    before = " and ".join(reminders) if reminders else "shortly"
    if charter_cadence_days is not None:
        how_often = f"You meet {rhythm(charter_cadence_days)}, as your charter says."
    else:
        how_often = f"The programme suggests meeting {rhythm(programme.cadence_days)}; your charter sets your own rhythm."
    return (
        "*When you will hear from me*\n"
        "• Now: agree your charter together. It takes about ten minutes.\n"
        f"• Before each session ({programme.session_minutes} minutes): a reminder {before} before. {how_often}\n"
        f"• About {programme.reflection_delay_minutes} minutes after each session: a few quick questions.\n"
        f"• Only in working hours ({programme.work_start_hour:02d}:00 to {programme.work_end_hour:02d}:00 your time), "
        f"and never while you are away (`/mentor away until 20 December`)."
    )


def _session_template() -> str:
    template = content.load("session_template")
    steps = "\n".join(f"{number}. *{step['title']}*: {step['guide']}" for number, step in enumerate(template["steps"], 1))
    return f"*{template['title']}*\n{steps}"


def _topic_guide() -> list[str]:
    guide = content.load("topic_guide")
    return [
        f"*{guide['title']}*\n*Good to talk about*\n{_bullets(guide['good_to_discuss'])}",
        f"*Handle with care*\n{_bullets(guide['handle_with_care'])}\n\n*Not for these sessions*\n{_bullets(guide['not_for_these_sessions'])}",
        guide["if_something_goes_wrong"],
    ]


def build_welcome(
    role: Role, *, partner_id: str, programme: ProgrammeView, pair_id: int | None = None, charter_cadence_days: int | None = None
) -> dict[str, Any]:
    """The welcome DM for one side of a new pair, with the button that opens the charter (its value: the pair id).
    How often they meet is the charter's to say: quoted when the pair has one, else the programme's suggestion."""
    onboarding = content.load("onboarding")
    if role is Role.MENTOR:
        paired = f"You are the *reverse-mentor* for <@{partner_id}> in *{escape(programme.name)}*. You lead; they learn."
        asked_title = "*What we ask of you*"
        asked = onboarding["mentor_onboarding"]
    else:
        paired = f"Your *reverse-mentor* is <@{partner_id}>, in *{escape(programme.name)}*. They lead; you learn."
        asked_title = "*What we ask of you*"
        asked = onboarding["mentee_onboarding"]
    blocks = [
        header("Welcome to your reverse-mentoring pair"),
        section(onboarding["welcome"][role.value]),
        section(paired),
        divider(),
        section(onboarding["what_is_reverse_mentoring"]),
        section(f"{asked_title}\n{_bullets(asked)}"),
    ]
    if role is Role.MENTOR:
        blocks += [divider(), section(_session_template())]
        blocks += [section(part) for part in _topic_guide()]
    blocks += [
        divider(),
        section(onboarding["what_the_bot_does"]),
        section(_when_text(programme, charter_cadence_days=charter_cadence_days)),
        section(admin_sees(effective_k(programme.k_anonymity))),
        section("*Your first step* is the charter: how often you meet, who books, and the ground rules you both accept. Either of you can start it."),
        actions(button("Start your charter", CHARTER_OPEN_ACTION, value=str(pair_id or ""), style="primary")),
        context("`/mentor profile` to share your department and interests · `/mentor help` for everything else"),
    ]
    fallback = (
        f"Welcome! You are now the reverse-mentor for <@{partner_id}>." if role is Role.MENTOR
        else f"Welcome! <@{partner_id}> is now your reverse-mentor."
    )
    return message(fallback, blocks)


PAIR_CHANGES = {
    "paused": "Your reverse-mentoring with <@{partner}> is *paused*{until}. I will hold reminders and nudges until then. Nothing is lost: your charter, goals and notes are kept.",
    "resumed": "Your reverse-mentoring with <@{partner}> is *back on*. Welcome back! A good next step is to book your next session.",
    "resumed_by_itself": "Your pause is over, so your reverse-mentoring with <@{partner}> is *back on*. Welcome back! A good next step is to book your next session.",
    "ended": "Your reverse-mentoring with <@{partner}> has now *ended*. Thank you both for the time and honesty you put into it. Your notes and actions stay with you.",
    "unpaired": "Your programme admin has *ended your pairing* with <@{partner}>. This is not a judgement on anyone; pairings sometimes need to change. Your admin will be in touch about what happens next, and anything you wrote stays private.",
}


def build_pair_change(change: str, *, partner_id: str, until: date | None = None) -> dict[str, Any]:
    until_text = f" until *{format_day(until)}*" if until else ""
    text = PAIR_CHANGES[change].format(partner=partner_id, until=until_text)
    return message(text.replace("*", ""), [section(text)])
