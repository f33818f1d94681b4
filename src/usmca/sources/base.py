"""What every source module provides: origin metadata, detection, a parser to tidy tables.

A source module defines `SOURCE = SourceInfo(...)` and registers it with `register`.
Parsing never touches the store; `usmca.pipeline` detects, parses and hands the result to
`usmca.store` for an atomic load. The data classes live in `usmca.tables`, which both sides import.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from usmca.errors import DataFormatError
from usmca.tables import Download, ParsedFile, SourceInfo

__all__ = [
    "REGISTRY",
    "Download",
    "ParsedFile",
    "SourceInfo",
    "check_nonempty",
    "check_not_html",
    "check_zip_size",
    "column_letter",
    "file_head",
    "is_companion",
    "parsed",
    "read_json",
    "read_xlsx",
    "register",
    "retrieved_on",
    "sha256_file",
    "xlsx_sheets",
]

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


def retrieved_on(path: Path) -> date | None:
    """The retrieval date in the `.meta.json` sidecar that `fetch` wrote beside `path`, if any."""
    meta = path.with_name(path.name + ".meta.json")
    try:
        text = str(json.loads(meta.read_text()).get("retrieved_at") or "")
    except (OSError, ValueError, AttributeError):
        return None
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", text)
    return date(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


def read_json(path: Path, expected: str) -> Any:
    """A saved API response: JSON, else a DataFormatError naming the file, the line and its start."""
    check_not_html(path)
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise DataFormatError(
            path,
            f"not valid JSON (truncated file?): {e}",
            row=getattr(e, "lineno", None),
            expected=expected,
            found=file_head(path, 60).decode(errors="replace"),
        ) from e


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


# Files that sit beside data files but hold no data rows (query settings, readmes); WDI's
# Metadata_* CSVs are companions read together with their data file.
IGNORED_FILES = {"DataWeb-Query-Export__Query_Parameters.csv", "MANIFEST.md"}
IGNORED_PREFIXES = ("Metadata_Country_", "Metadata_Indicator_")


def is_companion(path: Path) -> bool:
    """True for files `usmca data load` skips on its own (they hold no data rows of their own)."""
    return path.name in IGNORED_FILES or path.name.startswith(IGNORED_PREFIXES) or path.name.endswith("_README.md")
