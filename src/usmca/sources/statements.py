"""A registry of figures published only in official statements (press releases, reports).

Some numbers that public claims cite exist only in statements, not in statistical tables:
Mexico's running totals of fentanyl seized in Operación Frontera Norte, or the migration
policy unit's counts of migrants in an irregular situation. They are kept as YAML files, one
per agency or series, in `usmca/data/statements/` (bundled) or anywhere else (`usmca data load
FILE.yaml`). Evidence from this source is labelled `official statement` (`kind`), which ranks
below statistical releases.

File format (top-level key `official_statements`, a list of records):

    official_statements:
      - id: mx-gabseg-ofn-fentanyl-2025-02-16    # unique, lowercase, stable
        agency: Gabinete de Seguridad (Mexico)  # required
        country: MEX                            # ISO3 of the reporting government
        title: ...                              # the statement's title, or a description
        date: 2025-02-16                        # required: when the statement was published
        date_approximate: false                 # true when the publication date is a bound
        url: null                               # official URL, only when known
        measure: fentanyl_seized_kg             # snake_case series name
        period_start: 2025-02-05                # period the figure covers
        period_end: 2025-02-16
        value: 55                               # required, a number
        unit: kg
        cumulative: true                        # a running total since period_start
        note: ...

Each file loads as one file of dataset `official.statements`; its vintage is the latest
statement date in it. Records are validated with pydantic: a record missing its agency, date
or value (or with an unknown field, a bad date, a period that ends after the statement) is a
DataFormatError naming the file, the record's line, index and id.
"""

from __future__ import annotations

import datetime as dt
import re
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from usmca.errors import DataFormatError
from usmca.sources.base import (
    ParsedFile,
    SourceInfo,
    check_nonempty,
    check_not_html,
    parsed,
    register,
)

TOP_KEY = "official_statements"
SUFFIXES = (".yaml", ".yml")


class StatementRecord(BaseModel):
    """One figure from one official statement."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$", max_length=120)
    agency: str = Field(min_length=1)
    country: str = Field(pattern=r"^[A-Z]{3}$")
    title: str = Field(min_length=1)
    date: dt.date
    date_approximate: bool = False
    url: str | None = None
    measure: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    value: float
    unit: str = Field(min_length=1)
    cumulative: bool
    note: str | None = None

    @field_validator("url")
    @classmethod
    def _url(cls, v: str | None) -> str | None:
        if v is not None and not re.match(r"^https?://\S+$", v):
            raise ValueError("must be an http(s) URL or null")
        return v

    @field_validator("value", mode="before")
    @classmethod
    def _number(cls, v: Any) -> Any:
        if isinstance(v, bool) or v is None or (isinstance(v, str) and not v.strip()):
            raise ValueError("must be a number")
        if isinstance(v, str):
            return v.replace(",", "")
        return v

    @model_validator(mode="after")
    def _periods(self) -> StatementRecord:
        if self.period_start and self.period_end and self.period_start > self.period_end:
            raise ValueError(f"period_start {self.period_start} is after period_end {self.period_end}")
        if self.period_end and self.period_end > self.date:
            raise ValueError(f"period_end {self.period_end} is after the statement date {self.date}")
        if self.cumulative and self.period_start is None:
            raise ValueError("a cumulative (running) total needs period_start (counted since)")
        return self


COLUMNS = [
    "statement_id",
    "agency",
    "country",
    "title",
    "date",
    "url",
    "measure",
    "period_start",
    "period_end",
    "value",
    "unit",
    "cumulative",
    "note",
]


class _Loader(yaml.SafeLoader):
    """Safe YAML, with dates left as text so that pydantic reports a bad one per record."""


def _timestamp_as_text(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    assert isinstance(node, yaml.ScalarNode)
    return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


def bundled_dir() -> Path:
    """The folder of statement files shipped with the package."""
    return Path(str(resources.files("usmca") / "data" / "statements"))


def bundled_files() -> list[Path]:
    d = bundled_dir()
    return sorted(p for p in d.iterdir() if p.suffix.lower() in SUFFIXES) if d.is_dir() else []


def detect(path: Path) -> bool:
    if path.suffix.lower() not in SUFFIXES:
        return False
    try:
        text = path.read_text(encoding="utf-8", errors="replace")[:20000]
    except OSError:
        return False
    return re.search(rf"^{TOP_KEY}\s*:", text, flags=re.MULTILINE) is not None


def _record_lines(text: str) -> list[int]:
    """1-based line of each record of the top-level list (for error messages)."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return []
    if not isinstance(node, yaml.MappingNode):
        return []
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == TOP_KEY and isinstance(v, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in v.value]
    return []


