"""The employment (BLS CES via FRED) and TiVA (BEA via NCSES) claim frames.

Their declared examples are run through the reader; the development corpus items of these families
(tests/claims/corpus/border_misc.yaml, bd-101..) are read and checked against a store loaded from the
real files in ../shared/data.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from usmca.claims.check import check_text
from usmca.claims.frames import FRAMES, Example, load_frames
from usmca.claims.reader import read
from usmca.sources import detect_source
from usmca.store import Store, open_reader
from usmca.store.reader import Reader

TODAY = date(2026, 12, 1)
CORPUS = Path(__file__).parent / "corpus" / "border_misc.yaml"
FILES = [
    "fred_bls_employment/MANEMP.csv",
    "fred_bls_employment/PAYEMS.csv",
    "fred_bls_employment/CES3133600101.csv",
    "fred_bea_trade_balance/BOPGSTB.csv",
    "ncses_bea_tiva/ncses_10760_data.csv",
]
TRUTH_METRIC = {
    "fred_employment": "employment",
    "fred_employment_change": "employment_change",
    "fred_employment_share": "employment_share",
    "tiva_value": "export_value_added",
}

load_frames()
EXAMPLES = [(name, ex) for name in ("employment", "tiva") for ex in FRAMES[name].examples]


def _public(params: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in params.items() if not k.startswith("_")}


@pytest.mark.parametrize(("name", "ex"), EXAMPLES, ids=[ex.text[:50] for _, ex in EXAMPLES])
def test_frame_examples(name: str, ex: Example) -> None:
    claims = read(ex.text, today=TODAY, default_year=2024).claims
    assert len(claims) == 1, [c.metric for c in claims]
    c = claims[0]
    assert c.metric == ex.metric
    assert _public(c.params) == ex.params
    assert c.comparator == ex.comparator
    assert c.value == pytest.approx(ex.value)


def test_a_year_alone_is_january_to_december_with_another_reading() -> None:
    c = read("Manufacturing lost 93,000 jobs in 2025.", today=TODAY, default_year=2024).claims[0]
    assert (c.params["start_month"], c.params["end_month"]) == ("2025-01", "2025-12")
    assert [(r.name, r.params["start_month"]) for r in c.readings] == [("December to December", "2024-12")]


def test_series_from_the_words() -> None:
    def series(text: str) -> str:
        return str(read(text, today=TODAY, default_year=2024).claims[0].params["series"])

    assert series("The economy added 164,000 jobs between January and December 2025.") == "PAYEMS"
    assert series("Manufacturing payrolls lost 93,000 jobs between January and December 2025.") == "MANEMP"
    assert series("Automakers employed about 951,000 workers in December 2025.") == "CES3133600101"


def test_direction_without_a_number_is_judged_by_sign() -> None:
    c = read("Manufacturing employment rose between January and December 2025.", today=TODAY).claims[0]
    assert c.metric == "employment_change" and c.params["_sign"] is True
    assert (c.comparator, c.value) == ("over", 0.0)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            "About 5 million U.S. jobs depend on trade with Mexico.",
            "does not measure jobs created or supported by trade",
        ),
        ("Mexico's manufacturing employment rose to 3 million in 2024.", "other countries"),
        ("Manufacturing employment averaged 12.6 million in 2025.", "annual average"),
        ("Employment grew by 50,000 between February and March 2025.", "sector"),
    ],
)
def test_figures_not_checked_say_why(text: str, reason: str) -> None:
    ex = read(text, today=TODAY, default_year=2024)
    assert not [c for c in ex.claims if c.metric.startswith("employment")]
    assert any(reason in n.reason for n in ex.not_checked), [n.reason for n in ex.not_checked]


def test_tiva_leaves_partner_content_to_other_frames() -> None:
    ex = read("U.S. content makes up 40% of the value of Mexico's exports to the U.S. in 2011.", today=TODAY)
    assert not [c for c in ex.claims if c.metric in ("import_content_share", "domestic_content_share")]


def test_tiva_industry_from_the_words() -> None:
    c = read("Imported content was about 15% of U.S. aerospace exports in 2021.", today=TODAY).claims[0]
    assert c.metric == "import_content_share"
    assert c.params["industry"] == "3364"


# -- checked against the real files ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def reader(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Reader:
    st = Store(tmp_path_factory.mktemp("frames") / "store")
    for rel in FILES:
        p = shared_data / rel
        st.load(detect_source(p).parse(p))
    return open_reader(st)


def _items() -> list[dict[str, Any]]:
    items = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))["items"]
    return [it for it in items if it["family"] in ("employment", "value_added")]


@pytest.mark.parametrize("item", _items(), ids=lambda it: it["id"])
def test_corpus_items(reader: Reader, item: dict[str, Any]) -> None:
    report = check_text(item["text"], reader, as_of=TODAY)
    assert len(report.claims) == 1, report.not_checked
    c = report.claims[0]
    truth = item["truth"]
    args = truth["args"]
    if truth["fn"] == "tiva_share":
        assert c.metric == ("import_content_share" if args["kind"] == "imported" else "domestic_content_share")
        assert c.params["year"] == args["year"]
    else:
        assert c.metric == TRUTH_METRIC[truth["fn"]]
        if "series" in args:
            assert c.params["series"] == args["series"]
        if "start" in args:
            assert (c.params["start_month"], c.params["end_month"]) == (args["start"], args["end"])
        if truth["fn"] == "fred_employment":
            assert f"{c.params['year']}-{c.params['month']:02d}" == args["month"]
    if item["label"] == "true":
        assert c.verdict == "supported", c.reason
    else:
        assert c.verdict in ("contradicted", "approximately"), c.reason
        assert c.verdict != "supported"
    assert c.evidence, "a checked claim cites its source"


def test_checked_claim_cites_bls_and_the_caveat(reader: Reader) -> None:
    report = check_text("Manufacturers shed 93,000 jobs between January and December 2025.", reader, as_of=TODAY)
    c = report.claims[0]
    assert c.verdict == "supported"
    assert c.evidence[0].url == "https://fred.stlouisfed.org/series/MANEMP"
    assert any("does not measure jobs created or supported by trade" in n for n in c.notes)
