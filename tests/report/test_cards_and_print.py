"""What a card says in words, chart labels and titles, dataset names, and the printed PDF."""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from usmca.claims.model import Amount, CheckReport, ClaimResult
from usmca.report.html import (
    CHAR_PX,
    MIN_GAP,
    _x_labels,
    axis_labels,
    comparison_words,
    data_span,
    label_anchor,
    render_html,
    svg_line,
    with_span,
)

ROOT = Path(__file__).resolve().parents[2]
OPED = ROOT.parent / "shared" / "seed" / "usmca-oped.txt"


def _claim(**kw: Any) -> ClaimResult:
    base: dict[str, Any] = dict(
        id="c1",
        sentence="Since February 2025 the authorities seized nearly 258 kilograms of fentanyl.",
        text="nearly 258 kilograms of fentanyl",
        span=(0, 10),
        metric="statement_running_total",
        params={},
        comparator="about",
        hedge="nearly",
        claimed=Amount(value=258.0, unit="kg"),
        computed=Amount(value=163.0, unit="kg"),
        difference_pct=-36.82,
        verdict="approximately",
        reason="consistent with the published totals that bracket the text's date",
        reading="published running total",
        evidence=[],
        series=None,
    )
    base.update(kw)
    return ClaimResult(**base)


BRACKET = {
    "kind": "bracket",
    "before": {"date": "2025-04-04", "value": 163.0},
    "after": {"date": "2025-07-16", "value": 310.89},
    "as_of": "2025-07-01",
    "unit": "kg",
    "claimed": 258.0,
}


def test_bracketed_claim_says_which_totals_it_was_compared_with() -> None:
    c = _claim(compared=BRACKET)
    words = comparison_words(c)
    assert "published totals of 4 April (163 kg) and 16 July (310.9 kg)" in words
    assert "(1 July 2025)" in words and "lies between them" in words
    html = render_html(CheckReport(document="d.txt", as_of="2025-07-01", claims=[c]))
    card = re.search(r'<article class="card.*?</article>', html, flags=re.S)
    assert card is not None
    # no bare "-36.8%" beside the verdict: the range the claim was compared with instead
    assert "-36.8%" not in card.group(0)
    assert "published range" in card.group(0) and "163 kg – 310.9 kg" in card.group(0)
    below = _claim(compared={**BRACKET, "claimed": 100.0}, claimed=Amount(value=100.0, unit="kg"))
    assert "is below both" in comparison_words(below)


def test_points_lower_bound_and_plain_values_in_words() -> None:
    pts = _claim(
        metric="trade_growth",
        claimed=Amount(value=5.1, unit="percent"),
        computed=Amount(value=5.3, unit="percent"),
        compared={"kind": "points", "claimed": 5.1, "computed": 5.3, "gap": 0.2, "unit": "percent"},
        comparator="eq",
        hedge=None,
    )
    assert comparison_words(pts) == "Claimed 5.1%, computed 5.3% (0.2 points higher)."
    value = _claim(
        claimed=Amount(value=335e9, unit="USD"),
        computed=Amount(value=334.04e9, unit="USD"),
        difference_pct=-0.29,
        comparator="eq",
        hedge=None,
        compared={"kind": "value", "claimed": 335e9, "computed": 334.04e9, "unit": "USD"},
    )
    assert comparison_words(value) == "Claimed $335.0 bn, computed $334.0 bn (0.3% lower than claimed)."
    bound = _claim(
        comparator="over",
        hedge=None,
        claimed=Amount(value=110e9, unit="USD"),
        compared={"kind": "lower_bound", "value": 110e9, "unit": "USD", "claimed": 110e9},
    )
    assert "gives only a lower bound: more than $110.0 bn" in comparison_words(bound)
    assert comparison_words(_claim(compared=None)) == ""


def test_oped_bracket_comes_from_the_evaluator(tmp_path: Path) -> None:
    """The evaluator carries what was compared (additive `compared`), from the published totals."""
    if not OPED.exists():
        pytest.skip("../shared/seed/usmca-oped.txt is missing")
    from usmca.claims.check import check_text
    from usmca.store import Store, open_reader

    reader = open_reader(Store(tmp_path / "none"))  # the bundled snapshot
    try:
        rep = check_text(OPED.read_text(encoding="utf-8"), reader, document="usmca-oped.txt")
    finally:
        reader.close()
    fent = [c for c in rep.claims if (c.compared or {}).get("kind") == "bracket"]
    assert fent, [c.compared for c in rep.claims]
    cmp = fent[0].compared or {}
    assert cmp["before"]["date"] < (cmp["as_of"] or "") < cmp["after"]["date"]
    assert cmp["before"]["value"] == fent[0].computed.value  # type: ignore[union-attr]
    words = comparison_words(fent[0], rep.as_of)
    assert "published totals of" in words and "kg)" in words
    html = render_html(rep)
    data_line = re.search(r'<p class="muted small datasets">(.*?)</p>', html, flags=re.S)
    assert data_line is not None
    text = data_line.group(1)
    assert "U.S. Census Bureau" in text and "U.S. Customs and Border Protection" in text
    assert not re.search(r"\b(cbp|census|worldbank|official)\.[a-z_]+\b", text), text  # no ids here
    assert "(dataset <code>census.country</code>)" in html  # ids in the computation details only


