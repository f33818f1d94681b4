"""MRIOTable: trade flows, value added in exports, Borin-Mancini, aggregation, frames.

Synthetic tables are checked against brute-force formulas (explicit per-country inverses
B^{/s}); WIOD 2011 against the published flows and the accounting identities.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from usmca.models import (
    BM_TERMS,
    ContentMeasure,
    IOModelError,
    MRIOTable,
    compare_sources_in_exports,
)
from usmca.models.mrio import import_content_by_source

# ---------------------------------------------------------------------------- brute force


def brute_force_bm(table: MRIOTable, s: str, r: str) -> dict[str, float]:
    """BM 2019/2023 source-based terms with an explicit B^{/s} = (I - A^{/s})^-1."""
    A = table.A
    n = table.n
    v = table.v
    B = np.linalg.inv(np.eye(n) - A)
    Is = table.rows_of(s)
    e = table.gross_exports().to_numpy()[Is, table.countries.index(r)]
    As = A.copy()
    others = np.setdiff1d(np.arange(n), Is)
    As[np.ix_(Is, others)] = 0.0
    Bs = np.linalg.inv(np.eye(n) - As)
    Lss = np.linalg.inv(np.eye(Is.size) - A[np.ix_(Is, Is)])
    fva = fdc = 0.0
    for t in table.countries:
        if t == s:
            continue
        It = table.rows_of(t)
        fva += v[It] @ Bs[np.ix_(It, Is)] @ e
        fdc += v[It] @ (B - Bs)[np.ix_(It, Is)] @ e
    return {
        "EXGR": float(e.sum()),
        "DVA": float(v[Is] @ Lss @ e),
        "DDC": float(v[Is] @ (B[np.ix_(Is, Is)] - Lss) @ e),
        "FVA": float(fva),
        "FDC": float(fdc),
    }


# ---------------------------------------------------------------------------- synthetic


def test_bm_matches_brute_force_for_every_pair(small_table: MRIOTable) -> None:
    all_terms = small_table.decompose_all_exporters()
    assert list(all_terms.columns) == list(BM_TERMS)
    assert len(all_terms) == 5 * 4
    for s in small_table.countries:
        for r in small_table.countries:
            if s == r:
                continue
            ref = brute_force_bm(small_table, s, r)
            one = small_table.decompose_bilateral(s, r)
            for k, val in ref.items():
                assert one[k] == pytest.approx(val, rel=1e-11), (s, r, k)
                assert all_terms.loc[(s, r), k] == pytest.approx(val, rel=1e-11), (s, r, k)
            assert one["DVA"] + one["DDC"] + one["FVA"] + one["FDC"] == pytest.approx(one["EXGR"], rel=1e-12)


def test_bm_sub_terms_reflection_and_vax(small_table: MRIOTable) -> None:
    """DVX = DVA - REF summed over partners is the exporter's VAX (balanced table)."""
    t = small_table
    B = np.linalg.inv(np.eye(t.n) - t.A)
    Yc = np.stack(
        [t.Y[:, [j for j, (r, _) in enumerate(t.fd_labels) if r == c]].sum(1) for c in t.countries],
        axis=1,
    )
    d = t.decompose_all_exporters()
    for ci, s in enumerate(t.countries):
        Is = t.rows_of(s)
        vax = sum(t.v[Is] @ (B @ Yc[:, k])[Is] for k in range(len(t.countries)) if k != ci)
        assert d.loc[s, "DVX"].sum() == pytest.approx(vax, rel=1e-11)
        # DAVAX: v_s L_ss y_sr
        Lss = np.linalg.inv(np.eye(Is.size) - t.A[np.ix_(Is, Is)])
        for k, r in enumerate(t.countries):
            if k != ci:
                assert d.loc[(s, r), "DAVAX"] == pytest.approx(t.v[Is] @ Lss @ Yc[Is, k])


def test_bm_by_source_adds_up(small_table: MRIOTable) -> None:
    by = small_table.decompose_bilateral("R1", "R3", by_source=True)
    terms = small_table.decompose_bilateral("R1", "R3")
    assert by["content"].sum() == pytest.approx(terms["EXGR"], rel=1e-12)
    assert by.loc["R1", "value_added"] == pytest.approx(terms["DVA"], rel=1e-12)
    assert by.loc["R1", "double_counted"] == pytest.approx(terms["DDC"], rel=1e-12)
    assert by.drop("R1")["value_added"].sum() == pytest.approx(terms["FVA"], rel=1e-12)
    long = small_table.decompose_all_exporters(by_source=True)
    np.testing.assert_allclose(long.loc[("R1", "R3")].to_numpy(), by.to_numpy(), rtol=1e-11)
    tot = small_table.decompose_exports("R1")
    assert tot["EXGR"] == pytest.approx(small_table.decompose_all_exporters().loc["R1", "EXGR"].sum(), rel=1e-12)


