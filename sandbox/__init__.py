"""A local stand-in for a Slack workspace: its Web API, its signed requests to the bot, and a page."""
