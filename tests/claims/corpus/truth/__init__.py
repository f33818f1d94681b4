"""Truth for the development corpus, computed straight from the agencies' files with pandas.

Nothing here imports usmca: a truth function reads the raw files in ../shared/data itself, so the
engine under test can never mark its own homework. Each function is registered by name and returns
the true figure in the units the corpus item's `claimed` uses (dollars, persons, pounds, percent,
rank, +1/-1 for directions).
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

DATA = (Path(__file__).resolve().parents[4] / ".." / "shared" / "data").resolve()

TRUTH: dict[str, Callable[..., float]] = {}


def truth(name: str) -> Callable[[Callable[..., float]], Callable[..., float]]:
    """Register a truth function under `name` (memoised: the files are read once)."""

    def wrap(func: Callable[..., float]) -> Callable[..., float]:
        cached = functools.lru_cache(maxsize=None)(func)
        TRUTH[name] = cached
        return cached

    return wrap


def load_all() -> dict[str, Callable[..., float]]:
    for mod in pkgutil.iter_modules([str(Path(__file__).parent)]):
        importlib.import_module(f"{__name__}.{mod.name}")
    return TRUTH


def compute(spec: dict[str, Any]) -> float:
    fns = load_all()
    fn = spec["fn"]
    if fn not in fns:
        raise KeyError(f"no truth function {fn!r}; known: {sorted(fns)}")
    args = {k: tuple(v) if isinstance(v, list) else v for k, v in (spec.get("args") or {}).items()}
    return float(fns[fn](**args))
