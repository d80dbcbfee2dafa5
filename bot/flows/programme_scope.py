"""Which programme a person's words are about when several run side by side in one workspace: the
only one; the one they chose with `/mentor programme`; else the newest. Every reply names it when the
person has more than one (bot/rules/programme_scope.py picks)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.directory import fetch_user
from bot.rules.programme_scope import programme_in_scope
from bot.services import Services
from store import enrolments, pairs, programmes
from store.models import Pair, Programme


@dataclass(frozen=True)
class Scope:
    """The programme a person's words are about, and their other running programmes (named, so every
    reply can say which one it is about, and offered to switch to)."""

    programme: Programme | None
    others: tuple[Programme, ...] = ()

    @property
    def several(self) -> bool:
        return bool(self.others)

    @property
    def switches(self) -> tuple[tuple[int, str], ...]:
        """The other programmes as words offer them: (id, name)."""
        return tuple((other.id or 0, other.name) for other in self.others)


def _scope(candidates: Sequence[Programme], chosen: int | None) -> Scope:
    ids = [programme.id for programme in candidates if programme.id is not None]
    picked = programme_in_scope(ids, chosen)
    programme = next((candidate for candidate in candidates if candidate.id == picked), None)
    return Scope(programme=programme, others=tuple(candidate for candidate in candidates if candidate.id != picked))


async def _memberships(session: AsyncSession, *, team_id: str, user_id: str, open_pairs: Sequence[Pair] | None = None) -> tuple[set[int], set[int]]:
    """The programmes the person is in (enrolled, or with a pair not ended), and those with such a pair;
    `open_pairs` when the caller has read them already."""
    if open_pairs is None:
        open_pairs = await pairs.open_pairs_of(session, team_id=team_id, user_id=user_id)
    paired = {pair.programme_id for pair in open_pairs}
    return await enrolments.programme_ids_of(session, team_id=team_id, user_id=user_id) | paired, paired


async def member_scope(session: AsyncSession, *, team_id: str, user_id: str, open_pairs: Sequence[Pair] | None = None) -> Scope:
    """Among the running programmes the person is enrolled in or paired in; unless they chose, one
    where they have a pair comes before one where they only wait to be paired."""
    running = await programmes.running(session, team_id=team_id)
    mine, paired = await _memberships(session, team_id=team_id, user_id=user_id, open_pairs=open_pairs)
    chosen = await programmes.chosen_programme_id(session, team_id=team_id, user_id=user_id)
    candidates = [programme for programme in running if programme.id in mine]
    candidates.sort(key=lambda programme: programme.id not in paired)  # stable: newest first within each
    return _scope(candidates, chosen)


async def runs_workspace(client: AsyncWebClient, user_id: str) -> bool:
    user = await fetch_user(client, user_id)
    return user is not None and user.runs_workspace


async def admin_scope(session: AsyncSession, client: AsyncWebClient, *, team_id: str, user_id: str) -> Scope:
    """Among the running programmes the person administers; a Slack workspace admin or owner may act
    on any of them (asked of Slack only when their own do not settle it)."""
    running = await programmes.running(session, team_id=team_id)
    administered = await programmes.administered_ids(session, team_id=team_id, user_id=user_id)
    chosen = await programmes.chosen_programme_id(session, team_id=team_id, user_id=user_id)
    mine = [programme for programme in running if programme.id in administered]
    wants_other = chosen is not None and chosen not in administered and any(programme.id == chosen for programme in running)
    if (not mine or wants_other) and running and await runs_workspace(client, user_id):
        mine = running
    return _scope(mine, chosen)


async def person_scope(session: AsyncSession, client: AsyncWebClient, *, team_id: str, user_id: str, admin: bool | None = None) -> Scope:
    """The person's running programmes as an admin (`admin`), as a member (not `admin`), or both (None)."""
    if admin is True:
        return await admin_scope(session, client, team_id=team_id, user_id=user_id)
    if admin is False:
        return await member_scope(session, team_id=team_id, user_id=user_id)
    running = await programmes.running(session, team_id=team_id)
    mine = (await _memberships(session, team_id=team_id, user_id=user_id))[0] | await programmes.administered_ids(session, team_id=team_id, user_id=user_id)
    chosen = await programmes.chosen_programme_id(session, team_id=team_id, user_id=user_id)
    if chosen is not None and chosen not in mine and any(programme.id == chosen for programme in running) and await runs_workspace(client, user_id):
        mine.add(chosen)
    return _scope([programme for programme in running if programme.id in mine], chosen)


async def read_scope(services: Services, client: AsyncWebClient, *, team_id: str, user_id: str, admin: bool | None = None) -> Scope:
    """`person_scope` in its own transaction."""
    async with services.sessions() as session:
        return await person_scope(session, client, team_id=team_id, user_id=user_id, admin=admin)


def _find(candidates: Sequence[Programme], *, programme_id: int | None, name: str | None) -> Programme | None:
    wanted = " ".join((name or "").split()).casefold()
    for programme in candidates:
        if programme.id == programme_id if programme_id is not None else programme.name.casefold() == wanted:
            return programme
    return None


async def choose_programme(
    services: Services, client: AsyncWebClient, *, team_id: str, user_id: str, programme_id: int | None = None, name: str | None = None
) -> Programme | Scope:
    """Make one of the person's running programmes (by id, from a button, or by name, typed) the one
    their commands are about (a workspace admin may choose any running one); when it is not theirs,
    or none is named, their programmes, to list."""
    async with services.sessions.begin() as session:
        scope = await person_scope(session, client, team_id=team_id, user_id=user_id)
        if programme_id is None and name is None:
            return scope
        found = _find([programme for programme in (scope.programme, *scope.others) if programme is not None], programme_id=programme_id, name=name)
        if found is None and await runs_workspace(client, user_id):
            found = _find(await programmes.running(session, team_id=team_id), programme_id=programme_id, name=name)
        if found is None or found.id is None:
            return scope
        await programmes.choose_programme(session, team_id=team_id, user_id=user_id, programme_id=found.id)
        return found


async def pair_in_scope(session: AsyncSession, *, team_id: str, user_id: str, within: Programme | None = None) -> Pair | None:
    """The person's pair that is not ended in their programme in scope (with one programme, their newest).

    `within`: an admin acting on someone names the pair in the admin's programme in scope (None: the
    person has no pair there), not the one the person chose for themselves."""
    open_pairs = await pairs.open_pairs_of(session, team_id=team_id, user_id=user_id)
    if within is None:
        scope = await member_scope(session, team_id=team_id, user_id=user_id, open_pairs=open_pairs)
        if not scope.several:
            return open_pairs[-1] if open_pairs else None
        within = scope.programme
    return next((pair for pair in reversed(open_pairs) if within is not None and pair.programme_id == within.id), None)


async def in_several_programmes(session: AsyncSession, *, team_id: str, user_ids: Sequence[str]) -> frozenset[str]:
    """Those of these people in more than one running programme: what the bot sends them names the
    programme (nobody is, and nothing more is read, while only one runs)."""
    running = {programme.id for programme in await programmes.running(session, team_id=team_id)}
    if len(running) < 2:
        return frozenset()
    several = set()
    for user_id in user_ids:
        if len((await _memberships(session, team_id=team_id, user_id=user_id))[0] & running) > 1:
            several.add(user_id)
    return frozenset(several)
