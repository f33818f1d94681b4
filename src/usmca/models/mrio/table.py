"""The MRIOTable: one year of a multi-regional input-output table, its labels and core matrices.

Measures live beside it and take the table as their first argument: :mod:`.trade` (value added in
gross exports), :mod:`.borin_mancini` (the decomposition), :mod:`.frames` (storage) and
:mod:`.readings` (claim readings); the class methods delegate to them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

import usmca.models.backends as _backends
import usmca.models.mrio.borin_mancini as _bm
import usmca.models.mrio.frames as _frames
import usmca.models.mrio.trade as _trade
from usmca.models.errors import IOModelError
from usmca.models.io import LeontiefLU, _check_finite, _reciprocal_or_zero, calc_v, check_column_sums
from usmca.models.mrio.measures import ContentMeasure

FloatArray = NDArray[np.float64]


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
        # One pass over Z: its column sums are finite exactly when every cell is (NaN and inf
        # propagate; a finite overflow is caught by the productivity check), and they give the
        # column sums of A for that check without forming A.  The cell-by-cell search that names
        # the rows runs only when something is wrong.
        with np.errstate(invalid="ignore", over="ignore"):
            z_colsum = self.Z.sum(axis=0)
        if not np.isfinite(z_colsum).all():
            _check_finite(self.Z, "Z", self.labels)
        if not np.isfinite(self.Y.sum(axis=0)).all():
            _check_finite(self.Y, "Y", self.labels)
        for name, vec in (("va", self.va), ("x", self.x)):
            if not np.isfinite(vec).all():
                _check_finite(vec, name, self.labels)
        neg = np.flatnonzero(self.x < 0)
        if neg.size:
            labels = self.labels
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
        self._cache = {"z_colsum": z_colsum}

    # ------------------------------------------------------------------ labels

    @property
    def n(self) -> int:
        return len(self.regions) * len(self.sectors)

    @property
    def labels(self) -> list[tuple[str, str]]:
        """``(region, sector)`` for every row/column of Z (a new list each time)."""
        return list(self._labels())

    def _labels(self) -> list[tuple[str, str]]:
        if "labels" not in self._cache:
            self._cache["labels"] = [(r, s) for r in self.regions for s in self.sectors]
        out: list[tuple[str, str]] = self._cache["labels"]
        return out

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
        """Countries in table order (a split country appears once; cached, a copy is returned)."""
        if "countries" not in self._cache:
            self._cache["countries"] = list(dict.fromkeys(self.country(r) for r in self.regions))
            self._cache["cpos"] = {c: i for i, c in enumerate(self._cache["countries"])}
        return list(self._cache["countries"])

    def _cidx(self, country: str) -> int:
        if "cpos" not in self._cache:
            self.countries  # noqa: B018 - fills the cache
        try:
            out: int = self._cache["cpos"][country]
            return out
        except KeyError:
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
        return self._rows(country).copy()

    def _rows(self, country: str) -> NDArray[np.intp]:
        """:meth:`rows_of`, cached (not to be written to)."""
        c = self._cidx(country)
        rows = self._cache.setdefault("rows", {})
        if c not in rows:
            rows[c] = np.flatnonzero(self._row_country() == c)
        out: NDArray[np.intp] = rows[c]
        return out

    def _rowsel(self, country: str) -> slice | NDArray[np.intp]:
        """The country's rows as a slice when they are contiguous (a view, no copy), else positions."""
        idx = self._rows(country)
        if idx.size and idx[-1] - idx[0] + 1 == idx.size:
            return slice(int(idx[0]), int(idx[-1]) + 1)
        return idx

    def _region_to_country_matrix(self) -> FloatArray:
        C = self.countries
        cpos = {c: i for i, c in enumerate(C)}
        S = np.zeros((len(self.regions), len(C)))
        for i, r in enumerate(self.regions):
            S[i, cpos[self.country(r)]] = 1.0
        return S

    def _row_aggregator(self, weights: FloatArray | None = None) -> FloatArray:
        """n x G matrix with ``weights[i]`` (default 1) at (i, country of row i)."""
        if weights is None and "S" in self._cache:
            S0: FloatArray = self._cache["S"]
            return S0
        S = np.zeros((self.n, len(self.countries)))
        S[np.arange(self.n), self._row_country()] = 1.0 if weights is None else weights
        if weights is None:
            S.flags.writeable = False
            self._cache["S"] = S
        return S

    def _by_country(self, vec: FloatArray) -> FloatArray:
        """Sum an n-vector (or n x k matrix) over the rows of each country."""
        if vec.ndim == 1:
            out = np.bincount(self._row_country(), weights=vec, minlength=len(self.countries))
            return np.asarray(out, dtype=np.float64)
        return np.asarray(self._row_aggregator().T @ vec, dtype=np.float64)

    # ------------------------------------------------------------------ core matrices

    def _inv_x(self) -> FloatArray:
        """``1 ⊘ x`` with 0 for sectors without output (cached)."""
        if "inv_x" not in self._cache:
            self._cache["inv_x"] = _reciprocal_or_zero(self.x)
        out: FloatArray = self._cache["inv_x"]
        return out

    @property
    def A(self) -> FloatArray:
        """Technical coefficients ``A = Z x̂⁻¹`` (cached; :func:`usmca.models.io.calc_A`)."""
        if "A" not in self._cache:
            # Z and x were validated in __post_init__: one multiplication into a new C-ordered buffer
            self._cache["A"] = np.multiply(self.Z, self._inv_x()[None, :], order="C")
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
            v = calc_v(self.va, self.x, labels=self._labels())
            zero = self.x == 0
            v[zero] = 1.0  # 1 - (zero) column sum of A: A's columns of zero-output sectors are 0
            self._cache["v"] = v
        out: FloatArray = self._cache["v"]
        return out

    @property
    def lu(self) -> LeontiefLU | _backends.TorchLU:
        """The one factorisation of ``I − A`` of this table (cached): every reading solves with it.

        ``"numpy"``: :class:`~usmca.models.io.LeontiefLU` (LAPACK).  ``"torch"``:
        :class:`~usmca.models.backends.TorchLU`, whose factors stay on the device (built there from
        ``Z`` and ``x``, so ``A`` is not formed on the host).
        """
        if "lu" not in self._cache:
            self._check_productive()
            if self.backend == "numpy" and "A" in self._cache:
                self._cache["lu"] = LeontiefLU(self.A, labels=self._labels(), check=False)
            elif self.backend == "numpy":  # A is not needed to factorise I - A: one pass over Z, no A
                self._cache["lu"] = LeontiefLU.from_flows(self.Z, self._inv_x(), labels=self._labels())
            else:
                self._cache["lu"] = _backends.TorchLU.from_parts(self.Z, self._inv_x())
        out: LeontiefLU | _backends.TorchLU = self._cache["lu"]
        return out

    @property
    def L(self) -> FloatArray:
        """Global Leontief inverse ``L = B = (I − A)⁻¹`` (cached; from the cached factorisation).

        The readings do not need it (they solve with :attr:`lu`); it is formed only when asked for.
        """
        if "L" not in self._cache:
            self._cache["L"] = self.lu.inverse(keep=True)
        out: FloatArray = self._cache["L"]
        return out

    def _check_productive(self) -> None:
        if "productive" not in self._cache:
            # column sums of A = Z'1 ⊘ x, from the pass over Z made when the table was built
            check_column_sums(self._cache["z_colsum"] * self._inv_x(), labels=self._labels())
            self._cache["productive"] = True

    def _solve(self, rhs: FloatArray) -> FloatArray:
        """``B rhs``: from the cached L if there is one, else with the table's one factorisation."""
        if "L" in self._cache:
            return np.asarray(self._cache["L"] @ rhs, dtype=np.float64)
        return self.lu.solve(rhs)

    def _solve_transposed(self, rhs: FloatArray) -> FloatArray:
        """``Bᵀ rhs`` (so that ``_solve_transposed(w)ᵀ = wᵀ B``), like :meth:`_solve`."""
        if "L" in self._cache:
            return np.asarray(self._cache["L"].T @ rhs, dtype=np.float64)
        return self.lu.solve_transposed(rhs)

    def _diagonal_blocks(self) -> list[FloatArray]:
        """``B_ss`` (rows and columns of country s) for every country, in table order."""
        if "L" in self._cache:
            L = self._cache["L"]
            return [L[np.ix_(self._rows(c), self._rows(c))] for c in self.countries]
        return self.lu.diagonal_blocks([self._rows(c) for c in self.countries])

    def clear_cache(self) -> None:
        """Drop cached A, L, LU ... (frees up to 3 n x n arrays)."""
        self._cache = {"z_colsum": self._cache.get("z_colsum", self.Z.sum(axis=0))}

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
        """Value-added origin of an exporter's gross exports (see :func:`.trade.va_origin_of_exports`)."""
        return _trade.va_origin_of_exports(self, exporter, partner, by=by)

    def vbe_matrix(self, *, by: str = "country") -> pd.DataFrame:
        """Value-added origin of every exporter's gross exports (see :func:`.trade.vbe_matrix`)."""
        return _trade.vbe_matrix(self, by=by)

    def foreign_value_added_in_exports(self, exporter: str, source: str) -> ContentMeasure:
        """``v_t B_ts e_s`` (see :func:`.trade.foreign_value_added_in_exports`)."""
        return _trade.foreign_value_added_in_exports(self, exporter, source)

    def domestic_content_of_imports(self, importer: str, partner: str) -> ContentMeasure:
        """The importer's own value added in its imports (see :func:`.trade.domestic_content_of_imports`)."""
        return _trade.domestic_content_of_imports(self, importer, partner)

    # ------------------------------------------------------------------ Borin-Mancini

    def decompose_bilateral(self, exporter: str, importer: str, *, by_source: bool = False) -> pd.Series | pd.DataFrame:
        """Borin-Mancini terms of ``e_sr`` (see :func:`.borin_mancini.decompose_bilateral`)."""
        return _bm.decompose_bilateral(self, exporter, importer, by_source=by_source)

    def decompose_exports(self, exporter: str, *, by_source: bool = False) -> pd.Series | pd.DataFrame:
        """Borin-Mancini terms of total gross exports (see :func:`.borin_mancini.decompose_exports`)."""
        return _bm.decompose_exports(self, exporter, by_source=by_source)

    def decompose_all_exporters(self, *, by_source: bool = False) -> pd.DataFrame:
        """Borin-Mancini terms of every bilateral flow (see :func:`.borin_mancini.decompose_all_exporters`)."""
        return _bm.decompose_all_exporters(self, by_source=by_source)

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
        """The table as pandas frames (see :func:`.frames.to_frames`)."""
        return _frames.to_frames(self, layout)

    @classmethod
    def from_frames(cls, frames: Mapping[str, pd.DataFrame], source: Mapping[str, Any] | None = None) -> MRIOTable:
        """Rebuild a table from :meth:`to_frames` output (see :func:`.frames.from_frames`)."""
        return _frames.from_frames(cls, frames, source)

    @classmethod
    def from_pymrio(
        cls, io: Any, *, year: int, va_extension: str = "factor_inputs", source: Mapping[str, Any] | None = None
    ) -> MRIOTable:
        """Build a table from a pymrio ``IOSystem`` (see :func:`.frames.from_pymrio`)."""
        return _frames.from_pymrio(cls, io, year=year, va_extension=va_extension, source=source)


# ---------------------------------------------------------------------- claim readings
