"""The pair charter: the form it opens with, saving it, and agreeing it (in force once both agree the
current version), one transaction each. Words and the modal live in prompts/charter.py."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.flows.pair_access import editable_pair, viewable_pair
from bot.rules.pair_access import Refusal
from bot.services import Services
from bot.views import charter_view
from domain.roles import Role
from domain.statuses import PairStatus
from domain.views import CharterView
from prompts import charter as charter_prompts
from store import charters, events, pairs, programmes
from store.models import Pair


@dataclass(frozen=True)
class CharterForm:
    """What the charter modal opens with: the charter's terms, or a first draft from the programme's rhythm."""

    pair_id: int
    partner_id: str
    terms: dict[str, object]
    version: int | None  # None: no charter yet
    programme_rules: str = ""  # the ground rules the programme offers (its template's); "": the whole catalogue


@dataclass(frozen=True)
class CharterLook:
    """What `/mentor charter` shows: why not, a paused pair's charter to read, or the form."""

    refusal: Refusal | None = None
    form: CharterForm | None = None
    paused: CharterView | None = None  # a paused pair: its charter (None when it has none) to read, not change
    viewer_role: Role = Role.MENTOR


@dataclass(frozen=True)
class CharterSaved:
    """A submitted charter: refused, already saved (Submit pressed again), or saved with what changed."""

    refusal: Refusal | None = None
    repeat: bool = False
    pair_id: int = 0
    partner_id: str = ""
    charter: CharterView | None = None  # None: nothing saved this time (refused, or a repeat)
    previous: CharterView | None = None  # the terms before this save, when they changed
    changed: bool = False
    newly_agreed: bool = False  # this save is the saver's agreement to a version they had not agreed
    in_force: bool = False


class Agreement(StrEnum):
    AGREED = "agreed"
    ALREADY = "already"  # this side had agreed this version already
    STALE = "stale"  # the charter changed since the request was sent


@dataclass(frozen=True)
class CharterAgreed:
    """An Agree click: refused, or how it went, with the charter as it now stands."""

    refusal: Refusal | None = None
    agreement: Agreement = Agreement.AGREED
    charter: CharterView | None = None
    pair_id: int = 0
    partner_id: str = ""
    in_force: bool = False


async def _form(session: AsyncSession, *, pair: Pair, user_id: str) -> CharterForm:
    assert pair.id is not None
    charter = await charters.get_charter(session, team_id=pair.team_id, pair_id=pair.id)
    programme = await programmes.get_programme(session, team_id=pair.team_id, programme_id=pair.programme_id)
    programme_rules = programme.ground_rule_keys if programme else ""
    if charter is None:
        terms = charter_prompts.new_charter_terms(
            cadence_days=programme.cadence_days if programme else 30,
            session_minutes=programme.session_minutes if programme else 60,
            programme_rules=programme_rules,
        )
        version = None
    else:
        terms = {name: getattr(charter, name) for name in charters.TERMS}
        version = charter.version
    return CharterForm(pair_id=pair.id, partner_id=pairs.partner_of(pair, user_id), terms=terms, version=version, programme_rules=programme_rules)


async def _offered_only(session: AsyncSession, *, pair: Pair, terms: dict[str, object]) -> dict[str, object]:
    """The terms with only the ground rules the form offered this pair: Slack sends what the form
    listed, but a forged submission could name any rule in the catalogue."""
    programme = await programmes.get_programme(session, team_id=pair.team_id, programme_id=pair.programme_id)
    charter = await charters.get_charter(session, team_id=pair.team_id, pair_id=pair.id)
    offered = charter_prompts.offered_rules(programme.ground_rule_keys if programme else "", charter.ground_rules if charter else "")
    ticked = set(charter_prompts.rule_keys(str(terms.get("ground_rules", ""))))
    return {**terms, "ground_rules": ",".join(key for key in offered if key in ticked)}


