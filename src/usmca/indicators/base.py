"""Named, documented metrics over the store: each returns a Figure with its evidence and query."""

from __future__ import annotations

import copy
import functools
import inspect
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from usmca.errors import UsmcaError
from usmca.indicators.params import check_params
from usmca.months import PeriodError
from usmca.store.reader import Reader


@dataclass
class Evidence:
    source_id: str
    agency: str | None = None
    title: str | None = None
    file: str | None = None
    sha256: str | None = None
    vintage: str | None = None
    url: str | None = None
    kind: str | None = None
    origin: str | None = None
    label: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class Figure:
    """A computed number with everything needed to trace it."""

    value: float | None
    unit: str
    label: str
    params: dict[str, Any] = field(default_factory=dict)
    computation: str = ""
    queries: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    missing: str | None = None  # why the value could not be computed (names the data source)
    parts: dict[str, Any] = field(default_factory=dict)  # components, for charts and explain
    series: dict[str, Any] | None = None  # chart data

    @property
    def ok(self) -> bool:
        return self.value is not None and self.missing is None

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "unit": self.unit,
            "label": self.label,
            "params": self.params,
            "computation": self.computation,
            "queries": self.queries,
            "evidence": [e.to_dict() for e in self.evidence],
            "notes": self.notes,
            "missing": self.missing,
            "parts": self.parts,
        }


class Context:
    """What an indicator needs: the reader, the as-of date, and a log of queries run.

    `queries` is the log of the whole context; each indicator call (and each claim, see
    `scope`) marks where its own part begins, so a figure carries only the queries run for it.
    """

    def __init__(self, reader: Reader, as_of: date | None = None, vintage: date | None = None) -> None:
        self.reader = reader
        self.as_of = as_of
        self.vintage = vintage
        self.queries: list[str] = []
        self._mark = 0

    @contextmanager
    def scope(self) -> Iterator[int]:
        """Open a new query log segment (an indicator call, a claim); yields where it starts."""
        prev, self._mark = self._mark, len(self.queries)
        try:
            yield self._mark
        finally:
            self._mark = prev

    def since(self, start: int = 0) -> list[str]:
        """The queries run since `start`, never before the current segment's start."""
        return self.queries[max(start, self._mark) :]

    def rel(self, table: str) -> str:
        return self.reader.relation(table, self.vintage)

    def query(self, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
        shown = sql
        for p in params or []:
            shown = shown.replace("?", repr(p.isoformat() if isinstance(p, date) else p), 1)
        self.queries.append(" ".join(shown.split()))
        # The reader's data never change while it is open: repeated queries are served from memory.
        key = (sql, tuple(params or ()), self.vintage)
        memo = self.reader._memo
        if key not in memo:
            memo[key] = self.reader.df(sql, params)
        return memo[key].copy()

    def evidence(self, source_ids: Any) -> list[Evidence]:
        out = []
        for sid in sorted({s for s in source_ids if isinstance(s, str)}):
            s = self.reader.source(sid)
            kind = s.get("kind")
            vintage = s.get("vintage")
            out.append(
                Evidence(
                    source_id=sid,
                    agency=s.get("agency"),
                    title=s.get("title"),
                    file=s.get("file_name"),
                    sha256=s.get("sha256"),
                    vintage=str(vintage)[:10] if vintage is not None else None,
                    url=s.get("url"),
                    kind=kind,
                    origin=s.get("origin"),
                    label="official statement"
                    if kind == "official statement"
                    else ("research model" if kind == "model" else "official statistics"),
                )
            )
        return out

    def figure(
        self,
        value: float | None,
        unit: str,
        label: str,
        *,
        params: dict[str, Any],
        computation: str,
        source_ids: Any = (),
        start: int = 0,
        **kw: Any,
    ) -> Figure:
        return Figure(
            value=value,
            unit=unit,
            label=label,
            params=params,
            computation=computation,
            queries=self.since(start),
            evidence=self.evidence(source_ids),
            **kw,
        )

    def missing(
        self,
        unit: str,
        label: str,
        params: dict[str, Any],
        reason: str,
        start: int = 0,
        source_ids: Any = (),
        **kw: Any,
    ) -> Figure:
        return Figure(
            value=None,
            unit=unit,
            label=label,
            params=params,
            missing=reason,
            queries=self.since(start),
            evidence=self.evidence(source_ids),
            **kw,
        )


def combine(
    ctx: Context,
    a: Figure,
    b: Figure,
    op: str,
    unit: str,
    label: str,
    params: dict[str, Any],
    start: int,
    *,
    parts: dict[str, Any] | None = None,
) -> Figure:
    """A figure computed from two others: op is "diff" (a - b), "ratio" (a / b) or "pct" ((a / b - 1) x 100).

    Missing when either is missing (with its reason) or when dividing by zero; evidence of both, once each.
    """
    if not (a.ok and b.ok) or (op != "diff" and not b.value):
        return ctx.missing(unit, label, params, a.missing or b.missing or "nothing to compare with", start)
    assert a.value is not None and b.value is not None
    if op == "diff":
        v, how = (
            a.value - b.value,
            f"{a.value / 1e9:,.1f}bn - {b.value / 1e9:,.1f}bn = {(a.value - b.value) / 1e9:,.1f}bn",
        )
    elif op == "ratio":
        v, how = a.value / b.value, f"{a.value:,.0f} / {b.value:,.0f} = {a.value / b.value:.3f}"
    else:
        v = (a.value / b.value - 1) * 100
        how = f"({a.value:,.0f} / {b.value:,.0f} - 1) x 100 = {v:.2f}%"
    seen = {e.source_id for e in a.evidence}
    return Figure(
        v,
        unit,
        label,
        params,
        how,
        ctx.since(start),
        a.evidence + [e for e in b.evidence if e.source_id not in seen],
        parts=parts if parts is not None else {"a": a.value, "b": b.value},
    )


@dataclass
class Indicator:
    name: str
    func: Callable[..., Figure]
    unit: str
    doc: str
    topic: str

    @property
    def params(self) -> dict[str, dict[str, Any]]:
        sig = inspect.signature(self.func)
        out = {}
        for p in list(sig.parameters.values())[1:]:
            out[p.name] = {
                "type": str(p.annotation).replace("typing.", ""),
                "default": None if p.default is inspect.Parameter.empty else p.default,
                "required": p.default is inspect.Parameter.empty,
            }
        return out

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "unit": self.unit, "topic": self.topic, "doc": self.doc, "params": self.params}


