"""`/mentor admin ...`: set up the programme, enrol and pair people, suggest matches, and pause,
resume, end or unpair a pair. Only programme admins (and workspace admins) get past the door."""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel.ext.asyncio.session import AsyncSession

from bot import matching, pairing
from bot.commands import arguments, subcommand
from bot.permissions import is_programme_admin
from bot.programme_form import default_end, read_programme_form
from bot.services import Services
from bot.slack_errors import error_code
from bot.view_state import read_state
from domain.roles import Role
from domain.statuses import PairStatus
from handlers.home import refresh_pair_homes
from prompts import admin as admin_prompts
from prompts import admin_home as home_prompts
from prompts import profile as profile_prompts
from store import enrolments, events, pairs, people, programmes
from store.models import Pair, Programme

logger = logging.getLogger(__name__)

PAIR_VERBS = ("pause", "resume", "end", "unpair")


async def _refusal_for_non_admin(session: AsyncSession, client: AsyncWebClient, *, team_id: str, user_id: str) -> dict[str, Any] | None:
    """The ephemeral refusal for someone who is not an admin, or None when they may go on."""
    if await is_programme_admin(session, client, team_id=team_id, user_id=user_id):
        return None
    programme = await programmes.latest_programme(session, team_id=team_id)
    admins = await programmes.admin_ids(session, team_id=team_id, programme_id=programme.id) if programme else []
    return admin_prompts.build_not_admin(admins)


def _as_dm(reply: dict[str, Any]) -> dict[str, Any]:
    """An ephemeral reply's text and blocks, to send as a DM instead (after a form has closed)."""
    return {"text": reply["text"], "blocks": reply["blocks"]}


async def handle_admin_command(ack: AsyncAck, command: dict, client: AsyncWebClient, respond: AsyncRespond, context: dict) -> None:
    # Acknowledge first and answer through response_url: whether the person is an admin can mean
    # asking Slack (users.info), and enrolling or pairing asks Slack about each person.
    await ack()
    services: Services = context["services"]
    team_id, user_id = command["team_id"], command["user_id"]
    rest = arguments(command.get("text"), "admin")
    verb, _, tail = rest.partition(" ")
    verb, tail = verb.lower(), tail.strip()
    async with services.sessions.begin() as session:
        refusal = await _refusal_for_non_admin(session, client, team_id=team_id, user_id=user_id)
        programme = await programmes.current_programme(session, team_id=team_id)
    if refusal is not None:
        await respond(**refusal)
    elif verb == "setup":
        await _open_setup(client, command=command, programme=programme, new=tail.lower() == "new", services=services)
    elif programme is None:
        await respond(**admin_prompts.build_no_programme())
    elif verb in ("enrol", "enroll"):
        await _enrol_command(respond, client, command=command, programme=programme, tail=tail, services=services)
    elif verb == "pair":
        await _pair_command(respond, client, command=command, programme=programme, tail=tail, services=services)
    elif verb == "match":
        async with services.sessions.begin() as session:
            view = await _match_view(session, programme=programme, services=services)
        await client.views_open(trigger_id=command["trigger_id"], view=view)
    elif verb in PAIR_VERBS:
        await _pair_change_command(respond, client, verb=verb, tail=tail, team_id=team_id, services=services)
    else:
        await respond(**admin_prompts.build_admin_usage(unknown=rest or None))


# --- set-up ----------------------------------------------------------------------------------------

async def _open_setup(client: AsyncWebClient, *, command: dict, programme: Programme | None, new: bool, services: Services) -> None:
    today = services.clock.now().date()
    if programme is not None and not new:
        async with services.sessions.begin() as session:
            admins = await programmes.admin_ids(session, team_id=programme.team_id, programme_id=programme.id)
    else:
        admins = [command["user_id"]]
    view = admin_prompts.build_setup_modal(programme, admins=admins, today=today, default_end=default_end(today), new=new)
    await client.views_open(trigger_id=command["trigger_id"], view=view)


