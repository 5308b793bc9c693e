"""Fixtures for the mail tests: one real Dovecot per session (see dovecot.py), a fresh
account per test, the 300-message corpus built and delivered once per session."""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from guidepdf.content import Content
from tests.mail.corpus import Corpus, build_corpus
from tests.mail.dovecot import PASSWORD, POOL, Dovecot, have_dovecot

PASSWORD_VAR = "GUIDEPDF_TEST_IMAP_PASSWORD"
_ids = itertools.count(1)


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    if not have_dovecot():
        if os.environ.get("CI"):
            pytest.fail("dovecot is not installed: .ci/run must apt-get install "
                        "dovecot-imapd")
        pytest.skip("dovecot not installed (apt-get install dovecot-imapd)")
    root = Path(tempfile.mkdtemp(prefix="guidepdf-dovecot-"))
    os.chmod(root, 0o755)  # Dovecot's own users must reach the files in it
    server = Dovecot(root / "server")
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


@dataclass
class Account:
    server: Dovecot
    user: str

    def deliver(self, messages: list[bytes]) -> int:
        return self.server.deliver(messages, self.user)

    def args(self, *, port: int | None = None, password: bool = True) -> list[str]:
        """The `fetch` options that reach this account over TLS, the test CA trusted."""
        out = ["--imap", f"127.0.0.1:{port or self.server.imaps_port}", "--user", self.user,
               "--cafile", str(self.server.cert)]
        return out + (["--password-env", PASSWORD_VAR] if password else [])


@pytest.fixture
def account(dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch) -> Account:
    """A new, empty mailbox on the session's Dovecot; its password in PASSWORD_VAR."""
    user = f"t{next(_ids)}@district.test"
    assert user in POOL, "more tests need a mailbox than tests/mail/dovecot.py makes"
    monkeypatch.setenv(PASSWORD_VAR, PASSWORD)
    return Account(dovecot, user)


@pytest.fixture(scope="session")
def corpus(content: Content) -> Corpus:
    return build_corpus(content)


@pytest.fixture(scope="session")
def corpus_account(dovecot: Dovecot, corpus: Corpus) -> Account:
    """The corpus's 300 messages in one mailbox, delivered once per session."""
    user = "replies@district.test"
    dovecot.deliver(corpus.messages, user)
    return Account(dovecot, user)
