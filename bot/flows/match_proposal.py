"""The suggested pairs an admin reviews: who is free, as `bot.rules.matching` candidates; the proposal as
it stands after the admin removed some; and pairing those the admin kept."""

from __future__ import annotations

from dataclasses import dataclass, field

from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.flows import pairing
from bot.rules import matching
from bot.services import Services
from domain.refusals import Refusal
from domain.roles import Role
from store import enrolments, events, org_chart, pairs, people
from store.models import Pair, Programme


@dataclass(frozen=True)
class MatchProposal:
    proposals: list[matching.Proposal]
    unmatched: list[str]


async def _candidates(session: AsyncSession, *, programme: Programme, user_ids: list[str]) -> list[matching.Candidate]:
    """Each person as matching sees them: their department from the org chart when it names one, else
    from their profile; the chain above them from the org chart."""
    known = await people.get_people(session, team_id=programme.team_id, user_ids=user_ids)
    places = await org_chart.places(session, team_id=programme.team_id)
    manager_of = {user_id: place.manager_id for user_id, place in places.items()}
    candidates = []
    for user_id in user_ids:
        person, place = known.get(user_id), places.get(user_id)
        department = (place.department if place else "") or (person.department if person else "")
        candidates.append(matching.Candidate(
            user_id, department, matching.parse_interests(person.interests) if person else frozenset(), person.tz if person else "UTC",
            matching.chain_above(user_id, manager_of),
        ))
    return candidates


def _hours(programme: Programme) -> dict[str, int]:
    return {"start_hour": programme.work_start_hour, "end_hour": programme.work_end_hour}


async def propose(services: Services, *, programme: Programme, limit: int) -> MatchProposal:
    """The best pairs among the enrolled who are in no open pair (at most `limit`), and who is left."""
    now = services.clock.now()
    async with services.sessions.begin() as session:
        free: dict[Role, list[str]] = {Role.MENTOR: [], Role.MENTEE: []}
        for enrolment in await enrolments.enrolments(session, team_id=programme.team_id, programme_id=programme.id):
            if not await pairs.open_pairs_of(session, team_id=programme.team_id, user_id=enrolment.user_id):
                free[Role(enrolment.role)].append(enrolment.user_id)
        mentors = await _candidates(session, programme=programme, user_ids=free[Role.MENTOR])
        mentees = await _candidates(session, programme=programme, user_ids=free[Role.MENTEE])
        history = await pairs.pair_history(session, team_id=programme.team_id)
    proposals = matching.propose_pairs(mentors, mentees, history, now=now, **_hours(programme))[:limit]
    matched = {user for proposal in proposals for user in (proposal.mentor_id, proposal.mentee_id)}
    return MatchProposal(proposals=proposals, unmatched=sorted((set(free[Role.MENTOR]) | set(free[Role.MENTEE])) - matched))


async def proposal_kept(services: Services, *, programme: Programme, keep: list[tuple[str, str]], unmatched: list[str]) -> MatchProposal:
    """The proposal as the admin left it: the pairs still kept, described afresh."""
    now = services.clock.now()
    async with services.sessions.begin() as session:
        everyone = await _candidates(session, programme=programme, user_ids=sorted({user for pair in keep for user in pair}))
    by_id = {candidate.user_id: candidate for candidate in everyone}
    proposals = [matching.describe(by_id[mentor], by_id[mentee], now=now, **_hours(programme)) for mentor, mentee in keep]
    return MatchProposal(proposals=proposals, unmatched=unmatched)


@dataclass
class MatchOutcome:
    paired: list[Pair] = field(default_factory=list)
    refused: list[tuple[str, str, Refusal]] = field(default_factory=list)  # mentor, mentee, why


async def pair_kept(
    services: Services, client: AsyncWebClient, *, programme: Programme, kept: list[tuple[str, str]], view_id: str
) -> MatchOutcome | None:
    """Pair everyone the admin kept, in one transaction; None when Submit was pressed again (paired already)."""
    outcome = MatchOutcome()
    async with services.sessions.begin() as session:
        if not await events.first_submission(session, team_id=programme.team_id, view_id=view_id, now=services.clock.now()):
            return None
        for mentor_id, mentee_id in kept:
            # Checked again: someone may have been paired by hand while the proposal was open.
            pair = await pairing.pair_people(session, client, programme=programme, mentor_id=mentor_id, mentee_id=mentee_id, now=services.clock.now())
            if isinstance(pair, Refusal):
                outcome.refused.append((mentor_id, mentee_id, pair))
            else:
                outcome.paired.append(pair)
    return outcome