def test_vbe_domestic_plus_foreign_is_exports(small_table: MRIOTable) -> None:
    t = small_table
    E = t.bilateral_exports()
    vbe = t.va_origin_of_exports("R2")
    assert vbe["va"].sum() == pytest.approx(E.loc["R2"].sum(), rel=1e-12)
    assert vbe["share"].sum() == pytest.approx(1.0, rel=1e-12)
    # against the definition v_t B_t,s e_s
    B = np.linalg.inv(np.eye(t.n) - t.A)
    e = np.zeros(t.n)
    Is = t.rows_of("R2")
    e[Is] = t.gross_exports().to_numpy()[Is].sum(1)
    for c in t.countries:
        Ic = t.rows_of(c)
        assert vbe.loc[c, "va"] == pytest.approx(t.v[Ic] @ B[Ic] @ e, rel=1e-11)
    M = t.vbe_matrix()
    np.testing.assert_allclose(M["R2"].to_numpy(), vbe["va"].to_numpy(), rtol=1e-11)
    np.testing.assert_allclose(M.sum(axis=0).to_numpy(), E.sum(axis=1).to_numpy(), rtol=1e-12)
    sec = t.va_origin_of_exports("R2", "R0", by="sector")
    assert sec["va"].sum() == pytest.approx(E.loc["R2", "R0"], rel=1e-12)


def test_foreign_va_and_returned_content(small_table: MRIOTable) -> None:
    t = small_table
    B = np.linalg.inv(np.eye(t.n) - t.A)
    ge = t.gross_exports().to_numpy()
    I1, I3 = t.rows_of("R1"), t.rows_of("R3")
    e1 = np.zeros(t.n)
    e1[I1] = ge[I1].sum(axis=1)
    fva = t.foreign_value_added_in_exports("R1", "R3")
    assert fva.value == pytest.approx(t.v[I3] @ (B @ e1)[I3], rel=1e-11)
    assert fva.share == pytest.approx(fva.value / e1.sum(), rel=1e-12)
    # R1's own value added in its imports from R3: v_1 B_13 e_31
    e31 = np.zeros(t.n)
    e31[I3] = ge[I3, t.countries.index("R1")]
    ret = t.domestic_content_of_imports("R1", "R3")
    assert ret.value == pytest.approx(t.v[I1] @ (B @ e31)[I1], rel=1e-11)
    assert ret.base == pytest.approx(e31.sum(), rel=1e-14)
    with pytest.raises(IOModelError, match="is the exporter itself"):
        t.foreign_value_added_in_exports("R1", "R1")


def test_gross_exports_exclude_domestic_flows(small_table: MRIOTable) -> None:
    t = small_table
    ge = t.gross_exports()
    own = np.array([ge.loc[r].loc[:, r].to_numpy() for r in t.regions])
    np.testing.assert_array_equal(own, 0.0)
    # R0 -> R1 by hand: Z block row sums + Y columns of R1
    N = len(t.sectors)
    by_hand = t.Z[:N, N : 2 * N].sum() + t.Y[:N, 2:4].sum()
    assert t.bilateral_exports().loc["R0", "R1"] == pytest.approx(by_hand, rel=1e-14)
    np.testing.assert_allclose((t.gross_exports("intermediate") + t.gross_exports("final")).to_numpy(), ge.to_numpy())


def test_aggregate_regions_is_exact(make_table: Callable[..., MRIOTable]) -> None:
    t = make_table(regions=5, sectors=3, categories=2, seed=5)
    agg = t.aggregate_regions({"R3": "RX", "R4": "RX"})
    assert agg.regions == ["R0", "R1", "R2", "RX"]
    N = 3
    Z4 = t.Z.reshape(5, N, 5, N)
    # rows are summed first, then columns (the same additions, in this order)
    np.testing.assert_array_equal(
        agg.Z.reshape(4, N, 4, N)[3, :, 3, :],
        (Z4[3, :, 3, :] + Z4[4, :, 3, :]) + (Z4[3, :, 4, :] + Z4[4, :, 4, :]),
    )
    np.testing.assert_array_equal(agg.Z.reshape(4, N, 4, N)[:3, :, :3, :], Z4[:3, :, :3, :])
    assert agg.fd_labels == [(r, c) for r in agg.regions for c in ("F0", "F1")]
    assert agg.va.sum() == pytest.approx(t.va.sum(), rel=1e-14)
    assert agg.Y.sum() == pytest.approx(t.Y.sum(), rel=1e-14)
    be, be2 = t.bilateral_exports(), agg.bilateral_exports()
    assert be2.loc["R0", "R1"] == pytest.approx(be.loc["R0", "R1"], rel=1e-14)
    assert be2.loc["R0", "RX"] == pytest.approx(be.loc["R0", ["R3", "R4"]].sum(), rel=1e-14)
    # trade between R3 and R4 became domestic
    assert be2.loc["RX"].sum() == pytest.approx(
        be.loc[["R3", "R4"]].sum().sum() - be.loc["R3", "R4"] - be.loc["R4", "R3"], rel=1e-13
    )
    assert agg.source["aggregated"] == {"R3": "RX", "R4": "RX"}
    with pytest.raises(IOModelError, match=r"unknown regions \['R9'\]"):
        t.aggregate_regions({"R9": "X"})


