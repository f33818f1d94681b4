"""Value added in trade: the origin of gross exports (HIY / TiVA) and the content of imports."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from usmca.models.errors import IOModelError
from usmca.models.mrio.measures import ContentMeasure, as_float

if TYPE_CHECKING:
    from usmca.models.mrio.table import MRIOTable

FloatArray = NDArray[np.float64]


def va_origin_of_exports(
    table: MRIOTable, exporter: str, partner: str | None = None, *, by: str = "country"
) -> pd.DataFrame:
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
    e = table._export_vector(exporter, partner)
    vbe = table.v * table._solve(e)
    total = float(e.sum())
    if by == "country":
        vals = table._by_country(vbe)
        idx: pd.Index = pd.Index(table.countries, name="source")
    elif by == "sector":
        vals = vbe
        idx = table.index.set_names(["source", "source_sector"])
    else:
        raise IOModelError(f"by: {by!r}, expected 'country' or 'sector'")
    out = pd.DataFrame({"va": vals, "share": vals / total if total else np.nan}, index=idx)
    out.attrs.update(exporter=exporter, partner=partner, gross_exports=total, year=table.year)
    return out


def vbe_matrix(table: MRIOTable, *, by: str = "country") -> pd.DataFrame:
    """Value-added origin of the gross exports of *every* exporter at once.

    ``VBE = v̂ B E`` with ``E`` the n x G matrix whose column ``s`` is country ``s``'s
    total gross exports.  Rows: source country (or country-sector), columns:
    exporter.  One LU factorisation and G right-hand sides (no inverse).
    """
    E = table._exports_total()
    rc = table._row_country()
    G = len(table.countries)
    Emat = np.zeros((table.n, G))
    Emat[np.arange(table.n), rc] = E.sum(axis=1)
    vbe = table.v[:, None] * table._solve(Emat)
    cols = pd.Index(table.countries, name="exporter")
    if by == "country":
        return pd.DataFrame(table._by_country(vbe), index=pd.Index(table.countries, name="source"), columns=cols)
    if by == "sector":
        return pd.DataFrame(vbe, index=table.index, columns=cols)
    raise IOModelError(f"by: {by!r}, expected 'country' or 'sector'")


def foreign_value_added_in_exports(table: MRIOTable, exporter: str, source: str) -> ContentMeasure:
    """Value added of ``source`` in ``exporter``'s gross exports: ``v_t B_ts e_s``.

    HIY/TiVA ``EXGR_FVA`` by source country (includes double counting, i.e. equals
    FVA + FDC of Borin-Mancini).  ``share`` is of the exporter's gross exports.
    """
    if table.country(source) == exporter:
        raise IOModelError(f"source {source!r} is the exporter itself; use va_origin")
    vbe = table.va_origin_of_exports(exporter)
    return ContentMeasure(
        name="fva",
        description=f"{source} value added embodied in {exporter} gross exports",
        value=as_float(vbe.loc[source, "va"]),
        base=float(vbe.attrs["gross_exports"]),
    )


def domestic_content_of_imports(table: MRIOTable, importer: str, partner: str) -> ContentMeasure:
    """The importer's own value added embodied in its gross imports from a partner.

    .. math:: v_m B_{mp}\\, e_{pm}

    E.g. ``domestic_content_of_imports("USA", "MEX")`` is U.S. value added contained
    in U.S. imports from Mexico (value that left the U.S. in exports to Mexico,
    or to third countries, and came back).  ``share`` is of gross imports from the
    partner.
    """
    e = table._export_vector(partner, importer)
    vbe = table.v * table._solve(e)
    own = float(vbe[table.rows_of(importer)].sum())
    return ContentMeasure(
        name="returned_domestic_content",
        description=f"{importer} value added in {importer} gross imports from {partner}",
        value=own,
        base=float(e.sum()),
    )