async def handle_setup_submission(ack: AsyncAck, body: dict, view: dict, client: AsyncWebClient, context: dict) -> None:
    services: Services = context["services"]
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    form = read_programme_form(read_state(view), editor=user_id)
    if form.errors:
        await ack(response_action="errors", errors=form.errors)
        return
    metadata = json.loads(view.get("private_metadata") or "{}")
    now = services.clock.now()
    async with services.sessions.begin() as session:
        refusal = await _refusal_for_non_admin(session, client, team_id=team_id, user_id=user_id)
        if refusal is not None:
            await ack(response_action="errors", errors={"admins": refusal["text"]})
            return
        if not await events.first_submission(session, team_id=team_id, view_id=view.get("id", ""), now=now):
            await ack()  # Submit pressed again: the programme is saved already (a second would close the first)
            return
        current = await programmes.current_programme(session, team_id=team_id)
        editing = current is not None and not metadata.get("new") and metadata.get("programme_id") == current.id
        if editing:
            programme = await programmes.update_programme(session, programme=current, **form.fields)
            admins = form.admins
        else:
            if current is not None:
                await programmes.close_programme(session, programme=current)
            programme = await programmes.create_programme(session, team_id=team_id, created_by=user_id, now=now, **form.fields)
            admins = sorted(set(form.admins) | {user_id})  # whoever sets it up runs it
        await programmes.set_admins(session, team_id=team_id, programme_id=programme.id, user_ids=admins)
    await ack()
    await pairing.send_dm(client, user_id, admin_prompts.build_setup_saved(programme, created=not editing, admins=admins))


# --- enrolment -------------------------------------------------------------------------------------

async def _invite_enrolled(client: AsyncWebClient, result: pairing.EnrolResult, programme: Programme) -> None:
    for role, user_ids in result.enrolled.items():
        for enrolled_id in user_ids:
            await pairing.send_dm(client, enrolled_id, profile_prompts.build_enrolled_invite(role, programme=programme))


async def _enrol_command(
    respond: AsyncRespond, client: AsyncWebClient, *, command: dict, programme: Programme, tail: str, services: Services
) -> None:
    first, _, people_text = tail.partition(" ")
    if not tail:
        await client.views_open(trigger_id=command["trigger_id"], view=admin_prompts.build_enrol_modal())
        return
    if first.lower() == "bulk":
        await client.views_open(trigger_id=command["trigger_id"], view=admin_prompts.build_bulk_modal())
        return
    role = pairing.parse_role(first)
    user_ids = pairing.mentions(people_text)
    if role is None or not user_ids:
        await respond(**admin_prompts.build_usage(admin_prompts.ENROL_USAGE))
        return
    async with services.sessions.begin() as session:
        result = await pairing.enrol_people(session, client, programme=programme, role=role, user_ids=user_ids, now=services.clock.now())
    await respond(**admin_prompts.build_enrol_report(enrolled=result.enrolled, already=result.already, refused=result.refused, programme=programme))
    await _invite_enrolled(client, result, programme)


async def _current_programme_for_admin(
    ack: AsyncAck, session: AsyncSession, client: AsyncWebClient, *, team_id: str, user_id: str
) -> Programme | None:
    """For a form or button: the programme, once we know the person may act on it; else tell them why not."""
    refusal = await _refusal_for_non_admin(session, client, team_id=team_id, user_id=user_id)
    if refusal is not None:
        await ack()
        await pairing.send_dm(client, user_id, _as_dm(refusal))
        return None
    programme = await programmes.current_programme(session, team_id=team_id)
    if programme is None:
        await ack()
        await pairing.send_dm(client, user_id, _as_dm(admin_prompts.build_no_programme()))
    return programme


async def handle_enrol_submission(ack: AsyncAck, body: dict, view: dict, client: AsyncWebClient, context: dict) -> None:
    services: Services = context["services"]
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    state = read_state(view)
    chosen = {Role.MENTOR: state.get("mentors") or [], Role.MENTEE: state.get("mentees") or []}
    if not chosen[Role.MENTOR] and not chosen[Role.MENTEE]:
        await ack(response_action="errors", errors={"mentors": admin_prompts.ENROL_NO_ONE})
        return
    both = set(chosen[Role.MENTOR]) & set(chosen[Role.MENTEE])
    if both:
        await ack(response_action="errors", errors={"mentees": admin_prompts.ENROL_BOTH_ROLES})
        return
    async with services.sessions.begin() as session:
        programme = await _current_programme_for_admin(ack, session, client, team_id=team_id, user_id=user_id)
        if programme is None:
            return
        await ack()
        if not await events.first_submission(session, team_id=team_id, view_id=view.get("id", ""), now=services.clock.now()):
            return  # Submit pressed again: enrolled and reported already
        results = {
            role: await pairing.enrol_people(session, client, programme=programme, role=role, user_ids=user_ids, now=services.clock.now())
            for role, user_ids in chosen.items()
        }
    report = admin_prompts.build_enrol_report(
        enrolled={role: result.enrolled[role] for role, result in results.items()},
        already={role: result.already[role] for role, result in results.items()},
        refused=[refusal for result in results.values() for refusal in result.refused],
        programme=programme,
    )
    await pairing.send_dm(client, user_id, _as_dm(report))
    for result in results.values():
        await _invite_enrolled(client, result, programme)


