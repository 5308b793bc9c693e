"""guidepdf fetch vs the script a user would write (a plain imaplib loop that FETCHes each
whole message and saves its PDF parts), against a local Dovecot (tests/mail/dovecot.py):
messages with one ~220 KB filled form each (some with none), at several sizes; also the
rerun with nothing new and the peak memory of each fetch.

    PYTHONPATH=src:. python benchmarks/fetch_bench.py --sizes 200 2000

Both read the same mailbox from the same server in the same run; fetch runs as
`python -m guidepdf fetch` (what a user runs), the loop in a child Python too, each child
reporting its own peak RSS. Needs dovecot (Debian: dovecot-imapd) and openssl.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from guidepdf.content import load_content
from guidepdf.demo import demo_people
from tests.mail import messages as m
from tests.mail.corpus import fill_all
from tests.mail.dovecot import PASSWORD, Dovecot
from tests.mail.proxy import LatencyProxy

DISTINCT_FORMS = 24  # filled forms, reused across senders (the transfer is what is timed)
WITHOUT_EVERY = 10  # every tenth message has no attachment

LOOP = r'''
import email, email.policy, imaplib, ssl, sys
from pathlib import Path
host, port, user, password, cafile, out = sys.argv[1:7]
out = Path(out); out.mkdir(parents=True, exist_ok=True)
imap = imaplib.IMAP4_SSL(host, int(port), ssl_context=ssl.create_default_context(cafile=cafile))
imap.login(user, password)
imap.select("INBOX", readonly=True)
_, data = imap.uid("SEARCH", None, "ALL")
saved = 0
for uid in data[0].split():
    _, parts = imap.uid("FETCH", uid, "(BODY.PEEK[])")
    msg = email.message_from_bytes(parts[0][1], policy=email.policy.default)
    for part in msg.iter_attachments():
        name = part.get_filename() or ""
        if part.get_content_type() == "application/pdf" or name.lower().endswith(".pdf"):
            saved += 1
            (out / f"{uid.decode()}-{saved}.pdf").write_bytes(part.get_content())
imap.logout()
hwm = next(l for l in open("/proc/self/status") if l.startswith("VmHWM:")).split()[1]
print(saved, hwm, file=sys.stderr)
'''

FETCH = r'''
import runpy, sys
sys.argv = ["guidepdf", "fetch", *sys.argv[1:]]
try:
    runpy.run_module("guidepdf", run_name="__main__")
except SystemExit as exc:
    code = exc.code or 0
else:
    code = 0
hwm = next(l for l in open("/proc/self/status") if l.startswith("VmHWM:")).split()[1]
print("peak", hwm, file=sys.stderr)
sys.exit(code)
'''


def mailbox(forms: list[bytes], count: int) -> list[bytes]:
    start = datetime(2026, 10, 5, 8, 0, tzinfo=UTC)
    out = []
    for i in range(count):
        when = start + timedelta(minutes=i)
        name, addr = f"Person {i}", f"person{i}@example.org"
        if i % WITHOUT_EVERY == WITHOUT_EVERY - 1:
            out.append(m.no_attachment(name, addr, "pl@district.test", when, "Re: guide"))
            continue
        style = m.STYLES[i % len(m.STYLES)]
        out.append(style(name, addr, "pl@district.test", when, "Re: guide",
                         [("guide.pdf", forms[i % len(forms)])]))
    return out


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    """(seconds, peak RSS in KiB, stderr) of a child process."""
    t = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - t
    if done.returncode != 0:
        raise SystemExit(f"{cmd[:4]} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    peak = int(done.stderr.strip().split()[-1])
    return seconds, peak, done.stdout + done.stderr


def measure(root: Path, server: Dovecot, user: str, port: int, n: int,
            env: dict[str, str]) -> tuple[float, float, float, int, int]:
    """(fetch s, loop s, rerun s, fetch peak KiB, loop peak KiB) into fresh folders."""
    tag = f"{n}-{port}"
    base = ["--imap", f"127.0.0.1:{port}", "--user", user, "--password-env", "BENCH_PW",
            "--cafile", str(server.cert)]
    loop = [sys.executable, "-c", LOOP, "127.0.0.1", str(port), user, PASSWORD,
            str(server.cert)]
    timed([*loop, str(root / f"warm{tag}")], env)  # the server's caches, for both alike
    shutil.rmtree(root / f"warm{tag}", ignore_errors=True)
    t_loop, rss_loop, said = timed([*loop, str(root / f"loop{tag}")], env)
    out = root / f"fetch{tag}"
    t_fetch, rss_fetch, _ = timed([sys.executable, "-c", FETCH, *base, "--out", str(out)], env)
    t_rerun, _, again = timed([sys.executable, "-c", FETCH, *base, "--out", str(out)], env)
    got = len(list(out.glob("*.pdf")))
    assert got == int(said.strip().split()[0]), (got, said)
    assert "Fetched 0 new PDF(s)" in again, again
    for folder in (out, root / f"loop{tag}"):
        shutil.rmtree(folder, ignore_errors=True)
    return t_fetch, t_loop, t_rerun, rss_fetch, rss_loop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000])
    parser.add_argument("--rtt-ms", type=float, nargs="+", default=[0, 20],
                        help="network round trips to simulate (0: straight to the server)")
    args = parser.parse_args()
    content = load_content()
    people = demo_people(content, DISTINCT_FORMS, 7)
    saved = datetime(2026, 10, 4, 9, 0, tzinfo=UTC)
    forms = fill_all(content, [(p, saved, True, n) for n, p in enumerate(people)])
    size = sum(map(len, forms)) // len(forms)
    root = Path(tempfile.mkdtemp(prefix="guidepdf-fetch-bench-"))
    os.chmod(root, 0o755)
    users = [f"bench{n}@district.test" for n in args.sizes]
    server = Dovecot(root / "server", extra_users=tuple(users)).start()
    env = {**os.environ, "BENCH_PW": PASSWORD, "PYTHONPATH": os.pathsep.join(
        [str(Path(__file__).resolve().parents[1] / "src"), os.environ.get("PYTHONPATH", "")])}
    try:
        print(f"{size // 1024} KiB per form, {DISTINCT_FORMS} distinct forms, every "
              f"{WITHOUT_EVERY}th message without one; Dovecot {server.imaps_port}")
        print("| messages | round trip | guidepdf fetch | imaplib loop | × loop | rerun, nothing "
              "new | peak RSS fetch | peak RSS loop |")
        print("|---:|---:|---:|---:|---:|---:|---:|---:|")
        for n, user in zip(args.sizes, users, strict=True):
            server.deliver(mailbox(forms, n), user)
            for rtt in args.rtt_ms:
                proxy = LatencyProxy(server.imaps_port, rtt / 1000) if rtt else None
                port = proxy.port if proxy else server.imaps_port
                try:
                    row = measure(root, server, user, port, n, env)
                finally:
                    if proxy:
                        proxy.close()
                t_fetch, t_loop, t_rerun, rss_fetch, rss_loop = row
                print(f"| {n:,} | {rtt:g} ms | {t_fetch:.1f} s ({n / t_fetch:.0f} msg/s) | "
                      f"{t_loop:.1f} s ({n / t_loop:.0f} msg/s) | {t_loop / t_fetch:.1f}× | "
                      f"{t_rerun:.2f} s | {rss_fetch // 1024} MiB | {rss_loop // 1024} MiB |",
                      flush=True)
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "guidepdf", "--version"], env=env, check=True,
                       capture_output=True)
        print(f"(`python -m guidepdf --version` alone takes {time.perf_counter() - t:.2f} s: "
              "the rerun's start-up)")
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
