"""A person's export and erasure: what goes into their JSON file, and the one transaction that deletes.

The export holds the person's own rows and what they share with their partner (the pair, its
charter terms, its sessions); never the partner's own answers or anything the partner wrote
alone. The erasure is `store.erasure.erase_person` in one transaction, then a DM to say what went
and, for a pair that ended, a kind word to the partner.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.flows.calendar_connections import held_tokens, revoke_quietly
from bot.flows.pairing import send_dm
from bot.flows.programme_scope import member_scope
from bot.services import Services
from bot.uploads import upload_to_dm
from bot.views import programme_view
from domain.erasure import Erasure
from domain.roles import Role
from domain.views import ProgrammeView
from prompts import privacy as words
from store import events, pairs, programmes
from store import privacy as privacy_store
from store.erasure import erase_person
from store.privacy import PersonalData

EXPORT_FORMAT = "flipside-personal-data/1"


def _when(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _list(text: str) -> list[str]:
    return [part for part in text.split(",") if part]


def build_export(data: PersonalData, *, team_id: str, now: datetime) -> dict[str, Any]:
    """The person's data as plain JSON-ready values, one key per kind of record."""
    user_id = data.user_id
    programmes = data.programmes
    role_of = {pair.id: (Role.MENTOR if pair.mentor_id == user_id else Role.MENTEE) for pair in data.pairs}
    person = data.person
    profile = None
    if person is not None:
        profile = {
            "user_id": person.user_id,
            "name": person.name,
            "time_zone": person.tz,
            "department": person.department,
            "interests": _list(person.interests),
            "away_until": _when(person.away_until),
            "nudges_turned_off": _list(person.muted_nudges),
        }

    def programme_name(programme_id: int) -> str:
        programme = programmes.get(programme_id)
        return programme.name if programme is not None else ""

    def message_text(payload: str) -> str:
        try:
            return str(json.loads(payload).get("text", "")) if payload else ""
        except (ValueError, AttributeError):
            return ""

    return {
        "format": EXPORT_FORMAT,
        "exported_at": now.isoformat(),
        "team_id": team_id,
        "user_id": user_id,
        "profile": profile,
        "programmes_you_run": [{"programme_id": pid, "programme": programme_name(pid)} for pid in data.programmes_run],
        "enrolments": [
            {"programme_id": e.programme_id, "programme": programme_name(e.programme_id), "role": e.role, "enrolled_at": _when(e.enrolled_at)}
            for e in data.enrolments
        ],
        "pairs": [
            {
                "pair_id": pair.id,
                "programme_id": pair.programme_id,
                "programme": programme_name(pair.programme_id),
                "your_role": role_of[pair.id],
                "partner_id": pair.mentee_id if role_of[pair.id] is Role.MENTOR else pair.mentor_id,
                "status": pair.status,
                "paused_until": _when(pair.paused_until),
                "paired_at": _when(pair.created_at),
                "ended_at": _when(pair.ended_at),
            }
            for pair in data.pairs
        ],
        "charters": [
            {
                "pair_id": charter.pair_id,
                "version": charter.version,
                "driver": charter.driver,
                "cadence_days": charter.cadence_days,
                "session_minutes": charter.session_minutes,
                "format": charter.format,
                "confidentiality": charter.confidentiality,
                "ground_rules": _list(charter.ground_rules),
                "own_rules": charter.own_rules,
                "mentor_responsibilities": charter.mentor_responsibilities,
                "mentee_responsibilities": charter.mentee_responsibilities,
                "you_agreed_at": _when(charter.mentor_agreed_at if role_of.get(charter.pair_id) is Role.MENTOR else charter.mentee_agreed_at),
            }
            for charter in data.charters
        ],
        "topics_you_added": [{"pair_id": topic.pair_id, "title": topic.title} for topic in data.topics],
        "goals": [
            {
                "pair_id": goal.pair_id,
                "text": goal.text,
                "organisation_benefit": goal.org_benefit,
                "progress": goal.progress,
                "note": goal.note,
                "created_at": _when(goal.created_at),
                "updated_at": _when(goal.updated_at),
            }
            for goal in data.goals
        ],
        "reflections": [
            {
                "session_id": reflection.session_id,
                "pair_id": reflection.pair_id,
                "took_place": reflection.took_place,
                "led_by": reflection.led_by,
                "safety": reflection.safety,
                "topic_key": reflection.topic_key,
                "learning": reflection.learning,
                "new_insight": reflection.new_insight,
                "shared_with_partner": reflection.shared,
                "started_at": _when(reflection.started_at),
                "completed_at": _when(reflection.completed_at),
            }
            for reflection in data.reflections
        ],
        "actions": [
            {
                "pair_id": action.pair_id,
                "text": action.text,
                "scope": action.scope,
                "due_on": _when(action.due_on),
                "status": action.status,
                "created_at": _when(action.created_at),
                "done_at": _when(action.done_at),
            }
            for action in data.actions
        ],
        "sessions": [
            {
                "session_id": session.id,
                "pair_id": session.pair_id,
                "starts_at": _when(session.starts_at),
                "minutes": session.minutes,
                "topic": session.topic,
                "status": session.status,
                "booked_by": session.booked_by,
                "logged_afterwards": session.logged_after,
                "cancelled_by": session.cancelled_by,
                "cancelled_at": _when(session.cancelled_at),
                "late_cancellation": session.late_cancel,
                # A reason is the canceller's own words: only theirs is in their export.
                "your_cancel_reason": session.cancel_reason if session.cancelled_by == user_id else None,
            }
            for session in data.sessions
        ],
        "check_ins": [
            {
                "programme_id": check_in.programme_id,
                "pair_id": check_in.pair_id,
                "kind": check_in.kind,
                "working": check_in.working,
                "change": check_in.change,
                "goals_achieved": check_in.goals_achieved,
                "what_changed": check_in.what_changed,
                "organisation_should": check_in.organisation_should,
                "recommend": check_in.recommend,
                "take_part_again": check_in.take_part_again,
                "submitted_at": _when(check_in.submitted_at),
            }
            for check_in in data.check_ins
        ],
        "measures": [
            {"pair_id": answer.pair_id, "wave": answer.wave, "statement": answer.item_key, "answer": answer.value, "answered_at": _when(answer.answered_at)}
            for answer in data.measure_answers
        ],
        "messages_to_you": [
            {
                "kind": outbox.kind,
                "status": outbox.status,
                "due_at": _when(outbox.due_at),
                "sent_at": _when(outbox.sent_at),
                "text": message_text(outbox.payload),
            }
            for outbox in data.messages
        ],
    }


