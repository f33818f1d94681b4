"""OECD Inter-Country Input-Output (ICIO) tables, CSV edition, as :class:`MRIOTable`.

Published layout (one CSV per year, US$ million, basic prices), as read here:

* first column: row labels (header ``V1`` in the 2023 edition, empty in earlier ones);
* rows ``<REG>_<IND>``: country-industry (``AUS_A01_02`` in the 2023 edition with ISIC
  Rev. 4 letter codes, ``AUS_01T02`` in 2021, ``AUS_01T03`` in 2018), in the same order
  as the first columns, so that the top-left block is Z;
* then the primary-input rows:

  - 2021 and 2023 editions: ``TLS`` (taxes less subsidies on products), ``VA`` (value
    added), ``OUT`` (output = total inputs);
  - 2016 and 2018 editions: ``<CTRY>_TAXSUB`` (one row per country), ``VALU``,
    ``OUTPUT``;

* columns after Z: final demand ``<CTRY>_<CAT>`` with ``CAT`` in ``HFCE`` (households),
  ``NPISH``, ``GGFC`` (government), ``GFCF``, ``INVNT`` (inventories), ``DPABR``/
  ``DIRP``/``P33`` (direct purchases abroad by residents), and the row total ``OUT``
  (2021, 2023) or ``TOTAL`` (2016, 2018).

Extended versions split Mexico and China by type of firm (``MX1``/``MX2`` and
``CN1``/``CN2``; the 2016 edition had ``MX3``, ``CN3``, ``CN4`` as well): these rows and
columns are appended after the other countries, final demand stays by country (``MEX_*``,
``CHN_*``) and the parent rows ``MEX_*``/``CHN_*`` are empty.  The reader **keeps the
split regions** (``country_of = {"MX1": "MEX", ...}``), drops empty parent rows by default,
and :meth:`MRIOTable.aggregate_regions` merges them on request.

Value added in the table is the balancing item ``va = x − Z'1`` (= ``VA + TLS``), with the
published rows kept in ``va_detail`` (``"VA"``, ``"TLS"``).  Gross output ``x`` is the
``OUT``/``OUTPUT`` row (else the ``OUT``/``TOTAL`` column, else ``Z1 + Y1``).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from usmca.models.io import IOModelError
from usmca.models.mrio import MRIOTable

__all__ = [
    "FD_CATEGORIES",
    "SPLIT_PARENTS",
    "read_icio",
    "icio_from_frame",
]

#: Final-demand category codes accepted in column labels (all editions).
FD_CATEGORIES: tuple[str, ...] = (
    "HFCE",
    "NPISH",
    "NPS",
    "GGFC",
    "GFCF",
    "INVNT",
    "INV",
    "DPABR",
    "DIRP",
    "DIRPA",
    "P33",
    "NONRES",
)

#: Sub-country regions of the extended tables and their country.
SPLIT_PARENTS: dict[str, str] = {
    "MX1": "MEX",
    "MX2": "MEX",
    "MX3": "MEX",
    "CN1": "CHN",
    "CN2": "CHN",
    "CN3": "CHN",
    "CN4": "CHN",
}

_LAYOUTS: dict[str, dict[str, Any]] = {
    # edition group -> labels of the primary-input rows and total column
    "2021+": {"out_rows": ("OUT",), "out_cols": ("OUT",), "va": ("VA",), "tls": ("TLS",)},
    "2016-2018": {
        "out_rows": ("OUTPUT",),
        "out_cols": ("TOTAL",),
        "va": ("VALU",),
        "tls": ("TAXSUB",),
    },
}
_TAXSUB_RE = re.compile(r"^(?:[A-Z0-9]{3}_)?TAXSUB$")


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _split_label(label: str, fname: str, what: str) -> tuple[str, str]:
    if "_" not in label:
        raise IOModelError(f"{fname}: {what} label {label!r} is not <REGION>_<CODE>")
    reg, code = label.split("_", 1)
    return reg, code


def _detect_layout(rows: list[str], cols: list[str], fname: str) -> str:
    rset, cset = set(rows), set(cols)
    new = bool({"OUT", "VA", "TLS"} & rset) or "OUT" in cset
    old = bool({"OUTPUT", "VALU"} & rset) or "TOTAL" in cset or any(_TAXSUB_RE.match(r) for r in rows)
    if new and old:
        raise IOModelError(
            f"{fname}: unknown ICIO layout: mixes 2021+ labels (OUT/VA/TLS) with 2016-2018 "
            "labels (OUTPUT/VALU/TAXSUB/TOTAL)"
        )
    if not new and not old:
        raise IOModelError(
            f"{fname}: unknown ICIO layout: found neither OUT/VA/TLS rows (2021, 2023 "
            "editions) nor OUTPUT/VALU/TAXSUB rows (2016, 2018 editions)"
        )
    return "2021+" if new else "2016-2018"


def icio_from_frame(
    raw: pd.DataFrame,
    *,
    year: int,
    fname: str = "<frame>",
    source: dict[str, Any] | None = None,
    drop_empty_parents: bool = True,
) -> MRIOTable:
    """Build an :class:`MRIOTable` from the CSV read as a frame (labels in the index)."""
    rows = [str(r) for r in raw.index]
    cols = [str(c) for c in raw.columns]
    if len(set(rows)) != len(rows) or len(set(cols)) != len(cols):
        raise IOModelError(f"{fname}: duplicate row or column labels")
    layout = _detect_layout(rows, cols, fname)
    spec = _LAYOUTS[layout]
    colset = set(cols)
    special = {*spec["out_rows"], *spec["out_cols"], *spec["va"], *spec["tls"]}
    z_labels = [r for r in rows if r in colset and r not in special]
    if not z_labels:
        raise IOModelError(f"{fname}: no country-industry rows that also appear as columns")
    if cols[: len(z_labels)] != z_labels:
        raise IOModelError(
            f"{fname}: the first {len(z_labels)} columns are not the country-industry rows in "
            "the same order (expected a square Z block at the top left)"
        )
    zset = set(z_labels)
    # ---------------------------------------------------------------- rows
    va_rows = [r for r in rows if r in spec["va"]]
    out_rows = [r for r in rows if r in spec["out_rows"]]
    is_tls = (lambda r: r in spec["tls"]) if layout == "2021+" else _TAXSUB_RE.match
    tls_rows = [r for r in rows if is_tls(r)]
    other_rows = [r for r in rows if r not in zset and r not in set(va_rows + out_rows + tls_rows)]
    if other_rows:
        raise IOModelError(
            f"{fname}: unknown row(s) {other_rows[:5]} (layout {layout}: expected "
            f"country-industry rows, {spec['tls'][0]}, {spec['va'][0]}, {spec['out_rows'][0]})"
        )
    if not va_rows:
        raise IOModelError(f"{fname}: missing value-added row {spec['va'][0]!r}")
    # ---------------------------------------------------------------- columns
    out_cols = [c for c in cols if c in spec["out_cols"]]
    fd_cols: list[str] = []
    fd_labels: list[tuple[str, str]] = []
    unknown: list[str] = []
    for c in cols[len(z_labels) :]:
        if c in out_cols:
            continue
        parts = c.split("_", 1)
        if len(parts) == 2 and parts[1] in FD_CATEGORIES:
            fd_cols.append(c)
            fd_labels.append((parts[0], parts[1]))
        elif len(parts) == 2 and parts[0] in FD_CATEGORIES:  # 2016: HFCE_AUS
            fd_cols.append(c)
            fd_labels.append((parts[1], parts[0]))
        else:
            unknown.append(c)
    if unknown:
        raise IOModelError(
            f"{fname}: unknown column(s) {unknown[:5]}: not a country-industry, a final-demand "
            f"column <CTRY>_<{'|'.join(FD_CATEGORIES)}> or the total {spec['out_cols'][0]!r}"
        )
    if not fd_cols:
        raise IOModelError(f"{fname}: no final-demand columns (<CTRY>_HFCE ...)")
    # ---------------------------------------------------------------- labels
    pairs = [_split_label(lab, fname, "row") for lab in z_labels]
    regions = list(dict.fromkeys(p[0] for p in pairs))
    sectors = list(dict.fromkeys(p[1] for p in pairs))
    pos = {p: i for i, p in enumerate(pairs)}
    missing = [(r, s) for r in regions for s in sectors if (r, s) not in pos]
    if missing:
        raise IOModelError(
            f"{fname}: country-industry rows are not a full grid of {len(regions)} regions x "
            f"{len(sectors)} industries; missing e.g. {missing[:3]}"
        )
    order = np.array([pos[(r, s)] for r in regions for s in sectors], dtype=np.intp)
    try:
        vals = raw.to_numpy(dtype=np.float64, na_value=np.nan)
    except (TypeError, ValueError) as exc:
        raise IOModelError(f"{fname}: non-numeric cells ({exc})") from exc
    rpos = {r: i for i, r in enumerate(rows)}
    cpos = {c: i for i, c in enumerate(cols)}
    zr = np.array([rpos[z_labels[i]] for i in order], dtype=np.intp)
    zc = np.array([cpos[z_labels[i]] for i in order], dtype=np.intp)
    Z = vals[np.ix_(zr, zc)]
    Y = vals[np.ix_(zr, np.array([cpos[c] for c in fd_cols], dtype=np.intp))]
    va_row = vals[rpos[va_rows[0]], zc]
    tls_row = vals[np.ix_(np.array([rpos[r] for r in tls_rows], dtype=np.intp), zc)].sum(axis=0) if tls_rows else None
    labels = [(r, s) for r in regions for s in sectors]
    for name, block in (("Z", Z), ("final demand", Y), (va_rows[0], va_row)):
        bad = ~np.isfinite(block)
        if bad.any():
            where = np.flatnonzero(bad if block.ndim == 1 else bad.any(axis=1))
            raise IOModelError(
                f"{fname}: {name} has {int(bad.sum())} empty/NaN cell(s), e.g. at {[labels[i] for i in where[:3]]}"
            )
    notes: list[str] = []
    if out_rows:
        x = vals[rpos[out_rows[0]], zc]
        x_from = f"row {out_rows[0]}"
    elif out_cols:
        x = vals[zr, cpos[out_cols[0]]]
        x_from = f"column {out_cols[0]}"
    else:
        x = Z.sum(axis=1) + Y.sum(axis=1)
        x_from = "Z1 + Y1 (no output row or column)"
    if not np.isfinite(x).all():
        raise IOModelError(f"{fname}: output ({x_from}) has empty/NaN cells")
    # ---------------------------------------------------------------- splits
    country_of = {r: SPLIT_PARENTS[r] for r in regions if r in SPLIT_PARENTS}
    N = len(sectors)
    keep = np.ones(len(regions), dtype=bool)
    for parent in sorted(set(country_of.values())):
        if parent not in regions:
            continue
        k = regions.index(parent)
        blk = slice(k * N, (k + 1) * N)
        empty = not (Z[blk].any() or Z[:, blk].any() or Y[blk].any() or x[blk].any())
        if empty and drop_empty_parents:
            keep[k] = False
            notes.append(f"dropped empty parent rows/columns {parent} (data in its splits)")
        elif not empty:
            notes.append(
                f"parent region {parent} has data besides its splits; kept as a region of "
                f"country {parent} (aggregate_regions sums all of them)"
            )
    if not keep.all():
        sel = np.repeat(keep, N)
        Z, Y, x, va_row = Z[np.ix_(sel, sel)], Y[sel], x[sel], va_row[sel]
        tls_row = tls_row[sel] if tls_row is not None else None
        regions = [r for r, k in zip(regions, keep, strict=True) if k]
    # final demand by country (a split region's final demand, if any, goes to its country)
    fd_country = [(SPLIT_PARENTS.get(r, r), c) for r, c in fd_labels]
    uniq = list(dict.fromkeys(fd_country))
    if len(uniq) != len(fd_country):
        Q = np.zeros((len(fd_country), len(uniq)))
        for j, lab in enumerate(fd_country):
            Q[j, uniq.index(lab)] = 1.0
        Y = Y @ Q
    va = x - Z.sum(axis=0)
    detail = {"VA": va_row}
    if tls_row is not None:
        detail["TLS"] = tls_row
    src = {
        "dataset": "OECD ICIO",
        "file": fname,
        "layout": layout,
        "index_header": str(raw.index.name) if raw.index.name is not None else "",
        "output_from": x_from,
        "units": "USD million, basic prices",
        "va_definition": "output minus column sums of Z (= VA + TLS when balanced)",
        "split_regions": sorted(country_of),
        "notes": notes,
        "max_abs_va_residual": float(np.abs(va - va_row - (tls_row if tls_row is not None else 0.0)).max()),
    }
    src.update(source or {})
    return MRIOTable(
        regions=regions,
        sectors=sectors,
        Z=Z,
        Y=Y,
        fd_labels=uniq,
        va=va,
        x=x,
        year=year,
        source=src,
        va_detail=detail,
        country_of={r: c for r, c in country_of.items() if r in regions},
    )


def _year_from_name(name: str) -> int | None:
    years = re.findall(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)", name)
    return int(years[-1]) if years else None


def read_icio(path: str | Path, *, year: int | None = None, drop_empty_parents: bool = True) -> MRIOTable:
    """Read one OECD ICIO CSV file (plain or zipped) into an :class:`MRIOTable`.

    The year is taken from ``year=`` or else the last 4-digit year in the file name
    (``ICIO2021_2018.csv``, ``2020.csv``, ``2020_SML.csv``).  MX1/MX2 and CN1/CN2 stay
    separate regions; use ``table.aggregate_regions({"MX1": "MEX", "MX2": "MEX",
    "CN1": "CHN", "CN2": "CHN"})`` to merge them.
    """
    path = Path(path)
    if not path.is_file():
        raise IOModelError(f"{path}: file not found (expected an OECD ICIO CSV file)")
    if year is None:
        year = _year_from_name(path.name)
        if year is None:
            raise IOModelError(f"{path.name}: missing year: none in the file name; pass year=")
    try:
        raw = pd.read_csv(path, index_col=0, low_memory=False)
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise IOModelError(f"{path.name}: not a readable CSV file ({exc})") from exc
    if raw.shape[0] < 2 or raw.shape[1] < 2:
        raise IOModelError(f"{path.name}: too small to be an ICIO table (shape {raw.shape})")
    m = re.search(r"ICIO(\d{4})", path.name, re.IGNORECASE)
    src = {"path": str(path), "sha256": _sha256(path)}
    if m:
        src["edition"] = m.group(1)
    return icio_from_frame(raw, year=year, fname=path.name, source=src, drop_empty_parents=drop_empty_parents)
