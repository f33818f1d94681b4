"""CBP encounters: every checked fiscal-year total of MANIFEST section 3, through the store."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from usmca.errors import DataFormatError
from usmca.sources import cbp_encounters
from usmca.store import Store, open_reader

NATIONWIDE = [
    "nationwide-encounters-fy20-fy23-state.csv",
    "nationwide-encounters-fy21-fy24-state.csv",
    "nationwide-encounters-fy22-fy25-state.csv",
    "nationwide-encounters-fy23-fy26-nov-state.csv",
]
SBO = "sbo-encounters-fy22-fy25-aug.csv"

CHECKED = {  # fiscal year: (nationwide, southwest land border)
    2020: (646_822, 458_088),
    2021: (1_956_519, 1_734_686),
    2022: (2_766_582, 2_378_944),
    2023: (3_201_144, 2_475_669),
    2024: (2_901_142, 2_135_005),
    2025: (691_906, 443_671),
}


@pytest.fixture(scope="module")
def folder(shared_data: Path) -> Path:
    return shared_data / "cbp_encounters"


@pytest.fixture(scope="module")
def loaded(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Store:
    """A store holding all four nationwide files (oldest first) and the sbo file."""
    store = Store(tmp_path_factory.mktemp("encounters") / "store")
    for name in NATIONWIDE:
        assert store.load(cbp_encounters.parse_nationwide(folder / name)).status == "loaded"
    assert store.load(cbp_encounters.parse_southwest(folder / SBO)).status == "loaded"
    return store


def current_totals(store: Store, region: str | None = None) -> dict[int, int]:
    reader = open_reader(store, use_snapshot=False)
    try:
        where = "AND region = ?" if region else ""
        rows = reader.df(
            f"SELECT fiscal_year, sum(count) AS n FROM encounters "
            f"WHERE dataset = 'cbp.nationwide' {where} GROUP BY 1 ORDER BY 1",
            [region] if region else [],
        )
    finally:
        reader.close()
    return {int(r.fiscal_year): int(r.n) for r in rows.itertuples()}


def test_every_fiscal_year_total_from_the_store(loaded: Store) -> None:
    totals = current_totals(loaded)
    for fy, (nationwide, _) in CHECKED.items():
        assert totals[fy] == nationwide, fy
    assert totals[2026] == 60_926  # FY2026 to date (October-November 2025), newest file


def test_southwest_column(loaded: Store) -> None:
    totals = current_totals(loaded, "southwest")
    for fy, (_, southwest) in CHECKED.items():
        assert totals[fy] == southwest, fy


def test_june_2025(loaded: Store) -> None:
    reader = open_reader(loaded, use_snapshot=False)
    try:
        n = reader.one(
            "SELECT sum(count) FROM encounters WHERE dataset = 'cbp.nationwide' AND year = 2025 AND month = 6"
        )
    finally:
        reader.close()
    assert n == 25_185


def test_newest_vintage_wins_and_older_files_stay(loaded: Store) -> None:
    con = duckdb.connect(str(loaded.db_path), read_only=True)
    try:
        vintages = con.execute(
            "SELECT file_name, vintage FROM sources WHERE dataset = 'cbp.nationwide' ORDER BY vintage"
        ).fetchall()
        assert [v for _, v in vintages] == [date(2023, 10, 1), date(2024, 10, 1), date(2025, 10, 1), date(2025, 12, 1)]
        assert [f for f, _ in vintages] == NATIONWIDE
        # Each month of the current table comes from exactly one file: the newest that has it.
        per_month = con.execute(
            "SELECT year, month, count(DISTINCT source_id) AS n, any_value(s.file_name) AS f "
            "FROM encounters_current JOIN sources s USING (source_id) "
            "WHERE encounters_current.dataset = 'cbp.nationwide' GROUP BY 1, 2"
        ).df()
        assert (per_month["n"] == 1).all()
        oct_2022 = per_month[(per_month["year"] == 2022) & (per_month["month"] == 10)]
        assert oct_2022["f"].iloc[0] == NATIONWIDE[-1]
        oct_2019 = per_month[(per_month["year"] == 2019) & (per_month["month"] == 10)]
        assert oct_2019["f"].iloc[0] == NATIONWIDE[0]
        # The raw table keeps every file's rows.
        raw = con.execute("SELECT count(*) FROM encounters WHERE dataset = 'cbp.nationwide'").fetchone()
        assert raw is not None and raw[0] == 42_532 + 46_995 + 47_100 + 37_161
    finally:
        con.close()


def test_overlapping_months_agree(loaded: Store) -> None:
    con = duckdb.connect(str(loaded.db_path), read_only=True)
    try:
        per_file = con.execute(
            "SELECT source_id, year, month, sum(count) AS n FROM encounters "
            "WHERE dataset = 'cbp.nationwide' GROUP BY 1, 2, 3"
        ).df()
    finally:
        con.close()
    spread = per_file.groupby(["year", "month"])["n"].agg(["min", "max", "size"])
    overlapping = spread[spread["size"] > 1]
    assert len(overlapping) == 5 * 12  # FY2021-FY2025 are each in two or more files
    assert (overlapping["min"] == overlapping["max"]).all()


def test_southwest_file_matches_the_nationwide_southwest_column(loaded: Store) -> None:
    reader = open_reader(loaded, use_snapshot=False)
    try:
        df = reader.df(
            "SELECT dataset, fiscal_year, sum(count) AS n FROM encounters "
            "WHERE region = 'southwest' AND fiscal_year BETWEEN 2022 AND 2024 GROUP BY 1, 2"
        )
    finally:
        reader.close()
    wide = df.pivot(index="fiscal_year", columns="dataset", values="n")
    assert (wide["cbp.southwest"] == wide["cbp.nationwide"]).all()
    for fy in (2022, 2023, 2024):
        assert wide.loc[fy, "cbp.southwest"] == CHECKED[fy][1]


def test_tidy_columns(folder: Path) -> None:
    p = cbp_encounters.parse_nationwide(folder / NATIONWIDE[-1])
    df = p.tables["encounters"]
    assert p.vintage == date(2025, 12, 1)  # last month November 2025
    assert set(df["component"]) == {"ALL"}
    assert set(df["region"]) == {"southwest", "northern", "other"}
    assert df["encounter_type"].isna().all()
    assert {"MEX", "CHN", "MMR", "OTHER"} <= set(df["citizenship"])
    # FY2026 is labelled "2026 (FYTD)"; October of FY2026 is October 2025.
    fy26 = df[df["fiscal_year"] == 2026]
    assert set(zip(fy26["year"], fy26["month"], strict=True)) == {(2025, 10), (2025, 11)}
    sbo = cbp_encounters.parse_southwest(folder / SBO)
    s = sbo.tables["encounters"]
    assert sbo.vintage == date(2025, 9, 1)  # through August 2025
    assert set(s["component"]) == {"USBP", "OFO"}
    assert set(s["region"]) == {"southwest"}
    assert set(s["encounter_type"]) == {"Apprehensions", "Expulsions", "Inadmissibles"}
    assert int(s[s["fiscal_year"] == 2025]["count"].sum()) == 432_059


def test_detect(folder: Path) -> None:
    for name in NATIONWIDE:
        assert cbp_encounters.detect_nationwide(folder / name)
        assert not cbp_encounters.detect_southwest(folder / name)
    assert cbp_encounters.detect_southwest(folder / SBO)
    assert not cbp_encounters.detect_nationwide(folder / SBO)


# -- duplicates -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sbo_rows(folder: Path) -> pd.DataFrame:
    return pd.read_csv(folder / SBO, dtype=str, keep_default_na=False)


def write(df: pd.DataFrame, path: Path) -> Path:
    df.to_csv(path, index=False)
    return path


def test_real_files_have_no_duplicate_rows(folder: Path) -> None:
    for name in [*NATIONWIDE, SBO]:
        p = (cbp_encounters.parse_southwest if name == SBO else cbp_encounters.parse_nationwide)(folder / name)
        assert not any("summed" in n for n in p.notes), name


def test_rows_repeating_every_dimension_are_summed(sbo_rows: pd.DataFrame, tmp_path: Path) -> None:
    extra = sbo_rows.iloc[[0, 5]].copy()
    extra["Encounter Count"] = ["7", "11"]
    df = pd.concat([sbo_rows, extra], ignore_index=True)
    p = cbp_encounters.parse_southwest(write(df, tmp_path / "sbo-encounters-dup.csv"))
    out = p.tables["encounters"]
    assert len(out) == len(sbo_rows)
    total = pd.to_numeric(sbo_rows["Encounter Count"]).sum()
    assert out["count"].sum() == total + 18
    assert any("2 rows repeating every dimension" in n for n in p.notes)


def test_a_month_under_two_month_groupings_is_an_error(sbo_rows: pd.DataFrame, tmp_path: Path) -> None:
    # The same month listed twice: once as FYTD and again as Remaining.
    oct22 = sbo_rows[(sbo_rows["Fiscal Year"] == "2022") & (sbo_rows["Month (abbv)"] == "OCT")]
    again = oct22.copy()
    again["Month Grouping"] = "Remaining"
    df = pd.concat([sbo_rows, again], ignore_index=True)
    path = write(df, tmp_path / "sbo-encounters-twice.csv")
    with pytest.raises(DataFormatError, match="listed twice") as e:
        cbp_encounters.parse_southwest(path)
    assert e.value.row == len(sbo_rows) + 2  # the first repeated line
    assert e.value.column == "Month Grouping"
    assert "sbo-encounters-twice.csv" in str(e.value)


def test_a_month_under_two_fiscal_year_labels_is_an_error(sbo_rows: pd.DataFrame, tmp_path: Path) -> None:
    aug25 = sbo_rows[(sbo_rows["Fiscal Year"] == "2025 (FYTD)") & (sbo_rows["Month (abbv)"] == "AUG")]
    again = aug25.copy()
    again["Fiscal Year"] = "2025"
    path = write(pd.concat([sbo_rows, again], ignore_index=True), tmp_path / "sbo-encounters-fy.csv")
    with pytest.raises(DataFormatError, match="listed twice"):
        cbp_encounters.parse_southwest(path)


def test_a_repeated_month_block_is_an_error(sbo_rows: pd.DataFrame, tmp_path: Path) -> None:
    # A whole month repeated under the same labels (two exports pasted together).
    jan23 = sbo_rows[(sbo_rows["Fiscal Year"] == "2023") & (sbo_rows["Month (abbv)"] == "JAN")]
    path = write(pd.concat([sbo_rows, jan23], ignore_index=True), tmp_path / "sbo-encounters-rep.csv")
    with pytest.raises(DataFormatError, match="duplicated period"):
        cbp_encounters.parse_southwest(path)
