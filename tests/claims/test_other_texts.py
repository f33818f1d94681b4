"""Texts in other words and other styles (news report, press release, Markdown, HTML), with true and
false variants of the same facts. Official figures used (2024, Census basis, goods):
exports to Canada $349.36 bn, Mexico $334.04 bn, China $143.55 bn; imports from Mexico $505.85 bn;
balance with Mexico -$171.81 bn, with Canada -$63.34 bn; exports per resident: Canada about $8,461,
China about $102; CBP nationwide encounters June 2025: 25,185 (lowest since October 2019);
FY2024: 2,901,142.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from usmca.claims.check import check_path, check_text, decode_document
from usmca.claims.model import CheckReport, ClaimResult
from usmca.store import Store, open_reader
from usmca.store.reader import Reader

TEXTS = Path(__file__).parent / "texts"


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Reader]:
    r = open_reader(Store(tmp_path_factory.mktemp("texts") / "no-store"))
    yield r
    r.close()


@pytest.fixture(scope="module")
def reports(reader: Reader) -> dict[str, CheckReport]:
    return {p.name: check_path(str(p), reader) for p in sorted(TEXTS.iterdir()) if p.suffix in (".txt", ".md", ".html")}


def claim(report: CheckReport, words: str) -> ClaimResult:
    got = [c for c in report.claims if words in c.text]
    assert len(got) == 1, (words, [c.text for c in report.claims])
    return got[0]


def verdict(report: CheckReport, words: str) -> str:
    return claim(report, words).verdict


def computed(c: ClaimResult) -> float:
    assert c.computed is not None and c.computed.value is not None, c.reason
    return c.computed.value


# ---------------------------------------------------------------------------------- every report
def test_every_claim_quotes_the_document(reports: dict[str, CheckReport]) -> None:
    for name, report in reports.items():
        text = decode_document((TEXTS / name).read_bytes(), name)
        assert report.claims, name
        for c in report.claims:
            assert c.span is not None
            assert text[c.span[0] : c.span[1]] == c.text, (name, c.text)
            assert c.sentence in text
            if c.verdict in ("supported", "contradicted", "approximately"):
                assert c.computed is not None and c.evidence, (name, c.text)


def test_no_figure_no_indicator_covers_gets_a_verdict(reports: dict[str, CheckReport]) -> None:
    for report in reports.values():
        for c in report.claims:
            assert not any(w in c.text.lower() for w in ("tariff", "wage", "earn", "corn", "c$")), c.text


# ---------------------------------------------------------------------------------- news report
def test_news_report(reports: dict[str, CheckReport]) -> None:
    r = reports["news_report.txt"]
    assert r.as_of == "2025-01-01"
    c = claim(r, "biggest customer")
    assert (c.params["partner"], c.verdict) == ("CAN", "supported")
    assert verdict(r, "top market for American goods") == "supported"
    c = claim(r, "$349.4 billion worth of")  # a sentence wrapped over two lines
    assert "\n" in c.text
    assert (c.params["partner"], c.verdict) == ("CAN", "supported")
    c = claim(r, "second-largest buyer")
    assert (c.params["partner"], c.claimed.value, c.verdict) == ("MEX", 2.0, "supported")
    assert verdict(r, "U.S. exports to Mexico were $334 billion") == "supported"
    c = claim(r, "$143.5 billion for China")
    assert (c.params["partner"], c.verdict) == ("CHN", "supported")
    c = claim(r, "roughly 2.3 times")
    assert (c.metric, c.verdict) == ("trade_ratio", "supported")
    c = claim(r, "more American goods than China")
    assert (c.params["numerator"], c.params["denominator"], c.params["year"], c.verdict) == (
        ["MEX"],
        ["CHN"],
        2024,
        "supported",
    )
    assert claim(r, "Canada bought $349 billion").params["partner"] == "CAN"
    assert claim(r, "Mexico bought $334 billion").params["partner"] == "MEX"
    c = claim(r, "trade deficit with Mexico")
    assert (c.params["flow"], c.claimed.value, c.verdict) == ("deficit", 171.8e9, "supported")
    c = claim(r, "Mexican goods")
    assert (c.params["flow"], c.verdict) == ("imports", "supported")
    assert computed(c) == pytest.approx(505.85e9, rel=1e-4)
    c = claim(r, "Each Canadian")
    assert (c.metric, c.verdict) == ("per_capita_trade", "supported")
    assert computed(c) == pytest.approx(8461, abs=10)


def test_news_report_year_without_data_and_not_checked(reports: dict[str, CheckReport]) -> None:
    r = reports["news_report.txt"]
    c = claim(r, "In 1975")
    assert c.verdict == "unverifiable"
    assert "1975" in c.reason
    figures = " | ".join(f for n in r.not_checked for f in n.figures)  # each figure with its hedge and unit words
    assert "$4.50" in figures and "25%" in figures


# ---------------------------------------------------------------------------------- false claims
def test_false_variants_are_contradicted(reports: dict[str, CheckReport]) -> None:
    r = reports["false_claims.txt"]
    expected = {
        "roughly $250 billion": "contradicted",
        "China bought more U.S. goods than Mexico": "contradicted",
        "overtook Canada": "contradicted",  # Mexico ranks second
        "next ten largest partners": "contradicted",
        "trade surplus of $63 billion with Canada": "contradicted",  # it is a deficit
        "$800 billion": "contradicted",
        "about $500 of U.S. goods": "contradicted",  # about $102 per resident of China
        "about 50,000": "contradicted",
        "roughly 50% lower": "contradicted",
        "below 500,000": "contradicted",  # FY2025: 691,906
    }
    for words, v in expected.items():
        assert verdict(r, words) == v, words
    c = claim(r, "overtook Canada")
    assert c.params["partner"] == "MEX"
    c = claim(r, "below 500,000")
    assert (c.params["year"], c.params.get("fiscal")) == (2025, True)


def test_future_year_is_unverifiable(reports: dict[str, CheckReport]) -> None:
    c = claim(reports["false_claims.txt"], "in 2030")
    assert c.verdict == "unverifiable"
    assert c.computed is None and "2030" in c.reason


# -------------------------------------------------------------------------------- press release
def test_press_release(reports: dict[str, CheckReport]) -> None:
    r = reports["press_release.txt"]
    assert r.as_of == "2025-07-20" and r.as_of_source and "July 20, 2025" in r.as_of_source
    c = claim(r, "Mexico purchased $334 billion")
    assert (c.params["partner"], c.params["year"], c.verdict) == ("MEX", 2024, "supported")
    c = claim(r, "Canada purchased $349 billion")
    assert (c.params["partner"], c.params["year"], c.verdict) == ("CAN", 2024, "supported")
    c = claim(r, "Two-way goods trade")
    assert (c.params["flow"], c.verdict) == ("total", "supported")
    c = claim(r, "largest source of U.S. imports")
    assert (c.params["flow"], c.verdict) == ("imports", "supported")  # 505.9 vs China 438.9
    c = claim(r, "all countries")
    assert (c.params["partner"], c.verdict) == ("WLD", "supported")
    assert verdict(r, "bigger market for U.S. goods than China") == "supported"
    c = claim(r, "together bought $683 billion")
    assert (c.metric, c.verdict) == ("partners_sum", "supported")
    c = claim(r, "two and a half times")
    assert (c.claimed.value, c.hedge, c.verdict) == (2.5, "nearly", "supported")  # 2.33 is nearly 2.5
    assert verdict(r, "fell to 25,185") == "supported"
    assert verdict(r, "the fewest in any month") == "supported"
    c = claim(r, "about 2.9 million")
    assert (c.params["year"], c.params["fiscal"], c.verdict) == (2024, True, "supported")


def test_press_release_not_checked(reports: dict[str, CheckReport]) -> None:
    r = reports["press_release.txt"]

    def reason_for(figure: str) -> str:
        got = [n.reason for n in r.not_checked for f in n.figures if figure in f]
        assert got, (figure, [n.figures for n in r.not_checked])
        return got[0]

    for figure in ("1%", "8%", "$5 billion", "C$50 billion"):
        reason_for(figure)
    assert "wages" in reason_for("8%") or "no " in reason_for("8%")
    assert "single product" in reason_for("$5 billion")


# ------------------------------------------------------------------------------------- Markdown
def test_markdown(reports: dict[str, CheckReport]) -> None:
    r = reports["explainer.md"]
    assert not any("**" in c.sentence or "](" in c.sentence for c in r.claims)
    assert verdict(r, "Canada remained the largest market") == "supported"
    c = claim(r, "reached $334 billion in 2024")  # a list item wrapped over two lines
    assert (c.params["partner"], c.verdict) == ("MEX", "supported")
    c = claim(r, "up from $323 billion in 2023")
    assert (c.params["partner"], c.params["year"], c.verdict) == ("MEX", 2023, "supported")
    assert verdict(r, "second-largest export market") == "supported"
    c = claim(r, "more than twice as much")
    assert (c.params["flow"], c.comparator, c.verdict) == ("exports", "over", "supported")
    got = [(c.params["partner"], c.verdict) for c in r.claims if c.text.startswith(("In 2024 the U.S.", "$"))]
    assert got == [("CAN", "supported"), ("MEX", "supported"), ("CHN", "supported")]
    c = claim(r, "roughly $100 for each Chinese")
    assert (c.params["partners"], c.verdict) == (["CHN"], "supported")
    c = claim(r, "goods deficit of about $172 billion")
    assert (c.claimed.value, c.verdict) == (172e9, "supported")


# ------------------------------------------------------------------------------------------ HTML
def test_html_ignores_scripts_and_markup(reports: dict[str, CheckReport]) -> None:
    r = reports["border_update.html"]
    everything = " ".join(c.sentence for c in r.claims) + " ".join(n.sentence for n in r.not_checked)
    assert "999" not in everything and "1 trillion" not in everything and "dataLayer" not in everything
    assert "<" not in everything and "&ndash;" not in everything and "&nbsp;" not in everything
    assert r.as_of == "2025-07-01"
    c = claim(r, "recorded 25,185 encounters")  # the <strong> and the line break do not split it
    assert (c.metric, c.params["month"], c.verdict) == ("encounters", 6, "supported")
    assert verdict(r, "lowest monthly total") == "supported"
    c = claim(r, "nearly 90% below")
    assert (c.metric, c.verdict) == ("encounters_change_vs_average", "supported")
    c = claim(r, "about 6,000")
    assert (c.params["scope"], c.params["component"], c.verdict) == ("southwest", "usbp", "supported")
    assert verdict(r, "totaled $334 billion") == "supported"
    assert verdict(r, "Canada was the top market") == "supported"
    c = claim(r, "more than 300 kilograms")
    assert c.metric == "statement_running_total"
    assert c.verdict == "approximately"  # 163 kg published in April, 310.89 kg in mid-July


# ------------------------------------------------------------------------ one-sentence variants
TRUE_FALSE = [
    ("U.S. sales of goods to Mexico were roughly $250 billion in 2024.", "contradicted"),
    ("U.S. sales of goods to Mexico were $334 billion in 2024.", "supported"),
    ("U.S. sales of goods to Mexico were about $340 billion in 2024.", "approximately"),
    ("U.S. sales of goods to Mexico were about $330 billion in 2024.", "supported"),
    ("U.S. sales of goods to Mexico were $345 billion in 2024.", "contradicted"),
    ("Canada was the top market for American goods in 2024.", "supported"),
    ("Mexico was the top market for American goods in 2024.", "contradicted"),
    ("China bought more U.S. goods than Mexico did in 2024.", "contradicted"),
    ("Canada bought more U.S. goods than Mexico did in 2024.", "supported"),
    ("China was the third-largest buyer of U.S. goods in 2024.", "supported"),
    ("Goods imports from Mexico topped $500 billion in 2024.", "supported"),
    ("Goods imports from Mexico topped $550 billion in 2024.", "contradicted"),
    ("The U.S. ran a goods deficit of about $63 billion with Canada in 2024.", "supported"),
    ("The U.S. ran a goods deficit of about $100 billion with Canada in 2024.", "contradicted"),
    ("In June 2025, CBP recorded about 25,000 encounters nationwide.", "supported"),
    ("In June 2025, CBP recorded about 40,000 encounters nationwide.", "contradicted"),
    ("In FY2024 nationwide encounters exceeded 2.5 million.", "supported"),
    ("In FY2024 nationwide encounters exceeded 3.5 million.", "contradicted"),
    # CBP's nationwide figure (OFO + Border Patrol): 27,023 lb; with Air and Marine Operations 28,476 lb
    ("CBP seized about 27,000 pounds of fentanyl in fiscal year 2023.", "supported"),
    ("CBP seized 21,900 pounds of fentanyl in fiscal year 2024.", "supported"),  # 21,889 lb
    ("CBP seized about 20,000 pounds of fentanyl in fiscal year 2023.", "contradicted"),
]


@pytest.mark.parametrize("sentence,expected", TRUE_FALSE)
def test_true_and_false_variants(reader: Reader, sentence: str, expected: str) -> None:
    report = check_text(sentence, reader)
    assert len(report.claims) == 1, [(c.metric, c.params) for c in report.claims]
    assert report.claims[0].verdict == expected, report.claims[0].reason


def test_running_total_depends_on_the_date(reader: Reader) -> None:
    text = "Since February 2025, Mexican forces have seized about 310 kilograms of fentanyl."
    july = check_text(text, reader, as_of=date(2025, 7, 20)).claims[0]
    assert july.verdict == "supported"  # 310.89 kg published on 16 July
    march = check_text(text, reader, as_of=date(2025, 3, 25)).claims[0]
    assert march.verdict == "contradicted"  # 129.19 kg on 20 March, 163 kg on 4 April


# --------------------------------------------------------------- the op-ed's claims, restated
def test_restated_op_ed_gets_the_same_verdicts(reports: dict[str, CheckReport]) -> None:
    r = reports["restated.txt"]
    assert r.as_of == "2025-07-01"
    got = [(c.metric, c.verdict) for c in r.claims]
    assert got == [
        ("partner_rank", "contradicted"),  # "no country buys more than Mexico": Canada does
        ("trade_value", "approximately"),  # $335 bn vs 334.0
        ("trade_ratio", "supported"),  # 2.3 times China
        ("group_vs_next_partners", "contradicted"),  # "ten next-largest customers": 0.955
        ("next_partners_include", "supported"),
        ("small_business_exports", "unverifiable"),  # the leading customer: no source ranks partners by firm size
        ("cited_figure", "supported"),  # "over $110 billion": USTR's published figure for 2022
        ("per_capita_trade", "approximately"),
        ("per_capita_trade", "supported"),
        ("encounters_low_rank", "supported"),  # "people encountered by CBP"
        ("encounters_change_vs_average", "supported"),  # "That figure was ..."
        ("statement_running_total", "approximately"),
        ("lethal_doses", "supported"),  # "That is enough for ..." (the next sentence)
    ]
    assert claim(r, "No country buys more").params["flow"] == "exports"
    c = claim(r, "over $110 billion")
    assert "per USTR, 2022" in c.reason and c.evidence and c.evidence[0].url and "ustr.gov" in c.evidence[0].url
    assert claim(r, "120 million").params["kilograms"] == 258.0


def test_each_is_judged_per_partner(reader: Reader) -> None:
    report = check_text("Canada and Mexico each bought more than $340 billion of U.S. goods in 2024.", reader)
    # Canada 349.4 is above 340; Mexico 334.0 is 1.8% short of it: not a sum of 683.4 that would pass
    assert [(c.params["partner"], c.verdict) for c in report.claims] == [("CAN", "supported"), ("MEX", "approximately")]
