"""Sending an email invite from the outbox (iMIP, RFC 6047) with aiosmtplib, settled like any other row.

The email carries the calendar object twice, as mail programs differ: as the `text/calendar; method=...`
alternative to the plain text (what Gmail and Outlook read as an invite), and as an `invite.ics`
attachment. Its Message-ID comes from the outbox key, so a resend after an answer that was lost is
the same message to the receiving server. A 4xx answer, a refused connection or a timeout is tried again
later with the outbox's backoff; a 5xx answer, or the last attempt, marks the row dead with the reason.
No retry ever holds up the booking it follows, nor any other row.
"""

from __future__ import annotations

import hashlib
import logging
from email.message import EmailMessage
from typing import Any

import aiosmtplib

from bot.config import SmtpSettings
from bot.sweep.delivery_context import DeliveryReport, PassContext
from bot.sweep.delivery_retries import MAX_ATTEMPTS, backoff
from domain.statuses import OutboxStatus
from store.models import Outbox

logger = logging.getLogger(__name__)

SMTP_TIMEOUT_SECONDS = 30
SENT_BY = "email"  # an invite's sent_channel: it landed in a mailbox, not a Slack conversation


def message_id(key: str) -> str:
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@flipside.invite>"


def build_email(invite: dict[str, Any], *, sender: str, key: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = invite["to"]
    email["Subject"] = invite["subject"]
    email["Message-ID"] = message_id(key)
    email.set_content(invite["text"])
    email.add_alternative(invite["calendar"], subtype="calendar", params={"method": invite["method"]})
    email.add_attachment(invite["calendar"].encode(), maintype="application", subtype="ics", filename="invite.ics")
    return email


def _failure(error: Exception) -> tuple[str, bool]:
    """The reason to record, and whether it will never succeed (a 5xx answer)."""
    if isinstance(error, aiosmtplib.SMTPRecipientsRefused) and error.recipients:
        error = error.recipients[0]
    if isinstance(error, aiosmtplib.SMTPResponseException):
        return f"smtp_{error.code}", 500 <= error.code < 600
    return f"smtp_{type(error).__name__}", False


async def send(smtp: SmtpSettings, email: EmailMessage) -> None:
    await aiosmtplib.send(
        email, hostname=smtp.hostname, port=smtp.port, username=smtp.username, password=smtp.password, use_tls=smtp.use_tls,
        start_tls=False if smtp.use_tls else None, timeout=SMTP_TIMEOUT_SECONDS,
    )


async def deliver_invite(context: PassContext, row: Outbox, invite: dict[str, Any], *, report: DeliveryReport) -> None:
    smtp = context.services.settings.smtp
    if smtp is None:  # SMTP_URL was removed since the invite was planned
        await context.settle(row, OutboxStatus.DEAD, error="smtp_not_configured", count_attempt=True)
        report.dead += 1
        return
    try:
        await send(smtp, build_email(invite, sender=smtp.from_address, key=row.key))
    except Exception as error:  # every shape a failed send takes; the pass goes on
        code, permanent = _failure(error)
        if permanent or row.attempts + 1 >= MAX_ATTEMPTS:
            await context.settle(row, OutboxStatus.DEAD, error=code, count_attempt=True)
            report.dead += 1
            logger.warning("outbox %s dead: %s", row.key, code)
        else:
            await context.settle(row, OutboxStatus.PENDING, error=code, due_at=context.now + backoff(row.attempts + 1), count_attempt=True)
            report.retried += 1
            logger.info("outbox %s will retry: %s", row.key, code)
        return
    await context.settle(row, OutboxStatus.SENT, sent_channel=SENT_BY, sent_ts=message_id(row.key)[1:33])
    report.sent += 1
