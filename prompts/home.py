"""The App Home tab: the welcome for people not in a pair, and a participant's pair at a glance."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from domain.roles import Role
from domain.views import GoalView, PairView
from prompts.actions import ACTION_ADD_ACTION, action_line, done_button
from prompts.blocks import Block, actions, button, context, divider, escape, header, section
from prompts.calendar import calendar_links
from prompts.charter import CHARTER_EDIT_ACTION, charter_lines, charter_state_line
from prompts.goals import GOALS_EDIT_ACTION, goal_lines
from prompts.next_step import next_step_button, next_step_text
from prompts.pairing import role_name
from prompts.sessions import CONFIRM_ACTION, SessionView, book_button, session_buttons, session_details
from prompts.topics import TOPICS_CHOOSE_ACTION, roadmap_blocks

HOME_CHARTER_HEADER = "Your charter"
HOME_GOALS_HEADER = "Goals"
HOME_ROADMAP_HEADER = "Topic roadmap"
HOME_NEXT_HEADER = "Your next step"
HOME_SESSION_HEADER = "Your next session"
HOME_ACTIONS_HEADER = "Your open actions"
# What one Home shows of each list; the rest is counted, with the command that lists it all. With the
# roadmap's eight topics at most, a participant's Home stays near 50 blocks, well inside Slack's 100.
HOME_GOALS_SHOWN = 3
HOME_ACTIONS_SHOWN = 10
NO_SESSION = "Nothing booked yet."
NO_SESSION_PAUSED = "Nothing booked while your pair is paused."


def build_welcome_home() -> dict[str, Any]:
    return {
        "type": "home",
        "blocks": [
            header("Welcome to Flipside"),
            section(
                "Flipside supports *reverse mentoring*: a colleague earlier in their career mentors a "
                "senior leader, and both learn. I keep each pair on track with a charter, reminders, "
                "short reflections and a roadmap of topics."
            ),
            divider(),
            section("Type `/mentor help` in any conversation to see what you can do."),
            context("What you write in reflections stays private unless you choose to share it."),
        ],
    }


def enrolled_text(role: Role, *, programme_name: str) -> str:
    """For someone enrolled and not yet paired: in what, as what, and what happens next."""
    partner = role_name(Role.MENTEE if role is Role.MENTOR else Role.MENTOR)
    return (
        f"You're enrolled in *{escape(programme_name)}* as a *{role_name(role)}*. "
        f"Your programme admin will pair you with a {partner}, and I'll message you here as soon as you're paired."
    )


def build_enrolled_home(role: Role, *, programme_name: str) -> dict[str, Any]:
    return {
        "type": "home",
        "blocks": [
            header("Welcome to Flipside"),
            section(enrolled_text(role, programme_name=programme_name)),
            section("While you wait, `/mentor profile` lets you share your department and the topics you'd like to explore, so your pairing fits."),
            divider(),
            section("Type `/mentor help` in any conversation to see what you can do."),
            context("What you write in reflections stays private unless you choose to share it."),
        ],
    }


def _more(shown: int, total: int, command: str) -> list[Block]:
    return [context(f"…and {total - shown} more: `{command}`")] if total > shown else []


def _goals(goals: Sequence[GoalView]) -> list[Block]:
    if not goals:
        return [context("Not set yet.")]
    return goal_lines(goals[:HOME_GOALS_SHOWN]) + _more(HOME_GOALS_SHOWN, len(goals), "/mentor goals")


def _next_session(session: SessionView | None, *, paused: bool) -> list[Block]:
    """The next booked session in the viewer's zone, with the same buttons as the booking message."""
    if session is not None:
        blocks = [section(session_details(session))]
        # A paused pair can't move or cancel (the buttons would only be refused), so none are shown.
        entry = session.calendar_entry()
        return blocks if paused else [*blocks, session_buttons(session.id, confirmed=session.confirmed, calendar=entry), calendar_links(entry)]
    if paused:
        return [section(NO_SESSION_PAUSED)]
    return [section(NO_SESSION, accessory=book_button())]


def _open_actions(overview: PairView) -> list[Block]:
    mine = overview.my_open_actions
    blocks: list[Block] = [section(action_line(item, overview.user_id), accessory=done_button(item)) for item in mine[:HOME_ACTIONS_SHOWN]]
    if not mine:
        blocks.append(section("Nothing open. Actions you agree in your reflections appear here."))
    blocks += _more(HOME_ACTIONS_SHOWN, len(mine), "/mentor actions")
    theirs = overview.partner_open_actions
    if theirs:
        blocks.append(context(f"<@{overview.partner_id}> has {theirs} open action{'s' if theirs != 1 else ''}."))
    return blocks


def build_participant_home(overview: PairView, *, next_session: SessionView | None = None) -> dict[str, Any]:
    """Home for someone in a pair: next step and next session first, then the charter, goals,
    open actions and roadmap. `next_session` is the pair's next session as the viewer reads it."""
    pair_id, step = overview.pair_id, overview.next_step
    paused = overview.progress.paused
    you_are = f"You're the *{role_name(overview.role)}* in a pair with <@{overview.partner_id}> ({role_name(overview.partner_role)})."
    if paused:
        you_are += " Your pair is paused for now."
    blocks: list[Block] = [header("Your reverse-mentoring pair"), section(you_are), header(HOME_NEXT_HEADER)]
    step_button = next_step_button(step, pair_id=pair_id, roadmap=overview.roadmap, session_id=overview.step_session_id)
    if next_session is not None and step_button is not None and step_button["action_id"] == CONFIRM_ACTION and overview.step_session_id == next_session.id:
        step_button = None  # the session to confirm is the next one, shown just below with its own Confirm: one button, not two
    blocks.append(section(next_step_text(step, partner_id=overview.partner_id), accessory=step_button))

    blocks += [divider(), header(HOME_SESSION_HEADER), *_next_session(next_session, paused=paused)]

    blocks += [divider(), header(HOME_CHARTER_HEADER)]
    if overview.charter is None:
        blocks.append(section("No charter yet."))
    else:
        blocks.append(section(charter_state_line(overview.charter, viewer_role=overview.role)))
        blocks.append(section("\n".join(charter_lines(overview.charter))))

    blocks += [divider(), header(HOME_GOALS_HEADER), section("*Yours*")]
    blocks += _goals(overview.my_goals)
    blocks.append(section(f"*<@{overview.partner_id}>'s*"))
    blocks += _goals(overview.partner_goals)

    blocks += [divider(), header(HOME_ACTIONS_HEADER), *_open_actions(overview)]

    blocks += [divider(), header(HOME_ROADMAP_HEADER)]
    blocks += roadmap_blocks(
        pair_id=pair_id,
        items=overview.roadmap,
        i_agreed=overview.progress.i_agreed_roadmap,
        partner_agreed=overview.progress.partner_agreed_roadmap,
        can_edit=False,
    )
    blocks.append(divider())
    if not paused:
        blocks.append(
            actions(
                button("Edit the charter", CHARTER_EDIT_ACTION, str(pair_id)),
                button("Edit your goals", GOALS_EDIT_ACTION, str(pair_id)),
                button("Change topics", TOPICS_CHOOSE_ACTION, str(pair_id)),
                button("Add an action", ACTION_ADD_ACTION, "add"),
            )
        )
    blocks.append(context("Type `/mentor help` any time to see what you can do. `/mentor goals` lets you update progress."))
    return {"type": "home", "blocks": blocks}
