"""`/mentor reflections`: what of a pair's reflections the viewer may read, decided in one place."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.directory import known_person
from bot.flows.permissions import is_programme_admin
from bot.flows.programme_scope import pair_in_scope
from bot.rules import reflection_flow as flow
from bot.services import Services
from bot.views import reflection_view
from domain.roles import Role
from prompts.reflection_read_back import ReflectionEntry
from prompts.timefmt import format_when
from store import reflections as store
from store.models import MentoringSession, Pair, Reflection
from store.pairs import partner_of, role_in
from store.roadmap import roadmap_items


@dataclass
class ReadBack:
    """The viewer's reflections, with their partner's where shared and earned; empty outside a pair."""

    entries: list[ReflectionEntry] = field(default_factory=list)
    viewer_role: Role = Role.MENTOR
    topic_titles: dict[str, str] = field(default_factory=dict)
    admin: bool = False  # outside a pair: an admin is pointed to the report instead


async def read_back(services: Services, client: AsyncWebClient, *, team_id: str, user_id: str, now: datetime) -> ReadBack:
    """Who may see what can mean asking Slack (users.info): called after the command is acknowledged."""
    async with services.sessions.begin() as session:
        pair = await pair_in_scope(session, team_id=team_id, user_id=user_id)
        if pair is None:
            return ReadBack(admin=await is_programme_admin(session, client, team_id=team_id, user_id=user_id))
        person = await known_person(session, client, team_id=team_id, user_id=user_id, now=now)
        entries = await visible_reflections(session, team_id=team_id, pair=pair, viewer_id=user_id, tz=person.tz)
        roadmap = await roadmap_items(session, team_id=team_id, pair_id=pair.id)
    titles = {item.topic_key: item.title for item in roadmap}
    return ReadBack(entries=entries, viewer_role=role_in(pair, user_id), topic_titles=titles)


async def visible_reflections(session: AsyncSession, *, team_id: str, pair: Pair, viewer_id: str, tz: str) -> list[ReflectionEntry]:
    """The one place that decides what of a pair's reflections a viewer may read."""
    partner_id = partner_of(pair, viewer_id)
    by_session: dict[int, tuple[MentoringSession, dict[str, Reflection]]] = {}
    for reflection, mentoring_session in await store.reflections_of_pair(session, team_id=team_id, pair_id=pair.id):
        by_session.setdefault(mentoring_session.id, (mentoring_session, {}))[1][reflection.author_id] = reflection
    entries = []
    for mentoring_session, reflections in by_session.values():
        own = reflections.get(viewer_id)
        theirs = reflections.get(partner_id)
        viewer_has_reflected = own is not None and own.completed_at is not None
        shown = None
        if theirs is not None and theirs.completed_at is not None:
            seen = flow.visibility(author_id=partner_id, viewer_id=viewer_id, shared=theirs.shared, viewer_has_reflected=viewer_has_reflected)
            shown = theirs if seen is not None and seen.content else None
        entries.append(
            ReflectionEntry(
                when=format_when(mentoring_session.starts_at, tz),
                own=reflection_view(own) if own is not None else None,
                partner=reflection_view(shown) if shown is not None else None,
                partner_reflected=theirs is not None and theirs.completed_at is not None,
                partner_id=partner_id,
            )
        )
    return entries
