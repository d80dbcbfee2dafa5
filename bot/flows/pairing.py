"""Rules for enrolling and pairing people, and the pair's life: pause, resume, end.

The checks are plain functions of what Slack and the store say; the async helpers gather those
facts. A refusal carries a code and the person it is about, and `prompts.admin` words it.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime

from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.clients import ClientProvider
from bot.directory import SlackUser, fetch_user, lookup_by_email
from bot.rules.matching import chain_above
from bot.services import Services
from bot.slack_errors import SLACK_FAILURES
from bot.views import programme_view
from domain.refusals import Refusal
from domain.roles import Role
from domain.statuses import PairStatus
from prompts import welcome as welcome_prompts
from store import enrolments, events, org_chart, pairs, people
from store.models import Pair, Programme

logger = logging.getLogger(__name__)

# With escaping on, Slack sends a mention as <@U123|name> (or <@U123> in newer clients).
MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
EMAIL = re.compile(r"^[^@\s,<>]+@[^@\s,<>]+\.[^@\s,<>]+$")


def mentions(text: str) -> list[str]:
    """User ids mentioned in command text, in order, without repeats."""
    found: list[str] = []
    for user_id in MENTION.findall(text or ""):
        if user_id not in found:
            found.append(user_id)
    return found


def pair_mentions(text: str) -> list[str]:
    """The two people `/mentor admin pair @a @b` names; the same person twice stays twice, for the rule to refuse."""
    user_ids = mentions(text)
    raw = MENTION.findall(text or "")
    return raw if len(raw) == 2 and len(user_ids) == 1 else user_ids


def parse_role(word: str) -> Role | None:
    word = (word or "").strip().lower().rstrip("s")
    if word in ("mentor", "reverse-mentor", "reverse_mentor"):
        return Role.MENTOR
    if word == "mentee":
        return Role.MENTEE
    return None


def person_refusal(user_id: str, user: SlackUser | None) -> Refusal | None:
    """Someone who cannot take part at all: unknown to Slack, a bot, or deactivated."""
    if user is None:
        return Refusal("unknown", user_id)
    if user.is_bot:
        return Refusal("bot", user_id)
    if user.deleted:
        return Refusal("deactivated", user_id)
    return None


def enrolment_refusal(user_id: str, *, wanted: Role, enrolled_as: Role | None) -> Refusal | None:
    if enrolled_as is not None and enrolled_as != wanted:
        return Refusal("other_role", user_id, role=enrolled_as)
    return None


def _swapped(mentor_id: str, mentee_id: str, *, users: dict[str, SlackUser | None], enrolled_as: dict[str, Role | None]) -> bool:
    """Both can take part and are enrolled, but named the other way round (the mentee first)."""
    able = all(person_refusal(user_id, users.get(user_id)) is None for user_id in (mentor_id, mentee_id))
    return able and enrolled_as.get(mentor_id) is Role.MENTEE and enrolled_as.get(mentee_id) is Role.MENTOR


def pair_refusal(
    *,
    mentor_id: str,
    mentee_id: str,
    users: dict[str, SlackUser | None],
    enrolled_as: dict[str, Role | None],
    open_pairs: dict[str, list[Pair]],
    max_pairs: int,
) -> Refusal | None:
    """Why these two cannot be paired now, or None when they can."""
    if mentor_id == mentee_id:
        return Refusal("same_person", mentor_id)
    if _swapped(mentor_id, mentee_id, users=users, enrolled_as=enrolled_as):
        return Refusal("swapped", mentor_id, role=Role.MENTEE, detail=mentee_id)
    for user_id, wanted in ((mentor_id, Role.MENTOR), (mentee_id, Role.MENTEE)):
        refusal = person_refusal(user_id, users.get(user_id))
        if refusal is not None:
            return refusal
        role = enrolled_as.get(user_id)
        if role is None:
            return Refusal("not_enrolled", user_id, role=wanted)
        if role != wanted:
            return Refusal("other_role", user_id, role=role)
    for pair in open_pairs.get(mentor_id, []):
        if pair.mentee_id == mentee_id:
            return Refusal("together", mentor_id, detail=mentee_id)
    for user_id in (mentor_id, mentee_id):
        if len(open_pairs.get(user_id, [])) >= max_pairs:
            return Refusal("busy", user_id)
    return None


async def check_pair(
    session: AsyncSession, client: AsyncWebClient, *, programme: Programme, mentor_id: str, mentee_id: str,
    users: dict[str, SlackUser | None] | None = None,
) -> Refusal | None:
    """Gather what Slack and the store know about both people, then apply `pair_refusal`."""
    users = dict(users or {})
    enrolled_as: dict[str, Role | None] = {}
    open_pairs: dict[str, list[Pair]] = {}
    for user_id in {mentor_id, mentee_id}:
        if user_id not in users:
            users[user_id] = await fetch_user(client, user_id)
        enrolment = await enrolments.get_enrolment(session, team_id=programme.team_id, programme_id=programme.id, user_id=user_id)
        enrolled_as[user_id] = Role(enrolment.role) if enrolment else None
        open_pairs[user_id] = await pairs.open_pairs_of(session, team_id=programme.team_id, user_id=user_id)
    return pair_refusal(
        mentor_id=mentor_id, mentee_id=mentee_id, users=users, enrolled_as=enrolled_as, open_pairs=open_pairs,
        max_pairs=programme.max_pairs_per_person,
    )


async def send_dm(client: AsyncWebClient, user_id: str, message: dict) -> bool:
    """Post a DM; a person Slack will not reach (deactivated since) is logged, not fatal."""
    try:
        await client.chat_postMessage(channel=user_id, **message)
    except SLACK_FAILURES:
        logger.exception("could not DM %s", user_id)
        return False
    return True


async def welcome_pair(client: AsyncWebClient, *, pair: Pair, programme: Programme) -> None:
    """Each side's welcome DM, written for their role."""
    view = programme_view(programme)
    await send_dm(client, pair.mentor_id, welcome_prompts.build_welcome(Role.MENTOR, partner_id=pair.mentee_id, programme=view, pair_id=pair.id))
    await send_dm(client, pair.mentee_id, welcome_prompts.build_welcome(Role.MENTEE, partner_id=pair.mentor_id, programme=view, pair_id=pair.id))