async def look_at_charter(services: Services, *, team_id: str, user_id: str) -> CharterLook:
    """The person's current pair's charter: the form to change it, or to read while the pair is paused."""
    async with services.sessions.begin() as session:
        pair, refusal = await viewable_pair(session, team_id=team_id, user_id=user_id)
        if refusal is not None or pair is None:
            return CharterLook(refusal=refusal or Refusal.NO_PAIR)
        if pair.status == PairStatus.PAUSED:
            charter = await charters.get_charter(session, team_id=team_id, pair_id=pair.id)
            return CharterLook(paused=charter_view(charter) if charter is not None else None, viewer_role=pairs.role_in(pair, user_id))
        return CharterLook(form=await _form(session, pair=pair, user_id=user_id))


async def charter_form(services: Services, *, team_id: str, user_id: str, pair_id: int | None) -> CharterForm | Refusal:
    """The form for the pair a button names, or why this person may not change its charter."""
    async with services.sessions.begin() as session:
        pair, refusal = await editable_pair(session, team_id=team_id, user_id=user_id, pair_id=pair_id)
        if refusal is not None or pair is None:
            return refusal or Refusal.NOT_IN_PAIR
        return await _form(session, pair=pair, user_id=user_id)


async def save_charter(
    services: Services, *, team_id: str, user_id: str, pair_id: int | None, view_id: str, terms: dict[str, object]
) -> CharterSaved:
    """Save the terms as this person's agreement, once however often Submit is pressed."""
    now = services.clock.now()
    async with services.sessions.begin() as session:
        pair, refusal = await editable_pair(session, team_id=team_id, user_id=user_id, pair_id=pair_id)
        if refusal is not None or pair is None:
            return CharterSaved(refusal=refusal or Refusal.NOT_IN_PAIR)
        assert pair.id is not None
        partner_id = pairs.partner_of(pair, user_id)
        if not await events.first_submission(session, team_id=team_id, view_id=view_id, now=now):
            return CharterSaved(repeat=True, pair_id=pair.id, partner_id=partner_id)
        terms = await _offered_only(session, pair=pair, terms=terms)
        saved = await charters.save_charter(
            session, team_id=team_id, pair_id=pair.id, role=pairs.role_in(pair, user_id), user_id=user_id, terms=terms, now=now
        )
        return CharterSaved(
            pair_id=pair.id,
            partner_id=partner_id,
            charter=charter_view(saved.charter),
            previous=charter_view(saved.previous) if saved.previous is not None else None,
            changed=saved.changed,
            newly_agreed=saved.newly_agreed,
            in_force=charters.in_force(saved.charter),
        )


async def agree_to_charter(services: Services, *, team_id: str, user_id: str, charter_id: int | None, version: int | None) -> CharterAgreed:
    """Record this side's agreement to the version they were asked about, if it is still the current one."""
    async with services.sessions.begin() as session:
        charter = await charters.get_charter_by_id(session, team_id=team_id, charter_id=charter_id) if charter_id is not None else None
        pair, refusal = await editable_pair(session, team_id=team_id, user_id=user_id, pair_id=charter.pair_id if charter is not None else None)
        if refusal is not None or pair is None or charter is None:
            return CharterAgreed(refusal=refusal or Refusal.NOT_IN_PAIR)
        assert pair.id is not None
        role = pairs.role_in(pair, user_id)
        if charter.version != version:
            agreement = Agreement.STALE
        elif charters.agreed_by(charter, role):
            agreement = Agreement.ALREADY
        elif await charters.agree_charter(session, charter=charter, role=role, now=services.clock.now()):
            agreement = Agreement.AGREED
        else:  # changed, or agreed, a moment ago
            agreement = Agreement.STALE if charter.version != version else Agreement.ALREADY
        return CharterAgreed(
            agreement=agreement, charter=charter_view(charter), pair_id=pair.id, partner_id=pairs.partner_of(pair, user_id), in_force=charters.in_force(charter)
        )
