"""Fixtures for distribute tests: roster files, and a real SMTP server on 127.0.0.1
(aiosmtpd) that records what it receives and can refuse, delay or drop on request."""

from __future__ import annotations

import asyncio
import csv
import email
import io
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pikepdf
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from guidepdf import formspec

HEADER = ("id", "name", "email", "role", "group")
PEOPLE = [
    ("p1", "Ann Lee", "ann@example.org", "coach", "Lincoln Elementary"),
    ("p2", "Bo Chen", "bo@example.org", "teacher", "Lincoln Elementary"),
    ("p3", "Zoë Ångström", "zoe@example.org", "principal", "Ridge Middle"),
    ("p4", "Dmitri Ivanov", "dmitri@example.org", "coach", "Ridge Middle"),
    ("p5", "Ana García", "ana@example.org", "teacher", "Harbor High"),
]


def write_roster(path: Path, rows: list[tuple[str, ...]] | list[list[str]],
                 header: tuple[str, ...] | list[str] = HEADER, *, delimiter: str = ",",
                 encoding: str = "utf-8") -> Path:
    """Write a roster CSV as a spreadsheet would (csv quoting, CRLF line ends)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


@pytest.fixture
def roster_file(tmp_path: Path) -> Path:
    """Five valid people across three roles."""
    return write_roster(tmp_path / "roster.csv", PEOPLE)


@pytest.fixture
def body_file(tmp_path: Path) -> Path:
    path = tmp_path / "body.txt"
    path.write_text("Dear $name,\n\nattached is your guide for ${role_title} ($group).\n"
                    "It costs $$0.\n", encoding="utf-8")
    return path


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        return email.message_from_bytes(self.data, policy=policy.default)  # type: ignore[return-value]


@dataclass
class Recorder:
    """The aiosmtpd handler: records accepted messages; behaviour set by the test."""

    received: list[Received] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)  # address -> reply, every time
    fail_once: dict[str, str] = field(default_factory=dict)  # address -> reply, first time
    drop_after: int | None = None  # drop the connection at DATA once this many are accepted
    hold_after: int | None = None  # at DATA once this many are accepted: wait for release
    hold_stores: bool = False  # keep the message held at DATA (as a queue would)
    holding: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    logins: list[tuple[bytes, bytes]] = field(default_factory=list)
    drop_at_mail_after: int | None = None  # close at MAIL FROM once this many are accepted
    hold_at_rcpt_after: int | None = None  # at RCPT once this many are accepted: wait
    store_then_drop: set[str] = field(default_factory=set)  # keep it, close before the 250
    store_then_delay: dict[str, float] = field(default_factory=dict)  # keep, 250 late

    async def handle_MAIL(self, server, session, envelope, address, mail_options):  # type: ignore[no-untyped-def]
        if self.drop_at_mail_after is not None and len(self.received) >= \
                self.drop_at_mail_after:
            server.transport.close()
            return "421 closing"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # type: ignore[no-untyped-def]
        if address in self.refuse:
            return self.refuse[address]
        if address in self.fail_once:
            return self.fail_once.pop(address)
        if self.hold_at_rcpt_after is not None and len(self.received) >= \
                self.hold_at_rcpt_after:
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.01)
            return "451 not now"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        if self.drop_after is not None and len(self.received) >= self.drop_after:
            server.transport.close()
            return "421 closing"
        if self.hold_after is not None and len(self.received) >= self.hold_after:
            if self.hold_stores:  # it has the whole message; the 250 is what is held
                self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos),
                                              envelope.original_content))
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.01)
            return "451 not delivered"
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos),
                                      envelope.original_content))
        to = envelope.rcpt_tos[0]
        if to in self.store_then_drop:  # stored ("queued"), then the link breaks
            server.transport.close()
            return "421 closing"
        if to in self.store_then_delay:  # stored, but the 250 comes too late
            await asyncio.sleep(self.store_then_delay[to])
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.rcpt_tos]


@dataclass
class SmtpServer:
    host: str
    port: int
    handler: Recorder

    @property
    def hostport(self) -> str:
        return f"{self.host}:{self.port}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(handler: Recorder, **kwargs: object) -> Controller:
    for _ in range(5):
        controller = Controller(handler, hostname="127.0.0.1", port=free_port(), **kwargs)
        try:
            controller.start()
            return controller
        except (OSError, RuntimeError):
            time.sleep(0.1)
    raise RuntimeError("could not start the test SMTP server")


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A real SMTP server on 127.0.0.1, started and stopped around the test."""
    handler = Recorder()
    controller = start_server(handler)
    try:
        yield SmtpServer("127.0.0.1", int(controller.port), handler)
    finally:
        handler.release.set()
        controller.stop()


@pytest.fixture
def auth_smtp_server() -> Iterator[SmtpServer]:
    """The same, advertising AUTH (without TLS, allowed for 127.0.0.1 only) and recording
    the credentials it receives; the password 's3cret-Pa55' is accepted."""
    handler = Recorder()

    def authenticator(server, session, envelope, mechanism, auth_data):  # type: ignore[no-untyped-def]
        assert isinstance(auth_data, LoginPassword)
        handler.logins.append((auth_data.login, auth_data.password))
        # handled=False: aiosmtpd itself replies 535 to a failed login
        return AuthResult(success=auth_data.password == b"s3cret-Pa55", handled=False)

    controller = start_server(handler, authenticator=authenticator, auth_require_tls=False)
    try:
        yield SmtpServer("127.0.0.1", int(controller.port), handler)
    finally:
        controller.stop()


def manifest_of(pdf: bytes) -> tuple[formspec.Manifest, formspec.Manifest]:
    """(manifest in the hidden field's /V, manifest in the document information)."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        value = next(str(f.V) for f in doc.Root.AcroForm.Fields
                     if str(f.get("/T", "")) == formspec.MANIFEST_FIELD)
        info = str(doc.docinfo[formspec.MANIFEST_INFO_KEY])
    return formspec.Manifest.from_json(value), formspec.Manifest.from_json(info)


def attachment_of(message: EmailMessage) -> tuple[str, str, bytes]:
    """(content type, filename, bytes) of the message's only attachment."""
    parts = list(message.iter_attachments())
    assert len(parts) == 1
    part = parts[0]
    return part.get_content_type(), part.get_filename() or "", part.get_content()
