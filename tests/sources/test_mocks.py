"""Every source parses its own tiny mock file (tests/sources/mock/<source id>/), without ../shared.

The mock files hold invented values in the agency's layout (README.md there; the binary ones are
written by make_mocks.py). Each test below checks figures worked out by hand from those values,
so a parser that misreads a column, a unit or a period fails here even where the real files are
not available. The store tests load all mocks and check the reload rule: a file is skipped,
before it is parsed, only while its sha256, parser version and package version are unchanged.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from usmca import pipeline
from usmca.pipeline import load_paths
from usmca.sources import REGISTRY, detect_source, load_all
from usmca.sources.base import is_companion
from usmca.store import Store, catalog
from usmca.tables import ParsedFile

MOCK = Path(__file__).resolve().parent / "mock"


def mock_files(source_id: str) -> list[Path]:
    """The data files of a source's mock folder (companions such as Metadata_* or READMEs excluded)."""
    folder = MOCK / source_id
    return sorted(p for p in folder.iterdir() if p.is_file() and not is_companion(p) and p.suffix not in (".md", ".py"))


def parse_mock(source_id: str) -> ParsedFile:
    (path,) = mock_files(source_id)
    info = detect_source(path)
    assert info.id == source_id, f"{path.name} is detected as {info.id}, not {source_id}"
    return info.parse(path)


def one(df: pd.DataFrame, column: str, **where: Any) -> Any:
    """The single value of `column` in the row matching `where` (None matches a NULL)."""
    mask = pd.Series(True, index=df.index)
    for k, v in where.items():
        mask &= df[k].isna() if v is None else (df[k] == v)
    rows = df[mask]
    assert len(rows) == 1, f"{len(rows)} rows match {where}"
    return rows[column].iloc[0]


def test_every_registered_source_has_a_mock_that_detects_as_it() -> None:
    reg = load_all()
    missing = [sid for sid in reg if not (MOCK / sid).is_dir() or not mock_files(sid)]
    assert not missing, f"sources without a mock file under tests/sources/mock/: {missing}"
    for sid in reg:
        for path in mock_files(sid):
            assert detect_source(path).id == sid, path


# -- one check per source: values worked out from the mock files by hand -----------------------------
def _cbp_southwest(p: ParsedFile) -> None:
    df = p.tables["encounters"]
    assert len(df) == 5 and df["count"].sum() == 2565  # "1,200" read as 1200
    # fiscal 2025 September is September 2025; fiscal 2026 October is October 2025
    assert one(df, "count", year=2025, month=9, component="USBP") == 1200
    assert one(df, "fiscal_year", year=2025, month=10, citizenship="GTM") == 2026
    assert set(df["citizenship"]) == {"MEX", "GTM", "OTHER"}
    assert p.vintage == date(2025, 12, 1)  # the month after November 2025


def _cbp_nationwide(p: ParsedFile) -> None:
    df = p.tables["encounters"]
    assert df["count"].sum() == 1697
    assert one(df, "region", area="WA") == "northern"
    assert one(df, "citizenship", area="WA") == "CAN"
    assert set(df["component"]) == {"ALL"}


def _cbp_drugs(p: ParsedFile) -> None:
    df = p.tables["seizures"]
    assert df["quantity_lb"].sum() == pytest.approx(1686.25)
    assert one(df, "events", year=2025, month=10) == 25


def _cbp_amo_drugs(p: ParsedFile) -> None:
    df = p.tables["seizures"]
    assert df["events"].sum() == 6 and set(df["component"]) == {"AMO"}
    assert one(df, "quantity_lb", year=2025, month=11) == 640


def _usitc_dataweb(p: ParsedFile) -> None:
    df = p.tables["trade"]
    countries = df[df["partner_kind"] == "country"]
    assert one(countries, "value_usd", partner="MEX", product="HS2:85", year=2024) == 8_400_000
    assert countries[countries["year"] == 2023]["value_usd"].sum() == 16_400_000  # the file's Total row


def _census_api(p: ParsedFile) -> None:
    df = p.tables["trade"]
    assert one(df, "value_usd", product="HS2:85", month=12) == 2.5e9
    assert one(df, "value_usd", product="HS2:87", month=None) == 2.1e10  # December year to date = the year


