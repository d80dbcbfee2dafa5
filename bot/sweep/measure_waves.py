"""Asking the validated measures (issue 18), as a sweep step: each side of a pair gets the first statement
of a wave in the DM, through the outbox with a key per wave, pair and person, so no one is asked twice.

- Baseline: once both sides have agreed the charter, until the programme's half-way day (after it, a
  pair joins late: no baseline, so it counts at the close but not in the change).
- Mid-point: in the mid-point check-in's window (bot/sweep/programme_close.py).
- Close: on the end date, for the pairs still open. Runs before the close ends them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.services import Services
from bot.sweep.programme_close import CHECK_IN_OPEN_DAYS, MIDPOINT_WINDOW_DAYS, midpoint_of
from domain.anonymity import effective_k
from domain.measures import Wave, wave_key
from prompts import measures as words
from store import measures, outbox, programme_close
from store import pairs as pair_store
from store.models import Pair, Programme


def due_wave(programme: Programme, now: datetime) -> Wave | None:
    """The wave open on this day for pairs that are due one: mid-point, close, or (before half-way) the baseline."""
    day = now.date()
    half_way = midpoint_of(programme)
    if day >= programme.ends_on:
        return Wave.CLOSE
    if half_way <= day < half_way + timedelta(days=MIDPOINT_WINDOW_DAYS):
        return Wave.MID
    if day < half_way:
        return Wave.BASELINE
    return None


async def ask_measures(services: Services, now: datetime) -> int:
    """Plan the first statement of the wave due for each side of each pair that has not had it."""
    created = 0
    async with services.sessions.begin() as session:
        for programme in await programme_close.running_programmes(session):
            wave = due_wave(programme, now)
            if wave is None:
                continue
            programme_id = programme.id or 0
            if wave is Wave.BASELINE:
                pairs: list[Pair] = await measures.pairs_with_charter_agreed(session, team_id=programme.team_id, programme_id=programme_id)
            else:
                pairs = await programme_close.open_pairs(session, team_id=programme.team_id, programme_id=programme_id)
            done = await programme_close.outbox_keys(session, team_id=programme.team_id, prefix=f"measures:{wave}:{programme_id}:")
            for pair in pairs:
                for user_id in (pair.mentor_id, pair.mentee_id):
                    key = wave_key(wave, programme_id, pair.id or 0, user_id)
                    if key in done:
                        continue
                    items = words.items_for(pair_store.role_in(pair, user_id))
                    message = words.build_item_message(
                        wave=wave, pair_id=pair.id or 0, item=items[0], position=1, total=len(items),
                        programme_name=programme.name, k=effective_k(programme.k_anonymity), first=True,
                    )
                    created += await outbox.enqueue(
                        session, team_id=programme.team_id, key=key, kind=f"measures_{wave}", recipient_id=user_id,
                        message=message, due_at=now, expires_at=now + timedelta(days=CHECK_IN_OPEN_DAYS), now=now,
                    )
    return created
