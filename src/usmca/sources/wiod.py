"""World Input-Output Database, 2013 release: world input-output tables as R data files.

Files ``wiot_YYYY.RData`` (1995-2011) from the R package ``wiod`` (bquast/wiod, GPL-3;
data: Timmer et al. 2015, *Review of International Economics* 23:575-605).  Each file
holds one R list ``wiot_YYYY`` with:

==============  ================================================================
``year``        the year
``countries``   41 ISO3 codes (40 countries + ``RoW``)
``industries``  ``c1`` ... ``c35`` (WIOD-2013 sectors, NACE Rev. 1 based)
``inter``       1435 x 1435 intermediate use, country-major (country x 35 sectors)
``final``       1435 x 205 final use: 41 destination countries x 5 categories
``output``      gross output (1435)
==============  ================================================================

Units: millions of US dollars, current basic prices, rounded to integers.  Value added is
not stored; it is the balancing item ``va = x − Z'1`` (so ``v'L = 1'`` holds exactly).
Row sums ``Z1 + Y1`` match ``output`` to within 108 (rounding).

:func:`read_wiot` returns a :class:`usmca.models.mrio.MRIOTable` with the file's SHA-256
in ``source``.  Malformed input raises :class:`usmca.models.io.IOModelError` naming the
file and what was expected.
"""

from __future__ import annotations

import hashlib
import re
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from usmca.models.io import IOModelError
from usmca.models.mrio import MRIOTable

__all__ = [
    "FINAL_DEMAND_CATEGORIES",
    "FINAL_DEMAND_NAMES",
    "SECTOR_NAMES",
    "WIOD_YEARS",
    "find_wiot",
    "read_wiot",
    "wiot_from_mapping",
]

#: Years covered by the 2013 release.
WIOD_YEARS: tuple[int, ...] = tuple(range(1995, 2012))

#: Final-demand categories, in the file's column order within each destination country
#: (WIOD codes).
FINAL_DEMAND_CATEGORIES: tuple[str, ...] = ("CONS_h", "CONS_np", "CONS_g", "GFCF", "INVEN")
FINAL_DEMAND_NAMES: dict[str, str] = {
    "CONS_h": "Final consumption expenditure by households",
    "CONS_np": "Final consumption expenditure by non-profit institutions serving households",
    "CONS_g": "Final consumption expenditure by government",
    "GFCF": "Gross fixed capital formation",
    "INVEN": "Changes in inventories and valuables",
}

#: WIOD-2013 sectors (c1..c35).
SECTOR_NAMES: dict[str, str] = {
    "c1": "Agriculture, hunting, forestry and fishing",
    "c2": "Mining and quarrying",
    "c3": "Food, beverages and tobacco",
    "c4": "Textiles and textile products",
    "c5": "Leather, leather products and footwear",
    "c6": "Wood and products of wood and cork",
    "c7": "Pulp, paper, printing and publishing",
    "c8": "Coke, refined petroleum and nuclear fuel",
    "c9": "Chemicals and chemical products",
    "c10": "Rubber and plastics",
    "c11": "Other non-metallic minerals",
    "c12": "Basic metals and fabricated metal",
    "c13": "Machinery, n.e.c.",
    "c14": "Electrical and optical equipment",
    "c15": "Transport equipment",
    "c16": "Manufacturing, n.e.c.; recycling",
    "c17": "Electricity, gas and water supply",
    "c18": "Construction",
    "c19": "Sale, maintenance and repair of motor vehicles; retail sale of fuel",
    "c20": "Wholesale trade and commission trade, except of motor vehicles",
    "c21": "Retail trade, except of motor vehicles; repair of household goods",
    "c22": "Hotels and restaurants",
    "c23": "Inland transport",
    "c24": "Water transport",
    "c25": "Air transport",
    "c26": "Other supporting and auxiliary transport activities; travel agencies",
    "c27": "Post and telecommunications",
    "c28": "Financial intermediation",
    "c29": "Real estate activities",
    "c30": "Renting of machinery and equipment and other business activities",
    "c31": "Public administration and defence; compulsory social security",
    "c32": "Education",
    "c33": "Health and social work",
    "c34": "Other community, social and personal services",
    "c35": "Private households with employed persons",
}

_FILE_RE = re.compile(r"^wiot_(\d{4})\.RData$", re.IGNORECASE)
_REQUIRED = ("year", "countries", "industries", "inter", "final", "output")


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def find_wiot(folder: str | Path, year: int) -> Path:
    """Path of ``wiot_<year>.RData`` in ``folder``.

    Raises :class:`IOModelError` if the year is outside the release or its file is
    missing (listing the years that are present).
    """
    folder = Path(folder)
    if year not in WIOD_YEARS:
        raise IOModelError(f"year {year}: not in the WIOD 2013 release (covers {WIOD_YEARS[0]}-{WIOD_YEARS[-1]})")
    if not folder.is_dir():
        raise IOModelError(f"{folder}: WIOD folder does not exist")
    present = {}
    for p in folder.iterdir():
        m = _FILE_RE.match(p.name)
        if m:
            present[int(m.group(1))] = p
    if year not in present:
        have = sorted(present)
        raise IOModelError(
            f"{folder}: no wiot_{year}.RData (missing year {year}; years present: {have if have else 'none'})"
        )
    return present[year]


