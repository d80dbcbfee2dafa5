"""The session messages as Block Kit: agenda and starters for the mentor, role for the mentee, Slack's limits."""

from datetime import UTC, datetime

from prompts import session_reminders as reminders
from prompts import sessions as prompts

VIEW = prompts.SessionView(
    id=42, starts_at=datetime(2026, 3, 10, 15, 0, tzinfo=UTC), minutes=60, topic="Hybrid working in practice",
    location="Room 4", status="booked", partner_id="U0MENTEE", tz="Asia/Kolkata",
)


def test_the_mentors_reminder_carries_the_agenda_and_the_topics_starters():
    body = reminders.build_mentor_reminder(VIEW, minutes_before=1440, topic_key="hybrid-working")
    text = str(body["blocks"])
    assert body["text"] == "Reminder: your session with <@U0MENTEE> is tomorrow, Tue 10 Mar, 20:30 IST (60 min)."
    assert "A suggested agenda" in text and "Check-in" in text and "The topic: Hybrid working in practice" in text
    assert reminders.topic_starters("hybrid-working")[0] in text


def test_the_mentees_reminder_carries_the_topic_and_their_role():
    body = reminders.build_mentee_reminder(VIEW, minutes_before=60)
    assert "in an hour" in body["text"]
    assert "Hybrid working in practice" in str(body["blocks"]) and "listen and learn" in str(body["blocks"])


def test_the_post_session_prompt_offers_three_answers_for_the_reflection():
    body = reminders.build_reflection_prompt(VIEW)
    [buttons] = [block for block in body["blocks"] if block["type"] == "actions"]
    assert [(b["action_id"], b["value"]) for b in buttons["elements"]] == [
        ("reflection_took_place_0", "42:yes"), ("reflection_took_place_1", "42:cancelled"), ("reflection_took_place_2", "42:no_show"),
    ]


def test_modals_keep_within_slacks_limits():
    topics = prompts.catalogue_topics()
    start = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
    for modal in (
        prompts.build_schedule_modal(initial=start, minutes=50, topics=topics, topic_key=None, metadata="1"),
        prompts.build_log_modal(initial=start, minutes=60, topics=topics, topic_key="hybrid-working", metadata="1"),
        prompts.build_reschedule_modal(VIEW, initial=start),
        prompts.build_cancel_modal(VIEW, late=True),
    ):
        assert len(modal["title"]["text"]) <= 24 and len(modal["submit"]["text"]) <= 24
        for block in modal["blocks"]:
            for option in (block.get("element") or {}).get("options", []):
                assert len(option["text"]["text"]) <= 75


def test_the_reason_boxes_leave_optional_for_slack_to_say():
    # Slack adds "(optional)" to an optional input's label itself: "Why (optional) (optional)" otherwise.
    start = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
    for modal in (prompts.build_cancel_modal(VIEW, late=False), prompts.build_reschedule_modal(VIEW, initial=start)):
        [reason] = [block for block in modal["blocks"] if block.get("block_id") == prompts.REASON_BLOCK]
        assert reason["optional"] is True
        assert reason["label"]["text"] == "Why"
