"""The CSV toolkit every tabular source shares: a strict reader and cell converters whose errors
name the file, row (`_row`, the 1-based line in the file) and column.

    df = read_csv_strict(path, ["Fiscal Year", "Encounter Count"])
    df["count"] = to_number(path, df, "Encounter Count")   # "1,234" -> 1234.0; "n/a" -> DataFormatError

Used by the CBP, DHS, World Bank, FRED and NCSES parsers.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

import pandas as pd

from usmca.errors import DataFormatError
from usmca.sources.base import check_nonempty, check_not_html, file_head

__all__ = [
    "bad_cell",
    "detect_csv",
    "file_tail",
    "first_index",
    "header_of",
    "map_values",
    "norm_header",
    "read_csv_strict",
    "row_at",
    "sum_duplicates",
    "to_number",
]


def norm_header(name: object) -> str:
    return re.sub(r"\s+", " ", str(name)).strip()


def first_index(mask: pd.Series) -> Any:
    """The index label of the first True in a boolean mask."""
    return mask.idxmax()


def row_at(df: pd.DataFrame, i: Any) -> int:
    """The `_row` (1-based line of the source file) of row label `i`."""
    return int(cast(Any, df.at[i, "_row"]))


def file_tail(path: Path, n: int = 60) -> bytes:
    with open(path, "rb") as f:
        f.seek(0, 2)
        size = f.tell()
        f.seek(max(0, size - n))
        return f.read()


def header_of(path: Path, skiprows: int = 0) -> list[str]:
    """The header fields of a CSV file, cheaply (for detectors)."""
    text = file_head(path, 8192).decode("utf-8-sig", errors="replace")
    lines = text.splitlines()
    if len(lines) <= skiprows:
        return []
    return [norm_header(c) for c in next(csv.reader([lines[skiprows]]))]


def read_csv_strict(path: Path, columns: Sequence[str], *, skiprows: int = 0) -> pd.DataFrame:
    """Read a CSV as text cells and check it is whole and has `columns`.

    DataFormatError for: an empty file, an HTML page, a file that ends in the middle of a line or
    has rows with fewer/more fields than the header (truncated or corrupt), missing columns.
    Adds `_row`, the 1-based line of each data row in the file.
    """
    check_nonempty(path)
    check_not_html(path)
    with open(path, "rb") as f:
        f.seek(-1, 2)
        last = f.read(1)
    if last not in (b"\n", b"\r"):
        raise DataFormatError(
            path,
            "file ends in the middle of a line (truncated download?)",
            expected="a line break at the end of the file",
            found=file_tail(path).decode(errors="replace"),
        )
    header_line = skiprows + 1
    try:
        df = pd.read_csv(
            path,
            dtype=str,
            keep_default_na=False,
            skiprows=skiprows,
            encoding="utf-8-sig",
            skip_blank_lines=True,
        )
    except pd.errors.EmptyDataError as e:
        raise DataFormatError(
            path,
            "no header line",
            row=header_line,
            expected=f"header {list(columns)[:4]}...",
            found="nothing",
        ) from e
    except pd.errors.ParserError as e:
        m = re.search(r"line (\d+)", str(e))
        raise DataFormatError(
            path,
            f"not a well-formed CSV file ({e})",
            row=int(m.group(1)) + skiprows if m else None,
            expected="one line per row, as many fields as the header",
        ) from e
    except UnicodeDecodeError as e:
        raise DataFormatError(path, f"not a UTF-8 text file ({e})", expected="a CSV file") from e
    df.columns = [norm_header(c) for c in df.columns]
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise DataFormatError(
            path,
            f"missing column(s) {missing}",
            row=header_line,
            column=missing[0],
            expected=f"columns {list(columns)}",
            found=[c for c in df.columns if not c.startswith("Unnamed")],
        )
    df["_row"] = df.index + header_line + 1
    short = df[list(columns)].isna().any(axis=1)
    if short.any():
        i = first_index(short)
        col = next(c for c in columns if pd.isna(cast(Any, df.at[i, c])))
        raise DataFormatError(
            path,
            "row has fewer fields than the header (truncated file?)",
            row=row_at(df, i),
            column=col,
            expected=f"{len(columns)} fields",
            found="a short row",
        )
    if df.empty:
        raise DataFormatError(
            path,
            "file has a header but no data rows",
            row=header_line + 1,
            expected="data rows",
            found="nothing",
        )
    return df


def bad_cell(
    path: Path, df: pd.DataFrame, mask: pd.Series, column: str, message: str, expected: str
) -> DataFormatError:
    i = first_index(mask)
    return DataFormatError(
        path,
        message,
        row=row_at(df, i),
        column=column,
        expected=expected,
        found=df.at[i, column],
    )


def to_number(
    path: Path,
    df: pd.DataFrame,
    column: str,
    *,
    allow_empty: bool = False,
    minimum: float | None = 0,
) -> pd.Series:
    """Cells of `column` as floats (thousands separators allowed); errors name the cell."""
    text = df[column].astype(str).str.strip().str.replace(",", "", regex=False)
    num = pd.to_numeric(text, errors="coerce")
    empty = text == ""
    bad = num.isna() & ~(empty & allow_empty)
    if bad.any():
        raise bad_cell(path, df, bad, column, "not a number", "a number")
    if minimum is not None:
        low = num < minimum
        if low.any():
            raise bad_cell(path, df, low, column, "value out of range", f">= {minimum:g}")
    return num


def map_values(path: Path, df: pd.DataFrame, column: str, mapping: dict[str, str], expected: str) -> pd.Series:
    key = df[column].astype(str).str.strip().str.lower().map(lambda s: re.sub(r"\s+", " ", s))
    out = key.map(mapping)
    bad = out.isna()
    if bad.any():
        raise bad_cell(path, df, bad, column, "unknown value", expected)
    return out


def sum_duplicates(df: pd.DataFrame, key: list[str], value_cols: list[str]) -> tuple[pd.DataFrame, int]:
    """Sum rows that share the whole key; return the frame and how many rows were merged away."""
    dup = df.duplicated(subset=key, keep=False)
    if not dup.any():
        return df, 0
    n = int(df.duplicated(subset=key, keep="first").sum())
    agg = {c: "sum" for c in value_cols}
    agg.update({c: "first" for c in df.columns if c not in key and c not in value_cols})
    out = df.groupby(key, dropna=False, sort=False, as_index=False).agg(agg)
    return out[df.columns].reset_index(drop=True), n


def detect_csv(path: Path, pattern: str, needed: set[str]) -> bool:
    if path.suffix.lower() != ".csv":
        return False
    if re.fullmatch(pattern, path.name.lower()):
        return True
    try:
        return needed <= set(header_of(path))
    except OSError:
        return False
