"""CBP drug seizures (MANIFEST section 5)."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from usmca.errors import DataFormatError
from usmca.sources import cbp_seizures
from usmca.sources.base import ParsedFile

FILES = {
    "nationwide-drugs-fy19-fy22.csv": "cbp.drugs",
    "nationwide-drugs-fy23-fy26-dec.csv": "cbp.drugs",
    "amo-drug-seizures-fy19-fy22.csv": "cbp.amo_drugs",
    "amo-drug-seizures-fy23-fy26-dec.csv": "cbp.amo_drugs",
}
CHECKED_FENTANYL = {  # pounds, MANIFEST section 5
    2019: 2_804,
    2020: 4_791,
    2021: 11_201,
    2022: 14_700,
    2023: 27_023,
    2024: 21_889,
    2025: 12_027,
    2026: 3_398,
}


@pytest.fixture(scope="module")
def folder(shared_data: Path) -> Path:
    return shared_data / "cbp_drug_seizures"


@pytest.fixture(scope="module")
def parsed_files(folder: Path) -> dict[str, ParsedFile]:
    out = {}
    for name, dataset in FILES.items():
        parse = cbp_seizures.parse_drugs if dataset == "cbp.drugs" else cbp_seizures.parse_amo
        out[name] = parse(folder / name)
    return out


def independent_fentanyl(path: Path) -> dict[int, float]:
    """Plain csv module: pounds of Drug Type 'Fentanyl' by the leading year of the FY cell."""
    out: dict[int, float] = defaultdict(float)
    with open(path, newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            if row["Drug Type"] == "Fentanyl":
                out[int(row["FY"][:4])] += float(row["Sum Qty (lbs)"])
    return dict(out)


def test_fentanyl_pounds_by_fiscal_year(parsed_files: dict[str, ParsedFile], folder: Path) -> None:
    ours: dict[int, float] = {}
    expected: dict[int, float] = {}
    for name in ("nationwide-drugs-fy19-fy22.csv", "nationwide-drugs-fy23-fy26-dec.csv"):
        df = parsed_files[name].tables["seizures"]
        fent = df[df["drug"] == "Fentanyl"].groupby("fiscal_year")["quantity_lb"].sum()
        ours.update({int(k): float(v) for k, v in fent.items()})
        expected.update(independent_fentanyl(folder / name))
    assert ours.keys() == expected.keys() == CHECKED_FENTANYL.keys()
    for fy in ours:
        assert ours[fy] == pytest.approx(expected[fy], rel=1e-12)
        assert round(ours[fy]) == CHECKED_FENTANYL[fy], fy


def test_fy2026_is_fytd_and_parsed(parsed_files: dict[str, ParsedFile], folder: Path) -> None:
    raw = pd.read_csv(folder / "nationwide-drugs-fy23-fy26-dec.csv", dtype=str)
    assert "2026 (FYTD)" in set(raw["FY"])
    p = parsed_files["nationwide-drugs-fy23-fy26-dec.csv"]
    df = p.tables["seizures"]
    fy26 = df[df["fiscal_year"] == 2026]
    assert len(fy26) == int((raw["FY"] == "2026 (FYTD)").sum())
    assert set(zip(fy26["year"], fy26["month"], strict=True)) == {(2025, 10), (2025, 11), (2025, 12)}
    assert any("2026 (FYTD)" in n for n in p.notes)
    assert p.vintage == date(2026, 1, 1)
    assert parsed_files["nationwide-drugs-fy19-fy22.csv"].vintage == date(2022, 10, 1)


def test_normalised_columns(parsed_files: dict[str, ParsedFile]) -> None:
    nat = parsed_files["nationwide-drugs-fy23-fy26-dec.csv"]
    df = nat.tables["seizures"]
    assert set(df["component"]) == {"OFO", "USBP"}
    assert set(df["region"]) == {"southwest", "northern", "coastal_interior"}
    assert set(df["land_filter"]) == {"land", "other"}
    assert "Other Drugs" in set(df["drug"])
    assert not df["drug"].str.contains(r"\*").any()
    assert any("'Other Drugs**' -> 'Other Drugs'" in n for n in nat.notes)
    assert "TUCSON SECTOR" in set(df["area"])
    amo = parsed_files["amo-drug-seizures-fy23-fy26-dec.csv"].tables["seizures"]
    assert set(amo["component"]) == {"AMO"}
    assert "Tucson Air Branch" in set(amo["area"])
    assert set(amo["land_filter"]) == {"land", "other"}


def test_no_duplicates_in_the_real_files(parsed_files: dict[str, ParsedFile], folder: Path) -> None:
    for name, p in parsed_files.items():
        assert not any("summed" in n for n in p.notes), name
        raw_rows = len((folder / name).read_text(encoding="utf-8-sig").splitlines()) - 1
        assert len(p.tables["seizures"]) == raw_rows


def test_events_and_pounds_totals(parsed_files: dict[str, ParsedFile], folder: Path) -> None:
    for name, p in parsed_files.items():
        raw = pd.read_csv(folder / name)
        df = p.tables["seizures"]
        assert df["events"].sum() == raw["Count of Event"].sum()
        assert df["quantity_lb"].sum() == pytest.approx(raw["Sum Qty (lbs)"].sum(), rel=1e-12)


def test_true_duplicates_are_summed(folder: Path, tmp_path: Path) -> None:
    raw = pd.read_csv(folder / "amo-drug-seizures-fy23-fy26-dec.csv", dtype=str)
    twin = raw.iloc[[3]].copy()
    twin["Count of Event"] = "2"
    twin["Sum Qty (lbs)"] = "10.5"
    path = tmp_path / "amo-drug-seizures-dup.csv"
    pd.concat([raw, twin], ignore_index=True).to_csv(path, index=False)
    p = cbp_seizures.parse_amo(path)
    df = p.tables["seizures"]
    assert len(df) == len(raw)
    assert df["events"].sum() == pd.to_numeric(raw["Count of Event"]).sum() + 2
    assert any("1 rows repeating every dimension" in n for n in p.notes)


def test_a_repeated_month_is_an_error(folder: Path, tmp_path: Path) -> None:
    raw = pd.read_csv(folder / "amo-drug-seizures-fy23-fy26-dec.csv", dtype=str)
    dec = raw[(raw["FY"] == "2026 (FYTD)") & (raw["Month (abbv)"] == "DEC")]
    path = tmp_path / "amo-drug-seizures-rep.csv"
    pd.concat([raw, dec], ignore_index=True).to_csv(path, index=False)
    with pytest.raises(DataFormatError, match="duplicated period"):
        cbp_seizures.parse_amo(path)


def test_detect(folder: Path) -> None:
    for name, dataset in FILES.items():
        assert cbp_seizures.detect_drugs(folder / name) == (dataset == "cbp.drugs")
        assert cbp_seizures.detect_amo(folder / name) == (dataset == "cbp.amo_drugs")
