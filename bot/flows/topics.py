"""The pair's topic roadmap: looking at it, the form to choose it, saving, reordering and agreeing it,
one transaction each. Words, the modal and the button values live in prompts/topics.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from bot.flows.pair_access import editable_pair, viewable_pair
from bot.rules.pair_access import Refusal
from bot.services import Services
from bot.views import roadmap_view
from domain.roles import Role
from domain.statuses import PairStatus
from domain.views import RoadmapItemView
from prompts import content
from prompts import topics as topic_prompts
from store import events, pairs, programmes, roadmap
from store.models import Pair, RoadmapItem

MIN_TOPICS, MAX_TOPICS = roadmap.MIN_TOPICS, roadmap.MAX_TOPICS  # how many a roadmap holds

@dataclass(frozen=True)
class RoadmapLook:
    """The roadmap as one member reads it (or why they may not), and where each side's agreement stands."""

    refusal: Refusal | None = None
    pair_id: int = 0
    partner_id: str = ""
    items: tuple[RoadmapItemView, ...] = ()
    i_agreed: bool = False
    partner_agreed: bool = False
    can_edit: bool = False


@dataclass(frozen=True)
class TopicsForm:
    """What the topics modal opens with."""

    pair_id: int
    own_topics: list[tuple[str, str]]  # the pair's own topics, (key, title)
    chosen_keys: list[str]
    minimum: int = MIN_TOPICS
    maximum: int = MAX_TOPICS
    offered_keys: tuple[str, ...] = ()  # the catalogue topics the programme offers (its template's); (): all


@dataclass(frozen=True)
class RoadmapSaved:
    """A submitted topics form: refused, a wrong count (nothing written), already saved, or saved."""

    refusal: Refusal | None = None
    wrong_count: int | None = None
    repeat: bool = False
    look: RoadmapLook = field(default_factory=RoadmapLook)
    changed: bool = False  # the partner is asked to agree the new roadmap
    partner_had_agreed: bool = False


@dataclass(frozen=True)
class RoadmapMoved:
    """A topic moved up or down: refused, not moved (a stale or edge menu), or moved."""

    refusal: Refusal | None = None
    moved: bool = False
    look: RoadmapLook = field(default_factory=RoadmapLook)
    partner_had_agreed: bool = False  # the partner is asked to agree again


class Agreement(StrEnum):
    AGREED = "agreed"
    ALREADY = "already"  # a double-click: agreed and told already
    STALE = "stale"  # the roadmap changed since the request was sent
    EMPTY = "empty"  # nothing chosen yet


@dataclass(frozen=True)
class RoadmapAgreed:
    refusal: Refusal | None = None
    agreement: Agreement = Agreement.AGREED
    look: RoadmapLook = field(default_factory=RoadmapLook)


def _partner_role(role: Role) -> Role:
    return Role.MENTEE if role is Role.MENTOR else Role.MENTOR


def _look(pair: Pair, user_id: str, items: list[RoadmapItem], *, can_edit: bool) -> RoadmapLook:
    assert pair.id is not None
    role = pairs.role_in(pair, user_id)
    return RoadmapLook(
        pair_id=pair.id,
        partner_id=pairs.partner_of(pair, user_id),
        items=roadmap_view(items),
        i_agreed=roadmap.roadmap_agreed_by(pair, role),
        partner_agreed=roadmap.roadmap_agreed_by(pair, _partner_role(role)),
        can_edit=can_edit,
    )


def chosen_topics(values: list[str], titles: dict[str, str], new_titles: list[str]) -> tuple[list[tuple[str, str]], list[str]]:
    """The known topics picked (`titles`: the catalogue's and the pair's own, by key), in order and once
    each, as (key, title); and the new titles typed that are not already among them (ignoring case)."""
    chosen: list[tuple[str, str]] = []
    for value in values:
        title = titles.get(value)
        if title and value not in dict(chosen):
            chosen.append((value, title))
    fresh = [title for title in new_titles if title.casefold() not in {known.casefold() for _, known in chosen}]
    return chosen, fresh


async def look_at_roadmap(services: Services, *, team_id: str, user_id: str) -> RoadmapLook:
    """The person's current pair's roadmap, or why they may not see it."""
    async with services.sessions.begin() as session:
        pair, refusal = await viewable_pair(session, team_id=team_id, user_id=user_id)
        if refusal is not None or pair is None:
            return RoadmapLook(refusal=refusal or Refusal.NO_PAIR)
        assert pair.id is not None
        items = await roadmap.roadmap_items(session, team_id=team_id, pair_id=pair.id)
    return _look(pair, user_id, items, can_edit=pair.status != PairStatus.PAUSED)