async def tell_pair(client: AsyncWebClient, *, pair: Pair, change: str, until: date | None = None) -> None:
    """Tell both sides, kindly, that their pair was paused, resumed, ended or unpaired."""
    for user_id in (pair.mentor_id, pair.mentee_id):
        partner = pair.mentee_id if user_id == pair.mentor_id else pair.mentor_id
        await send_dm(client, user_id, welcome_prompts.build_pair_change(change, partner_id=partner, until=until))


async def resume_due_pairs(services: Services, clients: ClientProvider, now: datetime) -> int:
    """Sweep step: resume paused pairs whose pause has run out, and tell them. Safe to run twice."""
    resumed: list[Pair] = []
    async with services.sessions.begin() as session:
        for pair in await pairs.pairs_due_to_resume(session, today=now.date()):
            if await pairs.set_status(
                session, team_id=pair.team_id, pair_id=pair.id, status=PairStatus.ACTIVE, expected=PairStatus.PAUSED, now=now
            ):
                resumed.append(pair)
    for pair in resumed:
        await tell_pair(await clients(pair.team_id), pair=pair, change="resumed_by_itself")
    return len(resumed)


@dataclass
class EnrolResult:
    enrolled: dict[Role, list[str]]
    already: dict[Role, list[str]]
    refused: list[Refusal]


async def _remember(session: AsyncSession, *, team_id: str, user: SlackUser, now: datetime) -> None:
    """Keep the person's name and zone (matching needs the zone) without losing their profile."""
    await people.upsert_person(session, team_id=team_id, user_id=user.id, name=user.name, tz=user.tz, now=now)


