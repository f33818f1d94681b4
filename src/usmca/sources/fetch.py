"""Download official files into immutable, checksummed raw snapshots.

Each download lands in `<store>/raw/<dataset>/<file>` with a sidecar `<file>.meta.json`
(URL, retrieved_at, sha256, bytes, ETag, Last-Modified, and the source's id, agency, licence and
citation: from `source=`, else from the registered source named by the `<dataset>` folder). A later pull sends a
conditional request and keeps the snapshot on 304. Retries with exponential backoff on 429
(honouring Retry-After), 5xx, timeouts, connection errors and truncated bodies.
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

from usmca import __version__
from usmca.config import setting
from usmca.errors import FetchError
from usmca.sources.base import REGISTRY
from usmca.tables import SourceInfo

RETRY_STATUS = {429, 500, 502, 503, 504}
USER_AGENT = f"usmca/{__version__} (+https://github.com/usmca/usmca)"


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


def _retry_after(resp: httpx.Response) -> float | None:
    value = resp.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value)
        if parsed is None:
            return None
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
    `dest`'s folder) with its agency, licence and citation.
    """
    origin = provenance(dest, source)
    if setting("offline") == "1":
        raise FetchError(f"{url}: network access is disabled (USMCA_OFFLINE=1)")
    retries = int(setting("http_retries") or 4) if retries is None else retries
    own = client is None
    client = client or httpx.Client(
        timeout=float(setting("http_timeout") or 60),
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
    last_error = "no attempt"
    try:
        for attempt in range(retries + 1):
            wait = backoff * (2**attempt) * (1 + random.random() * 0.1)
            try:
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
                        ra = _retry_after(resp)
                        wait = min(max_wait, ra if ra is not None else wait)
                        last_error = f"HTTP {resp.status_code}"
                        raise _Retry()
                    if resp.status_code >= 400:
                        raise FetchError(f"{url}: HTTP {resp.status_code} {resp.reason_phrase}")
                    total = resp.headers.get("Content-Length")
                    expected_len = int(total) if total and total.isdigit() else None
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    tmp = dest.with_name(dest.name + ".part")
                    h = hashlib.sha256()
                    n = 0
                    with open(tmp, "wb") as f:
                        for chunk in resp.iter_bytes():
                            f.write(chunk)
                            h.update(chunk)
                            n += len(chunk)
                            if on_progress:
                                on_progress(n, expected_len)
                    if expected_len is not None and n != expected_len:
                        tmp.unlink(missing_ok=True)
                        last_error = f"truncated body ({n} of {expected_len} bytes)"
                        raise _Retry()
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
            except _Retry:
                pass
            except (httpx.TimeoutException, httpx.TransportError) as e:
                last_error = f"{type(e).__name__}: {e}"
            if attempt < retries:
                sleep(wait)
        raise FetchError(f"{url}: failed after {retries + 1} attempts (last error: {last_error})")
    finally:
        if own:
            client.close()


class _Retry(Exception):
    pass
