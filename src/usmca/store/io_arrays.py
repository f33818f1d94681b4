"""Input-output tables at rest: one dense binary array per matrix (`.npy`) and a JSON of labels.

A table of the store is a folder `io/<source>/` of:

    Z.npy                 n x n intermediate use (float64, C order)
    Y.npy                 n x m final demand, columns in the order of `fd_labels`
    x.npy, va.npy         gross output and value added (n)
    va_detail.<k>.npy     value-added components, when the table has them
    labels.json           regions, sectors, fd_labels, country_of, year, unit, and the dtype and
                          shape of each array

Each file's sha256 and size are recorded in `io_tables` (one row per file; the part is the file
name without its suffix). Reading checks both, then maps the arrays read-only
(`np.load(mmap_mode="r")`): a year is ready in milliseconds and shares the page cache with other
readers, instead of rebuilding 2 million labelled Parquet cells. The bundled snapshot keeps its
compact long Parquet (`MRIOTable.to_frames("long")`), which the reader still reads, as it reads
the Parquet parts of stores written before this layout.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np

from usmca.errors import StoreError
from usmca.store import integrity

LABELS = "labels"
FORMAT = "usmca-io-arrays/1"
NPY_MAGIC = b"\x93NUMPY"


class _HashingWriter:
    """A file wrapper that hashes what is written through it (so a part is hashed as it is saved)."""

    def __init__(self, f: Any) -> None:
        self.f, self.h, self.n = f, hashlib.sha256(), 0

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        self.h.update(view)
        self.n += len(view)
        return int(self.f.write(view))


def _arrays(table: Any) -> dict[str, np.ndarray]:
    out = {"Z": table.Z, "Y": table.Y, "x": table.x, "va": table.va}
    out.update({f"va_detail.{k}": v for k, v in table.va_detail.items()})
    return {k: np.ascontiguousarray(v, dtype=np.float64) for k, v in out.items()}


def write_arrays(table: Any, folder: Path) -> dict[str, tuple[Path, str, int]]:
    """Write a table's arrays and labels to `folder`: part -> (path, sha256, bytes)."""
    arrays = _arrays(table)
    labels = {
        "format": FORMAT,
        "year": int(table.year),
        "unit": str(table.unit),
        "regions": list(table.regions),
        "sectors": list(table.sectors),
        "fd_labels": [list(p) for p in table.fd_labels],
        "country_of": dict(table.country_of),
        "arrays": {k: {"dtype": "<f8", "shape": list(a.shape)} for k, a in arrays.items()},
    }
    out: dict[str, tuple[Path, str, int]] = {}
    with integrity.disk_errors(folder):
        folder.mkdir(parents=True, exist_ok=True)
        for part, arr in arrays.items():
            path = folder / f"{part}.npy"
            with open(path, "wb") as f:
                w = _HashingWriter(f)
                np.lib.format.write_array(w, arr, allow_pickle=False)  # type: ignore[arg-type]
            out[part] = (path, w.h.hexdigest(), w.n)
        data = json.dumps(labels, separators=(",", ":")).encode()
        path = folder / f"{LABELS}.json"
        path.write_bytes(data)
        out[LABELS] = (path, hashlib.sha256(data).hexdigest(), len(data))
    return out


def is_array_part(path: str | Path) -> bool:
    return str(path).endswith((".npy", ".json"))


def check_file(path: Path, *, size: int | None = None, sha256: str | None = None, full: bool = False) -> None:
    """Size and header of a stored array file (and its sha256 when `full`); StoreError when wrong."""
    integrity.check_size(path, size)
    if path.suffix == ".npy":
        try:
            with open(path, "rb") as f:
                head = f.read(len(NPY_MAGIC))
        except OSError as e:
            raise StoreError(f"cannot read store file {path}: {e}") from e
        if head != NPY_MAGIC:
            raise integrity.damaged(path, "not a NumPy array file (bad header)")
    if full and sha256 and integrity.sha256_file(path) != sha256:
        raise integrity.damaged(path, "its sha256 differs from the one recorded when it was written")


def check_stored(path: Path, *, size: int | None = None, sha256: str | None = None, full: bool = False) -> None:
    """Any stored input-output file: `integrity.check_parquet` for Parquet, `check_file` for the others."""
    if path.suffix == ".parquet":
        integrity.check_parquet(path, size=size, sha256=sha256, full=full)
    else:
        check_file(path, size=size, sha256=sha256, full=full)


def _load_array(path: Path, size: int | None, sha256: str | None, want: dict[str, Any]) -> np.ndarray:
    """A stored array, checked against its sha256 and its recorded dtype and shape, mapped read-only."""
    check_file(path, size=size, sha256=sha256, full=True)
    try:
        arr = np.load(path, mmap_mode="r", allow_pickle=False)
    except (ValueError, OSError) as e:
        raise integrity.damaged(path, f"unreadable array ({e})") from e
    if arr.dtype != np.dtype(want.get("dtype", "<f8")) or list(arr.shape) != list(want.get("shape", [])):
        raise integrity.damaged(path, f"holds a {arr.dtype} array of shape {arr.shape}, where labels.json says {want}")
    return arr


def read_arrays(parts: dict[str, tuple[Path, int | None, str | None]], source: dict[str, Any] | None = None) -> Any:
    """The MRIOTable stored as `parts` (part -> (path, bytes, sha256)), every file checked."""
    from usmca.models.mrio import MRIOTable

    if LABELS not in parts:
        raise StoreError(f"input-output table {sorted(parts)} has no {LABELS}.json; reload its source")
    lpath, lsize, lsha = parts[LABELS]
    try:
        labels = json.loads(integrity.read_verified(lpath, size=lsize, sha256=lsha))
        specs = dict(labels["arrays"])
    except (ValueError, KeyError, TypeError) as e:
        raise integrity.damaged(lpath, f"unreadable labels ({e})") from e
    if labels.get("format") != FORMAT:
        raise integrity.damaged(lpath, f"format {labels.get('format')!r}, expected {FORMAT!r}")
    missing = sorted(set(specs) - set(parts))
    if missing:
        raise StoreError(f"store file {lpath.parent / (missing[0] + '.npy')} is missing (not in the catalog)")
    arrays = {k: _load_array(*parts[k], specs[k]) for k in specs}
    detail = {k.split(".", 1)[1]: v for k, v in arrays.items() if k.startswith("va_detail.")}
    return MRIOTable(
        regions=labels["regions"],
        sectors=labels["sectors"],
        Z=arrays["Z"],
        Y=arrays["Y"],
        fd_labels=[tuple(p) for p in labels["fd_labels"]],
        va=arrays["va"],
        x=arrays["x"],
        year=int(labels["year"]),
        source=dict(source or {}),
        va_detail=detail,
        country_of=labels.get("country_of") or {},
        unit=str(labels.get("unit", "USD million")),
    )