async def handle_bulk_submission(ack: AsyncAck, body: dict, view: dict, client: AsyncWebClient, context: dict) -> None:
    services: Services = context["services"]
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    text = read_state(view).get("lines") or ""
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        await ack(response_action="errors", errors={"lines": admin_prompts.BULK_EMPTY})
        return
    if len(lines) > admin_prompts.BULK_MAX_LINES:
        await ack(response_action="errors", errors={"lines": admin_prompts.bulk_too_long(len(lines))})
        return
    async with services.sessions.begin() as session:
        programme = await _current_programme_for_admin(ack, session, client, team_id=team_id, user_id=user_id)
        if programme is None:
            return
        await ack()  # looking up many emails can take longer than Slack waits for a form
        if not await events.first_submission(session, team_id=team_id, view_id=view.get("id", ""), now=services.clock.now()):
            return  # Submit pressed again: paired and reported already
        result = await pairing.enrol_and_pair_lines(session, client, programme=programme, text=text, now=services.clock.now())
    for pair in result.pairs:
        await pairing.welcome_pair(client, pair=pair, programme=programme)
    await pairing.send_dm(client, user_id, admin_prompts.build_bulk_report(paired=result.paired, failed=result.failed, max_pairs=programme.max_pairs_per_person))


# --- pairing ---------------------------------------------------------------------------------------

async def _pair_command(
    respond: AsyncRespond, client: AsyncWebClient, *, command: dict, programme: Programme, tail: str, services: Services
) -> None:
    if not tail:
        await client.views_open(trigger_id=command["trigger_id"], view=admin_prompts.build_pair_modal())
        return
    user_ids = pairing.mentions(tail)
    raw = pairing.MENTION.findall(tail)
    if len(raw) == 2 and len(user_ids) == 1:
        user_ids = raw  # the same person twice: let the rule say so
    if len(user_ids) != 2:
        await respond(**admin_prompts.build_usage(admin_prompts.PAIR_USAGE))
        return
    async with services.sessions.begin() as session:
        outcome = await pairing.pair_people(session, client, programme=programme, mentor_id=user_ids[0], mentee_id=user_ids[1], now=services.clock.now())
    if isinstance(outcome, pairing.Refusal):
        await respond(**admin_prompts.build_refusal(outcome, max_pairs=programme.max_pairs_per_person))
        return
    await respond(**admin_prompts.build_paired(outcome.mentor_id, outcome.mentee_id))
    await pairing.welcome_pair(client, pair=outcome, programme=programme)


async def handle_pair_submission(ack: AsyncAck, body: dict, view: dict, client: AsyncWebClient, context: dict) -> None:
    services: Services = context["services"]
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    state = read_state(view)
    mentor_id, mentee_id = state.get("mentor"), state.get("mentee")
    if not mentor_id or not mentee_id:
        await ack(response_action="errors", errors={"mentor" if not mentor_id else "mentee": admin_prompts.CHOOSE_SOMEONE})
        return
    async with services.sessions.begin() as session:
        programme = await _current_programme_for_admin(ack, session, client, team_id=team_id, user_id=user_id)
        if programme is None:
            return
        # Before pairing: Submit pressed again closes the form, rather than being refused as "paired already".
        if not await events.first_submission(session, team_id=team_id, view_id=view.get("id", ""), now=services.clock.now()):
            await ack()
            return
        outcome = await pairing.pair_people(session, client, programme=programme, mentor_id=mentor_id, mentee_id=mentee_id, now=services.clock.now())
        if isinstance(outcome, pairing.Refusal):
            await events.forget_submission(session, team_id=team_id, view_id=view.get("id", ""))  # the form stays open for another choice
            block = "mentee" if outcome.code == "same_person" or outcome.user_id == mentee_id else "mentor"
            await ack(response_action="errors", errors={block: admin_prompts.refusal_text(outcome, max_pairs=programme.max_pairs_per_person)})
            return
    await ack()
    done = admin_prompts.build_paired(outcome.mentor_id, outcome.mentee_id)
    await pairing.send_dm(client, user_id, _as_dm(done))
    await pairing.welcome_pair(client, pair=outcome, programme=programme)