def split_country_table(make_table: Callable[..., MRIOTable]) -> MRIOTable:
    """Synthetic table whose country 'MEX' is split into regions MX1 and MX2."""
    base = make_table(regions=4, sectors=3, categories=2, seed=11)
    names = ["USA", "CHN", "MX1", "MX2"]
    fd = [(r, c) for r in ["USA", "CHN", "MEX"] for c in ("F0", "F1")]
    Y = base.Y.copy()
    Y = np.concatenate([Y[:, :4], Y[:, 4:6] + Y[:, 6:8]], axis=1)  # MX1+MX2 final demand
    return MRIOTable(
        names,
        base.sectors,
        base.Z,
        Y,
        fd,
        base.va,
        base.x,
        year=2000,
        country_of={"MX1": "MEX", "MX2": "MEX"},
    )


def test_split_country_is_one_exporter(make_table: Callable[..., MRIOTable]) -> None:
    t = split_country_table(make_table)
    assert t.countries == ["USA", "CHN", "MEX"]
    np.testing.assert_array_equal(t.rows_of("MEX"), np.arange(6, 12))
    ge = t.gross_exports()
    # MX1 -> MX2 flows are domestic, not exports
    np.testing.assert_array_equal(ge.loc["MX1", "MEX"].to_numpy(), 0.0)
    agg = t.aggregate_regions({"MX1": "MEX", "MX2": "MEX"})
    assert agg.regions == ["USA", "CHN", "MEX"] and agg.country_of == {}
    pd.testing.assert_frame_equal(agg.bilateral_exports(), t.bilateral_exports(), rtol=1e-14)
    # decompositions on the split table use the split in L and still add up
    d = t.decompose_all_exporters()
    np.testing.assert_allclose(d[["DVA", "DDC", "FVA", "FDC"]].sum(1), d["EXGR"], rtol=1e-12)
    ref = brute_force_bm(t, "MEX", "USA")
    for k, val in ref.items():
        assert d.loc[("MEX", "USA"), k] == pytest.approx(val, rel=1e-11)


def test_frames_round_trip(small_table: MRIOTable) -> None:
    t = small_table
    t.va_detail["VA"] = t.va * 0.9
    t.va_detail["TLS"] = t.va * 0.1
    for layout in ("long", "wide"):
        frames = t.to_frames(layout)
        back = MRIOTable.from_frames(frames, t.source)
        np.testing.assert_array_equal(back.Z, t.Z)
        np.testing.assert_array_equal(back.Y, t.Y)
        np.testing.assert_array_equal(back.va, t.va)
        np.testing.assert_array_equal(back.x, t.x)
        np.testing.assert_array_equal(back.va_detail["TLS"], t.va_detail["TLS"])
        assert back.regions == t.regions and back.sectors == t.sectors
        assert back.fd_labels == t.fd_labels and back.year == t.year
        assert back.source == t.source
    long = t.to_frames()
    assert set(long["Z"].columns) == {
        "row_region",
        "row_sector",
        "col_region",
        "col_sector",
        "value",
    }
    assert len(long["Z"]) == np.count_nonzero(t.Z)


def test_frames_keep_split_regions(make_table: Callable[..., MRIOTable]) -> None:
    t = split_country_table(make_table)
    back = MRIOTable.from_frames(t.to_frames(), {})
    assert back.country_of == {"MX1": "MEX", "MX2": "MEX"}


# ---------------------------------------------------------------------------- validation


