"""A real Dovecot IMAP server for the tests: a throwaway config in a temp folder, listening
on 127.0.0.1 on free ports (IMAPS, and IMAP with STARTTLS), a self-signed certificate made
here, a passwd-file user, an OAuth2 passdb against a local token endpoint, and a Maildir
the tests fill. Started and stopped by the fixtures in conftest.py."""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import re
import shutil
import socket
import subprocess
import threading
import time
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

USER = "coordinator@district.test"
PASSWORD = "correct horse battery"
GOOD_TOKEN = "tok-3c1f9a-valid"
EXPIRED_TOKEN = "tok-77aa01-expired"
POOL = (*(f"t{n}@district.test" for n in range(1, 41)), "replies@district.test",
        "bench@district.test", "rollout@district.test")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def have_dovecot() -> bool:
    return shutil.which("dovecot") is not None or Path("/usr/sbin/dovecot").exists()


def make_certificate(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext",
                    "subjectAltName=IP:127.0.0.1,DNS:localhost",
                    "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return cert, key


class _TokenEndpoint(BaseHTTPRequestHandler):
    """OAuth2 token introspection (RFC 7662): only GOOD_TOKEN is active."""

    def do_POST(self) -> None:  # http.server names it so
        length = int(self.headers.get("Content-Length") or 0)
        form = urllib.parse.parse_qs(self.rfile.read(length).decode())
        token = (form.get("token") or [""])[0]
        self.server.seen.append(token)  # type: ignore[attr-defined]
        user = self.server.tokens.get(token)  # type: ignore[attr-defined]
        body = {"active": True, "username": user} if user else {"active": False}
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@dataclass
class Dovecot:
    root: Path
    imaps_port: int = 0
    imap_port: int = 0
    token_port: int = 0
    cert: Path = field(default_factory=Path)
    process: subprocess.Popen | None = None
    _token_server: ThreadingHTTPServer | None = None
    _counter: int = 0

    users: dict[str, str] = field(default_factory=dict)
    extra_users: tuple[str, ...] = ()  # accounts made at start besides USER and POOL
    # SASL mechanisms offered. Without plain/login there is no password passdb at all and
    # LOGIN is disabled: a server that takes OAuth2 only, as Microsoft 365 (XOAUTH2) and
    # Google Workspace (XOAUTH2, OAUTHBEARER) are for most school accounts.
    mechanisms: tuple[str, ...] = ("plain", "login", "xoauth2", "oauthbearer")

    @property
    def maildir(self) -> Path:
        return self.mailbox_dir(USER)

    def mailbox_dir(self, user: str) -> Path:
        return self.root / "mail" / user

    def add_user(self, user: str, password: str = PASSWORD, token: str | None = None
                 ) -> Path:
        """An account with an empty INBOX; `token` is an OAuth2 access token the token
        endpoint accepts for it. Dovecot rereads its passwd-file at most once a second, so
        the accounts tests use are all made before it starts (POOL) and handed out."""
        self.users[user] = password
        for sub in ("cur", "new", "tmp"):
            (self.mailbox_dir(user) / sub).mkdir(parents=True, exist_ok=True)
        tmp = self.root / "users.tmp"
        tmp.write_text("".join(f"{u}:{{PLAIN}}{p}::::::\n" for u, p in self.users.items()))
        os.chmod(tmp, 0o644)
        os.replace(tmp, self.root / "users")
        if token and self._token_server is not None:
            self._token_server.tokens[token] = user  # type: ignore[attr-defined]
        self.chown()
        return self.mailbox_dir(user)

    def start(self) -> Dovecot:
        self.root.mkdir(parents=True, exist_ok=True)
        self.cert, key = make_certificate(self.root)
        self.imaps_port, self.imap_port = free_port(), free_port()
        self._token_server = ThreadingHTTPServer(("127.0.0.1", 0), _TokenEndpoint)
        self._token_server.seen = []  # type: ignore[attr-defined]
        self._token_server.tokens = {GOOD_TOKEN: USER}  # type: ignore[attr-defined]
        self.token_port = self._token_server.server_address[1]
        threading.Thread(target=self._token_server.serve_forever, daemon=True).start()
        owner = pwd.getpwnam("dovecot")
        for sub in ("run", "state", "mail", "home"):
            (self.root / sub).mkdir(exist_ok=True)
        for user in (USER, *POOL, *self.extra_users):
            self.add_user(user)
        (self.root / "oauth2.conf.ext").write_text(
            "introspection_mode = post\n"
            f"introspection_url = http://127.0.0.1:{self.token_port}/introspect\n"
            "force_introspection = yes\n"
            "username_attribute = username\n"
            "active_attribute = active\nactive_value = true\n")
        oauth = [m for m in self.mechanisms if m in ("xoauth2", "oauthbearer")]
        passwords = [m for m in self.mechanisms if m in ("plain", "login")]
        passdbs = (f"""
passdb {{
  driver = passwd-file
  mechanisms = {" ".join(passwords)}
  args = scheme=PLAIN username_format=%u {self.root}/users
}}""" if passwords else "") + (f"""
passdb {{
  driver = oauth2
  mechanisms = {" ".join(oauth)}
  args = {self.root}/oauth2.conf.ext
}}""" if oauth else "")
        conf = self.root / "dovecot.conf"
        conf.write_text(f"""
base_dir = {self.root}/run
state_dir = {self.root}/state
log_path = {self.root}/dovecot.log
instance_name = guidepdf-test-{os.getpid()}-{self.imaps_port}
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <{self.cert}
ssl_key = <{key}
disable_plaintext_auth = yes
auth_mechanisms = {" ".join(self.mechanisms)}
auth_failure_delay = 0
default_internal_user = dovecot
default_login_user = dovenull
first_valid_uid = {owner.pw_uid}
mail_location = maildir:{self.root}/mail/%u
mail_uid = {owner.pw_uid}
mail_gid = {owner.pw_gid}
{passdbs}
userdb {{
  driver = static
  args = uid={owner.pw_uid} gid={owner.pw_gid} home={self.root}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.imap_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {self.imaps_port}
    ssl = yes
  }}
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
""")
        self.chown()
        self.process = subprocess.Popen(["dovecot", "-F", "-c", str(conf)],
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                out = self.process.stdout.read().decode() if self.process.stdout else ""
                raise RuntimeError(f"dovecot stopped at start: {out}\n{self.log()}")
            with contextlib.suppress(OSError), socket.create_connection(
                    ("127.0.0.1", self.imaps_port), timeout=1):
                return self
            time.sleep(0.05)
        raise RuntimeError(f"dovecot did not start listening: {self.log()}")

    def log(self, full: bool = False) -> str:
        try:
            text = (self.root / "dovecot.log").read_text(errors="replace")
            return text if full else text[-4000:]
        except OSError:
            return ""

    def logins(self) -> list[str]:
        """The SASL method of each successful login, in order, from Dovecot's log
        ("imap-login: Login: user=<…>, method=XOAUTH2, …")."""
        return re.findall(r"imap-login: (?:Info: )?Login: .*?method=([A-Z0-9-]+)",
                          self.log(full=True))

    def tokens_seen(self) -> list[str]:
        """The tokens Dovecot asked the token endpoint about."""
        return list(self._token_server.seen) if self._token_server else []  # type: ignore[attr-defined]

    def chown(self) -> None:
        owner = pwd.getpwnam("dovecot")
        for path in [self.root / "mail", self.root / "home", *(self.root / "mail").rglob("*"),
                     *(self.root / "home").rglob("*")]:
            os.chown(path, owner.pw_uid, owner.pw_gid)

    def deliver(self, messages: Iterable[bytes], user: str = USER) -> int:
        """Put messages into the user's Maildir (as an MDA would: tmp -> new), in order;
        how many."""
        n = 0
        box = self.mailbox_dir(user)
        for raw in messages:
            self._counter += 1
            name = f"{1700000000 + self._counter}.M{self._counter:06d}P1.test"
            tmp = box / "tmp" / name
            tmp.write_bytes(raw)
            os.replace(tmp, box / "new" / name)
            n += 1
        self.chown()
        return n

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process is not None and self.process.stdout:
            self.process.stdout.close()
        if self._token_server is not None:
            self._token_server.shutdown()
            self._token_server.server_close()