# --- matching --------------------------------------------------------------------------------------

async def _candidates(session: AsyncSession, *, programme: Programme, user_ids: list[str]) -> list[matching.Candidate]:
    known = await people.get_people(session, team_id=programme.team_id, user_ids=user_ids)
    candidates = []
    for user_id in user_ids:
        person = known.get(user_id)
        if person is None:
            candidates.append(matching.Candidate(user_id))
        else:
            candidates.append(matching.Candidate(user_id, person.department, matching.parse_interests(person.interests), person.tz))
    return candidates


async def _match_view(session: AsyncSession, *, programme: Programme, services: Services, keep: list[tuple[str, str]] | None = None, unmatched: list[str] | None = None) -> dict:
    """The proposal for the unpaired (or, after an edit, the pairs still kept), as a modal."""
    now = services.clock.now()
    hours = {"start_hour": programme.work_start_hour, "end_hour": programme.work_end_hour}
    if keep is None:
        free: dict[Role, list[str]] = {Role.MENTOR: [], Role.MENTEE: []}
        for enrolment in await enrolments.enrolments(session, team_id=programme.team_id, programme_id=programme.id):
            if not await pairs.open_pairs_of(session, team_id=programme.team_id, user_id=enrolment.user_id):
                free[Role(enrolment.role)].append(enrolment.user_id)
        mentors = await _candidates(session, programme=programme, user_ids=free[Role.MENTOR])
        mentees = await _candidates(session, programme=programme, user_ids=free[Role.MENTEE])
        history = await pairs.pair_history(session, team_id=programme.team_id)
        proposals = matching.propose_pairs(mentors, mentees, history, now=now, **hours)[: admin_prompts.MATCH_MAX_PAIRS]
        matched = {user for proposal in proposals for user in (proposal.mentor_id, proposal.mentee_id)}
        unmatched = sorted((set(free[Role.MENTOR]) | set(free[Role.MENTEE])) - matched)
    else:
        everyone = await _candidates(session, programme=programme, user_ids=sorted({user for pair in keep for user in pair}))
        by_id = {candidate.user_id: candidate for candidate in everyone}
        proposals = [matching.describe(by_id[mentor], by_id[mentee], now=now, **hours) for mentor, mentee in keep]
    return admin_prompts.build_match_modal(proposals, catalogue=profile_prompts.topic_catalogue(), unmatched=unmatched or [])


async def handle_match_remove(ack: AsyncAck, body: dict, action: dict, client: AsyncWebClient, context: dict) -> None:
    await ack()
    services: Services = context["services"]
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    view = body["view"]
    kept, unmatched = admin_prompts.read_match_metadata(view.get("private_metadata") or "")
    removed = tuple(action.get("value", "").split(":"))
    kept = [pair for pair in kept if pair != removed]
    unmatched = sorted(set(unmatched) | set(removed))
    async with services.sessions.begin() as session:
        programme = await _current_programme_for_admin(ack, session, client, team_id=team_id, user_id=user_id)
        if programme is None:
            return
        updated = await _match_view(session, programme=programme, services=services, keep=kept, unmatched=unmatched)
    await _update_match_view(client, view, updated)


async def _update_match_view(client: AsyncWebClient, view: dict, updated: dict) -> bool:
    """Show the proposal as it now is; False when the modal changed since the click (Slack's hash check):
    the second of a double-click, whose first has already changed it."""
    try:
        await client.views_update(view_id=view["id"], hash=view.get("hash"), view=updated)
    except SlackApiError as error:
        if error_code(error) == "hash_conflict":
            return False
        raise
    return True


