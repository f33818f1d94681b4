"""Limits of the web service: a time budget and a concurrency cap for checks, and the Host allow-list.

Checks (`POST /api/check`, the checker form) run in their own bounded thread pool (`CheckPool`), not
in the pool that serves the cheap pages and the other endpoints: a flood of checks cannot starve
`/api/sources`. Beyond `max_checks` checks in flight the next ones wait in line, first come first
served (at most `max_queued` of them, each for at most the time budget); past that a check is refused
at once (429 with Retry-After), so that a burst of clients is served rather than turned away and a
flood cannot queue without bound. A check that passes its time budget is answered 503 and abandoned: its cancel token is
set, the DuckDB query it is running is interrupted, and its next query raises `CheckCancelled` (a
BaseException, so that no `except Exception` in the checker turns it into a verdict). Its slot in the
pool is freed only when its thread really stops, so abandoned work still counts against the cap.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import json
import math
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from usmca.config import setting_list, setting_number

T = TypeVar("T")

DEFAULT_HOSTS = ("localhost", "127.0.0.1", "::1", "testserver")


@dataclass(frozen=True)
class Limits:
    """The limits of one app; `Limits.from_settings()` reads them from the environment (usmca.config)."""

    check_timeout: float = 10.0  # seconds per check
    max_checks: int = 2  # checks in flight per process (CPU-bound under the GIL: more threads only switch)
    max_queued: int = 64  # checks waiting for a slot (first come, first served); one more gets 429
    max_claims: int = 200  # claims reported per document
    allowed_hosts: tuple[str, ...] = DEFAULT_HOSTS  # "*" accepts any Host

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            check_timeout=setting_number("check_timeout", minimum=0.001),
            max_checks=int(setting_number("max_checks", minimum=1)),
            max_queued=int(setting_number("max_queued", minimum=0)),
            max_claims=int(setting_number("max_claims", minimum=1)),
            allowed_hosts=tuple(dict.fromkeys([*DEFAULT_HOSTS, *(h.lower() for h in setting_list("allowed_hosts"))])),
        )


def keep_alive_seconds() -> int:
    """Seconds uvicorn keeps an idle connection open (`timeout_keep_alive`), from USMCA_KEEP_ALIVE."""
    return max(1, int(setting_number("keep_alive", minimum=1)))


# ------------------------------------------------------------------------------ check pool
class CheckBusy(Exception):
    """Too many checks in flight (429)."""

    def __init__(self, limit: int, retry_after: int) -> None:
        super().__init__(f"{limit} checks are already running; retry in {retry_after} s")
        self.limit = limit
        self.retry_after = retry_after


class CheckTimeout(Exception):
    """A check passed its time budget (503)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"the check took longer than the {seconds:g} s limit and was stopped")
        self.seconds = seconds


class CheckCancelled(BaseException):  # noqa: N818  like asyncio.CancelledError: not caught by `except Exception`
    """Raised in an abandoned check at its next query."""


@dataclass
class CancelToken:
    deadline: float
    event: threading.Event = field(default_factory=threading.Event)
    cursors: list[Any] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def cancelled(self) -> bool:
        return self.event.is_set()

    def check(self) -> None:
        if self.event.is_set():
            raise CheckCancelled("the check was abandoned")

    def add_cursor(self, cur: Any) -> None:
        with self.lock:
            self.cursors.append(cur)

    def remove_cursor(self, cur: Any) -> None:
        with self.lock:
            if cur in self.cursors:
                self.cursors.remove(cur)

    def cancel(self) -> None:
        self.event.set()
        with self.lock:
            cursors = list(self.cursors)
        for cur in cursors:
            with contextlib.suppress(Exception):  # a cursor already closed has nothing to stop
                cur.interrupt()


_local = threading.local()


def current_token() -> CancelToken | None:
    """The cancel token of the check running in this thread (None outside the check pool)."""
    return getattr(_local, "token", None)


class GuardedCursor:
    """A DuckDB cursor whose `execute` first checks the cancel token; everything else is delegated."""

    def __init__(self, cur: Any, token: CancelToken) -> None:
        self._cur = cur
        self._token = token

    def execute(self, *args: Any, **kw: Any) -> Any:
        self._token.check()
        try:
            return self._cur.execute(*args, **kw)
        except Exception:
            # a query interrupted by `cancel()` while it ran: the check was abandoned, whatever DuckDB calls it
            self._token.check()
            raise

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cur, name)


