"""Every word about connected calendars: `/mentor calendar` (status, the Connect buttons), what the
person is told in the DM when a calendar is connected or could not be updated, and the page the
browser shows on the way back from Google or Microsoft."""

from __future__ import annotations

import html
from typing import Any

from prompts.blocks import Block, actions, button, context, message, section

CONNECT_ACTION_PREFIX = "calendar_connect_"  # + provider: URL buttons, whose clicks Slack still sends (acknowledged, nothing more)
PROVIDER_NAMES = {"google": "Google Calendar", "microsoft": "Microsoft 365 (Outlook)"}


def connect_action(provider: str) -> str:
    return CONNECT_ACTION_PREFIX + provider


def provider_name(provider: str) -> str:
    return PROVIDER_NAMES.get(provider, provider)


def build_calendars_off() -> dict[str, Any]:
    text = ("Connecting a calendar isn't set up in this workspace. You can still add any session to your calendar "
            "with *Add to calendar* on its booking message. (Operators: see docs/configuration.md, \"Connected calendars\".)")
    return message(text, [section(text)])


def build_calendar_status(*, connected: str | None, revoked: bool, links: dict[str, str]) -> dict[str, Any]:
    """Status and the way to connect: a URL button per provider the operator set up."""
    blocks: list[Block] = []
    if connected is not None and not revoked:
        text = (f"Your *{provider_name(connected)}* calendar is connected. Sessions you book go on it with your partner invited, "
                "and move or disappear with the session.")
        blocks.append(section(text))
        blocks.append(context("To stop, type `/mentor calendar disconnect`. To use another calendar, connect it below instead."))
    elif connected is not None:
        text = (f"Your *{provider_name(connected)}* calendar stopped letting me in (access was removed or expired). "
                "Connect it again to keep sessions on it.")
        blocks.append(section(text))
    else:
        text = ("Connect your calendar and the sessions you book appear on it, with your partner invited; "
                "moving or cancelling a session updates it.")
        blocks.append(section(text))
    buttons = []
    for provider, url in links.items():
        element = button(f"Connect {provider_name(provider)}", connect_action(provider))
        element["url"] = url
        buttons.append(element)
    if buttons:
        blocks.append(actions(*buttons))
        blocks.append(context("The link works for 10 minutes. You'll be asked to allow seeing when you're busy and adding events."))
    return message(text, blocks)


def build_connected_notice(provider: str) -> dict[str, Any]:
    text = (f"Your {provider_name(provider)} calendar is connected. Sessions you book will appear on it with your partner invited. "
            "Type `/mentor calendar disconnect` to stop.")
    return message(text, [section(text)])


def build_disconnected(provider: str | None) -> dict[str, Any]:
    if provider is None:
        text = "No calendar is connected, so there was nothing to disconnect. Type `/mentor calendar` to connect one."
    else:
        text = (f"Disconnected your {provider_name(provider)} calendar: I no longer hold any access to it. "
                "Events already on it stay there; type `/mentor calendar` to connect again.")
    return message(text, [section(text)])


def build_calendar_failed_notice(provider: str, *, revoked: bool) -> dict[str, Any]:
    """Once, until the calendar works again: the booking stands, only the calendar is behind."""
    cause = ("it no longer lets me in (access was removed or expired)" if revoked
             else "it didn't answer")
    text = (f"I couldn't update your {provider_name(provider)} calendar: {cause}. Your sessions are still booked in Flipside; "
            + ("type `/mentor calendar` to connect it again." if revoked else "I'll try again with the next change."))
    return message(text, [section(text)])


def build_calendar_unknown_usage() -> dict[str, Any]:
    text = "Type `/mentor calendar` to see or connect your calendar, or `/mentor calendar disconnect` to disconnect it."
    return message(text, [section(text)])


# --- the page on the way back from the provider ---------------------------------------------------------

CALLBACK_PAGES = {
    "connected": ("Calendar connected", "Your {provider} calendar is connected. You can close this tab and go back to Slack."),
    "denied": ("Not connected", "You chose not to connect a calendar. Nothing was saved. Type /mentor calendar in Slack to try again."),
    "expired": ("Link expired", "This link has expired or was already used. Type /mentor calendar in Slack for a new one."),
    "failed": ("Not connected", "{provider} didn't answer just now, so nothing was saved. Type /mentor calendar in Slack to try again."),
}


def callback_page(outcome: str, provider: str = "") -> str:
    """A small HTML page; the only value in it is the provider's name, escaped anyway."""
    title, body = CALLBACK_PAGES.get(outcome, CALLBACK_PAGES["failed"])
    text = html.escape(body.format(provider=provider_name(provider) if provider else "The calendar provider"))
    return (f"<!doctype html><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"<body style='font-family:sans-serif;max-width:32em;margin:3em auto'><h1>{html.escape(title)}</h1><p>{text}</p></body>")
