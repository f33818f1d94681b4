"""Compiled regular expressions, cached on disk like Python's own bytecode.

The claim reader's grammars are large alternations built from the lexicon (the period grammar is
about 39,000 characters): `re` parses and compiles them in Python, which took a fifth to a third of
a cold `usmca check`. `compile()` keeps the compiled program (the list of opcodes `re` hands to its
C engine) in a cache folder, keyed by the pattern, the flags and the interpreter, so that a new
process pays a file read instead of the compile.

How it is safe:

- the key includes ``sys.version`` and the engine's ``_sre.MAGIC``, so another interpreter never
  reads an entry written by this one;
- an entry carries the sha256 of its payload and of the pattern it was built from; a damaged or
  foreign entry is ignored (and rewritten);
- the C engine validates every opcode program it is given (``_sre.compile``), as it does for
  programs built by `re`;
- any failure (a read-only folder, an interpreter whose private ``_sre.compile`` differs, a full
  disk) falls back to ``re.compile``: the cache can make a check faster, never different.

Why not a library: none caches compiled programs (``regex`` and ``re2`` compile faster in some
cases, but ``re2`` has no look-behind, which the grammars use, and ``regex`` compiles in Python too).

The lexicon files the grammars are built from (YAML) are cached the same way (`load_yaml`): the
parsed data, written with ``marshal`` under the sha256 of the file's text, so that a new process
neither imports PyYAML nor parses the files again (about 50 ms of a cold check).

Setting ``USMCA_PATTERN_CACHE``: the folder (default: the platform cache directory); ``off`` turns
the cache off.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import re
import sys
import tempfile
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T", str, tuple[str, ...])

__all__ = ["cache_folder", "compile", "load_yaml", "longest_first"]

_VERSION = 1  # of the entry layout


def longest_first(items: Iterable[T]) -> list[T]:
    """Distinct items, longest first and, among equals, in sorted order.

    The order of an alternation is part of what a pattern means, and a set's order changes from one
    process to the next (string hashing is randomised): sorting by length alone made the grammars
    differ between runs, and so their cache keys.
    """
    return sorted(set(items), key=lambda x: (-len(x), x))  # type: ignore[arg-type]


@cache
def cache_folder() -> Path | None:
    """The folder of cached patterns, or None when the cache is off or the engine is not CPython's."""
    from usmca.config import setting, setting_is_off

    if setting_is_off("pattern_cache"):
        return None
    value = (setting("pattern_cache") or "").strip()
    try:
        import _sre  # CPython's engine

        magic = _sre.MAGIC
    except (ImportError, AttributeError):
        return None
    if value:
        root = Path(value).expanduser()
    else:
        import platformdirs

        root = Path(platformdirs.user_cache_dir("usmca", appauthor=False)) / "patterns"
    tag = f"py{sys.version_info[0]}{sys.version_info[1]}-{magic}"
    return root / tag


def _key(pattern: str, flags: int) -> str:
    return hashlib.sha256(f"{_VERSION}\0{sys.version}\0{int(flags)}\0{pattern}".encode()).hexdigest()


def _build(pattern: str, flags: int) -> tuple[re.Pattern[str], tuple[Any, ...]]:
    """Compile as `re` does, keeping the program so it can be stored."""
    import _sre
    from re import _compiler, _parser  # type: ignore[attr-defined]

    flags = int(flags)  # as re does: a RegexFlag makes every flag test in the compiler an enum operation
    p = _parser.parse(pattern, flags)
    code = _compiler._code(p, flags)
    groupindex = dict(p.state.groupdict)
    indexgroup: list[str | None] = [None] * p.state.groups
    for k, i in groupindex.items():
        indexgroup[i] = k
    # plain ints: the opcodes are int subclasses, which marshal does not write
    parts = (int(flags | p.state.flags), [int(c) for c in code], int(p.state.groups - 1), groupindex, tuple(indexgroup))
    return _sre.compile(pattern, *parts), parts


def _read(path: Path) -> bytes | None:
    """The payload of a cache entry whose sha256 matches, else None (missing, damaged, foreign)."""
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    digest, payload = blob[:32], blob[32:]
    return payload if hashlib.sha256(payload).digest() == digest else None


def _load(path: Path, pattern: str) -> re.Pattern[str] | None:
    import _sre

    payload = _read(path)
    if payload is None:
        return None
    try:
        source_hash, parts = marshal.loads(payload)
        if source_hash != hashlib.sha256(pattern.encode()).digest():
            return None
        rx: re.Pattern[str] = _sre.compile(pattern, *parts)
    except Exception:  # noqa: BLE001 - a foreign or damaged entry is ignored, never trusted
        return None
    return rx


def _store(path: Path, pattern: str, parts: tuple[Any, ...]) -> None:
    try:
        payload = marshal.dumps((hashlib.sha256(pattern.encode()).digest(), parts))
    except ValueError:  # not writable as data: this pattern is simply not cached
        return
    _write(path, hashlib.sha256(payload).digest() + payload)


def _write(path: Path, blob: bytes) -> None:
    """Write a cache entry atomically (a reader sees the whole entry or none); any OSError: not cached."""
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(blob)
            os.replace(tmp, path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:  # noqa: A001 - named after re.compile
    """`re.compile(pattern, flags)`, reading the compiled program from the cache when it is there."""
    folder = cache_folder()
    if folder is None:
        return re.compile(pattern, flags)
    path = folder / (_key(pattern, flags) + ".sre")
    rx = _load(path, pattern)
    if rx is not None:
        return rx
    try:
        rx, parts = _build(pattern, flags)
    except re.error:
        raise
    except Exception:  # noqa: BLE001 - an interpreter whose private compile differs: plain re
        return re.compile(pattern, flags)
    _store(path, pattern, parts)
    return rx


def load_yaml(text: str) -> Any:
    """`yaml.safe_load(text)` (libyaml when present) for the package's own lexicon files, the parsed
    data read from the cache when it is there.

    Only plain data is cached (what marshal writes: mappings, lists, strings, numbers, booleans, None);
    a file that parses to anything else (a date) is parsed every time. Not for user input: it has its
    own reader with limits (usmca.claims.yaml_claims).
    """
    folder = cache_folder()
    key = hashlib.sha256(f"{_VERSION}\0{sys.version}\0yaml\0{text}".encode()).hexdigest()
    path = folder / (key + ".yaml.marshal") if folder is not None else None
    payload = _read(path) if path is not None else None
    if payload is not None:
        with contextlib.suppress(Exception):  # a foreign or damaged entry is ignored, never trusted
            return marshal.loads(payload)
    import yaml

    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if path is not None:
        try:
            payload = marshal.dumps(data)
        except ValueError:  # not plain data: parsed every time
            return data
        _write(path, hashlib.sha256(payload).digest() + payload)
    return data
