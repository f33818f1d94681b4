"""Employment (BLS CES via FRED), U.S. content of exports (BEA TiVA via NCSES) and the FRED trade balance.

Checked values from MANIFEST sections 12-14, on a store loaded from the real files in ../shared/data;
one test uses only the synthetic mock files.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from usmca.indicators.base import Context, IndicatorError, compute
from usmca.sources import detect_source
from usmca.store import Store, open_reader
from usmca.store.reader import Reader

FILES = [
    "fred_bls_employment/MANEMP.csv",
    "fred_bls_employment/PAYEMS.csv",
    "fred_bls_employment/CES3133600101.csv",
    "fred_bea_trade_balance/BOPGSTB.csv",
    "ncses_bea_tiva/ncses_10760_data.csv",
]
NOT_TRADE = "does not measure jobs created or supported by trade"
MOCK = Path(__file__).parents[1] / "sources" / "mock"


@pytest.fixture(scope="module")
def reader(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Reader:
    st = Store(tmp_path_factory.mktemp("jobs") / "store")
    for rel in FILES:
        p = shared_data / rel
        st.load(detect_source(p).parse(p))
    return open_reader(st, use_snapshot=False)


@pytest.fixture
def ctx(reader: Reader) -> Context:
    return Context(reader)


@pytest.mark.parametrize(
    ("series", "year", "month", "persons"),
    [
        ("MANEMP", 2019, 1, 12_790_000),
        ("MANEMP", 2025, 12, 12_580_000),
        ("PAYEMS", 2025, 12, 158_432_000),
        ("CES3133600101", 2025, 12, 951_000),
    ],
)
def test_employment_levels(ctx: Context, series: str, year: int, month: int, persons: float) -> None:
    f = compute(ctx, "employment", series=series, year=year, month=month)
    assert f.ok and f.unit == "persons"
    assert f.value == pytest.approx(persons)
    assert any(NOT_TRADE in n for n in f.notes)
    assert "All employees" in f.label  # the series title
    assert f.evidence[0].url == f"https://fred.stlouisfed.org/series/{series}"
    assert "Bureau of Labor Statistics" in (f.evidence[0].agency or "")


def test_default_series_is_manufacturing(ctx: Context) -> None:
    assert compute(ctx, "employment", year=2025, month=1).value == pytest.approx(12_673_000)


def test_month_beyond_the_data_names_the_last_month(ctx: Context) -> None:
    f = compute(ctx, "employment", year=2026, month=8)
    assert f.value is None
    assert f.missing is not None and "ends in July 2026" in f.missing
    f = compute(ctx, "employment", series="CES3133600101", year=1989, month=12)
    assert f.missing is not None and "starts in January 1990" in f.missing
    f = compute(ctx, "employment", series="NOSUCH", year=2025, month=1)
    assert f.missing is not None and "no FRED series NOSUCH" in f.missing


def test_changes(ctx: Context) -> None:
    f = compute(ctx, "employment_change", start_month="2025-01", end_month="2025-12")
    assert f.value == pytest.approx(-93_000)
    assert f.parts == {"start": pytest.approx(12_673_000), "end": pytest.approx(12_580_000)}
    assert any(NOT_TRADE in n for n in f.notes)
    twelve = compute(ctx, "employment_change", start_month="2024-12", end_month="2025-12")
    assert twelve.value == pytest.approx(-113_000)
    total = compute(ctx, "employment_change", series="PAYEMS", start_month="2025-01", end_month="2025-12")
    assert total.value == pytest.approx(164_000)
    pct = compute(ctx, "employment_change_pct", start_month="2025-01", end_month="2025-12")
    assert pct.unit == "percent"
    assert pct.value == pytest.approx((12_580 / 12_673 - 1) * 100)
    late = compute(ctx, "employment_change", start_month="2026-01", end_month="2026-09")
    assert late.missing is not None and "July 2026" in late.missing


def test_change_parameters_are_checked(ctx: Context) -> None:
    with pytest.raises(IndicatorError):
        compute(ctx, "employment_change", start_month="2025-12", end_month="2025-01")
    with pytest.raises(IndicatorError):
        compute(ctx, "employment_change", start_month="2025-13", end_month="2026-01")


def test_recent_months_are_marked_preliminary(ctx: Context) -> None:
    f = compute(ctx, "employment", year=2026, month=7)
    assert any("preliminary" in n for n in f.notes)
    f = compute(ctx, "employment", year=2019, month=1)
    assert not any("preliminary" in n for n in f.notes)


def test_employment_share(ctx: Context) -> None:
    f = compute(ctx, "employment_share", month="2025-12")
    assert f.value == pytest.approx(12_580 / 158_432 * 100)


@pytest.mark.parametrize(("year", "share"), [(2007, 14.7), (2021, 11.1)])
def test_import_content_share(ctx: Context, year: int, share: float) -> None:
    f = compute(ctx, "import_content_share", year=year)
    assert f.unit == "percent"
    assert round(f.value or 0, 1) == share
    d = compute(ctx, "domestic_content_share", year=year)
    assert (f.value or 0) + (d.value or 0) == pytest.approx(100, abs=0.01)
    assert any("preliminary" in n for n in f.notes)


def test_import_content_by_industry(ctx: Context) -> None:
    by_code = compute(ctx, "import_content_share", year=2021, industry="3364")
    by_name = compute(ctx, "import_content_share", year=2021, industry="aerospace")
    assert by_code.value == by_name.value == pytest.approx(10_222 / 67_254 * 100)
    with pytest.raises(IndicatorError, match="unknown industry"):
        compute(ctx, "import_content_share", year=2021, industry="fisheries")
    with pytest.raises(IndicatorError, match="several match"):
        compute(ctx, "import_content_share", year=2021, industry="manufacturing")


def test_tiva_year_outside_the_span(ctx: Context) -> None:
    f = compute(ctx, "import_content_share", year=2022)
    assert f.missing is not None and "2007-2021" in f.missing
    f = compute(ctx, "domestic_content_share", year=2006)
    assert f.missing is not None and "2007-2021" in f.missing


def test_export_value_added(ctx: Context) -> None:
    assert compute(ctx, "export_value_added", year=2011).value == pytest.approx(296_556e6)
    assert compute(ctx, "export_value_added", year=2021, measure="domestic_va").value == pytest.approx(1_938_219e6)
    with pytest.raises(IndicatorError):
        compute(ctx, "export_value_added", year=2021, measure="exports")


def test_trade_balance_via_fred(ctx: Context) -> None:
    for year, total in ((2023, -749_593), (2024, -885_471), (2025, -931_960)):
        f = compute(ctx, "trade_balance_fred", year=year)
        assert f.value == pytest.approx(total * 1e6)
        assert "seasonally adjusted" in f.label and "FRED" in f.label
    assert compute(ctx, "trade_balance_monthly", year=2026, month=6).value == pytest.approx(-73_261e6)
    partial = compute(ctx, "trade_balance_fred", year=2026)
    assert partial.missing is not None and "ends in June 2026" in partial.missing


def test_without_shared_on_the_mock_files(tmp_path: Path) -> None:
    st = Store(tmp_path / "store")
    for p in (MOCK / "fred" / "synthetic_newer" / "MANEMP.csv", MOCK / "ncses.tiva" / "synthetic_10760_data.csv"):
        st.load(detect_source(p).parse(p))
    ctx = Context(open_reader(st, use_snapshot=False))
    assert compute(ctx, "employment_change", start_month="2024-12", end_month="2025-02").value == pytest.approx(-7_500)
    assert compute(ctx, "import_content_share", year=2020).value == pytest.approx(10.0)
    widgets = compute(ctx, "import_content_share", year=2021, industry="widgets")
    assert widgets.missing is not None and "suppressed" in widgets.missing
