"""The topic roadmap: the catalogue, the form to choose and order topics, and the roadmap message."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from domain.views import RoadmapItemView
from prompts import content
from prompts.blocks import Block, actions, button, context, escape, header, message, plain, section

TOPICS_CHOOSE_ACTION = "topics_choose"  # value: the pair id
TOPICS_AGREE_ACTION = "topics_agree"  # value: "<pair id>:<item ids in order>", so an old request can't agree a new order
# An overflow menu per item; option value: "up:<item id>:<position>" or "down:<item id>:<position>", the
# position it had when shown, so a repeated choice (a double-click) does not move it a second time.
TOPICS_MOVE_ACTION = "topics_move"
TOPICS_CALLBACK = "topics_submit"  # private_metadata: the pair id
MODAL_TITLE = "Your topic roadmap"

CHOOSE_BLOCK, CHOOSE_ACTION = "topics_chosen", "chosen"
OWN_BLOCK, OWN_ACTION = "topics_own", "own"





def starters(topic_key: str) -> list[str]:
    return next((list(topic["starters"]) for topic in content.topic_catalogue() if topic["key"] == topic_key), [])


def agreement_value(pair_id: int, items: Sequence[RoadmapItemView]) -> str:
    return f"{pair_id}:" + ",".join(str(item.id) for item in items)


def move_value(direction: str, item_id: int, position: int) -> str:
    return f"{direction}:{item_id}:{position}"


def parse_move_value(value: str) -> tuple[str, int, int | None] | None:
    """(direction, item id, the position it was shown at); None for a value no menu of ours has."""
    direction, _, rest = value.partition(":")
    item_text, _, position_text = rest.partition(":")
    if direction not in ("up", "down") or not item_text.isdigit() or (position_text and not position_text.isdigit()):
        return None
    return direction, int(item_text), int(position_text) if position_text else None


def _option(text: str, value: str) -> dict[str, Any]:
    return {"text": plain(text[:75]), "value": value}


def build_topics_modal(
    *, pair_id: int, own_topics: list[tuple[str, str]], chosen_keys: list[str], minimum: int, maximum: int, offered_keys: Sequence[str] = ()
) -> dict[str, Any]:
    """Pick from the catalogue and your own topics, in the order to cover them; add new ones below.
    `offered_keys`: the programme's own list from the catalogue (its template's), beside any already chosen."""
    offered = set(offered_keys) | set(chosen_keys) if offered_keys else None
    catalogue_options = [_option(title, key) for key, title in content.topic_titles().items() if offered is None or key in offered]
    own_options = [_option(title, key) for key, title in own_topics]
    by_value = {option["value"]: option for option in catalogue_options + own_options}
    groups = [{"label": plain("Topics that work well"), "options": catalogue_options}]
    if own_options:
        groups.append({"label": plain("Your own topics"), "options": own_options})
    select: dict[str, Any] = {
        "type": "multi_static_select",
        "action_id": CHOOSE_ACTION,
        "placeholder": plain("Choose topics"),
        "option_groups": groups,
        "max_selected_items": maximum,
    }
    initial = [by_value[key] for key in chosen_keys if key in by_value]
    if initial:
        select["initial_options"] = initial
    return {
        "type": "modal",
        "callback_id": TOPICS_CALLBACK,
        "private_metadata": str(pair_id),
        "title": plain(MODAL_TITLE),
        "submit": plain("Save and agree"),
        "close": plain("Cancel"),
        "blocks": [
            section(
                f"Choose {minimum} to {maximum} topics to cover together, in the order you'd like to take them. "
                "Once saved, you can move any of them up or down. "
                "Saving counts as your agreement; I'll ask your partner to agree too."
            ),
            {"type": "input", "block_id": CHOOSE_BLOCK, "optional": True, "label": plain("Topics, in order"), "element": select},
            {
                "type": "input",
                "block_id": OWN_BLOCK,
                "optional": True,
                "label": plain("Topics of your own"),
                "hint": plain("One a line. They go after the ones chosen above."),
                "element": {"type": "plain_text_input", "action_id": OWN_ACTION, "multiline": True, "max_length": 600},
            },
        ],
    }


def parse_topics_submission(values: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(chosen option values in the order given, new own topic titles)."""
    chosen = [option["value"] for option in ((values.get(CHOOSE_BLOCK) or {}).get(CHOOSE_ACTION) or {}).get("selected_options") or []]
    typed = ((values.get(OWN_BLOCK) or {}).get(OWN_ACTION) or {}).get("value") or ""
    own: list[str] = []
    for line in typed.splitlines():
        title = line.strip(" •-*\t")[:120]
        if title and title.casefold() not in {existing.casefold() for existing in own}:
            own.append(title)
    return chosen, own


def wrong_count(count: int, minimum: int, maximum: int) -> str:
    if count < minimum:
        return f"Choose at least {minimum} topics (you have {count}). You can add your own below."
    return f"Choose at most {maximum} topics (you have {count})."