def _as_array(obj: Any, fname: str, item: str, ndim: int) -> np.ndarray:
    arr = np.asarray(getattr(obj, "values", obj))
    if arr.ndim != ndim:
        raise IOModelError(f"{fname}: item {item!r} should be {ndim}-D, got shape {arr.shape}")
    return arr


def wiot_from_mapping(obj: Any, *, fname: str = "<memory>", source: dict[str, Any] | None = None) -> MRIOTable:
    """Build the table from the converted R list (a mapping with the six items)."""
    if not hasattr(obj, "keys"):
        raise IOModelError(f"{fname}: expected an R list with items {list(_REQUIRED)}, got {type(obj).__name__}")
    items = {str(k): obj[k] for k in obj}
    missing = [k for k in _REQUIRED if k not in items]
    if missing:
        raise IOModelError(f"{fname}: missing item(s) {missing}; a WIOD 2013 wiot list holds {list(_REQUIRED)}")
    year_arr = np.asarray(items["year"]).ravel()
    if year_arr.size != 1:
        raise IOModelError(f"{fname}: item 'year' should hold one year, got {year_arr!r}")
    year = int(year_arr[0])
    countries = [str(c) for c in np.asarray(items["countries"]).ravel()]
    industries = [str(c) for c in np.asarray(items["industries"]).ravel()]
    R, N = len(countries), len(industries)
    n = R * N
    k = len(FINAL_DEMAND_CATEGORIES)
    inter = _as_array(items["inter"], fname, "inter", 2)
    final = _as_array(items["final"], fname, "final", 2)
    output = _as_array(items["output"], fname, "output", 1)
    if inter.shape != (n, n):
        raise IOModelError(
            f"{fname}: 'inter' has shape {inter.shape}, expected ({n}, {n}) = {R} countries x {N} industries"
        )
    if final.shape != (n, R * k):
        raise IOModelError(
            f"{fname}: 'final' has shape {final.shape}, expected ({n}, {R * k}) "
            f"= {R} destination countries x {k} final-demand categories"
        )
    if output.shape != (n,):
        raise IOModelError(f"{fname}: 'output' has shape {output.shape}, expected ({n},)")
    labels = [(c, s) for c in countries for s in industries]
    arrays: dict[str, np.ndarray] = {}
    for name, arr in (("inter", inter), ("final", final), ("output", output)):
        try:
            f = np.asarray(arr, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise IOModelError(f"{fname}: item {name!r} is not numeric ({exc})") from exc
        bad = ~np.isfinite(f)
        if bad.any():
            rows = np.flatnonzero(bad if f.ndim == 1 else bad.any(axis=1))
            shown = ", ".join(repr(labels[i]) for i in rows[:5])
            raise IOModelError(f"{fname}: item {name!r} has {int(bad.sum())} NaN/inf value(s), rows {shown}")
        arrays[name] = f
    Z, Y, x = arrays["inter"], arrays["final"], arrays["output"]
    src = {
        "dataset": "WIOD",
        "release": "2013",
        "table": f"wiot_{year}",
        "file": fname,
        "units": "USD million, current basic prices",
        "va_definition": "output minus column sums of inter (balancing item)",
    }
    src.update(source or {})
    return MRIOTable(
        regions=countries,
        sectors=industries,
        Z=Z,
        Y=Y,
        fd_labels=[(c, cat) for c in countries for cat in FINAL_DEMAND_CATEGORIES],
        va=x - Z.sum(axis=0),
        x=x,
        year=year,
        source=src,
    )


def read_wiot(path: str | Path, *, year: int | None = None) -> MRIOTable:
    """Read one ``wiot_YYYY.RData`` file of the WIOD 2013 release.

    ``path`` may also be a folder, with ``year`` given.  The returned table's ``source``
    holds ``file``, ``path``, ``sha256``, ``release`` and ``units``.
    """
    path = Path(path)
    if path.is_dir():
        if year is None:
            raise IOModelError(f"{path}: is a folder; say which year to read (year=...)")
        path = find_wiot(path, year)
    if not path.is_file():
        raise IOModelError(f"{path}: file not found (expected a WIOD wiot_YYYY.RData file)")
    import rdata

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Missing constructor for R class 'iot'" etc.
        try:
            parsed = rdata.parser.parse_file(path)
            converted = rdata.conversion.convert(parsed)
        except Exception as exc:  # rdata raises several unrelated types on garbage
            raise IOModelError(
                f"{path.name}: not a readable RData file ({type(exc).__name__}: {exc}); "
                "expected an R workspace holding a list wiot_YYYY"
            ) from exc
    if not isinstance(converted, dict):
        raise IOModelError(f"{path.name}: holds a single R object, not a workspace with a list wiot_YYYY")
    names = [str(k) for k in converted]
    wanted = [k for k in names if re.fullmatch(r"wiot_\d{4}", k)]
    if len(wanted) != 1:
        raise IOModelError(f"{path.name}: expected exactly one object named wiot_YYYY, found {names}")
    name = wanted[0]
    table = wiot_from_mapping(
        converted[name],
        fname=path.name,
        source={"path": str(path), "sha256": _sha256(path), "object": name},
    )
    if year is not None and table.year != year:
        raise IOModelError(f"{path.name}: holds year {table.year}, not {year}")
    m = _FILE_RE.match(path.name)
    if m and int(m.group(1)) != table.year:
        raise IOModelError(f"{path.name}: file name says {m.group(1)} but item 'year' is {table.year}")
    return table
