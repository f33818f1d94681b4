"""Worker processes for `usmca serve --workers N`, each with its own listening socket (SO_REUSEPORT).

Why not uvicorn's own supervisor: its workers share one listening socket, and asyncio accepts every
pending connection in one go, so the worker that wakes first takes a whole burst of new connections
(a proxy's pool, 50 benchmark clients). In about half of the benchmark runs one worker served all
50 connections while the other sat idle: half the throughput and twice the p95. With a socket per
worker, bound to the same address with SO_REUSEPORT, the kernel spreads new connections across the
workers by a hash of each connection's addresses.

The supervisor binds the address first (without listening) so that a taken port or a bad host is one
clear error before any worker starts, and so that `--port 0` picks one free port for all workers. It
restarts a worker that dies, stops when one fails at startup (uvicorn's exit status 3: the app or the
store cannot be opened), and stops every worker on SIGINT or SIGTERM.

Where SO_REUSEPORT does not balance connections (anything but Linux), `usmca serve` keeps uvicorn's
supervisor (`balanced_workers_supported()`).

SO_REUSEPORT lets another process *of the same user* bind the same port too; a service account that
runs nothing else is the usual deployment.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import socket
import sys
import time
from dataclasses import dataclass, field
from typing import Any

from usmca.errors import UsmcaError

STARTUP_FAILURE = 3  # uvicorn's exit status for a worker that could not start (uvicorn.config)
MAX_RESTARTS = 20  # a worker that keeps dying is a fault to report, not to loop on
APP = "usmca.api.app:app_from_env"


def balanced_workers_supported() -> bool:
    """True where the kernel balances connections across SO_REUSEPORT sockets (Linux)."""
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def reuse_port_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to (host, port) with SO_REUSEPORT, not yet listening."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def _die_with_parent(parent: int) -> None:
    """Ask Linux to send SIGTERM to this worker when the supervisor dies, even by SIGKILL (prctl
    PR_SET_PDEATHSIG), so that no orphaned worker keeps the port; a worker whose supervisor is already
    gone exits."""
    import ctypes

    pr_set_pdeathsig = 1
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:
        sys.exit(0)


def _worker(app: str, host: str, port: int, options: dict[str, Any], parent: int) -> None:  # pragma: no cover
    """One worker: its own listening socket; `app` names the app factory (usmca.api.app.app_from_env)."""
    import uvicorn

    _die_with_parent(parent)

    try:
        sock = reuse_port_socket(host, port)
    except OSError as e:
        print(f"usmca serve: worker {os.getpid()} cannot bind {host}:{port}: {e}", file=sys.stderr)
        sys.exit(STARTUP_FAILURE)
    config = uvicorn.Config(app, factory=True, host=host, port=port, **options)
    uvicorn.Server(config).run(sockets=[sock])


@dataclass
class Supervisor:
    """Starts `workers` processes on (host, port), keeps them alive, stops them on a signal."""

    host: str
    port: int
    workers: int
    options: dict[str, Any] = field(default_factory=dict)  # uvicorn.Config keywords (log level, keep-alive)
    app: str = APP  # "module:factory" each worker imports
    restarts: int = 0
    _stop: bool = False

    def run(self) -> int:
        """Serve until SIGINT/SIGTERM; the exit status (0, or STARTUP_FAILURE)."""
        try:
            reserved = reuse_port_socket(self.host, self.port)
        except OSError as e:
            raise UsmcaError(f"cannot serve on {self.host}:{self.port}: {e.strerror or e}") from e
        port = int(reserved.getsockname()[1])
        ctx = multiprocessing.get_context("spawn")  # a fresh interpreter per worker, as uvicorn does
        procs = [self._start(ctx, port) for _ in range(self.workers)]
        where = f"[{self.host}]" if ":" in self.host else self.host
        print(
            f"usmca serve: {self.workers} workers on http://{where}:{port} (one socket each, SO_REUSEPORT); "
            "Ctrl+C to stop",
            file=sys.stderr,
            flush=True,
        )
        previous = {sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
        status = 0
        try:
            while not self._stop:
                time.sleep(0.2)
                for i, p in enumerate(procs):
                    if p.is_alive() or self._stop:
                        continue
                    if p.exitcode == STARTUP_FAILURE:
                        print(f"usmca serve: worker {p.pid} failed to start; stopping", file=sys.stderr)
                        status, self._stop = STARTUP_FAILURE, True
                        break
                    if self.restarts >= MAX_RESTARTS:
                        print(f"usmca serve: workers died {self.restarts} times; stopping", file=sys.stderr)
                        status, self._stop = 1, True
                        break
                    self.restarts += 1
                    print(f"usmca serve: worker {p.pid} died (exit {p.exitcode}); restarting", file=sys.stderr)
                    procs[i] = self._start(ctx, port)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            _stop_all(procs)
            reserved.close()
        return status

    def _start(self, ctx: Any, port: int) -> Any:
        p = ctx.Process(target=_worker, args=(self.app, self.host, port, self.options, os.getpid()), daemon=False)
        p.start()
        return p

    def _on_signal(self, signum: int, _frame: Any) -> None:
        self._stop = True


def _stop_all(procs: list[Any], grace: float = 10.0) -> None:
    """SIGTERM to every live worker (uvicorn finishes the requests in flight), SIGKILL after `grace` s."""
    for p in procs:
        if p.is_alive():
            p.terminate()
    deadline = time.monotonic() + grace
    for p in procs:
        p.join(max(0.0, deadline - time.monotonic()))
        if p.is_alive():
            p.kill()
            p.join()