def test_table_validation_errors(small_table: MRIOTable) -> None:
    t = small_table
    args = dict(
        regions=t.regions,
        sectors=t.sectors,
        Z=t.Z,
        Y=t.Y,
        fd_labels=t.fd_labels,
        va=t.va,
        x=t.x,
        year=2000,
    )
    with pytest.raises(
        IOModelError,
        match=r"Z: shape \(20, 20\) does not match 4 regions x "
        r"4 sectors \(expected 16 x 16",
    ):
        MRIOTable(**{**args, "regions": t.regions[:4]})
    Y = t.Y.copy()
    Y[5, 1] = np.nan
    with pytest.raises(IOModelError, match=r"Y: 1 NaN or inf value\(s\), in rows \('R1', 's1'\)"):
        MRIOTable(**{**args, "Y": Y})
    x = t.x.copy()
    x[7] = -1.0
    with pytest.raises(IOModelError, match=r"x: negative gross output for \('R1', 's3'\)"):
        MRIOTable(**{**args, "x": x})
    with pytest.raises(IOModelError, match="year: missing"):
        MRIOTable(**{**args, "year": None})
    with pytest.raises(IOModelError, match=r"final-demand regions \['XXX'\]"):
        MRIOTable(**{**args, "fd_labels": [("XXX", "F0")] + t.fd_labels[1:]})
    with pytest.raises(IOModelError, match=r"regions: duplicate labels \['R0'\]"):
        MRIOTable(**{**args, "regions": ["R0", "R0", "R2", "R3", "R4"]})
    with pytest.raises(IOModelError, match="unknown country 'ZZZ'"):
        t.va_origin_of_exports("ZZZ")
    with pytest.raises(IOModelError, match="same country"):
        t.decompose_bilateral("R1", "R1")


def test_non_productive_table_names_sector(small_table: MRIOTable) -> None:
    t = small_table
    Z = t.Z.copy()
    Z[:, 6] *= 100  # column ('R1', 's2') now uses far more inputs than its output
    bad = MRIOTable(t.regions, t.sectors, Z, t.Y, t.fd_labels, t.va, t.x, year=2000)
    with pytest.raises(IOModelError, match=r"non-productive.*\('R1', 's2'\)"):
        bad.decompose_all_exporters()


# ---------------------------------------------------------------------------- WIOD 2011

MANIFEST_FLOWS = {
    ("USA", "MEX"): 167_275,
    ("MEX", "USA"): 227_467,
    ("USA", "CHN"): 175_335,
    ("CHN", "USA"): 412_844,
    ("USA", "CAN"): 248_302,
}


def test_wiod_gross_flows_match_manifest(wiod_2011: MRIOTable) -> None:
    be = wiod_2011.bilateral_exports()
    for (s, r), value in MANIFEST_FLOWS.items():
        assert be.loc[s, r] == value, (s, r)


def test_wiod_output_equals_leontief_times_final_demand(wiod_2011: MRIOTable) -> None:
    t = wiod_2011
    y = t.Y.sum(axis=1)
    resid = t.x - t.Z.sum(axis=1) - y  # integer rounding of the published table
    assert np.abs(resid).max() <= 108
    xLy = t.L @ y
    # exactly: L y - x = -L (x - Z1 - y)
    np.testing.assert_allclose(xLy - t.x, -(t.L @ resid), atol=1e-6 * t.x.max())
    # and so to rounding: within 0.1 % of the largest output, 2.5e3 of $M
    assert np.abs(xLy - t.x).max() < 2.5e3
    big = t.x > 1e4
    assert np.abs(xLy - t.x)[big].max() / t.x[big].min() < 0.25


def test_wiod_total_value_added_equals_final_demand(wiod_2011: MRIOTable) -> None:
    t = wiod_2011
    # VA = x - Z'1 (balancing item); the gap to final demand is the rows' rounding
    assert t.check_balance()["column"] == 0.0
    gap = t.va.sum() - t.Y.sum()
    assert gap == pytest.approx(t.check_balance()["row_total"], abs=1e-3)
    assert abs(gap) / t.Y.sum() < 1e-3
    # v'L = 1': every unit of final demand is value added somewhere
    np.testing.assert_allclose(t.v @ t.L, 1.0, rtol=1e-12)


def test_wiod_vbe_domestic_plus_foreign_equals_exports(wiod_2011: MRIOTable) -> None:
    t = wiod_2011
    M = t.vbe_matrix()
    exports = t.bilateral_exports().sum(axis=1)
    np.testing.assert_allclose(M.sum(axis=0).to_numpy(), exports.to_numpy(), rtol=1e-11)
    usa = t.va_origin_of_exports("USA")
    dom = usa.loc["USA", "va"]
    foreign = usa.drop("USA")["va"].sum()
    assert dom + foreign == pytest.approx(exports["USA"], rel=1e-12)
    assert 0.05 < foreign / exports["USA"] < 0.2  # U.S. vertical specialisation ~ 10-15 %