async def handle_match_manual(ack: AsyncAck, body: dict, client: AsyncWebClient, context: dict) -> None:
    await ack()
    services: Services = context["services"]
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    view = body["view"]
    kept, unmatched = admin_prompts.read_match_metadata(view.get("private_metadata") or "")
    async with services.sessions.begin() as session:
        programme = await _current_programme_for_admin(ack, session, client, team_id=team_id, user_id=user_id)
        if programme is None:
            return
        same = await _match_view(session, programme=programme, services=services, keep=kept, unmatched=unmatched)
    # Shown again unchanged, only so that its hash moves on: the second of a double-click carries the old
    # hash, is refused by Slack, and does not push a second form.
    if await _update_match_view(client, view, same):
        await client.views_push(trigger_id=body["trigger_id"], view=admin_prompts.build_pair_modal())


async def handle_match_submission(ack: AsyncAck, body: dict, view: dict, client: AsyncWebClient, context: dict) -> None:
    services: Services = context["services"]
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    kept, _ = admin_prompts.read_match_metadata(view.get("private_metadata") or "")
    paired: list[Pair] = []
    refused: list[tuple[str, str, pairing.Refusal]] = []
    async with services.sessions.begin() as session:
        programme = await _current_programme_for_admin(ack, session, client, team_id=team_id, user_id=user_id)
        if programme is None:
            return
        await ack()
        if not await events.first_submission(session, team_id=team_id, view_id=view.get("id", ""), now=services.clock.now()):
            return  # Submit pressed again: paired and reported already
        for mentor_id, mentee_id in kept:
            # Checked again: someone may have been paired by hand while the proposal was open.
            outcome = await pairing.pair_people(session, client, programme=programme, mentor_id=mentor_id, mentee_id=mentee_id, now=services.clock.now())
            if isinstance(outcome, pairing.Refusal):
                refused.append((mentor_id, mentee_id, outcome))
            else:
                paired.append(outcome)
    for pair in paired:
        await pairing.welcome_pair(client, pair=pair, programme=programme)
    report = admin_prompts.build_match_report(
        paired=[(pair.mentor_id, pair.mentee_id) for pair in paired], refused=refused, max_pairs=programme.max_pairs_per_person
    )
    await pairing.send_dm(client, user_id, report)


# --- pause, resume, end, unpair ----------------------------------------------------------------------

CHANGES = {
    # verb: (new status, the status it must be in now (None: any but ended), what the pair is told)
    "pause": (PairStatus.PAUSED, PairStatus.ACTIVE, "paused"),
    "resume": (PairStatus.ACTIVE, PairStatus.PAUSED, "resumed"),
    "end": (PairStatus.ENDED, None, "ended"),
    "unpair": (PairStatus.ENDED, None, "unpaired"),
}


async def _pair_change_command(
    respond: AsyncRespond, client: AsyncWebClient, *, verb: str, tail: str, team_id: str, services: Services
) -> None:
    user_ids = pairing.mentions(tail)
    if len(user_ids) != 1:
        await respond(**admin_prompts.build_usage(admin_prompts.pair_change_usage(verb)))
        return
    subject = user_ids[0]
    now = services.clock.now()
    until = None
    if verb == "pause":
        date_text = pairing.MENTION.sub("", tail).strip()
        date_text = date_text.removeprefix("until").strip()
        if date_text:
            until = pairing.parse_day(date_text)
            if until is None or until <= now.date():
                await respond(**admin_prompts.build_pause_date_refused(date_text, now.date()))
                return
    status, expected, change = CHANGES[verb]
    changed = False
    async with services.sessions.begin() as session:
        pair = await pairs.current_pair(session, team_id=team_id, user_id=subject)
        before = pair.status if pair is not None else None
        if pair is not None and (expected is None or before == expected):
            changed = await pairs.set_status(session, team_id=team_id, pair_id=pair.id, status=status, expected=expected, now=now, paused_until=until)
    if pair is None:
        await respond(**admin_prompts.build_no_pair(subject))
    elif not changed:
        await respond(**admin_prompts.build_wrong_status(subject, before))
    else:
        await respond(**admin_prompts.build_pair_change_done(change, mentor_id=pair.mentor_id, mentee_id=pair.mentee_id, pair_id=pair.id, until=until))
        await pairing.tell_pair(client, pair=pair, change=change, until=until)
        refresh_pair_homes(services, client, pair)


