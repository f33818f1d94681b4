"""OECD ICIO CSV reader, on small synthetic files written in the published layouts.

The real files are hundreds of MB, so ``make_synthetic_icio_csv`` writes tiny tables that
follow the published CSV layout of each edition exactly (label formats, row/column order,
primary-input rows, final-demand codes, and the MX1/MX2, CN1/CN2 split of the extended
versions, appended after the other countries with empty MEX/CHN parent rows).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from usmca.models import IOModelError, MRIOTable
from usmca.sources.oecd_icio import read_icio

SPLIT_OF = {"MEX": ("MX1", "MX2"), "CHN": ("CN1", "CN2")}
SECTORS_BY_VARIANT = {
    "2023": ["A01_02", "C26", "G"],  # ISIC Rev. 4 letter codes of the 2023 edition
    "2021": ["01T02", "26", "45T47"],
    "2018": ["01T03", "26", "45T47"],
}
FD_BY_VARIANT = {
    "2023": ("HFCE", "NPISH", "GGFC", "GFCF", "INVNT", "DPABR"),
    "2021": ("HFCE", "NPISH", "GGFC", "GFCF", "INVNT", "DPABR"),
    "2018": ("HFCE", "NPISH", "GGFC", "GFCF", "INVNT", "P33"),
}


def make_synthetic_icio_csv(
    tmp_path: Path,
    regions: list[str] | None = None,
    sectors: list[str] | None = None,
    variant: str = "2023",
    split: bool = True,
    year: int = 2020,
    seed: int = 0,
) -> tuple[Path, dict[str, object]]:
    """Write a synthetic ICIO CSV; return its path and the arrays it holds.

    ``variant``: ``"2023"`` (index header ``V1``; rows TLS, VA, OUT; column OUT),
    ``"2021"`` (same labels, empty index header, numeric industry codes) or ``"2018"``
    (rows ``<CTRY>_TAXSUB``, VALU, OUTPUT; column TOTAL).  With ``split=True`` every
    MEX/CHN industry row is split into MX1/MX2 (CN1/CN2) rows appended at the end and the
    MEX/CHN rows are left empty, as in the extended tables.
    """
    regions = regions or ["CAN", "CHN", "MEX", "USA", "ROW"]
    sectors = sectors or SECTORS_BY_VARIANT[variant]
    fd_codes = FD_BY_VARIANT[variant]
    rng = np.random.default_rng(seed)
    z_regions = list(regions)
    if split:
        # published order: MX1, MX2, CN1, CN2 after all other countries
        z_regions += [s for parent in ("MEX", "CHN") if parent in regions for s in SPLIT_OF[parent]]
    N = len(sectors)
    n = len(z_regions) * N
    Z = np.round(rng.random((n, n)) * 100, 3)
    Y = np.round(rng.random((n, len(regions) * len(fd_codes))) * 300, 3)
    Y[:, len(fd_codes) - 2 :: len(fd_codes)] -= 40.0  # inventories may be negative
    if split:  # extended tables: parent rows/columns are empty
        for parent in SPLIT_OF:
            if parent in regions:
                k = z_regions.index(parent)
                Z[k * N : (k + 1) * N] = 0.0
                Z[:, k * N : (k + 1) * N] = 0.0
                Y[k * N : (k + 1) * N] = 0.0
    x = Z.sum(axis=1) + Y.sum(axis=1)
    tls = np.round(x * 0.02, 3)
    va = x - Z.sum(axis=0) - tls
    labels = [f"{r}_{s}" for r in z_regions for s in sectors]
    fd_labels = [f"{r}_{c}" for r in regions for c in fd_codes]
    out_col = "TOTAL" if variant == "2018" else "OUT"
    body = pd.DataFrame(np.hstack([Z, Y, x[:, None]]), index=labels, columns=labels + fd_labels + [out_col])
    fd_zero = np.zeros(len(fd_labels) + 1)
    if variant == "2018":
        # taxes less subsidies paid to each country: split the total across countries
        shares = rng.dirichlet(np.ones(len(regions)))
        tax_rows = {f"{r}_TAXSUB": np.concatenate([tls * w, fd_zero]) for r, w in zip(regions, shares, strict=True)}
        tail = {
            **tax_rows,
            "VALU": np.concatenate([va, fd_zero]),
            "OUTPUT": np.concatenate([x, fd_zero]),
        }
    else:
        tail = {
            "TLS": np.concatenate([tls, fd_zero]),
            "VA": np.concatenate([va, fd_zero]),
            "OUT": np.concatenate([x, fd_zero]),
        }
    frame = pd.concat([body, pd.DataFrame(tail, index=body.columns).T])
    frame.index.name = "V1" if variant == "2023" else None
    name = f"synthetic_ICIO{variant}_{year}.csv"
    path = tmp_path / name
    frame.to_csv(path)
    return path, {
        "Z": Z,
        "Y": Y,
        "x": x,
        "va": va,
        "tls": tls,
        "z_regions": z_regions,
        "regions": regions,
        "sectors": sectors,
        "fd_codes": fd_codes,
    }


def test_layout_of_the_synthetic_2023_file(tmp_path: Path) -> None:
    path, _ = make_synthetic_icio_csv(tmp_path, variant="2023")
    lines = path.read_text().splitlines()
    header = lines[0].split(",")
    assert header[0] == "V1" and header[1] == "CAN_A01_02" and header[-1] == "OUT"
    assert "MEX_HFCE" in header and "USA_DPABR" in header and "MX1_HFCE" not in header
    assert [ln.split(",")[0] for ln in lines[-3:]] == ["TLS", "VA", "OUT"]
    assert lines[-5].startswith("CN2_")  # splits come after the other countries


@pytest.mark.parametrize("variant", ["2023", "2021", "2018"])
def test_parse_each_edition_keeps_splits(tmp_path: Path, variant: str) -> None:
    path, d = make_synthetic_icio_csv(tmp_path, variant=variant, split=True)
    t = read_icio(path)
    assert t.year == 2020
    assert t.source["layout"] == ("2016-2018" if variant == "2018" else "2021+")
    assert t.source["edition"] == variant
    assert t.source["index_header"] == ("V1" if variant == "2023" else "")
    # empty parents dropped, splits kept and mapped to their country
    assert t.regions == ["CAN", "USA", "ROW", "MX1", "MX2", "CN1", "CN2"]
    assert t.country_of == {"MX1": "MEX", "MX2": "MEX", "CN1": "CHN", "CN2": "CHN"}
    assert t.countries == ["CAN", "USA", "ROW", "MEX", "CHN"]
    assert t.sectors == d["sectors"]
    assert t.fd_labels[:6] == [("CAN", c) for c in d["fd_codes"]]
    assert ("MEX", "HFCE") in t.fd_labels
    # values: the MX1 block of Z is where the file put it
    N = len(d["sectors"])
    zr = d["z_regions"]
    k_file, k_tab = zr.index("MX1"), t.regions.index("MX1")
    u_file, u_tab = zr.index("USA"), t.regions.index("USA")
    np.testing.assert_array_equal(
        t.Z[k_tab * N : (k_tab + 1) * N, u_tab * N : (u_tab + 1) * N],
        d["Z"][k_file * N : (k_file + 1) * N, u_file * N : (u_file + 1) * N],
    )
    np.testing.assert_allclose(t.va_detail["VA"], t.va - t.va_detail["TLS"], atol=1e-6)
    np.testing.assert_allclose(t.va.sum(), (d["va"] + d["tls"]).sum(), rtol=1e-12)
    assert t.check_balance()["row"] < 1e-6
    assert len(t.source["sha256"]) == 64


def test_aggregation_of_splits_is_exact(tmp_path: Path) -> None:
    path, d = make_synthetic_icio_csv(tmp_path, variant="2023", split=True)
    t = read_icio(path)
    agg = t.aggregate_regions({"MX1": "MEX", "MX2": "MEX", "CN1": "CHN", "CN2": "CHN"})
    assert agg.regions == ["CAN", "USA", "ROW", "MEX", "CHN"] and agg.country_of == {}
    N = len(d["sectors"])
    zr = d["z_regions"]

    def blk(M: np.ndarray, r: str, c: str) -> np.ndarray:
        i, j = zr.index(r), zr.index(c)
        return M[i * N : (i + 1) * N, j * N : (j + 1) * N]

    a = agg.regions.index("MEX")
    u = agg.regions.index("USA")
    np.testing.assert_array_equal(
        agg.Z[a * N : (a + 1) * N, u * N : (u + 1) * N],
        blk(d["Z"], "MX1", "USA") + blk(d["Z"], "MX2", "USA"),
    )
    np.testing.assert_array_equal(
        agg.Z[a * N : (a + 1) * N, a * N : (a + 1) * N],
        (blk(d["Z"], "MX1", "MX1") + blk(d["Z"], "MX2", "MX1"))
        + (blk(d["Z"], "MX1", "MX2") + blk(d["Z"], "MX2", "MX2")),
    )
    # gross exports are a country-level concept: identical before and after
    pd.testing.assert_frame_equal(
        agg.bilateral_exports().loc[t.countries, t.countries],
        t.bilateral_exports(),
        rtol=1e-13,
    )
    assert agg.x.sum() == pytest.approx(t.x.sum(), rel=1e-14)
    np.testing.assert_allclose(agg.va_detail["TLS"].sum(), d["tls"].sum(), rtol=1e-12)
    # and the split table supports the decompositions directly
    dec = t.decompose_all_exporters()
    np.testing.assert_allclose(dec[["DVA", "DDC", "FVA", "FDC"]].sum(1), dec["EXGR"], rtol=1e-12)
    assert isinstance(MRIOTable.from_frames(t.to_frames(), t.source), MRIOTable)


def test_unsplit_file(tmp_path: Path) -> None:
    path, d = make_synthetic_icio_csv(tmp_path, variant="2021", split=False)
    t = read_icio(path)
    assert t.regions == d["regions"] and t.country_of == {}
    np.testing.assert_array_equal(t.Z, d["Z"])
    np.testing.assert_allclose(t.x, d["x"])


def test_keep_empty_parents_on_request(tmp_path: Path) -> None:
    path, _ = make_synthetic_icio_csv(tmp_path, variant="2023", split=True)
    t = read_icio(path, drop_empty_parents=False)
    assert "MEX" in t.regions and "MX1" in t.regions
    assert t.countries.count("MEX") == 1
    assert t.rows_of("MEX").size == 3 * len(t.sectors)


def test_unknown_layouts_are_rejected(tmp_path: Path) -> None:
    path, _ = make_synthetic_icio_csv(tmp_path, variant="2023", split=False)
    raw = pd.read_csv(path, index_col=0)
    bad = raw.rename(index={"VA": "VALU"})  # mixes 2021+ and 2016-2018 labels
    p1 = tmp_path / "mixed_2020.csv"
    bad.to_csv(p1)
    with pytest.raises(IOModelError, match="mixed_2020.csv: unknown ICIO layout: mixes"):
        read_icio(p1)
    bad = raw.rename(columns={"USA_HFCE": "USA_XYZ"})
    p2 = tmp_path / "cols_2020.csv"
    bad.to_csv(p2)
    with pytest.raises(IOModelError, match=r"unknown column\(s\) \['USA_XYZ'\]"):
        read_icio(p2)
    bad = raw.rename(index={"TLS": "FOO"})
    p3 = tmp_path / "rows_2020.csv"
    bad.to_csv(p3)
    with pytest.raises(IOModelError, match=r"unknown row\(s\) \['FOO'\]"):
        read_icio(p3)
    bad = raw.drop(index=["TLS", "VA", "OUT"], columns=["OUT"])
    p4 = tmp_path / "bare_2020.csv"
    bad.to_csv(p4)
    with pytest.raises(IOModelError, match="unknown ICIO layout: found neither"):
        read_icio(p4)


def test_bad_values_and_missing_year(tmp_path: Path) -> None:
    path, _ = make_synthetic_icio_csv(tmp_path, variant="2023", split=False)
    raw = pd.read_csv(path, index_col=0)
    raw.loc["USA_C26", "CAN_G"] = np.nan
    p = tmp_path / "nan_2020.csv"
    raw.to_csv(p)
    with pytest.raises(
        IOModelError,
        match=r"Z has 1 empty/NaN cell\(s\), e.g. at "
        r"\[\('USA', 'C26'\)\]",
    ):
        read_icio(p)
    p2 = tmp_path / "noyear.csv"
    pd.read_csv(path, index_col=0).to_csv(p2)
    with pytest.raises(IOModelError, match="missing year"):
        read_icio(p2)
    assert read_icio(p2, year=2019).year == 2019
    raw = pd.read_csv(path, index_col=0)
    raw.loc["OUT", "USA_G"] = -5.0
    p3 = tmp_path / "neg_2020.csv"
    raw.to_csv(p3)
    with pytest.raises(IOModelError, match=r"negative gross output for \('USA', 'G'\)"):
        read_icio(p3)