def test_axis_labels_in_analysts_style() -> None:
    assert axis_labels([0, 100e9, 200e9, 300e9, 400e9], "USD") == ["$0", "$100 bn", "$200 bn", "$300 bn", "$400 bn"]
    assert axis_labels([0, 2.5e9, 5e9], "USD") == ["$0", "$2.5 bn", "$5.0 bn"]
    assert axis_labels([0, 25_000, 50_000, 75_000], "encounters") == ["0", "25k", "50k", "75k"]
    assert axis_labels([0, 5, 10, 15], "percent") == ["0%", "5%", "10%", "15%"]
    assert axis_labels([-10, 0, 10], "percent") == ["−10%", "0%", "10%"]
    assert axis_labels([0, 0.25, 0.5], "share") == ["0%", "25%", "50%"]
    assert axis_labels([0, 100, 200], "kg") == ["0", "100", "200"]


def test_titles_take_the_real_span_of_the_data() -> None:
    years = [str(y) for y in range(1985, 2026)]
    values: list[float | None] = [1.0] * 40 + [None]  # 2025: no annual total yet
    assert data_span(years, values) == "1985–2024"
    assert with_span("U.S. exports", years, values) == "U.S. exports, 1985–2024"
    assert with_span("U.S. exports, 2024", years, values) == "U.S. exports, 2024"  # a year is already named
    months = [f"{y}-{m:02d}" for y in (2019, 2020) for m in range(1, 13)][9:]
    assert data_span(months) == "Oct 2019–Dec 2020"
    assert data_span(["2025-02-16", "2025-10-02"]) == "16 Feb–2 Oct 2025"
    assert data_span(["Canada", "Mexico"]) == ""


@pytest.mark.parametrize(
    "labels",
    [
        [f"{y}-{m:02d}" for y in range(2000, 2026) for m in range(1, 13)],  # 26 years of months
        [f"{y}-{m:02d}" for y in (2024, 2025) for m in range(1, 13)],  # two years: month names
        [str(y) for y in range(1985, 2025)],
        ["2025-02-16", "2025-03-20", "2025-04-04", "2025-07-16", "2025-08-21", "2025-09-17", "2025-10-02"],
        [f"2025-{m:02d}-{d:02d}" for m in range(1, 13) for d in (1, 15)],
        [f"label number {i}" for i in range(30)],
    ],
)
def test_x_labels_never_overlap(labels: list[str]) -> None:
    width, plot_w = 640, 580.0
    left = width - 16 - plot_w
    n = len(labels)

    def x(i: int) -> float:
        return left + plot_w * i / (n - 1)

    picked = _x_labels(labels, x, width, plot_w)
    assert len(picked) >= 2
    boxes = [label_anchor(x(i), t, width)[1:] for i, t in picked]
    for (_, r1), (l2, _) in zip(boxes, boxes[1:], strict=False):
        assert l2 >= r1 + MIN_GAP - 1e-9, picked
    assert all(lft >= 0 and rgt <= width for lft, rgt in boxes)
    assert picked[-1][0] == n - 1 or len(picked) > 2  # the end of the data is labelled when it fits
    svg = svg_line(labels, [("s", list(range(n)), "#000")], title="t", width=width)
    assert svg.count('class="tick xl"') == len(picked)
    assert CHAR_PX >= 6.5  # the estimate is over the width of a digit at 11 px


def test_pdf_of_the_oped_has_three_claims_a_page_and_the_computations(tmp_path: Path) -> None:
    """The print stylesheet: cards flow (>= 3 claims a page), cover summary, computations on paper."""
    from typer.testing import CliRunner

    from usmca.cli import app
    from usmca.report.pdf import find_chromium

    if find_chromium() is None:
        if os.environ.get("CI"):
            pytest.fail("CI installs chromium (.ci/install-browser.sh): it must be there")
        pytest.skip("no Chromium on this machine")
    if not OPED.exists():
        pytest.skip("../shared/seed/usmca-oped.txt is missing")
    from pypdf import PdfReader

    out = tmp_path / "oped.pdf"
    res = CliRunner().invoke(app, ["report", str(OPED), "-o", str(out), "--store", str(tmp_path / "none")])
    assert res.exit_code == 0, res.output
    claims = int(re.search(r"(\d+) claims", res.output).group(1))  # type: ignore[union-attr]
    pdf = PdfReader(str(out))
    pages = len(pdf.pages)
    assert claims >= 15
    assert claims / pages >= 3, f"{claims} claims on {pages} pages"
    first = unicodedata.normalize("NFKC", pdf.pages[0].extract_text())  # "ﬁ" ligatures -> "fi"
    assert "supported" in first and "contradicted" in first and "unverifiable" in first  # the cover counts
    assert re.search(r"\bc1\b", first) and re.search(rf"\bc{claims}\b", first)  # one line per claim
    text = unicodedata.normalize("NFKC", " ".join(p.extract_text() for p in pdf.pages))
    assert text.count("How this was computed") >= claims // 2  # open on paper
    assert "334,041,359,045" in text  # a computation, printed
    assert "Sources" in text and "sha256" in text
