"""The sandbox's mail server: the invites the bot emails arrive here, and each person's inbox on the page
shows them, read with `icalendar` as a calendar program reads them.

An aiosmtpd server in the sandbox's own event loop, on a free local port; the sandbox points the bot's
SMTP settings at it when the operator set none, so booking, moving and cancelling a session can be
watched arriving (the REQUEST, the REQUEST with a higher SEQUENCE, the CANCEL) without a mail account.
Nothing leaves the machine. Inboxes live in memory: a restart starts them empty.
"""

from __future__ import annotations

import asyncio
import email
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from email.message import Message
from email.utils import getaddresses
from typing import Any

from aiosmtpd.smtp import SMTP
from icalendar import Calendar

SENDER = "Flipside sandbox <mentoring@sandbox.flipside.example>"


@dataclass(frozen=True)
class Invite:
    """One invite as a person's mail program lists it."""

    to: str
    subject: str
    method: str  # REQUEST (a booking or a move) or CANCEL
    uid: str
    sequence: int
    starts_at: str  # ISO 8601 with its offset
    summary: str
    received_at: str


def _calendar(message: Message) -> Calendar | None:
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            payload = part.get_payload(decode=True)
            return Calendar.from_ical(payload) if isinstance(payload, bytes) else None
    return None


def read_invites(message: Message, recipients: list[str], *, received_at: datetime) -> list[Invite]:
    """The invite in one email, once per recipient; nothing for an email that carries no calendar."""
    calendar = _calendar(message)
    events = calendar.walk("VEVENT") if calendar is not None else []
    if not events:
        return []
    event = events[0]
    start = event.decoded("DTSTART")
    return [
        Invite(
            to=address.lower(), subject=str(message["Subject"] or ""), method=str(calendar["METHOD"]), uid=str(event["UID"]),
            sequence=int(event.get("SEQUENCE", 0)), starts_at=start.isoformat(), summary=str(event.get("SUMMARY", "")),
            received_at=received_at.isoformat(),
        )
        for address in recipients
    ]


class Mailbox:
    """What arrived, by recipient; `on_arrival` is told of each email (the page wakes its long polls)."""

    def __init__(self, now: Callable[[], datetime], on_arrival: Callable[[], None] = lambda: None) -> None:
        self.invites: list[Invite] = []
        self.now = now
        self.on_arrival = on_arrival
        self.port = 0
        self._server: asyncio.Server | None = None

    async def handle_DATA(self, server: SMTP, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's hook name
        message = email.message_from_bytes(envelope.content)
        recipients = [address for _, address in getaddresses(list(envelope.rcpt_tos))]
        self.invites += read_invites(message, recipients, received_at=self.now())
        self.on_arrival()
        return "250 Message accepted for delivery"

    def inbox(self, address: str | None) -> list[dict[str, Any]]:
        """One person's invites, newest first; nothing for someone with no email address."""
        if not address:
            return []
        return [asdict(invite) for invite in reversed(self.invites) if invite.to == address.lower()]

    async def start(self, host: str = "127.0.0.1") -> int:
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(lambda: SMTP(self, loop=loop, hostname="sandbox.flipside.example"), host, 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self.port

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
