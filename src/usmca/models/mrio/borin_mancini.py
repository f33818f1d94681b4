"""Borin & Mancini (2019, 2023) source-based decomposition of gross exports (see usmca.models.mrio)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy.linalg import lu_factor, lu_solve

from usmca.models.errors import IOModelError
from usmca.models.threads import limit_blas_threads

if TYPE_CHECKING:
    from usmca.models.mrio.table import MRIOTable

FloatArray = NDArray[np.float64]


#: Columns of :meth:`MRIOTable.decompose_bilateral` / :meth:`decompose_all_exporters`.
#: ``DVA + DDC + FVA + FDC == EXGR``; ``DAVAX`` and ``REF`` are parts of ``DVA``
#: (``DVX = DVA − REF`` is domestic value added absorbed abroad); ``DC = DVA + DDC`` and
#: ``FC = FVA + FDC`` are the Hummels-Ishii-Yi domestic and foreign content.
BM_TERMS = ("EXGR", "DVA", "DAVAX", "REF", "DVX", "DDC", "FVA", "FDC", "DC", "FC")


def bm_for_exporter(
    table: MRIOTable,
    s: str,
    B_ss: FloatArray,
    W_s: FloatArray,
    BY_s: FloatArray,
) -> tuple[dict[str, FloatArray], FloatArray, FloatArray]:
    """BM source-based terms for exporter ``s`` towards every partner.

    ``B_ss`` = B[I_s, I_s] (the exporter's diagonal block of the global inverse); ``W_s`` =
    G x m value added of each source country per unit of s's output (``Σ_{i∈t} v_i
    B_{i,I_s}``); ``BY_s`` = ``B y_{·s}`` (output everywhere for s's final demand).  Returns
    (terms by partner, FVA by source x partner, total content by source x partner).
    """
    I_s = table._rowsel(s)  # a slice for a country of contiguous regions: views, no copies
    ci = table._cidx(s)
    A = table.A
    A_s = A[I_s]  # m x n: s's rows (its sales to every sector)
    Iss = -A_s[:, I_s]
    Iss.flat[:: Iss.shape[0] + 1] += 1.0  # I - A_ss
    local = lu_factor(Iss, check_finite=False)
    d = lu_solve(local, table.v[I_s], trans=1, check_finite=False)  # v_s L_ss
    M_s = Iss @ B_ss  # (I - A_ss) B_ss = I + sum_{j!=s} A_sj B_js
    # F[t] = W_s[t] M_s^{-1}: value added of t per unit of s's exports, first exit only
    F = np.linalg.solve(M_s.T, W_s.T).T
    E_int, E_fin = table._exports()
    E_s = E_int[I_s] + E_fin[I_s]  # m x G
    b = W_s[ci]  # v_s B_ss
    content = W_s @ E_s  # G(source) x G(partner): HIY content
    first = F @ E_s  # BM first-exit value added by source
    first[ci] = d @ E_s
    foreign = np.ones(len(table.countries), dtype=bool)
    foreign[ci] = False
    # REF: domestic VA first exported to r and finally absorbed back home
    u = d @ A_s  # n: s's value added in s's intermediate exports per unit of x_j
    ref = table._by_country(u * BY_s)
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


def bm_inputs_single(table: MRIOTable, s: str) -> tuple[FloatArray, FloatArray, FloatArray]:
    """``B_ss``, ``W_s`` and ``B y_{·s}`` for one exporter: m + 1 solves with the table's factorisation."""
    I_s = table._rows(s)
    if "L" in table._cache:
        B_cols = table._cache["L"][:, I_s]
    else:
        unit = np.zeros((table.n, I_s.size))
        unit[I_s, np.arange(I_s.size)] = 1.0
        B_cols = table._solve(unit)
    W_s = table._row_aggregator(table.v).T @ B_cols
    BY_s = table._solve(table._fd_by_country()[:, table._cidx(s)])
    return B_cols[I_s], W_s, BY_s


def decompose_bilateral(
    table: MRIOTable, exporter: str, importer: str, *, by_source: bool = False
) -> pd.Series | pd.DataFrame:
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
    if table.country(importer) == exporter or importer == exporter:
        raise IOModelError(f"exporter and importer are the same country {exporter!r}")
    ri = table._cidx(importer)
    terms, first, content = bm_for_exporter(table, exporter, *bm_inputs_single(table, exporter))
    if by_source:
        df = pd.DataFrame(
            {"content": content[:, ri], "value_added": first[:, ri]},
            index=pd.Index(table.countries, name="source"),
        )
        df["double_counted"] = df["content"] - df["value_added"]
        df.attrs.update(exporter=exporter, importer=importer, year=table.year)
        return df
    out = pd.Series({k: float(terms[k][ri]) for k in BM_TERMS}, name=(exporter, importer))
    return out


def decompose_exports(table: MRIOTable, exporter: str, *, by_source: bool = False) -> pd.Series | pd.DataFrame:
    """Borin-Mancini terms of the exporter's *total* gross exports.

    The exporting-country perspective is additive across destinations, so this is
    the sum of :meth:`decompose_bilateral` over all partners.  With
    ``by_source=True``: ``content``, ``value_added`` and ``double_counted`` by source
    country (the exporter's own row holds DC, DVA and DDC).
    """
    terms, first, content = bm_for_exporter(table, exporter, *bm_inputs_single(table, exporter))
    if by_source:
        df = pd.DataFrame(
            {"content": content.sum(axis=1), "value_added": first.sum(axis=1)},
            index=pd.Index(table.countries, name="source"),
        )
        df["double_counted"] = df["content"] - df["value_added"]
        df.attrs.update(exporter=exporter, year=table.year)
        return df
    return pd.Series({k: float(terms[k].sum()) for k in BM_TERMS}, name=exporter)


def decompose_all_exporters(table: MRIOTable, *, by_source: bool = False) -> pd.DataFrame:
    """Borin-Mancini decomposition of every bilateral flow (see decompose_bilateral).

    Needs of ``B`` only ``W = Ŝ_vᵀ B`` (value added by source country per unit of output,
    G x n: G transposed solves), ``B Y_c`` (G solves) and the diagonal blocks ``B_ss``
    (:meth:`usmca.models.io.LeontiefLU.diagonal_blocks`: ⅔ n³ flops after the
    factorisation, against 2 n³ for the whole of ``B``), all from the table's one
    factorisation; per exporter only N x N work: ``LU(I − A_ss)`` (the block-diagonal local
    inverses) and the rank-N correction ``[(I − A_ss) B_ss]⁻¹`` that turns ``B`` into
    ``B^{/s}``.  No explicit inverse (unless ``L`` is already cached, then it is used), no
    per-country n x n inverse.

    Returns rows ``(exporter, importer)`` (importer ≠ exporter) with columns
    :data:`BM_TERMS`; with ``by_source=True`` rows ``(exporter, importer, source)``
    and columns ``content``, ``value_added``, ``double_counted``.
    """
    W = table._solve_transposed(table._row_aggregator(table.v)).T  # G x n
    BY = table._solve(table._fd_by_country())  # n x G
    blocks = table._diagonal_blocks()
    C = table.countries
    G = len(C)
    names = np.array(C, dtype=object)
    exp_col: list[NDArray[Any]] = []
    imp_col: list[NDArray[Any]] = []
    src_col: list[NDArray[Any]] = []
    cols: dict[str, list[FloatArray]] = {}
    with limit_blas_threads(1):  # many N x N problems: threads only hurt
        per_exporter = [
            bm_for_exporter(table, s, blocks[ci], W[:, table._rowsel(s)], BY[:, ci]) for ci, s in enumerate(C)
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