class CheckPool:
    """A bounded thread pool for checks with a per-check time budget (see the module's doc)."""

    def __init__(self, max_checks: int, timeout: float, max_queued: int = 0) -> None:
        self.max_checks = max_checks
        self.max_queued = max_queued
        self.timeout = timeout
        self.executor = ThreadPoolExecutor(max_workers=max_checks, thread_name_prefix="usmca-check")
        self._lock = threading.Lock()
        self._live: dict[int, CancelToken] = {}
        self._waiting: collections.deque[asyncio.Future[int]] = collections.deque()

    @property
    def in_flight(self) -> int:
        with self._lock:
            return len(self._live)

    @property
    def queued(self) -> int:
        with self._lock:
            return len(self._waiting)

    def _retry_after(self, tokens: Iterable[CancelToken]) -> int:
        now = time.monotonic()
        left = [t.deadline - now for t in tokens]
        return max(1, math.ceil(min(left, default=1.0)))

    def _take(self) -> CancelToken:
        token = CancelToken(deadline=time.monotonic() + self.timeout)
        self._live[id(token)] = token
        return token

    async def _slot(self) -> CancelToken:
        """A slot now, or after waiting in line (bounded in length and in time)."""
        with self._lock:
            if len(self._live) < self.max_checks and not self._waiting:
                return self._take()
            if len(self._waiting) >= self.max_queued:
                raise CheckBusy(self.max_checks, self._retry_after(self._live.values()))
            turn: asyncio.Future[int] = asyncio.get_running_loop().create_future()
            self._waiting.append(turn)
        try:
            held = await asyncio.wait_for(turn, self.timeout)
        except (TimeoutError, asyncio.CancelledError) as e:
            turn.cancel()  # a no-op when a slot was handed over meanwhile
            owned = None
            with self._lock:
                if turn in self._waiting:
                    self._waiting.remove(turn)
                elif turn.done() and not turn.cancelled():
                    owned = turn.result()  # handed a slot just as the wait ended: give it back
                    self._live.pop(owned, None)
            if owned is not None:
                self._hand_on()
            if isinstance(e, asyncio.CancelledError):
                raise
            raise CheckBusy(self.max_checks, 1) from None
        with self._lock:  # the slot held for this check becomes its own, with no gap a newcomer could take
            self._live.pop(held, None)
            return self._take()

    def _hand_on(self) -> None:
        """Give a free slot to the next check in line (called from any thread)."""
        with self._lock:
            if len(self._live) >= self.max_checks or not self._waiting:
                return
            turn = self._waiting.popleft()
            held = CancelToken(deadline=time.monotonic() + self.timeout)  # the slot, held for that check
            self._live[id(held)] = held

        def wake() -> None:
            with self._lock:
                if turn.done():  # its wait ended meanwhile: the slot goes to the next one
                    self._live.pop(id(held), None)
                    handed = False
                else:
                    turn.set_result(id(held))
                    handed = True
            if not handed:
                self._hand_on()

        try:
            turn.get_loop().call_soon_threadsafe(wake)
        except RuntimeError:  # its event loop is closed: nobody waits there any more
            with self._lock:
                self._live.pop(id(held), None)

    async def run(self, fn: Callable[..., T], *args: Any, **kw: Any) -> T:
        """`fn(*args, **kw)` in the pool; CheckBusy when full, CheckTimeout past the budget."""
        token = await self._slot()

        def work() -> T:
            _local.token = token
            try:
                token.check()
                return fn(*args, **kw)
            finally:
                _local.token = None

        def release(_: Future[T]) -> None:
            with self._lock:
                self._live.pop(id(token), None)
            self._hand_on()

        try:
            fut = self.executor.submit(work)
        except RuntimeError:  # shut down
            release(Future())
            raise CheckBusy(self.max_checks, 1) from None
        fut.add_done_callback(release)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(fut), self.timeout)
        except TimeoutError:
            token.cancel()
            raise CheckTimeout(self.timeout) from None
        except asyncio.CancelledError:  # the client went away
            token.cancel()
            raise

    def shutdown(self) -> None:
        with self._lock:
            tokens = list(self._live.values())
        for t in tokens:
            t.cancel()
        self.executor.shutdown(wait=False, cancel_futures=True)


# ------------------------------------------------------------------------------- Host check
async def plain_reply(send: Any, status: int, detail: str, headers: Iterable[tuple[bytes, bytes]] = ()) -> None:
    """A JSON `{"detail": ...}` answer sent from a middleware (the connection is then closed)."""
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def host_name(value: str) -> str:
    """The name of a Host header, without its port: `[::1]:8000` -> `::1`, `Localhost.:80` -> `localhost`."""
    v = value.strip().lower()
    if v.startswith("["):
        end = v.find("]")
        name = v[1:end] if end > 0 else v
    elif v.count(":") == 1:
        name = v.split(":", 1)[0]
    else:  # a bare name, or a bare IPv6 address
        name = v
    return name.rstrip(".")


class HostAllowListMiddleware:
    """Refuse requests whose Host header is not in the allow-list (400): a defence against DNS rebinding."""

    def __init__(self, app: Any, allowed_hosts: Iterable[str]) -> None:
        self.app = app
        self.allowed = {h.strip().lower().rstrip(".") for h in allowed_hosts if h.strip()}
        self.any = "*" in self.allowed

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] not in ("http", "websocket") or self.any:
            await self.app(scope, receive, send)
            return
        host = None
        for k, v in scope.get("headers") or []:
            if k.lower() == b"host":
                host = host_name(v.decode("latin-1"))
                break
        if host is None or host not in self.allowed:
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
                return
            await plain_reply(
                send, 400, "Host header not allowed (add it to USMCA_ALLOWED_HOSTS to serve under that name)"
            )
            return
        await self.app(scope, receive, send)


__all__ = [
    "DEFAULT_HOSTS",
    "CancelToken",
    "CheckBusy",
    "CheckCancelled",
    "CheckPool",
    "CheckTimeout",
    "GuardedCursor",
    "HostAllowListMiddleware",
    "Limits",
    "current_token",
    "host_name",
    "keep_alive_seconds",
    "plain_reply",
]
