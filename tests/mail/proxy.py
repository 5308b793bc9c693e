"""TCP relays on 127.0.0.1 between a client and the test Dovecot: one that cuts the
connection after a given number of bytes from the server (a connection dropped mid-FETCH,
for the fault tests), one that adds network latency (for the benchmark)."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from queue import Queue


class CuttingProxy:
    def __init__(self, upstream_port: int, cut_after: int) -> None:
        self.upstream_port, self.cut_after = upstream_port, cut_after
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.cuts = 0
        self._stop = False
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self._stop:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.upstream_port))
            threading.Thread(target=self._pipe, args=(client, server, None),
                             daemon=True).start()
            threading.Thread(target=self._pipe, args=(server, client, self.cut_after),
                             daemon=True).start()

    def _pipe(self, src: socket.socket, dst: socket.socket, limit: int | None) -> None:
        sent = 0
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                if limit is not None and sent + len(data) >= limit:
                    dst.sendall(data[:max(0, limit - sent)])
                    self.cuts += 1
                    break
                dst.sendall(data)
                sent += len(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()

    def close(self) -> None:
        self._stop = True
        self.listener.close()


class LatencyProxy:
    """A TCP relay on 127.0.0.1 that delivers every chunk `rtt / 2` seconds after it came,
    in each direction, without limiting throughput: a server across a real network, for
    the benchmark (a command that waits for its answer pays the round trip)."""

    def __init__(self, upstream_port: int, rtt: float) -> None:
        self.upstream_port, self.delay = upstream_port, rtt / 2
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.upstream_port))
            for src, dst in ((client, server), (server, client)):
                queue: Queue[tuple[float, bytes]] = Queue()
                threading.Thread(target=self._read, args=(src, queue), daemon=True).start()
                threading.Thread(target=self._write, args=(dst, queue), daemon=True).start()

    def _read(self, src: socket.socket, queue: Queue[tuple[float, bytes]]) -> None:
        try:
            while data := src.recv(262144):
                queue.put((time.monotonic() + self.delay, data))
        except OSError:
            pass
        queue.put((time.monotonic() + self.delay, b""))

    def _write(self, dst: socket.socket, queue: Queue[tuple[float, bytes]]) -> None:
        try:
            while True:
                due, data = queue.get()
                wait = due - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
                if not data:
                    break
                dst.sendall(data)
        except OSError:
            pass
        with contextlib.suppress(OSError):
            dst.shutdown(socket.SHUT_RDWR)
        dst.close()

    def close(self) -> None:
        self.listener.close()
