"""An MRIOTable as pandas frames (long or wide layout, for Parquet) and back; pymrio IOSystems in."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from usmca.models.errors import IOModelError

if TYPE_CHECKING:
    from usmca.models.mrio.table import MRIOTable

FloatArray = NDArray[np.float64]


def to_frames(table: MRIOTable, layout: str = "long") -> dict[str, pd.DataFrame]:
    """The table as pandas frames, for storage (e.g. Parquet) and inspection.

    ``layout="long"`` (default; Parquet-friendly, string/float columns only):

    * ``Z``: ``row_region, row_sector, col_region, col_sector, value`` (non-zero cells)
    * ``Y``: ``row_region, row_sector, fd_region, category, value`` (non-zero cells)
    * ``accounts``: ``region, sector, x, va`` and one column per ``va_detail`` item
    * ``fd``: ``fd_region, category`` (column order of Y)
    * ``regions``: ``region, country``; ``sectors``: ``sector``
    * ``meta``: one row: ``year, unit``

    ``layout="wide"``: ``Z`` (n x n) and ``Y`` (n x m) with (region, sector) /
    (region, category) MultiIndexes, plus ``accounts``, ``regions``, ``meta`` as above.
    :meth:`from_frames` reads both.  Provenance (``source``) travels separately.
    """
    idx = table.index
    acc = pd.DataFrame(
        {
            "region": idx.get_level_values(0),
            "sector": idx.get_level_values(1),
            "x": table.x,
            "va": table.va,
        }
    )
    for k, v in table.va_detail.items():
        acc[f"va_detail:{k}"] = v
    common = {
        "accounts": acc,
        "fd": pd.DataFrame(table.fd_labels, columns=["fd_region", "category"]),
        "regions": pd.DataFrame({"region": table.regions, "country": [table.country(r) for r in table.regions]}),
        "sectors": pd.DataFrame({"sector": table.sectors}),
        "meta": pd.DataFrame({"year": [table.year], "unit": [table.unit]}),
    }
    if layout == "wide":
        fd_idx = pd.MultiIndex.from_tuples(table.fd_labels, names=["region", "category"])
        return {
            "Z": pd.DataFrame(table.Z, index=idx, columns=idx),
            "Y": pd.DataFrame(table.Y, index=idx, columns=fd_idx),
            **common,
        }
    if layout != "long":
        raise IOModelError(f"layout: {layout!r}, expected 'long' or 'wide'")
    reg = np.asarray(idx.get_level_values(0), dtype=object)
    sec = np.asarray(idx.get_level_values(1), dtype=object)
    zi, zj = np.nonzero(table.Z)
    yi, yj = np.nonzero(table.Y)
    fdr = np.array([r for r, _ in table.fd_labels], dtype=object)
    fdc = np.array([c for _, c in table.fd_labels], dtype=object)
    return {
        "Z": pd.DataFrame(
            {
                "row_region": reg[zi],
                "row_sector": sec[zi],
                "col_region": reg[zj],
                "col_sector": sec[zj],
                "value": table.Z[zi, zj],
            }
        ),
        "Y": pd.DataFrame(
            {
                "row_region": reg[yi],
                "row_sector": sec[yi],
                "fd_region": fdr[yj],
                "category": fdc[yj],
                "value": table.Y[yi, yj],
            }
        ),
        **common,
    }


def from_frames(cls, frames: Mapping[str, pd.DataFrame], source: Mapping[str, Any] | None = None) -> MRIOTable:
    """Rebuild a table from :meth:`to_frames` output (long or wide layout)."""
    for key in ("accounts", "regions", "sectors", "fd", "meta", "Z", "Y"):
        if key not in frames:
            raise IOModelError(f"from_frames: missing frame {key!r}")
    reg_df = frames["regions"]
    regions = [str(r) for r in reg_df["region"]]
    sectors = [str(s) for s in frames["sectors"]["sector"]]
    fd_labels = [(str(a), str(b)) for a, b in zip(frames["fd"]["fd_region"], frames["fd"]["category"], strict=True)]
    country_of = {str(r): str(c) for r, c in zip(reg_df["region"], reg_df["country"], strict=True) if str(r) != str(c)}
    N = len(sectors)
    n = len(regions) * N
    fpos = {lab: i for i, lab in enumerate(fd_labels)}

    def row_pos(r: pd.Series, s: pd.Series) -> NDArray[np.intp]:
        # Vectorised label lookup: category codes are -1 for labels not in the list.
        rc = pd.Categorical(r.astype(str), categories=regions).codes.astype(np.intp)
        sc = pd.Categorical(s.astype(str), categories=sectors).codes.astype(np.intp)
        bad = (rc < 0) | (sc < 0)
        if bad.any():
            i = int(np.argmax(bad))
            raise IOModelError(f"from_frames: unknown region/sector label {str(r.iloc[i])!r}/{str(s.iloc[i])!r}")
        return rc * N + sc

    Zf, Yf = frames["Z"], frames["Y"]
    if "value" in Zf.columns:  # long layout
        Z = np.zeros((n, n))
        Z[
            row_pos(Zf["row_region"], Zf["row_sector"]),
            row_pos(Zf["col_region"], Zf["col_sector"]),
        ] = Zf["value"].to_numpy(float)
        Y = np.zeros((n, len(fd_labels)))
        try:
            yc = np.array(
                [fpos[(str(a), str(b))] for a, b in zip(Yf["fd_region"], Yf["category"], strict=True)],
                dtype=np.intp,
            )
        except KeyError as exc:
            raise IOModelError(f"from_frames: unknown final-demand label {exc}") from None
        Y[row_pos(Yf["row_region"], Yf["row_sector"]), yc] = Yf["value"].to_numpy(float)
    else:
        Z = Zf.to_numpy(dtype=float)
        Y = Yf.to_numpy(dtype=float)
    acc = frames["accounts"]
    order = row_pos(acc["region"], acc["sector"])
    x = np.zeros(n)
    va = np.zeros(n)
    x[order] = acc["x"].to_numpy(float)
    va[order] = acc["va"].to_numpy(float)
    detail: dict[str, FloatArray] = {}
    for col in acc.columns:
        if str(col).startswith("va_detail:"):
            d = np.zeros(n)
            d[order] = acc[col].to_numpy(float)
            detail[str(col).split(":", 1)[1]] = d
    meta = frames["meta"].iloc[0]
    return cls(
        regions=regions,
        sectors=sectors,
        Z=Z,
        Y=Y,
        fd_labels=fd_labels,
        va=va,
        x=x,
        year=int(meta["year"]),
        source=dict(source or {}),
        va_detail=detail,
        country_of=country_of,
        unit=str(meta["unit"]),
    )


def from_pymrio(
    cls,
    io: Any,
    *,
    year: int,
    va_extension: str = "factor_inputs",
    source: Mapping[str, Any] | None = None,
) -> MRIOTable:
    """Build a table from a pymrio ``IOSystem`` (Z and Y must be present).

    Value added is the column sum of the ``F`` rows of ``va_extension`` (pymrio's
    convention); ``x`` is ``io.x`` if set, else ``Z1 + Y1``.  No pymrio import.
    """
    Zdf, Ydf = io.Z, io.Y
    regions = list(dict.fromkeys(Zdf.index.get_level_values(0)))
    sectors = list(dict.fromkeys(Zdf.index.get_level_values(1)))
    x = (
        np.asarray(io.x, dtype=float).ravel()
        if getattr(io, "x", None) is not None
        else Zdf.to_numpy().sum(1) + Ydf.to_numpy().sum(1)
    )
    F = getattr(io, va_extension).F
    return cls(
        regions=regions,
        sectors=sectors,
        Z=Zdf.to_numpy(dtype=float),
        Y=Ydf.to_numpy(dtype=float),
        fd_labels=[(str(a), str(b)) for a, b in Ydf.columns],
        va=F.to_numpy(dtype=float).sum(axis=0),
        x=x,
        year=year,
        source=dict(source or {"dataset": "pymrio IOSystem"}),
    )
