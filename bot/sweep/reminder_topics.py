"""A session reminder proposes the roadmap's next topic as it stands when the reminder goes out, not
when the session was booked: when the booking named none, or its topic was covered in the meantime."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from bot.flows.bookings import session_view
from bot.rules.nudges import session_id_of
from bot.rules.topics import proposed_topic
from bot.services import Services
from prompts import session_reminders as reminders
from store import pairs, people, roadmap, sessions
from store.models import Outbox

MINUTES_BEFORE = re.compile(r":remind-(\d+):")  # bot.rules.nudges.session_nudges writes it into each reminder's key


async def with_proposed_topic(services: Services, row: Outbox) -> dict[str, Any] | None:
    """The reminder written again around the proposed topic; None to send it as it was written."""
    session_id, found = session_id_of(row.key), MINUTES_BEFORE.search(row.key)
    if session_id is None or found is None:
        return None
    async with services.sessions() as session:
        booked = await sessions.get_session(session, team_id=row.team_id, session_id=session_id)
        if booked is None:
            return None
        items = await roadmap.roadmap_items(session, team_id=row.team_id, pair_id=booked.pair_id)
        proposal = proposed_topic(booked.topic_key, [(item.topic_key, item.title, item.covered_at is not None) for item in items])
        if proposal is None:
            return None
        pair = await pairs.get_pair(session, team_id=row.team_id, pair_id=booked.pair_id)
        person = await people.get_person(session, team_id=row.team_id, user_id=row.recipient_id)
    if pair is None:
        return None
    key, title = proposal
    view = replace(session_view(booked, pair=pair, reader=row.recipient_id, tz=person.tz if person is not None else "UTC"), topic=title)
    minutes_before = int(found.group(1))
    if row.recipient_id == pair.mentor_id:
        return reminders.build_mentor_reminder(view, minutes_before=minutes_before, topic_key=key, proposed=True)
    return reminders.build_mentee_reminder(view, minutes_before=minutes_before, proposed=True)
