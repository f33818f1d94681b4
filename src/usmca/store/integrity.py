"""Checksums of the files a store is made of, and errors instead of wrong numbers when they change.

Every Parquet or array file the store writes has its sha256 and size recorded (in `io_tables`, or
in the snapshot's `manifest.json`); the DuckDB catalog's own sha256, size and modification time are kept
in `<store>/store.json`. Opening checks sizes and Parquet footers (cheap); the catalog is hashed
again when its modification time changed; an input-output table is hashed each time it is read;
`usmca data status --verify` hashes everything. A mismatch is a StoreError that names the file.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from usmca.errors import StoreError

CATALOG_MANIFEST = "store.json"
PARQUET_MAGIC = b"PAR1"


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def damaged(path: Path, what: str) -> StoreError:
    return StoreError(
        f"store file {path} is damaged: {what}. Restore it (or reload the source with "
        f"`usmca data remove` and `usmca data load`); no figure was computed from it"
    )


def check_size(path: Path, size: int | None) -> os.stat_result:
    """The file's stat; StoreError when it is missing or its size is not the size recorded when it was written."""
    try:
        st = path.stat()
    except FileNotFoundError:
        raise StoreError(f"store file {path} is missing (was the store moved or partly copied?)") from None
    if size is not None and st.st_size != size:
        raise damaged(path, f"{st.st_size:,} bytes where {size:,} were written")
    return st


def check_parquet(path: Path, *, size: int | None = None, sha256: str | None = None, full: bool = False) -> None:
    """Size and footer of a stored Parquet file (and its sha256 when `full`); StoreError when wrong."""
    st = check_size(path, size)
    try:
        with open(path, "rb") as f:
            head = f.read(4)
            f.seek(max(0, st.st_size - 8))
            tail = f.read(8)
    except OSError as e:
        raise StoreError(f"cannot read store file {path}: {e}") from e
    footer = int.from_bytes(tail[:4], "little") if len(tail) == 8 else -1
    if head != PARQUET_MAGIC or tail[4:] != PARQUET_MAGIC or not 0 < footer <= st.st_size - 12:
        raise damaged(path, "not a complete Parquet file (bad header or footer)")
    if full and sha256 and sha256_file(path) != sha256:
        raise damaged(path, "its sha256 differs from the one recorded when it was written")


def read_verified(path: Path, *, size: int | None, sha256: str | None) -> bytes:
    """A stored file's bytes, which must have the recorded size and hash to the recorded sha256."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise StoreError(f"store file {path} is missing (was the store moved or partly copied?)") from None
    except OSError as e:
        raise StoreError(f"cannot read store file {path}: {e}") from e
    if size is not None and len(data) != size:
        raise damaged(path, f"{len(data):,} bytes where {size:,} were written")
    if sha256 and hashlib.sha256(data).hexdigest() != sha256:
        raise damaged(path, "its sha256 differs from the one recorded when it was written")
    return data


def read_parquet_verified(path: Path, *, size: int | None, sha256: str | None) -> pd.DataFrame:
    """Read a stored Parquet file whose bytes must hash to the recorded sha256."""
    data = read_verified(path, size=size, sha256=sha256)
    try:
        return pd.read_parquet(io.BytesIO(data))
    except Exception as e:  # pyarrow raises several types for damaged files
        raise damaged(path, f"unreadable Parquet ({type(e).__name__}: {e})") from e


# -- the catalog file ----------------------------------------------------------------------------
def file_state(path: Path) -> dict[str, Any]:
    st = path.stat()
    return {"file": path.name, "bytes": st.st_size, "sha256": sha256_file(path), "mtime_ns": st.st_mtime_ns}


def read_manifest(root: Path) -> list[dict[str, Any]] | None:
    p = root / CATALOG_MANIFEST
    if not p.exists():
        return None
    try:
        states = json.loads(p.read_text())["catalog"]
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise damaged(p, f"unreadable ({e})") from e
    return list(states)


def write_manifest(root: Path, states: list[dict[str, Any]]) -> None:
    """Atomically (a temporary file renamed over the old one)."""
    p = root / CATALOG_MANIFEST
    tmp = p.with_name(p.name + ".tmp")
    with disk_errors(p):
        tmp.write_text(json.dumps({"catalog": states}, indent=2))
        os.replace(tmp, p)


def check_catalog(db_path: Path, *, full: bool = False) -> bool:
    """The catalog file against the recorded states; False when nothing was recorded (old store).

    Cheap unless the file's modification time changed (or `full`): then its sha256 is recomputed.
    Two states may be recorded for the short time in which a load swaps the new catalog in.
    """
    states = read_manifest(db_path.parent)
    if not states:
        return False
    try:
        st = db_path.stat()
    except FileNotFoundError:
        raise StoreError(f"store file {db_path} is missing") from None
    same_size = [s for s in states if s.get("bytes") == st.st_size]
    if not same_size:
        raise damaged(db_path, f"{st.st_size:,} bytes where {states[-1].get('bytes', 0):,} were written")
    if not full and any(s.get("mtime_ns") == st.st_mtime_ns for s in same_size):
        return True
    digest = sha256_file(db_path)
    if not any(s.get("sha256") == digest for s in same_size):
        raise damaged(db_path, "its sha256 differs from the one recorded when it was written")
    return True


# -- errors while writing ------------------------------------------------------------------------
def is_disk_full(e: BaseException) -> bool:
    if isinstance(e, OSError) and e.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    text = str(e).lower()
    return "no space left" in text or "disk quota exceeded" in text


def disk_full_error(what: Path | str) -> StoreError:
    return StoreError(f"no space left on device while writing {what}; the store is unchanged")


@contextlib.contextmanager
def disk_errors(what: Path | str) -> Iterator[None]:
    """Turn OS errors while writing `what` into a StoreError that says so."""
    try:
        yield
    except StoreError:
        raise
    except OSError as e:
        if is_disk_full(e):
            raise disk_full_error(what) from e
        raise StoreError(f"cannot write {what}: {e.strerror or e}; the store is unchanged") from e
