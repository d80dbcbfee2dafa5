"""Every shape a failed Web API call can take, for the stand-in to answer with (workspace.failures).

Each comes as many times as slack_sdk's own retries ask for (it retries a 500, a 503 and a dropped
connection twice itself, see bot/app.py), with the reason code bot/slack_errors.py gives it.
"""

from sandbox.workspace import SlackApiError

FAILURE_SHAPES: dict[str, tuple[list[SlackApiError], str]] = {
    "html_502": ([SlackApiError("", status=502, body="<html><body>502 Bad Gateway</body></html>")], "http_502"),
    "empty_503": ([SlackApiError("", status=503, body="", content_type="application/json") for _ in range(3)], "http_503"),
    "json_that_is_not_json": ([SlackApiError("", body="<html>oops</html>", content_type="application/json")], "invalid_response"),
    "plain_text_200": ([SlackApiError("", body="ok", content_type="text/plain")], "invalid_response"),
    "json_string_200": ([SlackApiError("", body='"ok"', content_type="application/json")], "invalid_response"),
    "json_without_error": ([SlackApiError("", body='{"ok": false}', content_type="application/json")], "invalid_response"),
    "connection_reset": ([SlackApiError("", reset=True) for _ in range(3)], "connection_error"),
}
