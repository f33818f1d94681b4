"""Readings of claims about value added in trade ("parts from A count N times more than B's")."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray
from scipy.linalg import lu_factor, lu_solve

from usmca.models.errors import IOModelError
from usmca.models.mrio.measures import Reading, SourceComparison, as_float

if TYPE_CHECKING:
    from usmca.models.mrio.table import MRIOTable

FloatArray = NDArray[np.float64]


def import_content_by_source(table: MRIOTable, exporter: str) -> tuple[FloatArray, FloatArray, FloatArray]:
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
    ic, direct, inter = import_content_by_source(table, exporter)
    ic_total = float(ic.sum())
    own = {t: table.domestic_content_of_imports(exporter, t).share for t in srcs}

    def pick(arr: Any) -> dict[str, float]:
        return {t: float(arr[C.index(t)]) for t in srcs}

    readings = []

    def add(name: str, desc: str, unit: str, vals: dict[str, float]) -> None:
        readings.append(Reading(name, desc, unit, vals, _ratio(vals, srcs)))

    fva = {t: as_float(vbe.loc[t, "va"]) for t in srcs}
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
        {t: fva[t] / as_float(imports[t]) for t in srcs},
    )
    return SourceComparison(exporter=exporter, sources=srcs, year=table.year, readings=readings)
