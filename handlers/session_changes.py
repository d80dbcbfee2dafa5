"""The session buttons (Confirm, Reschedule, Cancel) and the forms to move or cancel a session. Thin: parse,
call a flow (bot.flows.session_changes), render with prompts, deliver the notices at once (as handlers/sessions.py,
whose helpers these share)."""

from __future__ import annotations

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.commands import team_of
from bot.flows import session_changes
from bot.services import services_of
from handlers.pair_support import tell
from handlers.sessions import after_change, answer_submission, refusal_text
from prompts import booking_hours
from prompts import sessions as prompts


async def handle_confirm(ack: AsyncAck, body: dict, action: dict, client: AsyncWebClient, context: dict) -> None:
    await ack()
    services = services_of(context)
    user_id = body["user"]["id"]
    session_id = prompts.session_id_of(action.get("value", ""))
    if session_id is None:
        return
    outcome = await session_changes.confirm(services, client, team_id=team_of(body, context), user_id=user_id, session_id=session_id,
                                            now=services.clock.now())
    if outcome.refusal is not None or outcome.session is None or outcome.context is None:
        await tell(client, body, prompts.build_refusal(refusal_text(outcome, user_id)))
        return
    await tell(client, body, prompts.build_confirmed_ack(outcome.context.view(outcome.session, user_id)))
    await after_change(services, client, outcome)


async def _open_session_modal(ack: AsyncAck, body: dict, action: dict, client: AsyncWebClient, context: dict, *, cancel: bool) -> None:
    await ack()
    services = services_of(context)
    user_id = body["user"]["id"]
    session_id = prompts.session_id_of(action.get("value", ""))
    if session_id is None:
        return
    outcome = await session_changes.session_for(services, client, team_id=team_of(body, context), user_id=user_id, session_id=session_id,
                                                now=services.clock.now())
    if outcome.refusal is not None or outcome.session is None or outcome.context is None:
        await tell(client, body, prompts.build_refusal(refusal_text(outcome, user_id)))
        return
    view = outcome.context.view(outcome.session, user_id)
    if cancel:
        modal = prompts.build_cancel_modal(view, late=outcome.late)
    else:
        modal = prompts.build_reschedule_modal(view, initial=outcome.session.starts_at)
    await client.views_open(trigger_id=body["trigger_id"], view=modal)


async def handle_reschedule_button(ack: AsyncAck, body: dict, action: dict, client: AsyncWebClient, context: dict) -> None:
    await _open_session_modal(ack, body, action, client, context, cancel=False)


async def handle_cancel_button(ack: AsyncAck, body: dict, action: dict, client: AsyncWebClient, context: dict) -> None:
    await _open_session_modal(ack, body, action, client, context, cancel=True)


async def handle_reschedule_submission(ack: AsyncAck, body: dict, view: dict, client: AsyncWebClient, context: dict) -> None:
    services = services_of(context)
    user_id, form = body["user"]["id"], prompts.read_form(view)
    if form.when is None:
        await ack(response_action="errors", errors={prompts.WHEN_BLOCK: prompts.PICK_A_TIME})
        return
    outcome = await session_changes.reschedule(services, client, team_id=team_of(body, context), user_id=user_id,
                                               session_id=int(view["private_metadata"]), starts_at=form.when, reason=form.reason,
                                               now=services.clock.now(), view_id=view.get("id", ""), anyway=form.anyway)
    if outcome.outside is not None and outcome.context is not None and outcome.session is not None:
        # Shown again with what was chosen, the time in both zones and a "move anyway" tick box.
        asked = prompts.build_reschedule_modal(outcome.context.view(outcome.session, user_id), initial=form.when, reason=form.reason,
                                               notes=booking_hours.form_warning(outcome.outside, verb="Move", submit="Move it"))
        await ack(response_action="update", view=asked)
        return
    await answer_submission(ack, services, client, outcome, user_id=user_id, block=prompts.WHEN_BLOCK)


async def handle_cancel_submission(ack: AsyncAck, body: dict, view: dict, client: AsyncWebClient, context: dict) -> None:
    services = services_of(context)
    user_id = body["user"]["id"]
    outcome = await session_changes.cancel(services, client, team_id=team_of(body, context), user_id=user_id,
                                           session_id=int(view["private_metadata"]), reason=prompts.read_form(view).reason,
                                           now=services.clock.now(), view_id=view.get("id", ""))
    await answer_submission(ack, services, client, outcome, user_id=user_id, block=prompts.REASON_BLOCK)


def register(app: AsyncApp) -> None:
    app.action(prompts.CONFIRM_ACTION)(handle_confirm)
    app.action(prompts.RESCHEDULE_ACTION)(handle_reschedule_button)
    app.action(prompts.CANCEL_ACTION)(handle_cancel_button)
    app.view(prompts.RESCHEDULE_CALLBACK)(handle_reschedule_submission)
    app.view(prompts.CANCEL_CALLBACK)(handle_cancel_submission)