def _census_country(p: ParsedFile) -> None:
    df = p.tables["trade"]
    assert one(df, "value_usd", partner="MEX", flow="exports", year=2024, month=None) == pytest.approx(1026e6)
    assert one(df, "status", partner="MEX", flow="imports", year=2025, month=3) == "not_published"
    assert one(df, "value_usd", partner="WLD", flow="imports", year=2025, month=2) == pytest.approx(1110e6)
    assert p.vintage == date(2025, 4, 1)  # February published early April


def _bea_country(p: ParsedFile) -> None:
    df = p.tables["trade"]
    assert set(df["flow"]) == {"exports", "imports"}  # balances are not stored
    assert one(df, "value_usd", partner="CAN", flow="exports", product="goods_services", year=2024) == 330e6
    assert one(df, "value_usd", partner="G:EU", flow="imports", product="services", year=2023) == 480e6
    assert df["month"].isna().all() and p.vintage == date(2025, 3, 6)


def _census_ft900(p: ParsedFile) -> None:
    df = p.tables["trade"]
    assert one(df, "value_usd", flow="exports", product="goods_services", month=2) == 275e6
    assert one(df, "status", flow="imports", product="goods", month=1) == "revised"
    assert one(df, "status", flow="exports", product="goods", month=3) == "not_published"


def _dhs_usbp(p: ParsedFile) -> None:
    df = p.tables["encounters"]
    assert one(df, "count", area="Tucson, AZ", year=2024, month=10) == 800
    assert one(df, "region", area="Blaine, WA", month=11) == "northern"


def _worldbank_wdi(p: ParsedFile) -> None:
    df = p.tables["population"]
    assert one(df, "value", iso3="MEX", year=2024) == 129_700_000
    assert one(df, "kind", iso3="WLD", year=2024) == "aggregate"
    assert p.vintage == date(2025, 10, 7)


def _worldbank_api(p: ParsedFile) -> None:
    df = p.tables["population"]
    assert len(df) == 3  # the null value is not stored
    assert one(df, "value", iso3="CAN", year=2023) == 40_000_000
    assert p.vintage == date(2025, 7, 1)


def _fred_bls(p: ParsedFile) -> None:
    df = p.tables["series"]
    assert one(df, "value", series_id="PAYEMS", month=3) == 12805.5
    assert set(df["seasonal_adjustment"]) == {"sa"}


def _fred_bopgstb(p: ParsedFile) -> None:
    assert one(p.tables["series"], "value", month=2) == -122_500  # a deficit stays negative


def _fred_series(p: ParsedFile) -> None:
    df = p.tables["series"]
    assert list(df["month"]) == [1, 2] and one(df, "value", month=2) == 102.25


def _ncses_tiva(p: ParsedFile) -> None:
    df = p.tables["value_added_exports"]
    assert len(df) == 12 and set(df["measure"]) == {"gross_exports", "domestic_va", "imported_va"}


def _statements(p: ParsedFile) -> None:
    df = p.tables["statements"]
    assert one(df, "value", statement_id="mock-2025-01-seizures-total") == 1250.5
    assert one(df, "unit", statement_id="mock-2025-01-seizures-total") == "kg"


def _wiod_niot(p: ParsedFile) -> None:
    df = p.tables["national_io"]
    assert len(df) == 120 * 63 and set(df["country"]) == {"MEX"}
    assert one(df, "value", row_code="A01", origin="Domestic", col_code="GO") == 100
    assert one(df, "value", row_code="A02", origin="Imports", col_code="A02") == pytest.approx(5.05)


def _wiod_wiot(p: ParsedFile) -> None:
    t = p.io
    assert t is not None and t.year == 2011 and list(t.regions) == ["CAN", "MEX", "USA"]
    assert t.Z.shape == (6, 6) and t.Y.shape == (6, 15)
    np.testing.assert_allclose(t.x, t.Z.sum(axis=1) + t.Y.sum(axis=1))