def test_wiod_bm_terms_sum_to_bilateral_exports(wiod_2011: MRIOTable) -> None:
    d = wiod_2011.decompose_all_exporters()
    assert len(d) == 41 * 40
    be = wiod_2011.bilateral_exports()
    for (s, r), value in MANIFEST_FLOWS.items():
        assert d.loc[(s, r), "EXGR"] == pytest.approx(value, rel=1e-14)
    total = d[["DVA", "DDC", "FVA", "FDC"]].sum(axis=1)
    np.testing.assert_allclose(total.to_numpy(), d["EXGR"].to_numpy(), rtol=1e-9, atol=1e-6)
    assert d["EXGR"].sum() == pytest.approx(be.to_numpy().sum(), rel=1e-12)
    assert (d[["DVA", "DDC", "FVA", "FDC"]] >= -1e-6).all().all()


def test_wiod_bm_against_explicit_inverse(wiod_2011: MRIOTable) -> None:
    ref = brute_force_bm(wiod_2011, "MEX", "USA")
    got = wiod_2011.decompose_all_exporters().loc[("MEX", "USA")]
    one = wiod_2011.decompose_bilateral("MEX", "USA")
    for k, val in ref.items():
        assert got[k] == pytest.approx(val, rel=1e-9), k
        assert one[k] == pytest.approx(val, rel=1e-9), k


def test_wiod_claim_readings(wiod_2011: MRIOTable) -> None:
    t = wiod_2011
    cmp = compare_sources_in_exports(t, "USA", ("MEX", "CHN"))
    names = [r.name for r in cmp.readings]
    assert names == [
        "fva_usd",
        "fva_share",
        "fva_bm_usd",
        "import_content_usd",
        "import_content_share",
        "direct_imported_inputs_usd",
        "intermediate_imports_usd",
        "own_content_in_imports_share",
        "fva_per_import_dollar",
    ]
    # (a) by definition: v_t B_t,USA e_USA
    L, v = t.L, t.v
    Iu = t.rows_of("USA")
    e = np.zeros(t.n)
    e[Iu] = t.gross_exports().to_numpy()[Iu].sum(axis=1)
    Le = L @ e
    fva = {c: float(v[t.rows_of(c)] @ Le[t.rows_of(c)]) for c in ("MEX", "CHN")}
    r = cmp.reading("fva_usd")
    assert r.values["MEX"] == pytest.approx(fva["MEX"], rel=1e-10)
    assert r.ratio == pytest.approx(fva["MEX"] / fva["CHN"], rel=1e-10)
    assert cmp.reading("fva_share").ratio == pytest.approx(r.ratio, rel=1e-12)
    # intermediate imports straight from the table
    Z = t.Z
    ii = {c: Z[np.ix_(t.rows_of(c), Iu)].sum() for c in ("MEX", "CHN")}
    assert cmp.reading("intermediate_imports_usd").values == pytest.approx(ii, rel=1e-12)
    # U.S. content in U.S. imports from Mexico vs China
    own = cmp.reading("own_content_in_imports_share")
    assert own.values["MEX"] == pytest.approx(t.domestic_content_of_imports("USA", "MEX").share, rel=1e-12)
    assert own.values["MEX"] > own.values["CHN"]
    frame = cmp.to_frame()
    assert list(frame.index) == names and "ratio" in frame.columns
    # reverse claim: U.S. value added in Mexican gross exports
    share = us_content_share(t, "MEX", "USA")
    Im = t.rows_of("MEX")
    em = np.zeros(t.n)
    em[Im] = t.gross_exports().to_numpy()[Im].sum(axis=1)
    assert share == pytest.approx(v[Iu] @ (L @ em)[Iu] / em.sum(), rel=1e-10)
    readings = content_in_exports(t, "MEX", "USA")
    assert readings[0].share == pytest.approx(share, rel=1e-12)
    assert 0.05 < share < 0.25


# ---- readings used only here (moved from usmca.models.mrio: no caller in the package)


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
    ic, _, inter = import_content_by_source(table, exporter)
    ret = table.domestic_content_of_imports(source, exporter)
    return [
        ContentMeasure(
            "va_share",
            f"{source} value added in {exporter} gross exports (HIY)",
            float(vbe.loc[source, "va"]),
            exgr,
        ),
        ContentMeasure(
            "bm_fva_share",
            f"{source} value added in {exporter} gross exports, first exit (BM)",
            float(bm["value_added"].iloc[ti]),
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
    return float(vbe.loc[source, "share"])
