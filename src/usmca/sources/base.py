"""What every source module provides: origin metadata, detection, a parser to tidy tables.

A source module defines `SOURCE = SourceInfo(...)` and registers it with `@register`.
Parsing never touches the store; loading is a separate, atomic step (`usmca.store`).
"""

from __future__ import annotations

import hashlib
import os
import signal
import sys
import threading
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from usmca.errors import DataFormatError, UnknownSourceError

PARSER_VERSION = "1"


@dataclass(frozen=True)
class Download:
    """One file of a source that `usmca data pull` fetches."""

    url: str
    file_name: str
    sha256: str | None = None  # when known, a mismatch is an error


@dataclass(frozen=True)
class SourceInfo:
    id: str  # dataset id, e.g. "census.country"
    agency: str
    title: str
    url: str  # landing page or the file's official URL
    table: str  # fact table it fills
    detect: Callable[[Path], bool]
    parse: Callable[[Path], ParsedFile]
    downloads: tuple[Download, ...] = ()
    parser_version: str = PARSER_VERSION
    kind: str = "statistics"  # statistics | model | official statement


@dataclass
class ParsedFile:
    """The tidy result of parsing one file, ready for an atomic load."""

    info: SourceInfo
    path: Path
    sha256: str
    bytes: int
    vintage: date
    tables: dict[str, pd.DataFrame]
    notes: list[str] = field(default_factory=list)
    release: str | None = None  # e.g. "January 2026 release"
    io: Any = None  # an input-output table (usmca.models.mrio.MRIOTable), stored as Parquet
    io_files: dict[str, Path] | None = None  # the same, already written as Parquet (by a worker)
    io_year: int | None = None
    io_cells: int = 0

    @property
    def source_id(self) -> str:
        return f"{self.info.id}@{self.sha256[:12]}"

    @property
    def rows(self) -> int:
        n = sum(len(t) for t in self.tables.values())
        if self.io is not None:
            import numpy as np

            n += int(np.count_nonzero(self.io.Z)) + int(np.count_nonzero(self.io.Y))
        return n + self.io_cells


REGISTRY: dict[str, SourceInfo] = {}


def register(info: SourceInfo) -> SourceInfo:
    REGISTRY[info.id] = info
    return info


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def file_head(path: Path, n: int = 4096) -> bytes:
    with open(path, "rb") as f:
        return f.read(n)


def check_not_html(path: Path) -> None:
    """An HTML error page saved under a data file's name is a common failure of downloads."""
    head = file_head(path, 1024).lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in head[:200]:
        raise DataFormatError(
            path,
            "file is an HTML page, not data (an error page saved under the file's name?)",
            row=1,
            expected="the agency's data file",
            found=head[:60].decode(errors="replace"),
        )


def check_nonempty(path: Path) -> None:
    if not path.exists():
        raise DataFormatError(path, "file does not exist")
    if path.stat().st_size == 0:
        raise DataFormatError(path, "file is empty", expected="data", found="0 bytes")


# An .xlsx is a zip: its directory says how large the parts become once decompressed. Agencies'
# workbooks stay far below this (the largest here is about 30 MB decompressed).
XLSX_MAX_UNZIPPED = 200 * 1024 * 1024


def check_zip_size(path: Path, limit: int | None = None) -> None:
    """Refuse a workbook that would decompress to more than `limit` bytes (a zip bomb), before parsing it."""
    limit = XLSX_MAX_UNZIPPED if limit is None else limit
    try:
        with zipfile.ZipFile(path) as z:
            total = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError):
        return  # not a zip at all: the reader reports what it is
    if total > limit:
        raise DataFormatError(
            path,
            "workbook too large once decompressed (a zip bomb?); not parsed",
            expected=f"at most {limit:,} bytes decompressed",
            found=f"{total:,} bytes",
        )


def read_xlsx(path: Path, sheet: str | int = 0, header: int | None = None) -> pd.DataFrame:
    """Read one sheet with calamine (fast); a truncated or non-xlsx file is a DataFormatError."""
    check_nonempty(path)
    check_not_html(path)
    check_zip_size(path)
    try:
        return pd.read_excel(path, sheet_name=sheet, header=header, engine="calamine")
    except ValueError as e:  # missing sheet
        raise DataFormatError(path, f"cannot read sheet {sheet!r}: {e}") from e
    except Exception as e:  # calamine raises its own errors for corrupt zips
        raise DataFormatError(
            path, f"not a readable .xlsx workbook ({type(e).__name__}: {e})", expected="an Excel workbook"
        ) from e


def column_letter(i: int) -> str:
    """Spreadsheet column letter of a 0-based column index (0 -> A, 26 -> AA), for error messages."""
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def xlsx_sheets(path: Path) -> list[str]:
    check_nonempty(path)
    check_not_html(path)
    check_zip_size(path)
    try:
        return list(pd.ExcelFile(path, engine="calamine").sheet_names)  # type: ignore[arg-type]
    except Exception as e:
        raise DataFormatError(
            path, f"not a readable .xlsx workbook ({type(e).__name__}: {e})", expected="an Excel workbook"
        ) from e


def parsed(
    info: SourceInfo,
    path: Path,
    vintage: date,
    tables: dict[str, pd.DataFrame],
    notes: list[str] | None = None,
    release: str | None = None,
) -> ParsedFile:
    return ParsedFile(
        info=info,
        path=path,
        sha256=sha256_file(path),
        bytes=path.stat().st_size,
        vintage=vintage,
        tables=tables,
        notes=notes or [],
        release=release,
    )


def detect_source(path: Path) -> SourceInfo:
    """Find the source whose detector accepts this file."""
    from usmca import sources  # noqa: F401  (imports every module so they register)

    sources.load_all()
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        check_zip_size(path)  # before any detector opens the workbook
    for info in REGISTRY.values():
        try:
            if info.detect(path):
                return info
        except Exception:  # a detector must never crash detection of other sources
            continue
    raise UnknownSourceError(f"{path}: no source recognises this file. Known sources: {', '.join(sorted(REGISTRY))}")


# Files that sit beside data files but hold no data rows (query settings, readmes); WDI's
# Metadata_* CSVs are companions read together with their data file.
IGNORED_FILES = {"DataWeb-Query-Export__Query_Parameters.csv", "MANIFEST.md"}
IGNORED_PREFIXES = ("Metadata_Country_", "Metadata_Indicator_")


def is_companion(path: Path) -> bool:
    """True for files `usmca data load` skips on its own (they hold no data rows of their own)."""
    return path.name in IGNORED_FILES or path.name.startswith(IGNORED_PREFIXES) or path.name.endswith("_README.md")


# -- parser worker processes ---------------------------------------------------------------------
PR_SET_PDEATHSIG = 1


def worker_init(parent_pid: int | None = None) -> None:
    """Initializer of parser worker processes: they die with the process that started them.

    On Linux the kernel sends SIGKILL when the parent dies (prctl PR_SET_PDEATHSIG); elsewhere,
    and as a second guard, a daemon thread checks twice a second whether the parent is gone.
    """
    parent = parent_pid if parent_pid is not None else os.getppid()
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the line above ran
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="usmca-parent-watchdog", daemon=True).start()