CHECKS: dict[str, Callable[[ParsedFile], None]] = {
    "cbp.southwest": _cbp_southwest,
    "cbp.nationwide": _cbp_nationwide,
    "cbp.drugs": _cbp_drugs,
    "cbp.amo_drugs": _cbp_amo_drugs,
    "usitc.dataweb": _usitc_dataweb,
    "census.api": _census_api,
    "census.country": _census_country,
    "bea.country": _bea_country,
    "census.ft900": _census_ft900,
    "dhs.usbp": _dhs_usbp,
    "worldbank.wdi": _worldbank_wdi,
    "worldbank.api": _worldbank_api,
    "fred.bls": _fred_bls,
    "fred.bopgstb": _fred_bopgstb,
    "fred.series": _fred_series,
    "ncses.tiva": _ncses_tiva,
    "official.statements": _statements,
    "wiod.niot": _wiod_niot,
    "wiod.wiot": _wiod_wiot,
}


def test_every_source_has_a_value_check() -> None:
    assert set(CHECKS) == set(load_all())


@pytest.mark.parametrize("source_id", sorted(CHECKS))
def test_parser_reads_its_mock(source_id: str) -> None:
    parsed = parse_mock(source_id)
    assert parsed.info.id == source_id and parsed.sha256 and parsed.rows > 0
    CHECKS[source_id](parsed)


# -- loading the mocks: the reload rule --------------------------------------------------------------
def all_mocks() -> list[Path]:
    return [p for sid in sorted(CHECKS) for p in mock_files(sid)]


def refuse_parsing(path: Path, staging: Path | None = None) -> Any:
    raise AssertionError(f"{path.name} was parsed on a reload of unchanged files")


def test_reload_skips_unchanged_files_before_parsing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(tmp_path / "store")
    files = all_mocks()
    first = load_paths(store, files, workers=1)
    assert [r.status for r in first] == ["loaded"] * len(files)
    before = store.db_path.stat().st_mtime_ns

    monkeypatch.setattr(pipeline, "parse_path", refuse_parsing)
    t0 = time.perf_counter()
    again = load_paths(store, files, workers=1)
    seconds = time.perf_counter() - t0
    assert [r.status for r in again] == ["unchanged"] * len(files)
    assert [r.source_id for r in again] == [r.source_id for r in first]
    assert store.db_path.stat().st_mtime_ns == before  # no write session at all
    assert seconds < 2.0


def test_a_new_parser_version_reloads_that_source_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(tmp_path / "store")
    files = [mock_files("cbp.southwest")[0], mock_files("fred.bls")[0]]
    load_paths(store, files, workers=1)
    parsed: list[str] = []
    real = pipeline.parse_path

    def counting(path: Path, staging: Path | None = None) -> Any:
        parsed.append(path.name)
        return real(path, staging)

    monkeypatch.setattr(pipeline, "parse_path", counting)
    info = REGISTRY["cbp.southwest"]
    object.__setattr__(info, "parser_version", "2")  # as if the module's SourceInfo said so
    try:
        res = load_paths(store, files, workers=1)
        assert [r.status for r in res] == ["replaced", "unchanged"]
        assert parsed == [files[0].name]
        rows = store.sources().set_index("dataset")
        assert rows.loc["cbp.southwest", "parser_version"] == "2"
        assert len(rows) == 2  # replaced, not added
        assert load_paths(store, files, workers=1)[0].status == "unchanged"
    finally:
        object.__setattr__(info, "parser_version", "1")


def test_a_new_package_version_reloads_every_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(tmp_path / "store")
    files = [mock_files("cbp.drugs")[0], mock_files("census.api")[0]]
    load_paths(store, files, workers=1)
    monkeypatch.setattr(catalog, "__version__", "99.0.0")
    assert [r.status for r in load_paths(store, files, workers=1)] == ["replaced", "replaced"]
    assert [r.status for r in load_paths(store, files, workers=1)] == ["unchanged", "unchanged"]


def test_store_load_of_a_parsed_file_follows_the_same_rule(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(tmp_path / "store")
    parsed = parse_mock("worldbank.api")
    assert store.load(parsed).status == "loaded"
    assert store.load(parsed).status == "unchanged"
    newer = dataclasses.replace(parsed, info=dataclasses.replace(parsed.info, parser_version="7"))
    assert store.load(newer).status == "replaced"
    assert store.sources()["parser_version"].tolist() == ["7"]