async def topics_form(services: Services, *, team_id: str, user_id: str, pair_id: int | None) -> TopicsForm | Refusal:
    """The form for the pair a button names, or why this person may not change its roadmap."""
    async with services.sessions.begin() as session:
        pair, refusal = await editable_pair(session, team_id=team_id, user_id=user_id, pair_id=pair_id)
        if refusal is not None or pair is None:
            return refusal or Refusal.NOT_IN_PAIR
        assert pair.id is not None
        own = await roadmap.own_topics(session, team_id=team_id, pair_id=pair.id)
        items = await roadmap.roadmap_items(session, team_id=team_id, pair_id=pair.id)
        programme = await programmes.get_programme(session, team_id=team_id, programme_id=pair.programme_id)
    offered = tuple(key for key in (programme.topic_keys if programme else "").split(",") if key)
    return TopicsForm(
        pair_id=pair.id, own_topics=[(roadmap.own_key(topic), topic.title) for topic in own], chosen_keys=[item.topic_key for item in items],
        offered_keys=offered,
    )


async def save_roadmap(
    services: Services, *, team_id: str, user_id: str, pair_id: int | None, view_id: str, chosen_values: list[str], new_titles: list[str]
) -> RoadmapSaved:
    """Save the chosen topics, with the pair's new own topics, as this side's roadmap; once however
    often Submit is pressed, and only with four to eight topics."""
    now = services.clock.now()
    async with services.sessions.begin() as session:
        pair, refusal = await editable_pair(session, team_id=team_id, user_id=user_id, pair_id=pair_id)
        if refusal is not None or pair is None:
            return RoadmapSaved(refusal=refusal or Refusal.NOT_IN_PAIR)
        assert pair.id is not None
        own = {roadmap.own_key(topic): topic.title for topic in await roadmap.own_topics(session, team_id=team_id, pair_id=pair.id)}
        chosen, fresh = chosen_topics(chosen_values, {**own, **content.topic_titles()}, new_titles)
        count = len(chosen) + len(fresh)
        if not MIN_TOPICS <= count <= MAX_TOPICS:
            return RoadmapSaved(wrong_count=count)  # counted before anything is written: the store is as it was
        if not await events.first_submission(session, team_id=team_id, view_id=view_id, now=now):
            return RoadmapSaved(repeat=True)
        for title in fresh:
            topic = await roadmap.add_own_topic(session, team_id=team_id, pair_id=pair.id, title=title, created_by=user_id)
            if roadmap.own_key(topic) not in dict(chosen):
                chosen.append((roadmap.own_key(topic), topic.title))
        role = pairs.role_in(pair, user_id)
        items, changed, partner_had_agreed = await roadmap.set_roadmap(session, pair=pair, role=role, chosen=chosen, now=now)
    return RoadmapSaved(look=_look(pair, user_id, items, can_edit=True), changed=changed, partner_had_agreed=partner_had_agreed)


async def move_topic(
    services: Services, *, team_id: str, user_id: str, item_id: int | None, up: bool, shown_at: int | None
) -> RoadmapMoved:
    """Move one topic a place up or down, if the menu clicked still shows it where it is."""
    async with services.sessions.begin() as session:
        item = await roadmap.get_item(session, team_id=team_id, item_id=item_id) if item_id is not None else None
        pair, refusal = await editable_pair(session, team_id=team_id, user_id=user_id, pair_id=item.pair_id if item is not None else None)
        if refusal is not None or pair is None or item is None:
            return RoadmapMoved(refusal=refusal or Refusal.NOT_IN_PAIR)
        assert pair.id is not None
        moved, partner_had_agreed = await roadmap.move_item(
            session, pair=pair, role=pairs.role_in(pair, user_id), item_id=item.id, steps=-1 if up else 1, now=services.clock.now(), shown_at=shown_at
        )
        items = await roadmap.roadmap_items(session, team_id=team_id, pair_id=pair.id)
    return RoadmapMoved(moved=moved, look=_look(pair, user_id, items, can_edit=True), partner_had_agreed=partner_had_agreed)


async def agree_to_roadmap(services: Services, *, team_id: str, user_id: str, pair_id: int | None, value: str) -> RoadmapAgreed:
    """Record this side's agreement to the roadmap in the order the request showed (`value`), if it
    is still the current one."""
    async with services.sessions.begin() as session:
        pair, refusal = await editable_pair(session, team_id=team_id, user_id=user_id, pair_id=pair_id)
        if refusal is not None or pair is None:
            return RoadmapAgreed(refusal=refusal or Refusal.NOT_IN_PAIR)
        assert pair.id is not None
        items = await roadmap.roadmap_items(session, team_id=team_id, pair_id=pair.id)
        if not items:
            agreement = Agreement.EMPTY
        elif topic_prompts.agreement_value(pair.id, roadmap_view(items)) != value:
            agreement = Agreement.STALE
        elif await roadmap.agree_roadmap(session, pair=pair, role=pairs.role_in(pair, user_id), now=services.clock.now()):
            agreement = Agreement.AGREED
        else:
            agreement = Agreement.ALREADY
    return RoadmapAgreed(agreement=agreement, look=_look(pair, user_id, items, can_edit=True))
