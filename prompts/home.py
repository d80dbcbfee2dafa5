"""The App Home tab: the welcome for people not in a pair, and a participant's pair at a glance."""

from __future__ import annotations

from typing import Any

from prompts.blocks import Block, actions, button, context, divider, header, section
from prompts.charter import CHARTER_EDIT_ACTION, charter_lines, charter_state_line
from prompts.goals import GOALS_EDIT_ACTION, goal_lines
from prompts.next_step import next_step_button, next_step_text
from prompts.pairing import role_name
from prompts.topics import TOPICS_CHOOSE_ACTION, roadmap_blocks

HOME_CHARTER_HEADER = "Your charter"
HOME_GOALS_HEADER = "Goals"
HOME_ROADMAP_HEADER = "Topic roadmap"
HOME_NEXT_HEADER = "Your next step"


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


def build_participant_home(overview: Any) -> dict[str, Any]:
    """Home for someone in a pair: next step first, then the charter, goals and roadmap."""
    pair, step = overview.pair, overview.next_step
    paused = overview.progress.paused
    you_are = f"You're the *{role_name(overview.role)}* in a pair with <@{overview.partner_id}> ({role_name(overview.partner_role)})."
    if paused:
        you_are += " Your pair is paused for now."
    blocks: list[Block] = [header("Your reverse-mentoring pair"), section(you_are), header(HOME_NEXT_HEADER)]
    step_button = next_step_button(step, pair_id=pair.id, roadmap=overview.roadmap)
    blocks.append(section(next_step_text(step, partner_id=overview.partner_id), accessory=step_button))

    blocks += [divider(), header(HOME_CHARTER_HEADER)]
    if overview.charter is None:
        blocks.append(section("No charter yet."))
    else:
        blocks.append(section(charter_state_line(overview.charter, viewer_role=overview.role)))
        blocks.append(section("\n".join(charter_lines(overview.charter))))

    blocks += [divider(), header(HOME_GOALS_HEADER), section("*Yours*")]
    blocks += goal_lines(overview.my_goals) if overview.my_goals else [context("Not set yet.")]
    blocks.append(section(f"*<@{overview.partner_id}>'s*"))
    blocks += goal_lines(overview.partner_goals) if overview.partner_goals else [context("Not set yet.")]

    blocks += [divider(), header(HOME_ROADMAP_HEADER)]
    blocks += roadmap_blocks(
        pair_id=pair.id,
        items=overview.roadmap,
        i_agreed=overview.progress.i_agreed_roadmap,
        partner_agreed=overview.progress.partner_agreed_roadmap,
        can_edit=False,
    )
    blocks.append(divider())
    if not paused:
        blocks.append(
            actions(
                button("Edit the charter", CHARTER_EDIT_ACTION, str(pair.id)),
                button("Edit your goals", GOALS_EDIT_ACTION, str(pair.id)),
                button("Change topics", TOPICS_CHOOSE_ACTION, str(pair.id)),
            )
        )
    blocks.append(context("Type `/mentor help` any time to see what you can do. `/mentor goals` lets you update progress."))
    return {"type": "home", "blocks": blocks[:100]}