def parse(path: Path) -> ParsedFile:
    check_nonempty(path)
    check_not_html(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise DataFormatError(path, f"not UTF-8 text ({e})", expected="a YAML file") from e
    try:
        doc = yaml.load(text, Loader=_Loader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise DataFormatError(
            path,
            f"not valid YAML: {getattr(e, 'problem', None) or e}",
            row=mark.line + 1 if mark is not None else None,
            expected="a YAML mapping with key official_statements",
        ) from e
    if not isinstance(doc, dict) or TOP_KEY not in doc:
        raise DataFormatError(
            path,
            f"no top-level key {TOP_KEY!r}",
            row=1,
            expected=f"{TOP_KEY}: [records]",
            found=sorted(map(str, doc))[:5] if isinstance(doc, dict) else type(doc).__name__,
        )
    items = doc[TOP_KEY]
    if not isinstance(items, list) or not items:
        raise DataFormatError(
            path,
            f"{TOP_KEY!r} must be a non-empty list of records",
            row=1,
            column=TOP_KEY,
            expected="a list of records",
            found=type(items).__name__ if items else "nothing",
        )
    lines = _record_lines(text)
    records: list[StatementRecord] = []
    rows: list[int] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        line = lines[i] if i < len(lines) else None
        rid = item.get("id") if isinstance(item, dict) else None
        where = f"record {i} (id {rid!r})" if rid else f"record {i} (no id)"
        if not isinstance(item, dict):
            raise DataFormatError(
                path,
                f"{where}: not a mapping",
                row=line,
                expected="a record with id, agency, date, value, ...",
                found=item,
            )
        try:
            rec = StatementRecord.model_validate(item)
        except ValidationError as e:
            err = e.errors()[0]
            field = ".".join(str(x) for x in err["loc"]) or None
            msg = "missing" if err["type"] == "missing" else err["msg"]
            raise DataFormatError(
                path,
                f"{where}: {field or 'record'}: {msg}",
                row=line,
                column=field,
                expected=_expected(field),
                found=item.get(field) if field in item else None,
            ) from None
        if rec.id in seen:
            raise DataFormatError(
                path,
                f"{where}: duplicated id (first at record {seen[rec.id]})",
                row=line,
                column="id",
                expected="a unique id",
                found=rec.id,
            )
        seen[rec.id] = i
        records.append(rec)
        rows.append(line or i + 1)

    notes = _running_total_notes(records)
    table = pd.DataFrame(
        [
            {
                "statement_id": r.id,
                "agency": r.agency,
                "country": r.country,
                "title": r.title,
                "date": r.date,
                "url": r.url,
                "measure": r.measure,
                "period_start": r.period_start,
                "period_end": r.period_end,
                "value": r.value,
                "unit": r.unit,
                "cumulative": r.cumulative,
                "note": _note(r),
            }
            for r in records
        ],
        columns=COLUMNS,
    )
    table["_row"] = rows
    vintage = max(r.date for r in records)
    return parsed(SOURCE, path, vintage, {"statements": table}, notes=notes)


def _expected(field: str | None) -> str:
    return {
        "agency": "the agency that published the statement",
        "date": "the statement's publication date (YYYY-MM-DD)",
        "value": "a number",
        "id": "a lowercase id such as mx-gabseg-ofn-fentanyl-2025-02-16",
        "country": "an ISO3 code such as MEX",
        "cumulative": "true or false",
        "measure": "a snake_case name such as fentanyl_seized_kg",
    }.get(field or "", "a valid value")


def _note(r: StatementRecord) -> str | None:
    if not r.date_approximate:
        return r.note
    extra = "publication date approximate (a bound, not the exact day)"
    return f"{r.note} [{extra}]" if r.note else extra


def _running_total_notes(records: list[StatementRecord]) -> list[str]:
    """Running totals normally only grow: a fall is kept (it is what was published) but noted."""
    notes = []
    series: dict[tuple[str, str, date | None], list[StatementRecord]] = {}
    for r in records:
        if r.cumulative:
            series.setdefault((r.agency, r.measure, r.period_start), []).append(r)
    for (_, measure, _), rs in series.items():
        rs = sorted(rs, key=lambda r: r.date)
        for a, b in zip(rs, rs[1:], strict=False):
            if b.value < a.value:
                notes.append(f"running total {measure} falls from {a.value:g} ({a.date}) to {b.value:g} ({b.date})")
    return notes


def load_bundled() -> list[ParsedFile]:
    """Parse every statement file shipped with the package (one ParsedFile per file)."""
    return [parse(p) for p in bundled_files()]


SOURCE = register(
    SourceInfo(
        id="official.statements",
        agency="Official statements (agency named in each record)",
        title="Figures published in official statements and press releases",
        url="https://github.com/usmca/usmca/tree/main/src/usmca/data/statements",
        licence=(
            "Each record's publisher: U.S. federal statements are public domain; figures of other "
            "governments are quoted with their source"
        ),
        citation="The agency, title, date and address given in each statement record",
        table="statements",
        detect=detect,
        parse=parse,
        kind="official statement",
    )
)

__all__ = ["SOURCE", "StatementRecord", "bundled_dir", "bundled_files", "detect", "load_bundled", "parse"]
