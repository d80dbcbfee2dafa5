"""The validated measures' items, read from prompts/data/measures.json, and the words that ask them:
one statement at a time in the DM (1-7 and Skip), or all of them in a form."""

from __future__ import annotations

from functools import cache
from typing import Any

from domain.measures import HIGHEST, LOWEST, Item, Scale, ScaleScore, Wave
from domain.roles import Role
from prompts.blocks import Block, actions, button, context, escape, message, plain, section
from prompts.content import load

MEASURE_ANSWER = "measure_answer"  # value: the wave, pair id, item key and answer (1-7 or "skip"), colon-separated
MEASURE_OPEN_FORM = "measure_open_form"  # value: the wave and pair id, colon-separated
MEASURE_FORM_SUBMIT = "measure_form_submit"
SKIP = "skip"
PRIVATE_NOTE = (
    "Your answers are private: your partner never sees them, and the programme team only sees them added up across at least {k} people. "
    "`/mentor progress` shows you your own scores."
)
WAVE_INTRO = {
    Wave.BASELINE: "Now that your charter is agreed, a few statements about how things stand, so that later you (and the programme) can see what changed.",
    Wave.MID: "We're half-way. The same statements as at the start, so you can see what has changed.",
    Wave.CLOSE: "The programme has ended. One last time, the same statements as before: it shows whether the programme made a difference.",
}
WAVE_NAMES = {Wave.BASELINE: "at the start", Wave.MID: "at the mid-point", Wave.CLOSE: "at the close"}
NOT_ASKED = "I haven't asked you these statements for this pair, so I can't record an answer. They arrive in our DM after your charter is agreed, at the mid-point and at the close."


@cache
def scales() -> tuple[Scale, ...]:
    """Every scale and its items, in the order they are asked."""
    found = []
    for scale in load("measures")["scales"]:
        items = tuple(
            Item(
                key=item["key"], scale=scale["key"], construct=item["construct"], text=item["text"],
                asked_of=frozenset(Role(role) for role in item["asked_of"]), reverse=bool(item["reverse"]),
            )
            for item in scale["items"]
        )
        found.append(Scale(key=scale["key"], title=scale["title"], source=scale["source"], items=items))
    return tuple(found)


def agreement_labels() -> list[str]:
    return list(load("measures")["agreement"])


def items_for(role: Role) -> tuple[Item, ...]:
    """The statements one side of a pair is asked, in order."""
    return tuple(item for scale in scales() for item in scale.items_for(role))


def answer_value(wave: Wave, pair_id: int, item_key: str, answer: str) -> str:
    return f"{wave}:{pair_id}:{item_key}:{answer}"


def parse_answer_value(value: str) -> tuple[Wave, int, str, int | None] | None:
    """wave, pair id, item key and the answer (None: skipped); None for anything malformed."""
    parts = (value or "").split(":")
    if len(parts) != 4 or parts[0] not in set(Wave) or not parts[1].isdigit():
        return None
    wave, pair_id, item_key, answer = Wave(parts[0]), int(parts[1]), parts[2], parts[3]
    if answer == SKIP:
        return wave, pair_id, item_key, None
    if not answer.isdigit() or not LOWEST <= int(answer) <= HIGHEST:
        return None
    return wave, pair_id, item_key, int(answer)


def form_value(wave: Wave, pair_id: int) -> str:
    return f"{wave}:{pair_id}"


def parse_form_value(value: str) -> tuple[Wave, int] | None:
    wave, _, pair_id = (value or "").partition(":")
    if wave not in set(Wave) or not pair_id.isdigit():
        return None
    return Wave(wave), int(pair_id)


def _answer_buttons(wave: Wave, pair_id: int, item: Item) -> Block:
    choices = [button(str(n), f"{MEASURE_ANSWER}_{n}", answer_value(wave, pair_id, item.key, str(n))) for n in range(LOWEST, HIGHEST + 1)]
    return actions(*choices, button("Skip", f"{MEASURE_ANSWER}_{SKIP}", answer_value(wave, pair_id, item.key, SKIP)), block_id=f"measure_{item.key}")


def build_item_message(*, wave: Wave, pair_id: int, item: Item, position: int, total: int, programme_name: str, k: int, first: bool) -> dict[str, Any]:
    """One statement with 1-7 and Skip; the first of a wave opens with why it is asked and offers the form."""
    labels = agreement_labels()
    statement = f"*{position} of {total}.* How much do you agree? _{item.text}_"
    blocks: list[Block] = []
    if first:
        blocks.append(section(f":seedling: {escape(programme_name)}: {WAVE_INTRO[wave]}"))
    blocks += [
        section(statement),
        _answer_buttons(wave, pair_id, item),
        context(f"1 = {labels[0].lower()}, 4 = {labels[3].lower()}, 7 = {labels[-1].lower()}. Skip any you'd rather not answer."),
    ]
    if first:
        blocks.append(actions(button("Answer as a form instead", MEASURE_OPEN_FORM, form_value(wave, pair_id)), block_id="measure_form"))
        blocks.append(context(PRIVATE_NOTE.format(k=k)))
    return message(f"{position} of {total}. How much do you agree? {item.text}", blocks)


