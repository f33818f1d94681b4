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

from usmca.models.mrio.borin_mancini import BM_TERMS
from usmca.models.mrio.measures import ContentMeasure, Reading, SourceComparison
from usmca.models.mrio.readings import compare_sources_in_exports, import_content_by_source
from usmca.models.mrio.table import MRIOTable

__all__ = [
    "BM_TERMS",
    "ContentMeasure",
    "MRIOTable",
    "Reading",
    "SourceComparison",
    "compare_sources_in_exports",
    "import_content_by_source",
]
