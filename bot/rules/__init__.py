"""Rules: pure functions of data and `now` (time reading, matching, detectors, health, nudges, quiet hours, next steps).

No I/O: nothing here reads the store, the clock or Slack; tests call them with a fixed clock."""
