"""Labelled multi-regional input-output (MRIO) tables and value-added-in-trade measures.

:class:`MRIOTable` holds one year of a world input-output table (Z, Y, value added,
output) with its labels and provenance, and computes, from the arrays in
:mod:`usmca.models.io`:

* gross exports by country-sector and partner (intermediate + final),
* the value-added origin of gross exports (Hummels, Ishii & Yi 2001; Koopman, Wang &
  Wei 2014; OECD TiVA ``EXGR_VA`` by source country),
* the exporter's own content in its imports ("U.S. content in imports from Mexico"),
* the Borin & Mancini (2019/2023) source-based decomposition of bilateral gross exports
  into DVA, DDC, FVA and FDC, for one pair or for every exporter at once.

Notation (G countries, ``B = L = (I − A)⁻¹`` the global Leontief inverse, block
``X_st`` = rows of country ``s``, columns of country ``t``; ``v`` value-added
coefficients; ``e_sr`` = ``A_sr x_r + y_sr`` the n-vector of gross exports from ``s`` to
``r``; ``L_ss = (I − A_ss)⁻¹`` the *local* (domestic) inverse of country ``s``)::

    VA origin (HIY/TiVA):   va_t(e_sr) = v_t B_ts e_sr,          Σ_t v_t B_ts = 1'
    Borin-Mancini, exporting-country perspective, source-based:
        DVA_sr = v_s L_ss e_sr
        DDC_sr = v_s (B_ss − L_ss) e_sr
        FVA_sr = Σ_{t≠s} v_t B^{/s}_ts e_sr
        FDC_sr = Σ_{t≠s} v_t (B_ts − B^{/s}_ts) e_sr
        with B^{/s} = (I − A^{/s})⁻¹, A^{/s} = A with the blocks A_sj (j ≠ s) set to 0,
        so that u'e_sr = DVA + DDC + FVA + FDC exactly.

``B^{/s}`` would need one n x n inverse per exporter.  It is not needed: from
``B − B^{/s} = B^{/s}(A − A^{/s})B`` (a rank-N update) one gets
``B^{/s}_{·s} = B_{·s} B_ss⁻¹ L_ss = B_{·s} [(I − A_ss) B_ss]⁻¹``, so every exporter needs
only the N x N blocks ``A_ss`` and ``B_ss`` of the global inverse and one N x N LU.
See ``docs/input-output.md`` for the derivations and references.

A "country" can span several table regions (OECD ICIO keeps Mexico and China split into
MX1/MX2 and CN1/CN2): ``country_of`` maps regions to countries, exports are flows
that leave the country, and all measures work at country level while the Leontief
inverse keeps the split (which is the point of the split).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy.linalg import lu_factor, lu_solve

from usmca.models import backends as _backends
from usmca.models.io import (
    IOModelError,
    LeontiefLU,
    _check_finite,
    calc_A,
    calc_L,
    calc_v,
    check_productive,
)

__all__ = [
    "BM_TERMS",
    "ContentMeasure",
    "MRIOTable",
    "Reading",
    "SourceComparison",
    "compare_sources_in_exports",
    "content_in_exports",
    "us_content_share",
]

FloatArray = NDArray[np.float64]

#: Columns of :meth:`MRIOTable.decompose_bilateral` / :meth:`decompose_all_exporters`.
#: ``DVA + DDC + FVA + FDC == EXGR``; ``DAVAX`` and ``REF`` are parts of ``DVA``
#: (``DVX = DVA − REF`` is domestic value added absorbed abroad); ``DC = DVA + DDC`` and
#: ``FC = FVA + FDC`` are the Hummels-Ishii-Yi domestic and foreign content.
BM_TERMS = ("EXGR", "DVA", "DAVAX", "REF", "DVX", "DDC", "FVA", "FDC", "DC", "FC")


@dataclass(frozen=True)
class ContentMeasure:
    """One value-added-content number with its base (``share = value / base``)."""

    name: str
    description: str
    value: float
    base: float
    unit: str = "USD million"

    @property
    def share(self) -> float:
        return self.value / self.base if self.base else float("nan")


@dataclass(frozen=True)
class Reading:
    """One way of reading a claim: a named measure evaluated for several sources."""

    name: str
    description: str
    unit: str
    values: dict[str, float]
    ratio: float | None  # values[first source] / values[second source]


@dataclass(frozen=True)
class SourceComparison:
    """Several readings of a "source A vs source B in exporter's exports" claim."""

    exporter: str
    sources: tuple[str, ...]
    year: int
    readings: list[Reading]

    def reading(self, name: str) -> Reading:
        for r in self.readings:
            if r.name == name:
                return r
        raise KeyError(f"no reading named {name!r}; have {[r.name for r in self.readings]}")

    def to_frame(self) -> pd.DataFrame:
        rows = []
        for r in self.readings:
            row: dict[str, Any] = {"reading": r.name, "unit": r.unit}
            row.update({f"value_{k}": v for k, v in r.values.items()})
            row["ratio"] = r.ratio
            row["description"] = r.description
            rows.append(row)
        return pd.DataFrame(rows).set_index("reading")


def _as_float(value: Any) -> float:
    """``float()`` of a pandas scalar (typed ``Any`` for mypy)."""
    return float(value)


def _str_list(values: Iterable[Any], name: str) -> list[str]:
    out = [str(v) for v in values]
    dup = sorted(k for k, c in Counter(out).items() if c > 1)
    if dup:
        raise IOModelError(f"{name}: duplicate labels {dup}")
    return out


@dataclass(eq=False)
class MRIOTable:
    """One year of a multi-regional input-output table, with labels and provenance.

    Layout (region-major, like WIOD, OECD ICIO and EXIOBASE): row/column ``k`` of ``Z``
    is ``(regions[k // N], sectors[k % N])`` with ``N = len(sectors)``.

    Attributes
    ----------
    regions, sectors:
        Region (country or sub-country split such as ``MX1``) and sector codes.
    Z:
        n x n intermediate flows, ``n = len(regions) * len(sectors)``.
    Y:
        n x m final demand; column ``j`` is final use ``fd_labels[j] = (region,
        category)``.  Final-demand regions must be countries of the table.
    va:
        Value added (total primary inputs) by sector.  The decomposition identities are
        exact when ``va = x − Z'1``, which the readers guarantee; components (e.g. OECD
        ``VA`` and ``TLS``) are kept in ``va_detail``.
    x:
        Gross output.
    year, source:
        Year and provenance (file, sha256, vintage ...).
    country_of:
        Region -> country for split regions (``{"MX1": "MEX", ...}``); identity for
        regions not listed.
    backend:
        ``"numpy"`` (default) or ``"torch"`` for the Leontief inverse and solves.
    """

    regions: list[str]
    sectors: list[str]
    Z: FloatArray
    Y: FloatArray
    fd_labels: list[tuple[str, str]]
    va: FloatArray
    x: FloatArray
    year: int
    source: dict[str, Any] = field(default_factory=dict)
    va_detail: dict[str, FloatArray] = field(default_factory=dict)
    country_of: dict[str, str] = field(default_factory=dict)
    unit: str = "USD million"
    backend: str = "numpy"
    _cache: dict[str, Any] = field(default_factory=dict, init=False, repr=False)

    # ------------------------------------------------------------------ validation

    def __post_init__(self) -> None:
        self.regions = _str_list(self.regions, "regions")
        self.sectors = _str_list(self.sectors, "sectors")
        if self.year is None or isinstance(self.year, bool):
            raise IOModelError("year: missing; every table must say which year it describes")
        try:
            self.year = int(self.year)
        except (TypeError, ValueError) as exc:
            raise IOModelError(f"year: {self.year!r} is not a year") from exc
        R, N = len(self.regions), len(self.sectors)
        if R == 0 or N == 0:
            raise IOModelError("regions/sectors: a table needs at least one of each")
        n = R * N
        self.Z = np.ascontiguousarray(self.Z, dtype=np.float64)
        if self.Z.shape != (n, n):
            raise IOModelError(
                f"Z: shape {self.Z.shape} does not match {R} regions x {N} sectors "
                f"(expected {n} x {n}; label/shape mismatch)"
            )
        self.Y = np.ascontiguousarray(self.Y, dtype=np.float64)
        if self.Y.ndim != 2 or self.Y.shape[0] != n:
            raise IOModelError(f"Y: shape {self.Y.shape}, expected {n} rows (one per Z row)")
        self.fd_labels = [(str(a), str(b)) for a, b in self.fd_labels]
        if len(self.fd_labels) != self.Y.shape[1]:
            raise IOModelError(f"Y: {self.Y.shape[1]} columns but {len(self.fd_labels)} final-demand labels")
        if len(set(self.fd_labels)) != len(self.fd_labels):
            raise IOModelError("fd_labels: duplicate (region, category) labels")
        self.va = np.ascontiguousarray(self.va, dtype=np.float64)
        self.x = np.ascontiguousarray(self.x, dtype=np.float64)
        for name, vec in (("va", self.va), ("x", self.x)):
            if vec.shape != (n,):
                raise IOModelError(f"{name}: shape {vec.shape}, expected ({n},)")
        self.va_detail = {str(k): np.ascontiguousarray(v, dtype=np.float64) for k, v in self.va_detail.items()}
        for k, vec in self.va_detail.items():
            if vec.shape != (n,):
                raise IOModelError(f"va_detail[{k!r}]: shape {vec.shape}, expected ({n},)")
        labels = self.labels
        _check_finite(self.Z, "Z", labels)
        _check_finite(self.Y, "Y", labels)
        _check_finite(self.va, "va", labels)
        _check_finite(self.x, "x", labels)
        neg = np.flatnonzero(self.x < 0)
        if neg.size:
            shown = ", ".join(repr(labels[i]) for i in neg[:8])
            raise IOModelError(f"x: negative gross output for {shown}")
        self.country_of = {str(k): str(v) for k, v in self.country_of.items()}
        unknown = sorted(set(self.country_of) - set(self.regions))
        if unknown:
            raise IOModelError(f"country_of: names regions not in the table: {unknown}")
        countries = set(self.countries)
        bad_fd = sorted({r for r, _ in self.fd_labels} - countries)
        if bad_fd:
            raise IOModelError(
                f"Y: final-demand regions {bad_fd} are not countries of the table "
                f"(countries: {sorted(countries)[:10]}...)"
            )
        if self.backend not in _backends.BACKENDS:
            raise IOModelError(f"backend: unknown {self.backend!r}; expected one of {_backends.BACKENDS}")
        self._cache = {}

    # ------------------------------------------------------------------ labels

    @property
    def n(self) -> int:
        return len(self.regions) * len(self.sectors)

    @property
    def labels(self) -> list[tuple[str, str]]:
        """``(region, sector)`` for every row/column of Z."""
        return [(r, s) for r in self.regions for s in self.sectors]

    @property
    def index(self) -> pd.MultiIndex:
        return pd.MultiIndex.from_product([self.regions, self.sectors], names=["region", "sector"])

    @property
    def fd_categories(self) -> list[str]:
        return list(dict.fromkeys(c for _, c in self.fd_labels))

    def country(self, region: str) -> str:
        return self.country_of.get(region, region)

    @property
    def countries(self) -> list[str]:
        """Countries in table order (a split country appears once)."""
        return list(dict.fromkeys(self.country(r) for r in self.regions))

    def _cidx(self, country: str) -> int:
        try:
            return self.countries.index(country)
        except ValueError:
            raise IOModelError(f"unknown country {country!r}; the table has {self.countries}") from None

    def _row_country(self) -> NDArray[np.intp]:
        """Country position of every Z row."""
        if "row_country" not in self._cache:
            cpos = {c: i for i, c in enumerate(self.countries)}
            reg = np.array([cpos[self.country(r)] for r in self.regions], dtype=np.intp)
            self._cache["row_country"] = np.repeat(reg, len(self.sectors))
        out: NDArray[np.intp] = self._cache["row_country"]
        return out

    def rows_of(self, country: str) -> NDArray[np.intp]:
        """Z row positions of a country (all of its regions)."""
        c = self._cidx(country)
        return np.flatnonzero(self._row_country() == c)

    def _region_to_country_matrix(self) -> FloatArray:
        C = self.countries
        cpos = {c: i for i, c in enumerate(C)}
        S = np.zeros((len(self.regions), len(C)))
        for i, r in enumerate(self.regions):
            S[i, cpos[self.country(r)]] = 1.0
        return S

    def _row_aggregator(self, weights: FloatArray | None = None) -> FloatArray:
        """n x G matrix with ``weights[i]`` (default 1) at (i, country of row i)."""
        S = np.zeros((self.n, len(self.countries)))
        S[np.arange(self.n), self._row_country()] = 1.0 if weights is None else weights
        return S

    def _by_country(self, vec: FloatArray) -> FloatArray:
        """Sum an n-vector (or n x k matrix) over the rows of each country."""
        if vec.ndim == 1:
            out = np.bincount(self._row_country(), weights=vec, minlength=len(self.countries))
            return np.asarray(out, dtype=np.float64)
        return np.asarray(self._row_aggregator().T @ vec, dtype=np.float64)

    # ------------------------------------------------------------------ core matrices

    @property
    def A(self) -> FloatArray:
        """Technical coefficients ``A = Z x̂⁻¹`` (cached)."""
        if "A" not in self._cache:
            # Z and x were validated in __post_init__
            self._cache["A"] = calc_A(self.Z, self.x, labels=self.labels, check=False)
        out: FloatArray = self._cache["A"]
        return out

    @property
    def v(self) -> FloatArray:
        """Value-added coefficients ``va / x``.

        For a sector with zero output (its column of ``A`` is zero) the coefficient is set
        to ``1 − Σ_i a_ij = 1`` instead of 0, so that ``v'L = 1'`` holds column by column
        and decompositions stay exact even if such a sector reports (rounding) flows.
        """
        if "v" not in self._cache:
            v = calc_v(self.va, self.x, labels=self.labels)
            zero = self.x == 0
            v[zero] = 1.0 - self.A[:, zero].sum(axis=0)
            self._cache["v"] = v
        out: FloatArray = self._cache["v"]
        return out

    @property
    def lu(self) -> LeontiefLU:
        """LU factorisation of ``I − A`` (cached; numpy backend)."""
        if "lu" not in self._cache:
            self._check_productive()
            self._cache["lu"] = LeontiefLU(self.A, labels=self.labels, check=False)
        out: LeontiefLU = self._cache["lu"]
        return out

    @property
    def L(self) -> FloatArray:
        """Global Leontief inverse ``L = B = (I − A)⁻¹`` (cached)."""
        if "L" not in self._cache:
            if "lu" in self._cache and self.backend == "numpy":
                self._cache["L"] = self.lu.inverse(keep=True)
            else:
                self._check_productive()
                self._cache["L"] = calc_L(self.A, labels=self.labels, check=False, backend=self.backend)
        out: FloatArray = self._cache["L"]
        return out

    def _check_productive(self) -> None:
        if "productive" not in self._cache:
            check_productive(self.A, labels=self.labels, finite=False)
            self._cache["productive"] = True

    def _solve(self, rhs: FloatArray) -> FloatArray:
        """``B rhs``: from the cached L if there is one, else by LU solves (no inverse)."""
        if "L" in self._cache:
            return _backends.matmul(self._cache["L"], rhs, backend=self.backend)
        if self.backend != "numpy":
            self._check_productive()
            return _backends.leontief_solve(self.A, rhs, backend=self.backend)
        return self.lu.solve(rhs)

    def clear_cache(self) -> None:
        """Drop cached A, L, LU ... (frees up to 3 n x n arrays)."""
        self._cache = {}

    def check_balance(self) -> dict[str, float]:
        """Largest accounting residuals of the table (in table units).

        ``row``: ``max |x − Z1 − Y1|`` (WIOD 2013: <= 108 from integer rounding);
        ``column``: ``max |x − Z'1 − va|`` (0 when value added is the balancing item).
        """
        row = self.x - self.Z.sum(axis=1) - self.Y.sum(axis=1)
        col = self.x - self.Z.sum(axis=0) - self.va
        return {
            "row": float(np.abs(row).max()),
            "column": float(np.abs(col).max()),
            "row_total": float(row.sum()),
        }

    # ------------------------------------------------------------------ trade flows

    def _fd_by_country(self) -> FloatArray:
        """n x G final demand by destination country (all categories summed)."""
        if "Yc" not in self._cache:
            cpos = {c: i for i, c in enumerate(self.countries)}
            S = np.zeros((len(self.fd_labels), len(cpos)))
            for j, (r, _) in enumerate(self.fd_labels):
                S[j, cpos[r]] = 1.0
            self._cache["Yc"] = self.Y @ S
        out: FloatArray = self._cache["Yc"]
        return out

    def _exports(self) -> tuple[FloatArray, FloatArray]:
        """(intermediate, final) exports, each n x G by partner country; own country = 0."""
        if "E" not in self._cache:
            R, N = len(self.regions), len(self.sectors)
            Zr = self.Z.reshape(self.n, R, N).sum(axis=2)  # n x R (by buying region)
            E_int = Zr @ self._region_to_country_matrix()
            E_fin = self._fd_by_country().copy()
            own = self._row_country()
            rows = np.arange(self.n)
            E_int[rows, own] = 0.0
            E_fin[rows, own] = 0.0
            self._cache["E"] = (E_int, E_fin)
        out: tuple[FloatArray, FloatArray] = self._cache["E"]
        return out

    def _exports_total(self) -> FloatArray:
        E_int, E_fin = self._exports()
        return E_int + E_fin

    def gross_exports(self, kind: str = "total") -> pd.DataFrame:
        """Gross exports of every country-sector to every partner country.

        ``e_sr = Z_sr 1 + Y_sr 1`` (``kind="total"``), or only the intermediate
        (``Z_sr 1``) or final (``Y_sr 1``) part.  Rows ``(region, sector)``, columns
        partner countries; flows to the row's own country are 0 (not exports).
        """
        E_int, E_fin = self._exports()
        data = {"total": E_int + E_fin, "intermediate": E_int, "final": E_fin}
        if kind not in data:
            raise IOModelError(f"kind: {kind!r}, expected one of {sorted(data)}")
        return pd.DataFrame(data[kind], index=self.index, columns=pd.Index(self.countries))

    def bilateral_exports(self, kind: str = "total") -> pd.DataFrame:
        """Country x country gross exports (exporter rows, importer columns)."""
        ge = self.gross_exports(kind)
        out = pd.DataFrame(
            self._by_country(ge.to_numpy()),
            index=pd.Index(self.countries, name="exporter"),
            columns=pd.Index(self.countries, name="importer"),
        )
        return out

    def _export_vector(self, exporter: str, partner: str | None = None) -> FloatArray:
        """n-vector: exporter's gross exports (to ``partner`` or to all), zero elsewhere."""
        rows = self.rows_of(exporter)
        E = self._exports_total()
        e = np.zeros(self.n)
        if partner is None:
            e[rows] = E[rows].sum(axis=1)
        else:
            if self.country(partner) == self.country(exporter) and partner in self.countries:
                raise IOModelError(f"exporter and partner are the same country {exporter!r}")
            e[rows] = E[rows, self._cidx(partner)]
        return e

    # ------------------------------------------------------------------ VA in exports

    def va_origin_of_exports(self, exporter: str, partner: str | None = None, *, by: str = "country") -> pd.DataFrame:
        """Value-added origin of an exporter's gross exports (HIY / TiVA ``EXGR_VA``).

        .. math:: \\mathrm{VBE}_s = \\hat{v}\\, B\\, e_s, \\qquad
                  \\sum_{\\text{sources}} \\mathrm{VBE}_s = \\mathbf{1}'e_s

        Column ``va``: value added from each source country (``by="country"``) or source
        country-sector (``by="sector"``) embodied in the exporter's gross exports (to
        ``partner``, or to the world).  ``share`` divides by gross exports.  The row of
        the exporter itself is domestic content (DVA + DDC); the other rows are foreign
        content (FVA + FDC) = vertical specialisation.  Domestic plus foreign equals
        gross exports exactly (``v'B = 1'``).  Uses LU solves, not the full inverse,
        unless ``L`` is already cached.
        """
        e = self._export_vector(exporter, partner)
        vbe = self.v * self._solve(e)
        total = float(e.sum())
        if by == "country":
            vals = self._by_country(vbe)
            idx: pd.Index = pd.Index(self.countries, name="source")
        elif by == "sector":
            vals = vbe
            idx = self.index.set_names(["source", "source_sector"])
        else:
            raise IOModelError(f"by: {by!r}, expected 'country' or 'sector'")
        out = pd.DataFrame({"va": vals, "share": vals / total if total else np.nan}, index=idx)
        out.attrs.update(exporter=exporter, partner=partner, gross_exports=total, year=self.year)
        return out

    def vbe_matrix(self, *, by: str = "country") -> pd.DataFrame:
        """Value-added origin of the gross exports of *every* exporter at once.

        ``VBE = v̂ B E`` with ``E`` the n x G matrix whose column ``s`` is country ``s``'s
        total gross exports.  Rows: source country (or country-sector), columns:
        exporter.  One LU factorisation and G right-hand sides (no inverse).
        """
        E = self._exports_total()
        rc = self._row_country()
        G = len(self.countries)
        Emat = np.zeros((self.n, G))
        Emat[np.arange(self.n), rc] = E.sum(axis=1)
        vbe = self.v[:, None] * self._solve(Emat)
        cols = pd.Index(self.countries, name="exporter")
        if by == "country":
            return pd.DataFrame(self._by_country(vbe), index=pd.Index(self.countries, name="source"), columns=cols)
        if by == "sector":
            return pd.DataFrame(vbe, index=self.index, columns=cols)
        raise IOModelError(f"by: {by!r}, expected 'country' or 'sector'")

    def foreign_value_added_in_exports(self, exporter: str, source: str) -> ContentMeasure:
        """Value added of ``source`` in ``exporter``'s gross exports: ``v_t B_ts e_s``.

        HIY/TiVA ``EXGR_FVA`` by source country (includes double counting, i.e. equals
        FVA + FDC of Borin-Mancini).  ``share`` is of the exporter's gross exports.
        """
        if self.country(source) == exporter:
            raise IOModelError(f"source {source!r} is the exporter itself; use va_origin")
        vbe = self.va_origin_of_exports(exporter)
        return ContentMeasure(
            name="fva",
            description=f"{source} value added embodied in {exporter} gross exports",
            value=_as_float(vbe.loc[source, "va"]),
            base=float(vbe.attrs["gross_exports"]),
        )

    def domestic_content_of_imports(self, importer: str, partner: str) -> ContentMeasure:
        """The importer's own value added embodied in its gross imports from a partner.

        .. math:: v_m B_{mp}\\, e_{pm}

        E.g. ``domestic_content_of_imports("USA", "MEX")`` is U.S. value added contained
        in U.S. imports from Mexico (value that left the U.S. in exports to Mexico,
        or to third countries, and came back).  ``share`` is of gross imports from the
        partner.
        """
        e = self._export_vector(partner, importer)
        vbe = self.v * self._solve(e)
        own = float(vbe[self.rows_of(importer)].sum())
        return ContentMeasure(
            name="returned_domestic_content",
            description=f"{importer} value added in {importer} gross imports from {partner}",
            value=own,
            base=float(e.sum()),
        )

    # ------------------------------------------------------------------ Borin-Mancini

    def _bm_for_exporter(
        self,
        s: str,
        B_cols: FloatArray,
        W_s: FloatArray,
        BY_s: FloatArray,
    ) -> tuple[dict[str, FloatArray], FloatArray, FloatArray]:
        """BM source-based terms for exporter ``s`` towards every partner.

        ``B_cols`` = B[:, I_s]; ``W_s`` = G x m value added of each source country per
        unit of s's output (``Σ_{i∈t} v_i B_{i,I_s}``); ``BY_s`` = ``B y_{·s}`` (output
        everywhere for s's final demand).  Returns (terms by partner, FVA by source
        x partner, total content by source x partner).
        """
        I_s = self.rows_of(s)
        ci = self._cidx(s)
        m = I_s.size
        A = self.A
        A_ss = A[np.ix_(I_s, I_s)]
        Iss = np.eye(m) - A_ss
        local = lu_factor(Iss, check_finite=False)
        d = lu_solve(local, self.v[I_s], trans=1, check_finite=False)  # v_s L_ss
        B_ss = B_cols[I_s]
        M_s = Iss @ B_ss  # (I - A_ss) B_ss = I + sum_{j!=s} A_sj B_js
        # F[t] = W_s[t] M_s^{-1}: value added of t per unit of s's exports, first exit only
        F = np.linalg.solve(M_s.T, W_s.T).T
        E_int, E_fin = self._exports()
        E_s = E_int[I_s] + E_fin[I_s]  # m x G
        b = W_s[ci]  # v_s B_ss
        content = W_s @ E_s  # G(source) x G(partner): HIY content
        first = F @ E_s  # BM first-exit value added by source
        first[ci] = d @ E_s
        foreign = np.ones(len(self.countries), dtype=bool)
        foreign[ci] = False
        # REF: domestic VA first exported to r and finally absorbed back home
        u = d @ A[I_s]  # n: s's value added in s's intermediate exports per unit of x_j
        ref = self._by_country(u * BY_s)
        ref[ci] = 0.0
        terms = {
            "EXGR": E_s.sum(axis=0),
            "DVA": first[ci],
            "DAVAX": d @ E_fin[I_s],
            "REF": ref,
            "DDC": (b - d) @ E_s,
            "FVA": first[foreign].sum(axis=0),
            "FC": content[foreign].sum(axis=0),
        }
        terms["DVX"] = terms["DVA"] - terms["REF"]
        terms["FDC"] = terms["FC"] - terms["FVA"]
        terms["DC"] = terms["DVA"] + terms["DDC"]
        return terms, first, content

    def _bm_inputs_single(self, s: str) -> tuple[FloatArray, FloatArray, FloatArray]:
        I_s = self.rows_of(s)
        if "L" in self._cache:
            L = self._cache["L"]
            B_cols = L[:, I_s]
        else:
            unit = np.zeros((self.n, I_s.size))
            unit[I_s, np.arange(I_s.size)] = 1.0
            B_cols = self._solve(unit)
        W_s = self._row_aggregator(self.v).T @ B_cols
        BY_s = self._solve(self._fd_by_country()[:, self._cidx(s)])
        return B_cols, W_s, BY_s

    def decompose_bilateral(self, exporter: str, importer: str, *, by_source: bool = False) -> pd.Series | pd.DataFrame:
        """Borin & Mancini (2019, 2023) source-based decomposition of ``e_sr``.

        Exporting-country perspective, value added counted the first time it leaves its
        country of origin::

            EXGR = DVA + DDC + FVA + FDC                       (exact)
            DVA  = v_s L_ss e_sr            = DAVAX + (DVX − DAVAX) + REF
            DDC  = v_s (B_ss − L_ss) e_sr
            FVA  = Σ_{t≠s} v_t B_ts [(I − A_ss) B_ss]⁻¹ e_sr
            FDC  = Σ_{t≠s} v_t B_ts e_sr − FVA

        ``DAVAX = v_s L_ss y_sr`` (in final goods absorbed by the importer),
        ``REF = v_s L_ss A_sr (B y_{·s})_r`` (reflected: absorbed back home),
        ``DC = DVA + DDC`` and ``FC = FVA + FDC`` (HIY domestic / foreign content).
        Needs no full inverse (LU solves for the N columns of the exporter).

        With ``by_source=True`` returns, per source country, ``content`` (HIY
        ``v_t B_ts e_sr``), ``value_added`` (first exit: DVA for the exporter's own row,
        FVA from t otherwise) and ``double_counted`` (DDC / FDC from t).
        """
        if self.country(importer) == exporter or importer == exporter:
            raise IOModelError(f"exporter and importer are the same country {exporter!r}")
        ri = self._cidx(importer)
        terms, first, content = self._bm_for_exporter(exporter, *self._bm_inputs_single(exporter))
        if by_source:
            df = pd.DataFrame(
                {"content": content[:, ri], "value_added": first[:, ri]},
                index=pd.Index(self.countries, name="source"),
            )
            df["double_counted"] = df["content"] - df["value_added"]
            df.attrs.update(exporter=exporter, importer=importer, year=self.year)
            return df
        out = pd.Series({k: float(terms[k][ri]) for k in BM_TERMS}, name=(exporter, importer))
        return out

    def decompose_exports(self, exporter: str, *, by_source: bool = False) -> pd.Series | pd.DataFrame:
        """Borin-Mancini terms of the exporter's *total* gross exports.

        The exporting-country perspective is additive across destinations, so this is
        the sum of :meth:`decompose_bilateral` over all partners.  With
        ``by_source=True``: ``content``, ``value_added`` and ``double_counted`` by source
        country (the exporter's own row holds DC, DVA and DDC).
        """
        terms, first, content = self._bm_for_exporter(exporter, *self._bm_inputs_single(exporter))
        if by_source:
            df = pd.DataFrame(
                {"content": content.sum(axis=1), "value_added": first.sum(axis=1)},
                index=pd.Index(self.countries, name="source"),
            )
            df["double_counted"] = df["content"] - df["value_added"]
            df.attrs.update(exporter=exporter, year=self.year)
            return df
        return pd.Series({k: float(terms[k].sum()) for k in BM_TERMS}, name=exporter)

    def decompose_all_exporters(self, *, by_source: bool = False) -> pd.DataFrame:
        """Borin-Mancini decomposition of every bilateral flow (see decompose_bilateral).

        Computes the global inverse ``B`` once, then ``W = Ŝ_vᵀ B`` (value added by
        source country per unit of output, G x n) and ``B Y_c`` once; per exporter only
        N x N work: ``LU(I − A_ss)`` (the block-diagonal local inverses) and the rank-N
        correction ``[(I − A_ss) B_ss]⁻¹`` that turns ``B`` into ``B^{/s}``.  No
        per-country n x n inverse.

        Returns rows ``(exporter, importer)`` (importer ≠ exporter) with columns
        :data:`BM_TERMS`; with ``by_source=True`` rows ``(exporter, importer, source)``
        and columns ``content``, ``value_added``, ``double_counted``.
        """
        L = self.L
        W = _backends.matmul(self._row_aggregator(self.v).T, L, backend=self.backend)
        BY = _backends.matmul(L, self._fd_by_country(), backend=self.backend)
        C = self.countries
        G = len(C)
        names = np.array(C, dtype=object)
        exp_col: list[NDArray[Any]] = []
        imp_col: list[NDArray[Any]] = []
        src_col: list[NDArray[Any]] = []
        cols: dict[str, list[FloatArray]] = {}
        with _backends.limit_blas_threads(1):  # many N x N problems: threads only hurt
            per_exporter = [
                self._bm_for_exporter(s, L[:, self.rows_of(s)], W[:, self.rows_of(s)], BY[:, ci])
                for ci, s in enumerate(C)
            ]
        for ci, s in enumerate(C):
            terms, first, content = per_exporter[ci]
            keep = np.array([j for j in range(G) if j != ci], dtype=np.intp)
            if by_source:
                # (importer, source) pairs in importer-major order
                exp_col.append(np.full(keep.size * G, s, dtype=object))
                imp_col.append(np.repeat(names[keep], G))
                src_col.append(np.tile(names, keep.size))
                parts = {
                    "content": content[:, keep],
                    "value_added": first[:, keep],
                    "double_counted": content[:, keep] - first[:, keep],
                }
                for k, arr in parts.items():
                    cols.setdefault(k, []).append(arr.T.ravel())
            else:
                exp_col.append(np.full(keep.size, s, dtype=object))
                imp_col.append(names[keep])
                for k in BM_TERMS:
                    cols.setdefault(k, []).append(terms[k][keep])
        data: dict[str, Any] = {
            "exporter": np.concatenate(exp_col),
            "importer": np.concatenate(imp_col),
        }
        if by_source:
            data["source"] = np.concatenate(src_col)
        data.update({k: np.concatenate(v) for k, v in cols.items()})
        keys = ["exporter", "importer"] + (["source"] if by_source else [])
        return pd.DataFrame(data).set_index(keys)

    # ------------------------------------------------------------------ aggregation

    def aggregate_regions(self, mapping: Mapping[str, str]) -> MRIOTable:
        """Merge regions (e.g. ``{"MX1": "MEX", "MX2": "MEX", "CN1": "CHN", "CN2": "CHN"}``).

        Rows and columns of Z, rows of Y, ``va``, ``x`` and ``va_detail`` of regions
        mapped to the same name are summed sector by sector (exact: plain sums, in
        table order).  Regions not in ``mapping`` are kept.  Final-demand columns whose
        region is mapped (directly, or because all regions of that country go to the
        same new region) are merged by category.  Provenance is kept and the mapping
        recorded in ``source["aggregated"]``.
        """
        unknown = sorted(set(mapping) - set(self.regions))
        if unknown:
            raise IOModelError(f"aggregate_regions: unknown regions {unknown}")
        new_of = {r: str(mapping.get(r, r)) for r in self.regions}
        new_regions = list(dict.fromkeys(new_of[r] for r in self.regions))
        R, N = len(self.regions), len(self.sectors)
        G = len(new_regions)
        P = np.zeros((G, R))
        gpos = {g: i for i, g in enumerate(new_regions)}
        for i, r in enumerate(self.regions):
            P[gpos[new_of[r]], i] = 1.0
        members = [np.flatnonzero(P[g]) for g in range(G)]

        def agg_rows(a: FloatArray) -> FloatArray:
            a3 = a.reshape((R, N) + a.shape[1:])
            out = np.stack([a3[m].sum(axis=0) for m in members])
            return out.reshape((G * N,) + a.shape[1:])

        Zr = agg_rows(self.Z)  # (G N) x n
        Z4 = Zr.reshape(G * N, R, N)
        Znew = np.stack([Z4[:, m, :].sum(axis=1) for m in members], axis=1).reshape(G * N, G * N)
        # country of each new region
        new_country: dict[str, str] = {}
        for g in new_regions:
            cs = {self.country(r) for r in self.regions if new_of[r] == g}
            new_country[g] = cs.pop() if len(cs) == 1 else g
        # final-demand regions -> new countries
        fd_map: dict[str, str] = {}
        for c in {r for r, _ in self.fd_labels}:
            if c in mapping:
                fd_map[c] = new_country[str(mapping[c])]
                continue
            targets = {new_of[r] for r in self.regions if self.country(r) == c}
            fd_map[c] = new_country[targets.pop()] if len(targets) == 1 else c
        Yr = agg_rows(self.Y)
        new_fd = list(dict.fromkeys((fd_map[r], k) for r, k in self.fd_labels))
        fpos = {lab: i for i, lab in enumerate(new_fd)}
        Q = np.zeros((len(self.fd_labels), len(new_fd)))
        for j, (r, k) in enumerate(self.fd_labels):
            Q[j, fpos[(fd_map[r], k)]] = 1.0
        Ynew = Yr @ Q
        source = dict(self.source)
        source["aggregated"] = {**source.get("aggregated", {}), **dict(mapping)}
        return MRIOTable(
            regions=new_regions,
            sectors=list(self.sectors),
            Z=Znew,
            Y=Ynew,
            fd_labels=new_fd,
            va=agg_rows(self.va),
            x=agg_rows(self.x),
            year=self.year,
            source=source,
            va_detail={k: agg_rows(v) for k, v in self.va_detail.items()},
            country_of={g: c for g, c in new_country.items() if g != c},
            unit=self.unit,
            backend=self.backend,
        )

    # ------------------------------------------------------------------ frames

    def to_frames(self, layout: str = "long") -> dict[str, pd.DataFrame]:
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
        idx = self.index
        acc = pd.DataFrame(
            {
                "region": idx.get_level_values(0),
                "sector": idx.get_level_values(1),
                "x": self.x,
                "va": self.va,
            }
        )
        for k, v in self.va_detail.items():
            acc[f"va_detail:{k}"] = v
        common = {
            "accounts": acc,
            "fd": pd.DataFrame(self.fd_labels, columns=["fd_region", "category"]),
            "regions": pd.DataFrame({"region": self.regions, "country": [self.country(r) for r in self.regions]}),
            "sectors": pd.DataFrame({"sector": self.sectors}),
            "meta": pd.DataFrame({"year": [self.year], "unit": [self.unit]}),
        }
        if layout == "wide":
            fd_idx = pd.MultiIndex.from_tuples(self.fd_labels, names=["region", "category"])
            return {
                "Z": pd.DataFrame(self.Z, index=idx, columns=idx),
                "Y": pd.DataFrame(self.Y, index=idx, columns=fd_idx),
                **common,
            }
        if layout != "long":
            raise IOModelError(f"layout: {layout!r}, expected 'long' or 'wide'")
        reg = np.asarray(idx.get_level_values(0), dtype=object)
        sec = np.asarray(idx.get_level_values(1), dtype=object)
        zi, zj = np.nonzero(self.Z)
        yi, yj = np.nonzero(self.Y)
        fdr = np.array([r for r, _ in self.fd_labels], dtype=object)
        fdc = np.array([c for _, c in self.fd_labels], dtype=object)
        return {
            "Z": pd.DataFrame(
                {
                    "row_region": reg[zi],
                    "row_sector": sec[zi],
                    "col_region": reg[zj],
                    "col_sector": sec[zj],
                    "value": self.Z[zi, zj],
                }
            ),
            "Y": pd.DataFrame(
                {
                    "row_region": reg[yi],
                    "row_sector": sec[yi],
                    "fd_region": fdr[yj],
                    "category": fdc[yj],
                    "value": self.Y[yi, yj],
                }
            ),
            **common,
        }

    @classmethod
    def from_frames(cls, frames: Mapping[str, pd.DataFrame], source: Mapping[str, Any] | None = None) -> MRIOTable:
        """Rebuild a table from :meth:`to_frames` output (long or wide layout)."""
        for key in ("accounts", "regions", "sectors", "fd", "meta", "Z", "Y"):
            if key not in frames:
                raise IOModelError(f"from_frames: missing frame {key!r}")
        reg_df = frames["regions"]
        regions = [str(r) for r in reg_df["region"]]
        sectors = [str(s) for s in frames["sectors"]["sector"]]
        fd_labels = [(str(a), str(b)) for a, b in zip(frames["fd"]["fd_region"], frames["fd"]["category"], strict=True)]
        country_of = {
            str(r): str(c) for r, c in zip(reg_df["region"], reg_df["country"], strict=True) if str(r) != str(c)
        }
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

    @classmethod
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


# ---------------------------------------------------------------------- claim readings


def _import_content_by_source(table: MRIOTable, exporter: str) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Per source country: (import content of exports, direct imported inputs of
    exports, all intermediate imports), each a G-vector (0 for the exporter itself)."""
    I_s = table.rows_of(exporter)
    ci = table._cidx(exporter)
    e = table._exports_total()[I_s].sum(axis=1)
    A_s = table.A[:, I_s]
    local = lu_factor(np.eye(I_s.size) - A_s[I_s], check_finite=False)
    q = lu_solve(local, e, check_finite=False)  # L_ss e_s: domestic output behind exports
    ic = table._by_country(A_s @ q)  # u' A_ts L_ss e_s by t
    direct = table._by_country(A_s @ e)  # u' A_ts e_s by t
    inter = table._by_country(table.Z[:, I_s].sum(axis=1))  # u' Z_ts by t
    for arr in (ic, direct, inter):
        arr[ci] = 0.0
    return ic, direct, inter


def _ratio(vals: dict[str, float], sources: Sequence[str]) -> float | None:
    if len(sources) < 2:
        return None
    den = vals[sources[1]]
    return vals[sources[0]] / den if den else float("nan")


def compare_sources_in_exports(
    table: MRIOTable, exporter: str = "USA", sources: Sequence[str] = ("MEX", "CHN")
) -> SourceComparison:
    """Readings of "components from A are N times more significant in X's exports than B's".

    Each :class:`Reading` gives the value for every source and the ratio
    ``sources[0] / sources[1]``:

    ``fva_usd``
        Value added of the source in the exporter's gross exports, ``v_t B_ts e_s``
        (HIY / OECD TiVA ``EXGR_FVA`` by origin), US$.
    ``fva_share``
        The same as a share of the exporter's gross exports (same ratio as ``fva_usd``).
    ``fva_bm_usd``
        Borin-Mancini source-based FVA (value added counted the first time it leaves its
        origin, no double counting), US$.
    ``import_content_usd``
        "Import content of exports": gross value of intermediates imported from the
        source and used, directly or through the domestic supply chain, to make the
        exporter's exports, ``u' A_ts L_ss e_s`` (counts the parts, whatever their own
        origin), US$.
    ``import_content_share``
        The source's share of all imported intermediates embodied in exports.
    ``direct_imported_inputs_usd``
        First round only: imported inputs bought directly by exporting sectors in
        proportion to their exports, ``u' A_ts e_s``, US$.
    ``intermediate_imports_usd``
        All intermediate imports of the exporter from the source, whatever their use
        (``u' Z_ts``), US$.
    ``own_content_in_imports_share``
        The exporter's *own* value added as a share of its gross imports from the source
        (the "40 % U.S. content in imports from Mexico vs 4 % from China" reading),
        ``v_s B_st e_ts / u'e_ts``.
    ``fva_per_import_dollar``
        ``fva_usd`` divided by the exporter's gross imports from the source: how much of
        what is bought from each source ends up as value added in the exporter's exports.
    """
    for c in (exporter, *sources):
        table._cidx(c)
    if exporter in sources:
        raise IOModelError(f"the exporter {exporter!r} cannot also be a source")
    srcs = tuple(sources)
    C = table.countries
    vbe = table.va_origin_of_exports(exporter)
    exgr = float(vbe.attrs["gross_exports"])
    terms_by_src = table.decompose_exports(exporter, by_source=True)
    ic, direct, inter = _import_content_by_source(table, exporter)
    ic_total = float(ic.sum())
    own = {t: table.domestic_content_of_imports(exporter, t).share for t in srcs}

    def pick(arr: Any) -> dict[str, float]:
        return {t: float(arr[C.index(t)]) for t in srcs}

    readings = []

    def add(name: str, desc: str, unit: str, vals: dict[str, float]) -> None:
        readings.append(Reading(name, desc, unit, vals, _ratio(vals, srcs)))

    fva = {t: _as_float(vbe.loc[t, "va"]) for t in srcs}
    add(
        "fva_usd",
        f"Source value added embodied in {exporter} gross exports (HIY/TiVA)",
        table.unit,
        fva,
    )
    add(
        "fva_share",
        f"Same, as a share of {exporter} gross exports ({exgr:,.0f})",
        "share",
        {t: v / exgr for t, v in fva.items()},
    )
    add(
        "fva_bm_usd",
        "Borin-Mancini source-based FVA (no double counting)",
        table.unit,
        pick(terms_by_src["value_added"].to_numpy()),
    )
    add(
        "import_content_usd",
        f"Intermediates imported from the source embodied in {exporter} exports (direct + via domestic chain)",
        table.unit,
        pick(ic),
    )
    add(
        "import_content_share",
        f"Source share of all imported intermediates embodied in {exporter} exports",
        "share",
        pick(ic / ic_total if ic_total else ic * np.nan),
    )
    add(
        "direct_imported_inputs_usd",
        "First-round imported inputs of exporting sectors, in proportion to exports",
        table.unit,
        pick(direct),
    )
    add(
        "intermediate_imports_usd",
        f"All intermediate imports of {exporter} from the source",
        table.unit,
        pick(inter),
    )
    add(
        "own_content_in_imports_share",
        f"{exporter} value added as a share of {exporter} gross imports from the source",
        "share",
        own,
    )
    imports = table.bilateral_exports()[exporter]
    add(
        "fva_per_import_dollar",
        f"Source value added in {exporter} exports per dollar of {exporter} gross imports from the source",
        "share",
        {t: fva[t] / _as_float(imports[t]) for t in srcs},
    )
    return SourceComparison(exporter=exporter, sources=srcs, year=table.year, readings=readings)


def content_in_exports(table: MRIOTable, exporter: str = "MEX", source: str = "USA") -> list[ContentMeasure]:
    """Readings of "<exporter>'s exports are full of <source> parts" (one source).

    Returns, in order: source VA share in exporter's gross exports (HIY/TiVA);
    Borin-Mancini FVA share; source share of the intermediates imported and embodied in
    exports; source share of all intermediate imports; and the source's own content in
    its imports from the exporter (the "returned" value, ``v_t B_ts e_st``).
    """
    ti = table._cidx(source)
    vbe = table.va_origin_of_exports(exporter)
    exgr = float(vbe.attrs["gross_exports"])
    bm = table.decompose_exports(exporter, by_source=True)
    ic, _, inter = _import_content_by_source(table, exporter)
    ret = table.domestic_content_of_imports(source, exporter)
    return [
        ContentMeasure(
            "va_share",
            f"{source} value added in {exporter} gross exports (HIY)",
            _as_float(vbe.loc[source, "va"]),
            exgr,
        ),
        ContentMeasure(
            "bm_fva_share",
            f"{source} value added in {exporter} gross exports, first exit (BM)",
            _as_float(bm["value_added"].iloc[ti]),
            exgr,
        ),
        ContentMeasure(
            "import_content_share",
            f"{source} share of imported intermediates embodied in {exporter} exports",
            float(ic[ti]),
            float(ic.sum()),
        ),
        ContentMeasure(
            "intermediate_imports_share",
            f"{source} share of all {exporter} intermediate imports",
            float(inter[ti]),
            float(inter.sum()),
        ),
        ContentMeasure(ret.name, ret.description, ret.value, ret.base),
    ]


def us_content_share(table: MRIOTable, exporter: str = "MEX", source: str = "USA") -> float:
    """Share of ``source`` (default U.S.) value added in ``exporter``'s gross exports."""
    vbe = table.va_origin_of_exports(exporter)
    return _as_float(vbe.loc[source, "share"])