async def promising_programme(services: Services, *, team_id: str, user_id: str) -> ProgrammeView | None:
    """The programme whose promises (k, retention) the privacy menu names: the person's programme in
    scope, else the workspace's newest; None before the first one."""
    async with services.sessions() as session:
        programme = (await member_scope(session, team_id=team_id, user_id=user_id)).programme or await programmes.last_programme(session, team_id=team_id)
    return programme_view(programme) if programme is not None else None


async def export_my_data(services: Services, client: AsyncWebClient, *, team_id: str, user_id: str) -> str:
    """Upload the person's JSON file to their DM; returns the file id (SlackApiError if Slack refuses)."""
    now = services.clock.now()
    async with services.sessions() as session:
        data = await privacy_store.load_personal_data(session, team_id=team_id, user_id=user_id)
        export = build_export(data, team_id=team_id, now=now)
    content = json.dumps(export, indent=2, ensure_ascii=False).encode()
    return await upload_to_dm(
        client, user_id=user_id, content=content, filename=words.export_filename(now.date()), title=words.EXPORT_TITLE, comment=words.export_comment()
    )


async def open_partners(services: Services, *, team_id: str, user_id: str) -> list[str]:
    """The partners of the person's open pairs: named in the confirmation, as deletion ends those pairs."""
    async with services.sessions() as session:
        open_pairs = await pairs.open_pairs_of(session, team_id=team_id, user_id=user_id)
    return [pairs.partner_of(pair, user_id) for pair in open_pairs]


async def delete_my_data(services: Services, client: AsyncWebClient, *, team_id: str, user_id: str, view_id: str = "") -> Erasure | None:
    """Erase in one transaction, then tell the person what went and any partner whose pair ended.
    None when the confirmation form (`view_id`) was submitted before: that erasure is done or under way."""
    now = services.clock.now()
    calendar = await held_tokens(services, team_id=team_id, user_id=user_id)  # read now, revoked once the erasure is done
    async with services.sessions.begin() as session:
        if not await events.first_submission(session, team_id=team_id, view_id=view_id, now=now):
            return None
        erasure = await erase_person(session, team_id=team_id, user_id=user_id, now=now)
        # Read after the erasure: someone who ran the programme and erased themselves is no longer its admin.
        admins = {programme_id: await programmes.admin_ids(session, team_id=team_id, programme_id=programme_id) for programme_id, _ in erasure.ended_in}
    await revoke_quietly(services, calendar, user_id=user_id)
    services.users.forget(user_id)  # nor is anything of them kept in memory: Slack's answers about them, cached for Home
    await send_dm(client, user_id, words.build_deleted(erasure))
    for partner_id in erasure.partners_left:
        await send_dm(client, partner_id, words.build_partner_left(user_id))
    # The admin can pair the partner again, so is told the pair ended: who stays, never who left or why.
    for programme_id, partner_id in erasure.ended_in:
        for admin_id in admins[programme_id]:
            if admin_id != partner_id:
                await send_dm(client, admin_id, words.build_pair_ended_for_admin(partner_id))
    return erasure
