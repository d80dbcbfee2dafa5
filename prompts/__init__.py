"""Every user-facing word and Block Kit structure, as pure functions returning dicts."""