def roadmap_state_line(*, items: int, i_agreed: bool, partner_agreed: bool) -> str:
    if items == 0:
        return "No topics chosen yet."
    if i_agreed and partner_agreed:
        return ":white_check_mark: You've both agreed this roadmap."
    if i_agreed:
        return ":hourglass_flowing_sand: You've agreed this roadmap; waiting for your partner."
    if partner_agreed:
        return ":raised_hand: Your partner has agreed this roadmap; waiting for you."
    return "Not agreed yet."


def item_line(position: int, item: RoadmapItemView) -> str:
    done = " :white_check_mark: _covered_" if item.covered_at is not None else ""
    return f"{position}. {escape(item.title)}{done}"


def roadmap_text(items: Sequence[RoadmapItemView]) -> str:
    return "\n".join(item_line(position, item) for position, item in enumerate(items, start=1))


def _move_menu(item: RoadmapItemView, *, first: bool, last: bool) -> dict[str, Any] | None:
    options = []
    if not first:
        options.append(_option("Move up", move_value("up", item.id, item.position)))
    if not last:
        options.append(_option("Move down", move_value("down", item.id, item.position)))
    if not options:
        return None
    return {"type": "overflow", "action_id": TOPICS_MOVE_ACTION, "options": options}


def roadmap_blocks(*, pair_id: int, items: Sequence[RoadmapItemView], i_agreed: bool, partner_agreed: bool, can_edit: bool) -> list[Block]:
    blocks: list[Block] = [section(roadmap_state_line(items=len(items), i_agreed=i_agreed, partner_agreed=partner_agreed))]
    for position, item in enumerate(items, start=1):
        menu = _move_menu(item, first=position == 1, last=position == len(items)) if can_edit else None
        blocks.append(section(item_line(position, item), accessory=menu))
    if can_edit:
        buttons = [button("Change topics" if items else "Choose topics", TOPICS_CHOOSE_ACTION, str(pair_id), style=None if items else "primary")]
        if items and not i_agreed:
            buttons.append(button("Agree this roadmap", TOPICS_AGREE_ACTION, agreement_value(pair_id, items), style="primary"))
        blocks.append(actions(*buttons))
    return blocks


def build_roadmap_message(*, pair_id: int, items: Sequence[RoadmapItemView], i_agreed: bool, partner_agreed: bool, can_edit: bool) -> dict[str, Any]:
    blocks: list[Block] = [header("Your topic roadmap")]
    blocks += roadmap_blocks(pair_id=pair_id, items=items, i_agreed=i_agreed, partner_agreed=partner_agreed, can_edit=can_edit)
    if not can_edit:
        blocks.append(context("Your pair is paused, so the roadmap can't be changed until it resumes."))
    text = f"Your topic roadmap: {len(items)} topics. " + roadmap_state_line(items=len(items), i_agreed=i_agreed, partner_agreed=partner_agreed)
    return message(text, blocks)


def build_roadmap_request(*, pair_id: int, items: Sequence[RoadmapItemView], from_id: str, changed_after_agreeing: bool) -> dict[str, Any]:
    if changed_after_agreeing:
        opening = f"<@{from_id}> changed your topic roadmap after you'd agreed it, so I need your agreement again. Here it is now:"
    else:
        opening = f"<@{from_id}> has chosen topics for your roadmap and agreed them. Happy with these, in this order?"
    return message(
        opening,
        [
            section(opening),
            section(roadmap_text(items)),
            actions(
                button("Agree", TOPICS_AGREE_ACTION, agreement_value(pair_id, items), style="primary"),
                button("Change topics", TOPICS_CHOOSE_ACTION, str(pair_id)),
            ),
        ],
    )


def build_roadmap_saved(*, pair_id: int, items: Sequence[RoadmapItemView], partner_id: str, both_agreed: bool) -> dict[str, Any]:
    """The saver's copy: the roadmap with Move up / Move down, to put it in order."""
    if both_agreed:
        text = f"Saved. You and <@{partner_id}> have both agreed your roadmap."
    else:
        text = f"Saved and agreed on your side. I've asked <@{partner_id}> to agree too."
    blocks = [section(text), context("Use the ⋯ menu beside a topic to move it up or down.")]
    blocks += roadmap_blocks(pair_id=pair_id, items=items, i_agreed=True, partner_agreed=both_agreed, can_edit=True)
    return message(text, blocks)


def build_roadmap_agreed(*, items: Sequence[RoadmapItemView]) -> dict[str, Any]:
    text = "You agreed your topic roadmap. Thank you."
    return message(text, [section(text), section(roadmap_text(items))])


def build_partner_agreed_roadmap(*, partner_id: str) -> dict[str, Any]:
    text = f"<@{partner_id}> has agreed your topic roadmap. You're both set. :tada:"
    return message(text, [section(text)])


def build_roadmap_changed_since(*, pair_id: int, items: Sequence[RoadmapItemView]) -> dict[str, Any]:
    text = "The roadmap has changed since this was sent. Here it is now:"
    return message(
        text,
        [section(text), section(roadmap_text(items)), actions(button("Agree", TOPICS_AGREE_ACTION, agreement_value(pair_id, items), style="primary"))],
    )


def build_nothing_to_agree() -> dict[str, Any]:
    text = "There are no topics to agree yet. Type `/mentor topics` to choose some."
    return message(text, [section(text)])
