"""Fixtures for the follow-up tests: the collected twelve-person rollout of test_status (one
per kind of return), the test SMTP server, and the session's Dovecot."""

from tests.distribute.conftest import smtp_server  # noqa: F401  (a fixture)
from tests.followup.test_status import rollout  # noqa: F401  (a fixture)
from tests.mail.conftest import dovecot  # noqa: F401  (a fixture)
