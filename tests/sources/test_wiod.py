"""WIOD 2013 release reader: the real 2011 file and small synthetic RData files."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from usmca.models import IOModelError
from usmca.sources.wiod import (
    FINAL_DEMAND_CATEGORIES,
    WIOD_YEARS,
    find_wiot,
    read_wiot,
)

rdata = pytest.importorskip("rdata")


def write_synthetic_wiot(path: Path, year: int = 2000, **override: object) -> Path:
    """A tiny synthetic WIOD-2013-shaped RData file: 2 countries x 2 industries."""
    countries = np.array(["AAA", "BBB"])
    industries = np.array(["c1", "c2"])
    inter = np.arange(1, 17, dtype=np.int32).reshape(4, 4)
    final = np.arange(100, 140, dtype=np.int32).reshape(4, 10)
    output = inter.sum(axis=1) + final.sum(axis=1)
    item: dict[str, object] = {
        "year": np.array([year], dtype=np.int32),
        "countries": countries,
        "industries": industries,
        "inter": inter,
        "final": final,
        "output": output.astype(np.int32),
    }
    for k, v in override.items():
        if v is None:
            item.pop(k)
        else:
            item[k] = v
    rdata.write_rda(path, {f"wiot_{year}": item})
    return path


@pytest.fixture(scope="module")
def wiod_folder(shared_data: Path) -> Path:
    folder = shared_data / "wiod_2013_release"
    if not (folder / "wiot_2011.RData").exists():
        pytest.skip("WIOD 2013 release files are missing")
    return folder


def test_read_real_2011(wiod_folder: Path) -> None:
    path = find_wiot(wiod_folder, 2011)
    t = read_wiot(path)
    assert t.year == 2011
    assert len(t.regions) == 41 and t.regions[-1] == "RoW"
    assert {"CAN", "CHN", "MEX", "USA"} <= set(t.regions)
    assert t.sectors == [f"c{i}" for i in range(1, 36)]
    assert t.Z.shape == (1435, 1435) and t.Y.shape == (1435, 205)
    assert t.fd_labels[:5] == [("AUS", c) for c in FINAL_DEMAND_CATEGORIES]
    assert t.fd_labels[-1] == ("RoW", "INVEN")
    np.testing.assert_array_equal(t.va, t.x - t.Z.sum(axis=0))
    assert t.source["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert t.source["release"] == "2013" and t.source["file"] == "wiot_2011.RData"
    # USA -> MEX by hand: intermediate block + Mexico's five final-demand columns
    u, m = t.regions.index("USA"), t.regions.index("MEX")
    flow = (
        t.Z[u * 35 : (u + 1) * 35, m * 35 : (m + 1) * 35].sum() + t.Y[u * 35 : (u + 1) * 35, m * 5 : (m + 1) * 5].sum()
    )
    assert flow == 167_275
    assert read_wiot(wiod_folder, year=2011).source["sha256"] == t.source["sha256"]


def test_years_and_missing_year(tmp_path: Path) -> None:
    assert WIOD_YEARS[0] == 1995 and WIOD_YEARS[-1] == 2011 and len(WIOD_YEARS) == 17
    write_synthetic_wiot(tmp_path / "wiot_2000.RData", 2000)
    assert find_wiot(tmp_path, 2000).name == "wiot_2000.RData"
    with pytest.raises(IOModelError, match=r"missing year 2001; years present: \[2000\]"):
        find_wiot(tmp_path, 2001)
    with pytest.raises(IOModelError, match="year 2014: not in the WIOD 2013 release"):
        find_wiot(tmp_path, 2014)
    with pytest.raises(IOModelError, match="is a folder; say which year"):
        read_wiot(tmp_path)


def test_synthetic_file_is_read_in_layout_order(tmp_path: Path) -> None:
    t = read_wiot(write_synthetic_wiot(tmp_path / "wiot_2000.RData"))
    assert t.regions == ["AAA", "BBB"] and t.sectors == ["c1", "c2"]
    assert t.labels[2] == ("BBB", "c1")
    assert t.fd_labels[5] == ("BBB", "CONS_h")
    assert t.Y[0, 5] == 105.0  # row AAA c1, column BBB households
    assert t.bilateral_exports().loc["AAA", "BBB"] == (3 + 4 + 7 + 8) + sum(range(105, 110)) + sum(range(115, 120))


def test_not_an_rdata_file(tmp_path: Path) -> None:
    bad = tmp_path / "wiot_2005.RData"
    bad.write_bytes(b"this is not R data\n" * 10)
    with pytest.raises(IOModelError, match=r"wiot_2005\.RData: not a readable RData file"):
        read_wiot(bad)
    with pytest.raises(IOModelError, match="file not found"):
        read_wiot(tmp_path / "wiot_1999.RData")


def test_missing_item(tmp_path: Path) -> None:
    p = write_synthetic_wiot(tmp_path / "wiot_2000.RData", inter=None)
    with pytest.raises(IOModelError, match=r"wiot_2000\.RData: missing item\(s\) \['inter'\]"):
        read_wiot(p)


def test_wrong_shapes(tmp_path: Path) -> None:
    p = write_synthetic_wiot(tmp_path / "wiot_2000.RData", inter=np.ones((3, 3), np.int32))
    with pytest.raises(
        IOModelError,
        match=r"'inter' has shape \(3, 3\), expected \(4, 4\) "
        r"= 2 countries x 2 industries",
    ):
        read_wiot(p)
    p = write_synthetic_wiot(tmp_path / "wiot_2000.RData", final=np.ones((4, 8), np.int32))
    with pytest.raises(IOModelError, match=r"'final' has shape \(4, 8\), expected \(4, 10\)"):
        read_wiot(p)


def test_nan_values(tmp_path: Path) -> None:
    final = np.arange(100, 140, dtype=float).reshape(4, 10)
    final[3, 2] = np.nan
    p = write_synthetic_wiot(tmp_path / "wiot_2000.RData", final=final)
    with pytest.raises(
        IOModelError,
        match=r"item 'final' has 1 NaN/inf value\(s\), rows "
        r"\('BBB', 'c2'\)",
    ):
        read_wiot(p)


def test_year_mismatch(tmp_path: Path) -> None:
    p = write_synthetic_wiot(tmp_path / "wiot_2001.RData", 2000)
    with pytest.raises(IOModelError, match="file name says 2001 but item 'year' is 2000"):
        read_wiot(p)