async def handle_resume_button(ack: AsyncAck, body: dict, action: dict, client: AsyncWebClient, respond: AsyncRespond, context: dict) -> None:
    await ack()
    services: Services = context["services"]
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    async with services.sessions.begin() as session:
        refusal = await _refusal_for_non_admin(session, client, team_id=team_id, user_id=user_id)
        if refusal is not None:
            await respond(**refusal)
            return
        pair = await pairs.get_pair(session, team_id=team_id, pair_id=int(action.get("value") or 0))
        changed = pair is not None and await pairs.set_status(
            session, team_id=team_id, pair_id=pair.id, status=PairStatus.ACTIVE, expected=PairStatus.PAUSED, now=services.clock.now()
        )
        if pair is not None and not changed:
            await session.refresh(pair)
    if pair is not None and not changed and pair.status == PairStatus.ACTIVE:
        # Resumed a moment ago (a double-click, or another admin): the message says so, the pair was told once.
        await respond(**admin_prompts.build_pair_change_done("resumed", mentor_id=pair.mentor_id, mentee_id=pair.mentee_id, pair_id=pair.id), replace_original=True)
        return
    if pair is None or not changed:
        await respond(**admin_prompts.build_usage(admin_prompts.NOTHING_TO_RESUME), replace_original=True)
        return
    await respond(**admin_prompts.build_pair_change_done("resumed", mentor_id=pair.mentor_id, mentee_id=pair.mentee_id, pair_id=pair.id), replace_original=True)
    await pairing.tell_pair(client, pair=pair, change="resumed")
    refresh_pair_homes(services, client, pair)


# --- the admin Home tab's buttons ---------------------------------------------------------------------

async def handle_home_button(ack: AsyncAck, body: dict, action: dict, client: AsyncWebClient, context: dict) -> None:
    """Set up, Enrol people and Pair people on the admin's Home tab open the same forms as the commands."""
    await ack()
    services: Services = context["services"]
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    async with services.sessions.begin() as session:
        refusal = await _refusal_for_non_admin(session, client, team_id=team_id, user_id=user_id)
        programme = await programmes.current_programme(session, team_id=team_id)
        admins = await programmes.admin_ids(session, team_id=team_id, programme_id=programme.id) if programme else [user_id]
    if refusal is not None:
        await pairing.send_dm(client, user_id, _as_dm(refusal))
        return
    if action["action_id"] == home_prompts.ADMIN_SETUP_OPEN:
        today = services.clock.now().date()
        view = admin_prompts.build_setup_modal(programme, admins=admins, today=today, default_end=default_end(today))
    elif programme is None:
        await pairing.send_dm(client, user_id, _as_dm(admin_prompts.build_no_programme()))
        return
    elif action["action_id"] == home_prompts.ADMIN_ENROL_OPEN:
        view = admin_prompts.build_enrol_modal()
    else:
        view = admin_prompts.build_pair_modal()
    await client.views_open(trigger_id=body["trigger_id"], view=view)


def register(app: AsyncApp) -> None:
    app.command("/mentor", matchers=[subcommand("admin")])(handle_admin_command)
    app.view(admin_prompts.SETUP_CALLBACK)(handle_setup_submission)
    app.view(admin_prompts.ENROL_CALLBACK)(handle_enrol_submission)
    app.view(admin_prompts.BULK_CALLBACK)(handle_bulk_submission)
    app.view(admin_prompts.PAIR_CALLBACK)(handle_pair_submission)
    app.view(admin_prompts.MATCH_CALLBACK)(handle_match_submission)
    app.action(admin_prompts.MATCH_REMOVE_ACTION)(handle_match_remove)
    app.action(admin_prompts.MATCH_MANUAL_ACTION)(handle_match_manual)
    app.action(admin_prompts.RESUME_ACTION)(handle_resume_button)
    for action_id in (home_prompts.ADMIN_SETUP_OPEN, home_prompts.ADMIN_ENROL_OPEN, home_prompts.ADMIN_PAIR_OPEN):
        app.action(action_id)(handle_home_button)
