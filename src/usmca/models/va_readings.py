"""Every value-added reading of a table at once, as a small long frame (precomputed at load time).

A check reads these numbers from the store (table ``io_readings``) instead of loading a world
input-output table and solving it: the frame of one WIOD year is about 16,000 rows, against
2 million cells of Z.  Each reading is the one :func:`compare_sources_in_exports`,
:meth:`MRIOTable.foreign_value_added_in_exports`, :meth:`MRIOTable.domestic_content_of_imports`
and the output multipliers compute one pair at a time (``tests/models/test_va_readings.py``
checks them against each other to 1e-9 relative).

Columns: ``exporter``, ``source``, ``reading``, ``value``, ``unit``.  For the pairwise readings
``exporter`` and ``source`` are countries (source ≠ exporter); ``gross_exports`` has
``source = exporter``; ``output_multiplier`` has ``exporter`` = region and ``source`` = sector.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from usmca.models.mrio.readings import import_content_by_source
from usmca.models.mrio.table import MRIOTable

#: Pairwise readings (exporter, source), in the order of :class:`SourceComparison`.
PAIR_READINGS = (
    "fva_usd",
    "fva_share",
    "fva_bm_usd",
    "import_content_usd",
    "import_content_share",
    "direct_imported_inputs_usd",
    "intermediate_imports_usd",
    "own_content_in_imports_share",
    "fva_per_import_dollar",
)
#: Extra pairwise amounts: the exporter's own value added in its imports from the source, and
#: those gross imports (``own_content_in_imports_share = own / imports``).
PAIR_AMOUNTS = ("own_content_in_imports_usd", "imports_usd")
COLUMNS = ("exporter", "source", "reading", "value", "unit")


def value_added_readings(table: MRIOTable) -> pd.DataFrame:
    """All readings of every exporter x source pair, plus gross exports and output multipliers."""
    C = table.countries
    G = len(C)
    # Every figure below solves with the table's one factorisation of I - A (no explicit inverse).
    E = table._exports_total()
    rc = table._row_country()
    # value-added origin of every exporter's gross exports (G sources x G exporters)
    W = table._solve_transposed(table._row_aggregator(table.v)).T  # G x n: value added per unit of output
    vbe = W @ _export_matrix(E, rc, G)  # sources x exporters
    exgr = np.bincount(rc, weights=E.sum(axis=1), minlength=G)
    # Borin-Mancini first-exit value added by (exporter, source), summed over destinations
    bm_frame = table.decompose_all_exporters(by_source=True)["value_added"]
    bm = bm_frame.groupby(level=["exporter", "source"]).sum().to_dict()
    # own content of imports: v_m B_mp e_pm = W[m, rows_p] @ E[rows_p, m]
    imports = table.bilateral_exports().to_numpy()  # exporter rows, importer columns
    unit = table.unit
    rows: list[tuple[Any, ...]] = []
    for ci, s in enumerate(C):
        ic, direct, inter = import_content_by_source(table, s)
        ic_total = float(ic.sum())
        rows.append((s, s, "gross_exports", float(exgr[ci]), unit))
        for ti, t in enumerate(C):
            if ti == ci:
                continue
            fva = float(vbe[ti, ci])
            rows_t = np.flatnonzero(rc == ti)
            e_ts = E[rows_t, ci]  # t's exports to s (s's imports from t)
            own = float(W[ci, rows_t] @ e_ts)
            base = float(e_ts.sum())
            imp = float(imports[ti, ci])
            vals = {
                "fva_usd": (fva, unit),
                "fva_share": (fva / exgr[ci] if exgr[ci] else float("nan"), "share"),
                "fva_bm_usd": (float(bm[(s, t)]), unit),
                "import_content_usd": (float(ic[ti]), unit),
                "import_content_share": (float(ic[ti]) / ic_total if ic_total else float("nan"), "share"),
                "direct_imported_inputs_usd": (float(direct[ti]), unit),
                "intermediate_imports_usd": (float(inter[ti]), unit),
                "own_content_in_imports_share": (own / base if base else float("nan"), "share"),
                "fva_per_import_dollar": (fva / imp if imp else float("nan"), "share"),
                "own_content_in_imports_usd": (own, unit),
                "imports_usd": (base, unit),
            }
            rows.extend((s, t, k, float(v), u) for k, (v, u) in vals.items())
    mult = table._solve_transposed(np.ones(table.n))  # 1'B: column sums of the inverse
    rows.extend(
        (r, sec, "output_multiplier", float(m), "ratio") for (r, sec), m in zip(table.labels, mult, strict=True)
    )
    return pd.DataFrame(rows, columns=list(COLUMNS))


def _export_matrix(E: Any, rc: Any, G: int) -> Any:
    """n x G: column s holds country s's total gross exports on its own rows."""
    out = np.zeros((E.shape[0], G))
    out[np.arange(E.shape[0]), rc] = E.sum(axis=1)
    return out