def build_answered(*, item: Item, position: int, total: int, value: int | None) -> dict[str, Any]:
    """A statement once answered: the buttons gone, the answer shown (the person's own DM only)."""
    said = "skipped" if value is None else f"you answered {value} ({agreement_labels()[value - LOWEST].lower()})"
    text = f"{position} of {total}. {item.text}"
    return message(text, [section(f"*{position} of {total}.* _{item.text}_"), context(f":white_check_mark: {said.capitalize()}.")])


def build_done(*, wave: Wave, answered: int, total: int) -> dict[str, Any]:
    text = (
        f"Thank you: {answered} of {total} statements answered {WAVE_NAMES[wave]}. "
        "Type `/mentor progress` any time to see your own scores over the programme."
    )
    return message(text, [section(text)])


def build_not_asked() -> dict[str, Any]:
    return message(NOT_ASKED, [section(NOT_ASKED)])


def _select(item: Item, position: int, initial: int | None) -> Block:
    options = [{"text": plain(f"{n}: {label}"[:75]), "value": str(n)} for n, label in zip(range(LOWEST, HIGHEST + 1), agreement_labels(), strict=True)]
    element: dict[str, Any] = {"type": "static_select", "action_id": item.key, "placeholder": plain("1 to 7, or leave blank to skip"), "options": options}
    if initial is not None:
        element["initial_option"] = options[initial - LOWEST]
    return {"type": "input", "block_id": item.key, "optional": True, "label": plain(f"{position}. {item.text}"[:2000]), "element": element}


def build_form(*, wave: Wave, pair_id: int, items: tuple[Item, ...], answers: dict[str, int | None], k: int) -> dict[str, Any]:
    """Every statement of the wave in one modal; each optional (a blank one is a skip); earlier answers filled in."""
    blocks: list[Block] = [section("How much do you agree with each statement? 1 = strongly disagree, 7 = strongly agree. Leave any blank to skip it.")]
    blocks += [_select(item, position, answers.get(item.key)) for position, item in enumerate(items, start=1)]
    blocks.append(context(PRIVATE_NOTE.format(k=k)))
    return {
        "type": "modal",
        "callback_id": MEASURE_FORM_SUBMIT,
        "private_metadata": form_value(wave, pair_id),
        "title": plain("A few statements"),
        "submit": plain("Send"),
        "close": plain("Not now"),
        "blocks": blocks,
    }


# --- /mentor progress: a person's own scores ----------------------------------------------------------

PROGRESS_NONE = (
    "You haven't answered any of the programme's statements yet. I send them in our DM after your charter is agreed, "
    "at the mid-point and at the close; your scores will show here."
)


def _score_text(score: ScaleScore) -> str:
    if score.score is None:
        return f"not scored ({score.answered} of {score.asked} answered; more than half are needed)"
    return f"{score.score:.1f} out of 7"


def build_progress(found: dict[Wave, list[ScaleScore]]) -> dict[str, Any]:
    """The person's own scale scores over the waves; higher is better on every scale (reverse items turned round)."""
    if not found:
        return message(PROGRESS_NONE, [section(PROGRESS_NONE)])
    lines = []
    for scale in scales():
        by_wave = [(wave, score) for wave in Wave for score in found.get(wave, []) if score.scale == scale.key]
        if by_wave:
            waves = "; ".join(f"{WAVE_NAMES[wave]}: {_score_text(score)}" for wave, score in by_wave)
            lines.append(f"*{scale.title}*\n{waves}")
    text = "Your own scores on the programme's statements (1 to 7, higher is better). Only you see these."
    blocks: list[Block] = [section(text), *[section(line) for line in lines]]
    blocks.append(context("The programme team sees these only added up across enough people that no one can be singled out, never yours."))
    return message(text, blocks)


def read_form(values: dict[str, Any]) -> dict[str, int | None]:
    """The form's answers by item key: a blank, or anything but 1-7, is a skip."""
    found: dict[str, int | None] = {}
    for block_id, fields in values.items():
        option = ((fields or {}).get(block_id) or {}).get("selected_option") or {}
        value = str(option.get("value", ""))
        found[block_id] = int(value) if value.isdigit() and LOWEST <= int(value) <= HIGHEST else None
    return found