async def enrol_people(
    session: AsyncSession, client: AsyncWebClient, *, programme: Programme, role: Role, user_ids: list[str], now: datetime
) -> EnrolResult:
    """Enrol each person who can take part; the others are refused with the reason, and nothing of theirs is saved."""
    result = EnrolResult(enrolled={role: []}, already={role: []}, refused=[])
    for user_id in user_ids:
        user = await fetch_user(client, user_id)
        refusal = person_refusal(user_id, user)
        if refusal is not None:
            result.refused.append(refusal)
            continue
        enrolment = await enrolments.get_enrolment(session, team_id=programme.team_id, programme_id=programme.id, user_id=user_id)
        if enrolment is not None:
            refusal = enrolment_refusal(user_id, wanted=role, enrolled_as=Role(enrolment.role))
            if refusal is not None:
                result.refused.append(refusal)
            else:
                result.already[role].append(user_id)
            continue
        await enrolments.enrol(session, team_id=programme.team_id, programme_id=programme.id, user_id=user_id, role=role, now=now)
        await _remember(session, team_id=programme.team_id, user=user, now=now)  # type: ignore[arg-type]
        result.enrolled[role].append(user_id)
    return result


async def reporting_line(session: AsyncSession, *, team_id: str, mentor_id: str, mentee_id: str) -> Refusal | None:
    """`reporting_line` when the org chart puts one of the two above the other (at any depth): the one
    above as `user_id`, the one below as `detail`; None otherwise, or with no chart."""
    places = await org_chart.places(session, team_id=team_id)
    manager_of = {user_id: place.manager_id for user_id, place in places.items()}
    for above, below in ((mentor_id, mentee_id), (mentee_id, mentor_id)):
        if above in chain_above(below, manager_of):
            return Refusal("reporting_line", above, detail=below)
    return None


async def pair_people(
    session: AsyncSession, client: AsyncWebClient, *, programme: Programme, mentor_id: str, mentee_id: str, now: datetime,
    confirmed: bool = False,
) -> Pair | Refusal:
    """Pair two enrolled people, or say why not (nothing is written then); two in one reporting line only
    once the admin has `confirmed` it."""
    refusal = await check_pair(session, client, programme=programme, mentor_id=mentor_id, mentee_id=mentee_id)
    if refusal is None and not confirmed:
        refusal = await reporting_line(session, team_id=programme.team_id, mentor_id=mentor_id, mentee_id=mentee_id)
    if refusal is not None:
        return refusal
    return await pairs.create_pair(session, team_id=programme.team_id, programme_id=programme.id, mentor_id=mentor_id, mentee_id=mentee_id, now=now)


async def pair_two(
    services: Services, client: AsyncWebClient, *, programme: Programme, mentor_id: str, mentee_id: str
) -> Pair | Refusal:
    """`pair_people` in its own transaction (the command)."""
    async with services.sessions.begin() as session:
        return await pair_people(session, client, programme=programme, mentor_id=mentor_id, mentee_id=mentee_id, now=services.clock.now())


async def pair_from_form(
    services: Services, client: AsyncWebClient, *, programme: Programme, mentor_id: str, mentee_id: str, view_id: str,
    confirmed: bool = False,
) -> Pair | Refusal | None:
    """The pair form: None when Submit was pressed again (it closes, rather than being refused as "paired
    already"); a refusal leaves the form open, so its next submission counts as a new one."""
    team_id = programme.team_id
    async with services.sessions.begin() as session:
        if not await events.first_submission(session, team_id=team_id, view_id=view_id, now=services.clock.now()):
            return None
        outcome = await pair_people(
            session, client, programme=programme, mentor_id=mentor_id, mentee_id=mentee_id, now=services.clock.now(), confirmed=confirmed
        )
        if isinstance(outcome, Refusal):
            await events.forget_submission(session, team_id=team_id, view_id=view_id)
        return outcome


