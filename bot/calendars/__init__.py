"""Connected calendars: one small interface (provider.py) over Google Calendar (google.py) and
Microsoft 365 through Graph (microsoft.py), the OAuth token calls they share (tokens.py), and
`providers_of` to pick one by name. Flows and the sweep use these; nothing here touches the store."""
