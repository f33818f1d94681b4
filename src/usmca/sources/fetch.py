"""Download official files into immutable, checksummed raw snapshots.

Each download lands in `<store>/raw/<dataset>/<file>` with a sidecar `<file>.meta.json`
(URL, retrieved_at, sha256, bytes, ETag, Last-Modified, and the source's id, agency, licence and
citation: from `source=`, else from the registered source named by the `<dataset>` folder). A later pull
sends a conditional request and keeps the snapshot on 304.

Retry policy (tenacity): exponential backoff with jitter on 429 (honouring Retry-After), 5xx,
read/write timeouts, connections dropped mid-response and truncated bodies: the server was
reached, so trying again can help. A host that cannot be reached at all (DNS failure, connection
refused, connect timeout) fails at once with `HostUnreachable`: retrying an offline machine only
makes the user wait.
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import os
import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
from tenacity import RetryCallState, RetryError, Retrying, retry_if_exception_type, stop_after_attempt

from usmca import __version__
from usmca.config import setting
from usmca.errors import FetchError
from usmca.sources.base import REGISTRY
from usmca.tables import SourceInfo

RETRY_STATUS = {429, 500, 502, 503, 504}
USER_AGENT = f"usmca/{__version__} (+https://github.com/usmca/usmca)"
CONNECT_TIMEOUT = 10.0  # seconds to open a connection (at most the request timeout)
OFFLINE_HINT = "working offline? set USMCA_OFFLINE=1 and load files you already have with `usmca data load PATH`"


class HostUnreachable(FetchError):
    """The host could not be reached at all (no retry): DNS failure, refused or timed-out connection."""

    def __init__(self, url: str, host: str, detail: str) -> None:
        self.url, self.host, self.detail = url, host, detail
        super().__init__(f"{url}: cannot reach {host} ({detail}); not retried")


@dataclass
class Snapshot:
    path: Path
    url: str
    sha256: str
    bytes: int
    retrieved_at: str
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    source_id: str | None = None
    agency: str | None = None
    licence: str | None = None
    citation: str | None = None
    from_cache: bool = False

    def meta_path(self) -> Path:
        return self.path.with_name(self.path.name + ".meta.json")


class _Retryable(Exception):
    """One attempt failed in a way another attempt may fix; `retry_after` from the server, if any."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


def _retry_after(resp: httpx.Response) -> float | None:
    value = resp.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            parsed = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if parsed is None:
            return None
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        return max(0.0, (parsed - datetime.now(UTC)).total_seconds())


def provenance(dest: Path, source: SourceInfo | None = None) -> dict[str, str | None]:
    """Who published a downloaded file and on what terms: the fields the sidecar records."""
    info = source or REGISTRY.get(dest.parent.name)
    if info is None:
        return {"source_id": None, "agency": None, "licence": None, "citation": None}
    return {
        "source_id": info.id,
        "agency": info.agency,
        "licence": info.licence or None,
        "citation": info.citation or None,
    }


def _write_meta(snap: Snapshot) -> None:
    meta = {k: v for k, v in asdict(snap).items() if k not in ("path", "from_cache")}
    snap.meta_path().write_text(json.dumps(meta, indent=2))


def read_meta(path: Path) -> dict[str, object] | None:
    meta = path.with_name(path.name + ".meta.json")
    if not (path.exists() and meta.exists()):
        return None
    return dict(json.loads(meta.read_text()))


def host_of(url: str) -> str:
    try:
        return httpx.URL(url).host or url
    except (httpx.InvalidURL, TypeError):
        return url


def offline() -> bool:
    return setting("offline") == "1"


def _backoff(backoff: float, max_wait: float) -> Callable[[RetryCallState], float]:
    """Exponential backoff with 10% jitter; the server's Retry-After when it sent one (capped)."""

    def wait(state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, _Retryable) and exc.retry_after is not None:
            return min(max_wait, exc.retry_after)
        return min(max_wait, backoff * (2 ** (state.attempt_number - 1)) * (1 + random.random() * 0.1))

    return wait