REGISTRY: dict[str, Indicator] = {}


class FigureCache:
    """Figures by (reader state, indicator, parameters, as-of, vintage), shared by every check of a
    process. The reader state names the store file's size and modification time (and the snapshot's),
    so a reader opened after a load never sees a figure computed from the data before it."""

    def __init__(self, size: int = 8192) -> None:
        self.size = size
        self._data: OrderedDict[Any, Figure] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Any) -> Figure | None:
        with self._lock:
            fig = self._data.get(key)
            if fig is None:
                self.misses += 1
                return None
            self._data.move_to_end(key)
            self.hits += 1
        return _clone_figure(fig)

    def put(self, key: Any, fig: Figure) -> None:
        kept = _clone_figure(fig)
        with self._lock:
            self._data[key] = kept
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._data)


def _clone(x: Any) -> Any:
    """A copy of nested dicts, lists and tuples (the containers figures hold); other values are shared
    (numbers, strings, dates: immutable; anything else is copied with copy.deepcopy)."""
    if isinstance(x, dict):
        return {k: _clone(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_clone(v) for v in x]
    if isinstance(x, tuple):
        return tuple(_clone(v) for v in x)
    if x is None or isinstance(x, (str, int, float, bool, date)):
        return x
    return copy.deepcopy(x)


def _clone_figure(fig: Figure) -> Figure:
    return Figure(
        value=fig.value,
        unit=fig.unit,
        label=fig.label,
        params=_clone(fig.params),
        computation=fig.computation,
        queries=list(fig.queries),
        evidence=[copy.copy(e) for e in fig.evidence],
        notes=list(fig.notes),
        missing=fig.missing,
        parts=_clone(fig.parts),
        series=_clone(fig.series),
    )


FIGURES = FigureCache()


def _cache_key(name: str, ctx: Context, arguments: dict[str, Any]) -> Any:
    state = getattr(ctx.reader, "state", None)
    if state is None:
        return None
    try:
        params = repr(sorted((k, v) for k, v in arguments.items()))
    except TypeError:
        return None
    return (state, name, params, ctx.as_of, ctx.vintage)


def indicator(name: str, unit: str, topic: str) -> Callable[[Callable[..., Figure]], Callable[..., Figure]]:
    """Register a metric; every call, direct or through compute(), validates its parameters first.

    Each call runs in its own query-log segment (its figure lists only the queries it ran) and is
    cached in FIGURES by its parameters; a cached figure's queries are replayed into the log, so a
    figure built from it still names them.
    """

    def wrap(func: Callable[..., Figure]) -> Callable[..., Figure]:
        sig = inspect.signature(func)

        @functools.wraps(func)
        def checked(ctx: Context, *args: Any, **kwargs: Any) -> Figure:
            bound = sig.bind(ctx, *args, **kwargs)
            given = {k: v for k, v in list(bound.arguments.items())[1:]}
            bound.apply_defaults()
            key = _cache_key(name, ctx, dict(list(bound.arguments.items())[1:]))
            if key is not None:
                hit = FIGURES.get(key)  # only parameters that passed the checks below are cached
                if hit is not None:
                    ctx.queries.extend(hit.queries)
                    return hit
            check_params(func, given)
            with ctx.scope() as mark:
                fig = func(ctx, *args, **kwargs)
                own = ctx.queries[mark:]
                if len(fig.queries) > len(own):
                    fig.queries = list(own)
            if key is not None:
                FIGURES.put(key, fig)
            return fig

        REGISTRY[name] = Indicator(name, checked, unit, inspect.getdoc(func) or "", topic)
        return checked

    return wrap


class IndicatorError(UsmcaError, ValueError):
    """Bad parameters for an indicator (unknown metric, country, period)."""


def compute(ctx: Context, name: str, **params: Any) -> Figure:
    load_all()
    if name not in REGISTRY:
        import difflib

        close = difflib.get_close_matches(name, REGISTRY, n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise IndicatorError(f"unknown metric {name!r}{hint}")
    ind = REGISTRY[name]
    sig = _signature(ind.func)
    allowed = list(sig.parameters)[1:]
    extra = [k for k in params if k not in allowed]
    if extra:
        raise IndicatorError(f"metric {name!r} takes no parameter {extra[0]!r}; it takes {allowed}")
    try:
        sig.bind(ctx, **params)
    except TypeError as e:
        raise IndicatorError(f"metric {name!r}: {e}") from e
    try:
        return ind.func(ctx, **params)
    except PeriodError as e:
        raise IndicatorError(f"metric {name!r}: {e}") from e


@functools.lru_cache(maxsize=512)
def _signature(func: Callable[..., Figure]) -> inspect.Signature:
    return inspect.signature(func)


# Modules of this package that hold no metrics (the registry's machinery and the query helpers).
_NOT_FAMILIES = frozenset({"base", "params", "wb_groups", "queries"})


@functools.cache
def families() -> tuple[str, ...]:
    """The modules of `usmca.indicators` that register metrics, one per family (found, not listed).

    Found once per process: listing the package's folder on every computation was a fifth of a warm check.
    """
    import pkgutil

    import usmca.indicators as pkg

    return tuple(sorted(m.name for m in pkgutil.iter_modules(pkg.__path__) if m.name not in _NOT_FAMILIES))


@functools.cache
def _import_families() -> None:
    import importlib

    for mod in families():
        importlib.import_module(f"usmca.indicators.{mod}")


def load_all() -> dict[str, Indicator]:
    """Import every family module (once per process), so that its `@indicator` functions register themselves."""
    _import_families()
    return REGISTRY
