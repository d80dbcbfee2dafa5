"""The providers the operator configured, by name."""

from __future__ import annotations

from bot.calendar_config import CalendarSettings
from bot.calendars.google import GoogleCalendar
from bot.calendars.microsoft import MicrosoftCalendar
from bot.calendars.provider import CalendarProvider
from bot.http import SharedHttp


def providers_of(settings: CalendarSettings | None, http: SharedHttp) -> dict[str, CalendarProvider]:
    """Google and Microsoft where their client ids are set; empty when calendars are off."""
    if settings is None:
        return {}
    found: dict[str, CalendarProvider] = {}
    if settings.google is not None:
        found["google"] = GoogleCalendar(settings.google, http)
    if settings.microsoft is not None:
        found["microsoft"] = MicrosoftCalendar(settings.microsoft, http)
    return found
