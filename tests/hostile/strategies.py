"""Random and malicious text, for every place a person can type."""

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

HOSTILE = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            "'; DROP TABLE pair; --",
            "<script>alert(1)</script>",
            "<!channel> <!here> <@U0ADMIN>",
            "\x00\x01\x02",
            "admin " * 200,
            "%s%s%s%n",
            "../../etc/passwd",
            "{{7*7}}",
            "\u202e\u200b\ufeff",
            "x" * 5000,
        ]
    ),
)
EXAMPLES = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
FEW_EXAMPLES = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
