"""Reading a submitted modal: Slack's `state.values` flattened to one value per block."""

from __future__ import annotations

from typing import Any


def _element_value(element: dict[str, Any]) -> Any:
    kind = element.get("type")
    if kind == "datepicker":
        return element.get("selected_date")
    if kind in ("static_select", "radio_buttons", "external_select"):
        option = element.get("selected_option")
        return option.get("value") if option else None
    if kind in ("multi_static_select", "checkboxes", "multi_external_select"):
        return [option["value"] for option in element.get("selected_options") or []]
    if kind == "users_select":
        return element.get("selected_user")
    if kind == "multi_users_select":
        return list(element.get("selected_users") or [])
    return element.get("value")


def read_state(view: dict[str, Any]) -> dict[str, Any]:
    """block_id -> the value of its (single) input element: text, date, option value(s) or user(s)."""
    values = (view.get("state") or {}).get("values") or {}
    read: dict[str, Any] = {}
    for block_id, elements in values.items():
        for element in elements.values():
            read[block_id] = _element_value(element)
    return read