def fetch(
    url: str,
    dest: Path,
    *,
    client: httpx.Client | None = None,
    expected_sha256: str | None = None,
    retries: int | None = None,
    backoff: float = 0.5,
    max_wait: float = 60.0,
    sleep: Callable[[float], None] = time.sleep,
    on_progress: Callable[[int, int | None], None] | None = None,
    params: dict[str, str] | None = None,
    source: SourceInfo | None = None,
) -> Snapshot:
    """Fetch `url` to `dest` atomically; return the snapshot (from cache on 304).

    The sidecar names the source (`source`, else the registered source whose id is the name of
    `dest`'s folder) with its agency, licence and citation. Raises `HostUnreachable` (a `FetchError`)
    after one attempt when the host cannot be reached, and `FetchError` naming the URL and the last
    error once the retries are spent.
    """
    origin = provenance(dest, source)
    if offline():
        raise FetchError(f"{url}: network access is disabled (USMCA_OFFLINE=1)")
    retries = int(setting("http_retries") or 4) if retries is None else retries
    own = client is None
    if client is None:
        seconds = float(setting("http_timeout") or 60)
        client = httpx.Client(
            timeout=httpx.Timeout(seconds, connect=min(CONNECT_TIMEOUT, seconds)),
            follow_redirects=True,
            headers={"User-Agent": USER_AGENT},
        )
    headers: dict[str, str] = {}
    cached = read_meta(dest)
    if cached:
        if cached.get("etag"):
            headers["If-None-Match"] = str(cached["etag"])
        if cached.get("last_modified"):
            headers["If-Modified-Since"] = str(cached["last_modified"])

    def attempt() -> Snapshot:
        try:
            return _get(client, url, dest, headers, params, cached, expected_sha256, on_progress, origin)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.UnsupportedProtocol, httpx.ProxyError) as e:
            raise HostUnreachable(url, host_of(url), f"{type(e).__name__}: {e}") from None
        except (httpx.TimeoutException, httpx.TransportError) as e:  # reached, then dropped or slow
            raise _Retryable(f"{type(e).__name__}: {e}") from None

    retrying = Retrying(
        stop=stop_after_attempt(retries + 1),
        wait=_backoff(backoff, max_wait),
        retry=retry_if_exception_type(_Retryable),
        sleep=sleep,
    )
    try:
        return retrying(attempt)
    except RetryError as e:
        last = e.last_attempt.exception()
        reason = last.message if isinstance(last, _Retryable) else str(last)
        raise FetchError(f"{url}: failed after {retries + 1} attempts (last error: {reason})") from None
    finally:
        if own:
            client.close()


def _get(
    client: httpx.Client,
    url: str,
    dest: Path,
    headers: dict[str, str],
    params: dict[str, str] | None,
    cached: dict[str, object] | None,
    expected_sha256: str | None,
    on_progress: Callable[[int, int | None], None] | None,
    origin: dict[str, str | None],
) -> Snapshot:
    """One GET: the snapshot, or `_Retryable` / `FetchError`."""
    with client.stream("GET", url, headers=headers, params=params) as resp:
        if resp.status_code == 304 and cached:
            known = set(Snapshot.__dataclass_fields__) - {"path", "from_cache"}
            snap = Snapshot(
                **{k: v for k, v in cached.items() if k in known},  # type: ignore[arg-type]
                path=dest,
            )
            if any(getattr(snap, k) != v for k, v in origin.items() if v is not None):
                for k, v in origin.items():  # a sidecar of an older version: completed
                    if v is not None:
                        setattr(snap, k, v)
                _write_meta(snap)
            snap.from_cache = True
            return snap
        if resp.status_code in RETRY_STATUS:
            raise _Retryable(f"HTTP {resp.status_code}", _retry_after(resp))
        if resp.status_code >= 400:
            raise FetchError(f"{url}: HTTP {resp.status_code} {resp.reason_phrase}")
        total = resp.headers.get("Content-Length")
        expected_len = int(total) if total and total.isdigit() else None
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(dest.name + ".part")
        h = hashlib.sha256()
        n = 0
        try:
            with open(tmp, "wb") as f:
                for chunk in resp.iter_bytes():
                    f.write(chunk)
                    h.update(chunk)
                    n += len(chunk)
                    if on_progress:
                        on_progress(n, expected_len)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        if expected_len is not None and n != expected_len:
            tmp.unlink(missing_ok=True)
            raise _Retryable(f"truncated body ({n} of {expected_len} bytes)")
        digest = h.hexdigest()
        if expected_sha256 and digest != expected_sha256:
            tmp.unlink(missing_ok=True)
            raise FetchError(f"{url}: checksum mismatch: expected sha256 {expected_sha256}, got {digest}")
        os.replace(tmp, dest)
        snap = Snapshot(
            path=dest,
            url=url,
            sha256=digest,
            bytes=n,
            retrieved_at=datetime.now(UTC).isoformat(timespec="seconds"),
            etag=resp.headers.get("ETag"),
            last_modified=resp.headers.get("Last-Modified"),
            content_type=resp.headers.get("Content-Type"),
            source_id=origin["source_id"],
            agency=origin["agency"],
            licence=origin["licence"],
            citation=origin["citation"],
        )
        _write_meta(snap)
        return snap
