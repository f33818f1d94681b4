"""The op-ed end to end: every claim found, each judged against the official figures.

The text is read from ../shared/seed (the `seed_text` fixture); claims are picked out by metric and
parameters, not by its wording. Run once on the bundled snapshot and once on a store loaded from
the agencies' files.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from usmca.claims.check import check_text
from usmca.claims.model import VERDICTS, CheckReport, ClaimResult
from usmca.store import Store, open_reader
from usmca.store.reader import Reader

# The files a full check of the op-ed reads (trade, population, encounters, statements).
STORE_FILES = [
    "census_trade_by_country/country.xlsx",
    "bea_trade_by_country/us_trading_per_country.xlsx",
    "world_bank_wdi/API_SP.POP.TOTL_DS2_en_csv_v2_246068.csv",
    "cbp_encounters/nationwide-encounters-fy20-fy23-state.csv",
    "cbp_encounters/nationwide-encounters-fy23-fy26-nov-state.csv",
    "cbp_encounters/sbo-encounters-fy22-fy25-aug.csv",
    "dhs_ohss_usbp_encounters/KHSM Encounters (USBP) fy25m11.xlsx",
]
STATEMENTS = Path(__file__).resolve().parents[2] / "src" / "usmca" / "data" / "statements"


@pytest.fixture(scope="module")
def snapshot_reader(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Reader]:
    r = open_reader(Store(tmp_path_factory.mktemp("oped") / "no-store"))
    yield r
    r.close()


@pytest.fixture(scope="module")
def snapshot_report(snapshot_reader: Reader, seed_text: str) -> CheckReport:
    return check_text(seed_text, snapshot_reader, document="usmca-oped.txt")


@pytest.fixture(scope="module")
def store_report(tmp_path_factory: pytest.TempPathFactory, shared_data: Path, seed_text: str) -> CheckReport:
    """The op-ed checked against a store built from the official files (built once)."""
    from usmca.sources import detect_source

    store = Store(tmp_path_factory.mktemp("oped-store") / "store")
    files = [shared_data / f for f in STORE_FILES] + sorted(STATEMENTS.glob("*.yaml"))
    for p in files:
        assert p.exists(), p
        store.load(detect_source(p).parse(p))
    r = open_reader(store)
    try:
        return check_text(seed_text, r, document="usmca-oped.txt")
    finally:
        r.close()


def pick(report: CheckReport, metric: str, **params: Any) -> list[ClaimResult]:
    return [c for c in report.claims if c.metric == metric and all(c.params.get(k) == v for k, v in params.items())]


def one(report: CheckReport, metric: str, **params: Any) -> ClaimResult:
    got = pick(report, metric, **params)
    assert len(got) == 1, [(c.metric, c.params, c.text) for c in report.claims]
    return got[0]


def value(c: ClaimResult) -> float:
    assert c.computed is not None and c.computed.value is not None, c.reason
    return c.computed.value


# ------------------------------------------------------------------------------------- structure
def test_about_nineteen_claims_each_with_a_verdict(snapshot_report: CheckReport) -> None:
    assert 17 <= len(snapshot_report.claims) <= 22
    assert all(c.verdict in VERDICTS for c in snapshot_report.claims)
    assert all(c.reason for c in snapshot_report.claims)
    assert len({c.id for c in snapshot_report.claims}) == len(snapshot_report.claims)
    counts = snapshot_report.counts()
    assert counts["supported"] >= 5 and counts["contradicted"] >= 2 and counts["unverifiable"] >= 6


def test_sentences_and_spans_are_verbatim(snapshot_report: CheckReport, seed_text: str) -> None:
    for c in snapshot_report.claims:
        assert c.sentence in seed_text
        assert c.span is not None
        assert seed_text[c.span[0] : c.span[1]] == c.text
        assert c.text and c.text in c.sentence


def test_date_is_inferred_from_the_latest_month_cited(snapshot_report: CheckReport) -> None:
    assert snapshot_report.as_of == "2025-07-01"
    assert snapshot_report.as_of_source and "June 2025" in snapshot_report.as_of_source


# ------------------------------------------------------------------------------------------ trade
def test_mexico_purchases_2024_approximately(snapshot_report: CheckReport) -> None:
    c = one(snapshot_report, "trade_value", partner="MEX", year=2024, flow="exports")
    assert c.claimed.value == 335e9
    assert value(c) == pytest.approx(334_041_359_045, rel=1e-9)  # Census: $334,041.4 million
    assert c.verdict == "approximately"  # 334.0 is not 335, but within the tolerance
    assert c.evidence and c.evidence[0].file == "country.xlsx"
    assert c.evidence[0].origin == "snapshot"


def test_ratio_to_china_with_the_other_reading(snapshot_report: CheckReport) -> None:
    c = one(snapshot_report, "trade_ratio", numerator=["MEX"], denominator=["CHN"])
    assert c.claimed.value == 2.3
    assert value(c) == pytest.approx(334_041.4 / 143_545.7, rel=1e-4)
    assert c.verdict == "supported"
    other = {o.name: o for o in c.other_readings}
    assert "3.3 times as much" in other
    assert other["3.3 times as much"].verdict == "contradicted"
    assert any("readings disagree" in n for n in c.notes)


def test_most_important_consumer_is_contradicted_canada_ranks_first(snapshot_report: CheckReport) -> None:
    c = one(snapshot_report, "partner_rank", partner="MEX")
    assert c.comparator == "largest"
    assert value(c) == 2
    assert c.verdict == "contradicted"
    assert c.computation.startswith("partners ordered by value: 1. Canada 349.4bn, 2. Mexico 334.0bn")


def test_next_ten_partners_contradicted(snapshot_report: CheckReport) -> None:
    c = one(snapshot_report, "group_vs_next_partners")
    assert c.params["partners"] == ["MEX", "CAN"] and c.params["n"] == 10
    assert value(c) == pytest.approx(0.955, abs=0.001)
    assert c.verdict == "contradicted"
    inc = one(snapshot_report, "next_partners_include")
    assert set(inc.params["members"]) == {"CHN", "DEU", "JPN"}
    assert inc.verdict == "supported"


def test_small_business_claims_name_the_missing_census_source(snapshot_report: CheckReport) -> None:
    got = pick(snapshot_report, "small_business_exports")
    assert len(got) >= 3
    for c in got:
        assert c.verdict == "unverifiable"
        assert c.computed is None
        assert "Census Bureau" in c.reason
        assert "Profile of U.S. Importing and Exporting Companies" in c.reason
    assert {c.comparator for c in got} >= {"largest", "over"}


def test_per_capita_combined_approximately_with_per_country_readings(snapshot_report: CheckReport) -> None:
    c = one(snapshot_report, "per_capita_trade", partners=["MEX", "CAN"])
    assert (c.comparator, c.claimed.value) == ("over", 4000.0)
    assert value(c) == pytest.approx(3970, abs=10)
    assert c.verdict == "approximately"
    alone = {o.params["partners"][0]: o for o in c.other_readings}
    assert set(alone) == {"MEX", "CAN"}
    assert alone["CAN"].computed is not None and alone["CAN"].computed.value == pytest.approx(8461, abs=10)
    assert alone["CAN"].verdict == "supported"
    assert alone["MEX"].computed is not None and alone["MEX"].computed.value == pytest.approx(2553, abs=10)
    assert alone["MEX"].verdict == "contradicted"


def test_per_capita_china(snapshot_report: CheckReport) -> None:
    c = one(snapshot_report, "per_capita_trade", partners=["CHN"])
    assert value(c) == pytest.approx(102, abs=1)
    assert c.verdict == "supported"


def test_components_claim_is_present_and_never_guessed(snapshot_report: CheckReport) -> None:
    c = one(snapshot_report, "va_source_ratio")
    assert c.claimed.value == 10
    if c.verdict in ("supported", "contradicted"):
        assert c.computed is not None and c.computed.value is not None
        assert c.evidence
    else:
        assert c.reason


def test_jobs_unverifiable(snapshot_report: CheckReport) -> None:
    c = one(snapshot_report, "jobs_linkage")
    assert c.verdict == "unverifiable"
    assert "employment" in c.reason


# ----------------------------------------------------------------------------------------- border
def test_june_2025_lowest_month_supported(snapshot_report: CheckReport) -> None:
    c = one(snapshot_report, "encounters_low_rank", month="2025-06", scope="nationwide")
    assert value(c) == 1
    assert c.verdict == "supported"
    assert "June 2025: 25,185" in c.computation


def test_nearly_ninety_percent_lower_supported(snapshot_report: CheckReport) -> None:
    c = one(snapshot_report, "encounters_change_vs_average")
    assert (c.params["start_month"], c.params["end_month"]) == ("2021-01", "2024-12")
    assert (c.comparator, c.hedge, c.claimed.value) == ("pct_lower", "nearly", 90.0)
    assert value(c) == pytest.approx(-89.0, abs=0.1)
    assert c.verdict == "supported"
    assert [o.verdict for o in c.other_readings] == ["supported"]  # fiscal years 2021-2024


def test_thirty_years_unverifiable_data_start_in_fy2000(snapshot_report: CheckReport) -> None:
    c = one(snapshot_report, "encounters_lowest_in_years")
    assert c.params["years"] == 30
    assert c.verdict == "unverifiable"
    assert "FY2000" in c.reason


def test_mexico_vs_border_patrol_unverifiable_names_the_months(snapshot_report: CheckReport) -> None:
    c = one(snapshot_report, "mexico_vs_usbp_monthly")
    assert (c.params["start_month"], c.params["end_month"]) == ("2024-05", "2025-03")
    assert c.verdict == "unverifiable"
    assert "11 months" in c.reason and "monthly" in c.reason
    assert c.notes  # the period totals that exist, as context


# --------------------------------------------------------------------------------------- fentanyl
def test_fentanyl_running_total_no_exact_figure(snapshot_report: CheckReport) -> None:
    c = one(snapshot_report, "statement_running_total", measure="fentanyl_seized_kg")
    assert (c.claimed.value, c.hedge) == (258.0, "nearly")
    assert c.verdict == "approximately"
    assert "no exact figure" in c.reason
    note = next(n for n in c.notes if n.startswith("no total is published"))
    assert "163.00 kg on 2025-04-04" in note and "310.89 kg on 2025-07-16" in note
    assert c.evidence and all(e.label == "official statement" for e in c.evidence)


def test_lethal_doses_supported(snapshot_report: CheckReport) -> None:
    c = one(snapshot_report, "lethal_doses")
    assert (c.comparator, c.claimed.value) == ("over", 120e6)
    assert value(c) == pytest.approx(129e6)  # 258 kg / 2 mg
    assert c.verdict == "supported"


# ---------------------------------------------------------------------------------- a full store
def test_full_store_gives_the_same_verdicts(store_report: CheckReport, snapshot_report: CheckReport) -> None:
    for dataset in (
        "census.country",
        "bea.country",
        "cbp.nationwide",
        "dhs.usbp",
        "worldbank.wdi",
        "official.statements",
    ):
        assert store_report.data.get(dataset) == "store", dataset
    assert [(c.metric, c.verdict) for c in store_report.claims] == [
        (c.metric, c.verdict) for c in snapshot_report.claims
    ]
    for a, b in zip(store_report.claims, snapshot_report.claims, strict=True):
        if (
            a.computed is not None
            and b.computed is not None
            and a.computed.value is not None
            and b.computed.value is not None
            and a.metric != "va_source_ratio"
        ):
            assert a.computed.value == pytest.approx(b.computed.value, rel=1e-6), a.metric


def test_full_store_key_figures(store_report: CheckReport) -> None:
    c = one(store_report, "trade_value", partner="MEX", year=2024, flow="exports")
    assert value(c) == pytest.approx(334_041_359_045, rel=1e-9)
    assert c.evidence[0].origin == "file"  # loaded from the file, not the snapshot
    c = one(store_report, "encounters_change_vs_average")
    assert "25,185" in c.computation
    assert one(store_report, "group_vs_next_partners").verdict == "contradicted"


# ------------------------------------------------------------------------------- docs/claims.md
def test_walk_through_table_in_the_docs_matches_the_code(snapshot_report: CheckReport) -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "claims.md").read_text(encoding="utf-8")
    section = doc.split("## Walk-through: the op-ed", 1)[1]
    rows = re.findall(r"^\| (c\d+) \|.*\| \*\*(\w+)\*\* \|", section, flags=re.M)
    documented = dict(rows)
    assert len(documented) == len(snapshot_report.claims)
    for c in snapshot_report.claims:
        if c.metric == "va_source_ratio":
            continue  # the input-output reading is still being wired up
        assert documented[c.id] == c.verdict, (c.id, c.metric)
