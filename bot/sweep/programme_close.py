"""The programme's milestones, as sweep steps: the mid-point check-in, the close, the final report,
and the monthly peer-support post. Each creates its messages through the outbox with a unique key,
so running a step twice (or on two replicas) sends nothing twice.

- Mid-point: from the programme's half-way day until `MIDPOINT_WINDOW_DAYS` later, each side of every
  pair that is not ended gets a check-in (is it working, 1-5; anything to change).
- Close: on the end date, each side of every pair still open gets a closing reflection, and the
  pairs are ended; the admins hear that it has happened.
- Final report: `FINAL_REPORT_AFTER_DAYS` after the end date, the admins get the final report (the
  cohort's figures, outcomes and k-anonymous recommendation score) and the programme is closed.
- Peer support: once a calendar month while the programme runs, a post in the admin's chosen channel.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from bot.flows.disclosure import released_report
from bot.services import Services
from domain.anonymity import effective_k
from prompts import check_ins as words
from store import outbox, programme_close, programmes, reports
from store.models import Programme

logger = logging.getLogger(__name__)

MIDPOINT_WINDOW_DAYS = 7
CHECK_IN_OPEN_DAYS = 14  # a check-in prompt not delivered within this is no longer worth sending
FINAL_REPORT_AFTER_DAYS = 14


def midpoint_of(programme: Programme) -> date:
    return programme.starts_on + (programme.ends_on - programme.starts_on) / 2


def final_report_on(programme: Programme) -> date:
    return programme.ends_on + timedelta(days=FINAL_REPORT_AFTER_DAYS)


async def midpoint_check_ins(services: Services, now: datetime) -> int:
    """Ask each side of each open pair how it is going, once, around the programme's half-way day."""
    created = 0
    today = now.date()
    async with services.sessions.begin() as session:
        for programme in await programme_close.running_programmes(session):
            half_way = midpoint_of(programme)
            if not half_way <= today < min(half_way + timedelta(days=MIDPOINT_WINDOW_DAYS), programme.ends_on):
                continue
            prefix = f"check-in:{words.MIDPOINT}:{programme.id}:"
            done = await programme_close.outbox_keys(session, team_id=programme.team_id, prefix=prefix)
            for pair in await programme_close.open_pairs(session, team_id=programme.team_id, programme_id=programme.id or 0):
                for user_id in (pair.mentor_id, pair.mentee_id):
                    key = f"{prefix}{pair.id}:{user_id}"
                    if key in done:
                        continue
                    created += await outbox.enqueue(
                        session,
                        team_id=programme.team_id,
                        key=key,
                        kind="check_in_midpoint",
                        recipient_id=user_id,
                        message=words.build_midpoint_prompt(pair_id=pair.id or 0, programme_name=programme.name, k=effective_k(programme.k_anonymity)),
                        due_at=now,
                        expires_at=now + timedelta(days=CHECK_IN_OPEN_DAYS),
                        now=now,
                    )
    return created


async def close_programmes(services: Services, now: datetime) -> int:
    """At the end date: closing reflections for both sides of every open pair, and the pairs ended."""
    created = 0
    today = now.date()
    async with services.sessions.begin() as session:
        for programme in await programme_close.running_programmes(session):
            if today < programme.ends_on:
                continue
            pairs = await programme_close.open_pairs(session, team_id=programme.team_id, programme_id=programme.id or 0)
            if not pairs:
                continue
            for pair in pairs:
                for user_id in (pair.mentor_id, pair.mentee_id):
                    created += await outbox.enqueue(
                        session,
                        team_id=programme.team_id,
                        key=f"check-in:{words.CLOSING}:{programme.id}:{pair.id}:{user_id}",
                        kind="check_in_closing",
                        recipient_id=user_id,
                        message=words.build_closing_prompt(pair_id=pair.id or 0, programme_name=programme.name, k=effective_k(programme.k_anonymity)),
                        due_at=now,
                        expires_at=now + timedelta(days=FINAL_REPORT_AFTER_DAYS),
                        now=now,
                    )
            programme_close.end_pairs(pairs, now=now)
            for admin_id in await programmes.admin_ids(session, team_id=programme.team_id, programme_id=programme.id or 0):
                created += await outbox.enqueue(
                    session,
                    team_id=programme.team_id,
                    key=f"programme-ended:{programme.id}:{admin_id}",
                    kind="programme_ended",
                    recipient_id=admin_id,
                    message=words.build_programme_ended(programme_name=programme.name, pairs_ended=len(pairs), final_report_on=final_report_on(programme)),
                    due_at=now,
                    now=now,
                )
    return created


async def final_reports(services: Services, now: datetime) -> int:
    """Some time after the end date: the final report to every admin, and the programme closed."""
    created = 0
    async with services.sessions.begin() as session:
        for programme in await programme_close.running_programmes(session):
            if now.date() < final_report_on(programme):
                continue
            history = await reports.load_history(session, team_id=programme.team_id, programme=programme)
            report = await released_report(session, history, now)
            for admin_id in await programmes.admin_ids(session, team_id=programme.team_id, programme_id=programme.id or 0):
                created += await outbox.enqueue(
                    session,
                    team_id=programme.team_id,
                    key=f"final-report:{programme.id}:{admin_id}",
                    kind="final_report",
                    recipient_id=admin_id,
                    message=words.build_final_report(report),
                    due_at=now,
                    now=now,
                )
            await programmes.close_programme(session, programme=programme)
    return created


async def peer_support_posts(services: Services, now: datetime) -> int:
    """Once a calendar month, a prompt and the cohort's anonymous figures in the peer channel."""
    created = 0
    today = now.date()
    month = f"{today:%Y-%m}"
    async with services.sessions.begin() as session:
        for programme in await programme_close.running_programmes(session):
            if not programme.peer_channel_id or not programme.starts_on <= today < programme.ends_on:
                continue
            key = f"peer-support:{programme.id}:{month}"
            if await programme_close.outbox_keys(session, team_id=programme.team_id, prefix=key):
                continue
            history = await reports.load_history(session, team_id=programme.team_id, programme=programme)
            created += await outbox.enqueue(
                session,
                team_id=programme.team_id,
                key=key,
                kind="peer_support",
                recipient_id=programme.peer_channel_id,
                message=words.build_peer_post(await released_report(session, history, now), month=month),
                due_at=now,
                expires_at=now + timedelta(days=7),
                now=now,
            )
    return created
