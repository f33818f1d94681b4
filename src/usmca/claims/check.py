"""Check a document (text, Markdown, HTML) or a YAML file of claims against the store."""

from __future__ import annotations

import html
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from usmca.claims.evaluate import evaluate
from usmca.claims.extract import extract
from usmca.claims.model import CheckReport, Claim, ClaimResult
from usmca.claims.text import find_periods, latest_period_end
from usmca.errors import UsmcaError
from usmca.indicators.base import Context, IndicatorError, load_all
from usmca.store.reader import Reader

MAX_BYTES = 5 * 1024 * 1024


class InputError(UsmcaError):
    """Bad input document: empty, binary, not UTF-8, too large, or malformed claims."""


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    SKIP = ("script", "style", "noscript", "template", "svg")
    BLOCK = ("p", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "div", "tr", "td", "th", "title", "blockquote",
             "section", "article", "header", "footer", "figcaption", "ul", "ol", "table", "dt", "dd", "pre")

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in self.SKIP:
            self.skip += 1
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            # line breaks inside HTML text are only spaces: a wrapped sentence stays one sentence
            self.parts.append(re.sub(r"\s+", " ", data))


def decode_document(data: bytes, name: str) -> str:
    """Validate and decode a document; HTML becomes its text, Markdown loses its markup."""
    if len(data) > MAX_BYTES:
        raise InputError(f"{name}: {len(data):,} bytes is over the 5 MB limit for a document")
    if not data.strip():
        raise InputError(f"{name}: the document is empty")
    if b"\x00" in data[:8192]:
        raise InputError(f"{name}: this looks like a binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(f"{name}: not UTF-8 text (byte {e.start}: {data[e.start:e.start + 1]!r})") from e
    lower = name.lower()
    if lower.endswith((".html", ".htm")) or re.match(r"\s*<(!doctype html|html|body|p|div)\b", text, re.I):
        p = _Text()
        p.feed(text)
        text = html.unescape("".join(p.parts))
        text = re.sub(r"[ \t]+", " ", text)
        text = re.sub(r"\n\s*\n+", "\n", text).strip()
    elif lower.endswith((".md", ".markdown")):
        text = _join_soft_breaks(text)
        text = re.sub(r"^#+\s*", "", text, flags=re.M)
        text = re.sub(r"!?\[([^\]]*)\]\([^)]+\)", r"\1", text)
        text = re.sub(r"(\*\*|__|\*|_)(\S[^*_]*?)\1", r"\2", text)
        text = re.sub(r"^[ \t]*(?:>[ \t]?)+", "", text, flags=re.M)  # block quotes
        text = re.sub(r"^([ \t]*)(?:[-*+]|\d+[.)])[ \t]+", r"\1", text, flags=re.M)  # list markers
    return text


_BLOCK_START = re.compile(r"[ \t]*(?:$|#|[-*+][ \t]|\d+[.)][ \t]|>|\||```|~~~)")


def _join_soft_breaks(text: str) -> str:
    """Markdown paragraphs wrapped over several lines are one paragraph: join the lines with spaces
    (tables, code fences and blank lines keep their line breaks)."""
    lines = text.split("\n")
    out = [lines[0]] if lines else []
    fence = lines[0].lstrip().startswith(("```", "~~~")) if lines else False
    for prev, line in zip(lines, lines[1:], strict=False):
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
        if (not fence and prev.strip() and line.strip() and not _BLOCK_START.match(line)
                and not prev.lstrip().startswith(("|", "```", "~~~", "#")) and not prev.endswith("  ")):
            out[-1] = out[-1] + " " + line.lstrip()
        else:
            out.append(line)
    return "\n".join(out)


def infer_as_of(text: str) -> tuple[date | None, str | None]:
    """The earliest date the text could have been written: after the latest period it cites."""
    try:
        from usmca.claims import dates  # written with the statements registry

        found = dates.infer_earliest_date(text)
        if found is not None:
            return found.date, f"inferred from {found.phrase!r}"
    except (ImportError, AttributeError):
        pass
    periods = find_periods(text)
    end = latest_period_end(periods)
    if end is None or end[0] > 2100:
        return None, None
    y, m = end
    y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return date(y, m, 1), "inferred from the latest period cited"


def latest_full_year(reader: Reader, as_of: date | None) -> int | None:
    y = reader.one(
        "SELECT max(year) FROM trade WHERE month IS NULL AND value_usd IS NOT NULL AND flow = 'exports' "
        "AND basis = 'census' AND product = 'goods' AND partner_kind = 'country'")
    if y is None:
        return None
    y = int(y)
    if as_of is not None:
        y = min(y, as_of.year - 1)
    return y


def _prev_month(d: date) -> tuple[int, int]:
    return (d.year - 1, 12) if d.month == 1 else (d.year, d.month - 1)


def check_text(text: str, reader: Reader, *, document: str = "-", as_of: date | None = None,
               vintage: date | None = None) -> CheckReport:
    source = "--as-of" if as_of else None
    if as_of is None:
        as_of, source = infer_as_of(text)
    year = latest_full_year(reader, as_of)
    ex = extract(text, default_year=year, reference_month=_prev_month(as_of) if as_of else None)
    ctx = Context(reader, as_of=as_of, vintage=vintage)
    results = [evaluate(c, ctx) for c in ex.claims]
    return CheckReport(document=document, as_of=as_of.isoformat() if as_of else None, as_of_source=source,
                       data=reader.datasets, claims=results, not_checked=ex.not_checked)


def check_claims(claims: list[Claim], reader: Reader, *, document: str = "-", as_of: date | None = None,
                 vintage: date | None = None) -> CheckReport:
    ctx = Context(reader, as_of=as_of, vintage=vintage)
    results: list[ClaimResult] = [evaluate(c, ctx) for c in claims]
    return CheckReport(document=document, as_of=as_of.isoformat() if as_of else None,
                       as_of_source="--as-of" if as_of else None, data=reader.datasets, claims=results)


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[str, Any]:
    m: dict[str, Any] = {str(k): v for k, v in loader.construct_mapping(node, deep=True).items()}
    m["__line__"] = node.start_mark.line + 1
    return m


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _strip_lines(x: Any) -> Any:
    if isinstance(x, dict):
        return {k: _strip_lines(v) for k, v in x.items() if k != "__line__"}
    if isinstance(x, list):
        return [_strip_lines(v) for v in x]
    return x


def load_claims_yaml(data: str, name: str = "claims.yaml") -> list[Claim]:
    """Parse a YAML list of claims (or {claims: [...]}) with line-numbered, specific errors."""
    try:
        doc = yaml.load(data, Loader=_LineLoader)  # noqa: S506 (SafeLoader subclass)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        what = " ".join(str(x) for x in (getattr(e, "context", None), getattr(e, "problem", None)) if x)
        raise InputError(f"{name}{where}: not valid YAML: {what or e}") from e
    items = doc.get("claims") if isinstance(doc, dict) else doc
    if not isinstance(items, list) or not items:
        raise InputError(f"{name}: expected a list of claims (or a mapping with a 'claims' list)")
    registry = load_all()
    out = []
    for i, raw in enumerate(items):
        if not isinstance(raw, dict):
            raise InputError(f"{name}: claim {i + 1} is not a mapping")
        line = raw.get("__line__")
        item = _strip_lines(raw)
        item.setdefault("id", f"y{i + 1}")
        try:
            claim = Claim(**item)
        except ValidationError as e:
            err = e.errors()[0]
            loc = ".".join(str(x) for x in err["loc"])
            raise InputError(f"{name}, line {line}: claim {item.get('id')}: {loc}: {err['msg']}") from e
        if claim.metric not in registry:
            import difflib

            close = difflib.get_close_matches(claim.metric, registry, n=1)
            raise InputError(f"{name}, line {line}: unknown metric {claim.metric!r}"
                             + (f" (did you mean {close[0]}?)" if close else "")
                             + f"; known metrics: {', '.join(sorted(registry))}")
        known = registry[claim.metric].params
        for key in claim.params:
            if key not in known and not key.startswith("_"):
                import difflib

                close = difflib.get_close_matches(key, known, n=1)
                raise InputError(f"{name}, line {line}: claim {claim.id}: metric {claim.metric} takes no "
                                 f"parameter {key!r}" + (f" (did you mean {close[0]}?)" if close else "")
                                 + f"; it takes {', '.join(known)}")
        _check_params(claim, name, line)
        claim.line = line
        out.append(claim)
    return out


def _check_params(claim: Claim, name: str, line: int | None) -> None:
    from usmca.countries import UnknownCountryError, resolve_partner

    for key in ("partner", "country"):
        if key in claim.params:
            try:
                resolve_partner(str(claim.params[key]))
            except UnknownCountryError as e:
                raise InputError(f"{name}, line {line}: claim {claim.id}: {e}") from e
    for key in ("partners", "numerator", "denominator", "members"):
        for p in claim.params.get(key) or []:
            try:
                resolve_partner(str(p))
            except UnknownCountryError as e:
                raise InputError(f"{name}, line {line}: claim {claim.id}: {e}") from e
    y = claim.params.get("year")
    if y is not None and not (isinstance(y, int) and 1900 <= y <= 2100):
        raise InputError(f"{name}, line {line}: claim {claim.id}: year {y!r} is not a year from 1900 to 2100 "
                         "(expected e.g. 2024)")


def read_input(path: str, stdin_data: bytes | None = None) -> tuple[str, bytes]:
    if path == "-":
        return "-", stdin_data or b""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{path}: no such file")
    if p.is_dir():
        raise InputError(f"{path}: is a folder, not a document")
    return p.name, p.read_bytes()


def is_yaml_claims(name: str, data: bytes) -> bool:
    return name.lower().endswith((".yaml", ".yml"))


def check_path(path: str, reader: Reader, *, as_of: date | None = None, vintage: date | None = None,
               stdin_data: bytes | None = None) -> CheckReport:
    name, data = read_input(path, stdin_data)
    if is_yaml_claims(name, data):
        text = decode_document(data, name)
        claims = load_claims_yaml(text, name)
        return check_claims(claims, reader, document=name, as_of=as_of, vintage=vintage)
    text = decode_document(data, name)
    return check_text(text, reader, document=name, as_of=as_of, vintage=vintage)


__all__ = ["CheckReport", "InputError", "IndicatorError", "check_claims", "check_path", "check_text",
           "decode_document", "infer_as_of", "load_claims_yaml"]