def parse_bulk_line(line: str) -> tuple[str, str] | None:
    """'mentor@x.com, mentee@x.com' -> the two addresses, lower-cased; None for anything else."""
    parts = [part.strip().strip("<>").removeprefix("mailto:").lower() for part in line.split(",")]
    if len(parts) != 2 or not all(EMAIL.match(part) for part in parts):
        return None
    return parts[0], parts[1]


@dataclass
class BulkResult:
    paired: list[tuple[int, str, str]]  # line number, mentor, mentee
    failed: list[tuple[int, str, Refusal]]  # line number, the line, why
    pairs: list[Pair]


async def enrol_and_pair_lines(
    session: AsyncSession, client: AsyncWebClient, *, programme: Programme, text: str, now: datetime
) -> BulkResult:
    """Each line enrols and pairs two people, or (when anything about it is wrong) saves nothing.

    Every check of a line is made before anything of that line is written, and later lines see what
    earlier lines saved (someone enrolled as a mentor on line 1 cannot be a mentee on line 5).
    """
    result = BulkResult(paired=[], failed=[], pairs=[])
    found: dict[str, SlackUser | None] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        refusal, users = await _check_bulk_line(session, client, programme=programme, line=line, found=found)
        if refusal is not None or users is None:
            result.failed.append((number, line, refusal or Refusal("bad_line")))
            continue
        mentor, mentee = users
        for user, role in ((mentor, Role.MENTOR), (mentee, Role.MENTEE)):
            if await enrolments.get_enrolment(session, team_id=programme.team_id, programme_id=programme.id, user_id=user.id) is None:
                await enrolments.enrol(session, team_id=programme.team_id, programme_id=programme.id, user_id=user.id, role=role, now=now)
            await _remember(session, team_id=programme.team_id, user=user, now=now)
        pair = await pairs.create_pair(session, team_id=programme.team_id, programme_id=programme.id, mentor_id=mentor.id, mentee_id=mentee.id, now=now)
        result.pairs.append(pair)
        result.paired.append((number, mentor.id, mentee.id))
    return result


async def _check_bulk_line(
    session: AsyncSession, client: AsyncWebClient, *, programme: Programme, line: str, found: dict[str, SlackUser | None]
) -> tuple[Refusal | None, tuple[SlackUser, SlackUser] | None]:
    emails = parse_bulk_line(line)
    if emails is None:
        return Refusal("bad_line"), None
    if emails[0] == emails[1]:
        return Refusal("same_email"), None
    users: list[SlackUser] = []
    for email in emails:
        if email not in found:
            found[email] = await lookup_by_email(client, email)
        user = found[email]
        if user is None:
            return Refusal("unknown_email", detail=email), None
        refusal = person_refusal(user.id, user)
        if refusal is not None:
            return refusal, None
        users.append(user)
    mentor, mentee = users
    if mentor.id == mentee.id:
        return Refusal("same_person", mentor.id), None
    enrolled_as: dict[str, Role | None] = {}
    open_pairs: dict[str, list[Pair]] = {}
    for user, wanted in ((mentor, Role.MENTOR), (mentee, Role.MENTEE)):
        enrolment = await enrolments.get_enrolment(session, team_id=programme.team_id, programme_id=programme.id, user_id=user.id)
        if enrolment is not None and enrolment.role != wanted:
            return Refusal("other_role", user.id, role=Role(enrolment.role)), None
        enrolled_as[user.id] = wanted  # enrolled by this line if not already
        open_pairs[user.id] = await pairs.open_pairs_of(session, team_id=programme.team_id, user_id=user.id)
    refusal = pair_refusal(
        mentor_id=mentor.id, mentee_id=mentee.id, users={mentor.id: mentor, mentee.id: mentee}, enrolled_as=enrolled_as,
        open_pairs=open_pairs, max_pairs=programme.max_pairs_per_person,
    )
    return refusal, (mentor, mentee)
