"""The self-contained HTML report: one file, no external resource, a card and a chart per claim."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from usmca.claims.check import check_text
from usmca.claims.model import Amount, CheckReport, ClaimResult, EvidenceOut, NotChecked, ReadingOut
from usmca.report.html import (
    HIGHLIGHT,
    NO_PAIR_CHART,
    claim_chart,
    nice_ticks,
    render_html,
    sentence_parts,
    short_number,
    svg_bar,
    svg_line,
)
from usmca.store import Store, open_reader

XSS = "<script>alert(1)</script>"


@pytest.fixture(scope="session")
def seed_report(web_store: Path, seed_text: str) -> CheckReport:
    reader = open_reader(Store(web_store))
    try:
        return check_text(seed_text, reader, document="usmca-oped.txt")
    finally:
        reader.close()


@pytest.fixture(scope="session")
def seed_html(seed_report: CheckReport) -> str:
    return render_html(seed_report)


def _cards(html: str) -> list[str]:
    return re.findall(r'<article class="card.*?</article>', html, flags=re.S)


def test_single_file_without_external_resources(seed_html: str) -> None:
    low = seed_html.lower()
    for bad in (
        'src="http',
        "src='http",
        'href="http',
        "href='http",
        'href="//',
        'src="//',
        "<link",
        "@import",
        "<script src",
        "url(http",
        "url(//",
        "<iframe",
        "<img",
    ):
        assert bad not in low, bad
    assert "<style>" in seed_html  # CSS inlined
    assert "default-src 'none'" in seed_html  # and the page may not load anything


def test_one_card_and_one_chart_per_claim(seed_report: CheckReport, seed_html: str) -> None:
    cards = _cards(seed_html)
    assert seed_report.claims
    assert len(cards) == len(seed_report.claims)
    for c, html in zip(seed_report.claims, cards, strict=True):
        assert f'id="claim-{c.id}"' in html
        assert f'class="badge v-{c.verdict}"' in html
        assert "<mark>" in html
        n_svg = html.count("<svg")
        n_note = html.count('<p class="nochart">no chart:')
        assert n_svg + n_note == 1, c.id
        pair = c.computed is not None and c.claimed.value is not None and c.comparator not in NO_PAIR_CHART
        drawable = c.series is not None or pair
        assert n_svg == (1 if drawable else 0), c.id
    computed = [c for c in seed_report.claims if c.computed is not None and c.comparator not in NO_PAIR_CHART]
    assert computed and sum("<svg" in h for h in cards) >= len(computed)
    # a rank or a yes/no has no two-bar chart, and the card says why
    ranks = [
        h
        for c, h in zip(seed_report.claims, cards, strict=True)
        if c.comparator in NO_PAIR_CHART and not c.series and c.computed is not None
    ]
    assert ranks and all("the figure is a rank or a yes/no" in h and "<svg" not in h for h in ranks)


def test_header_counts_and_sources(seed_report: CheckReport, seed_html: str) -> None:
    assert "usmca-oped.txt" in seed_html
    assert seed_report.as_of and seed_report.as_of in seed_html
    for verdict, n in seed_report.counts().items():
        assert re.search(rf'class="count v-{verdict}"><span class="n">{n}</span>', seed_html), verdict
    assert 'id="sources"' in seed_html
    sources = seed_html[seed_html.index('id="sources"') :]
    census = next(e for c in seed_report.claims for e in c.evidence if e.file == "country.xlsx")
    assert census.sha256 and census.sha256[:12] in sources
    assert "official statistics" in sources and "U.S. Census Bureau" in sources


def test_charts_are_well_formed_svg(seed_html: str) -> None:
    svgs = re.findall(r"<svg.*?</svg>", seed_html, flags=re.S)
    assert svgs
    for s in svgs:
        ET.fromstring(s)  # raises on malformed markup


def test_bar_chart_highlights_partners_and_draws_claimed_line() -> None:
    s = svg_bar(
        ["Canada", "Mexico", "China"],
        [349e9, 334e9, 143e9],
        title="exports",
        unit="USD",
        highlight=["Mexico"],
        claimed=335e9,
    )
    ET.fromstring(s)
    assert s.count(f'fill="{HIGHLIGHT}"') == 1
    assert 'class="claimed"' in s and "$335.0 bn" in s


def test_line_chart_marks_month_and_average() -> None:
    labels = [f"2024-{m:02d}" for m in range(1, 13)]
    values = [100.0 * m for m in range(1, 13)]
    s = svg_line(
        labels,
        [("enc", values, "#000")],
        title="t",
        unit="encounters",
        marks={"claimed_month": "2024-06", "average": 650.0, "average_label": "average 2024"},
    )
    ET.fromstring(s)
    assert 'class="month"' in s and 'class="month-dot"' in s and "2024-06: 600" in s
    assert 'class="average"' in s and "average 2024" in s


def test_chart_fallbacks() -> None:
    c = _claim(series=None, computed=Amount(value=102.0, unit="USD per person"))
    assert "<svg" in claim_chart(c) and "claimed vs computed" in claim_chart(c)
    c = _claim(series=None, computed=None)
    assert "no chart: value not computable" in claim_chart(c)
    c = _claim(
        series={"kind": "line", "title": "x", "labels": [], "values": [], "unit": "x"},
        computed=Amount(value=1.0, unit="USD per person"),
    )
    assert "<svg" in claim_chart(c)  # an empty series falls back to claimed vs computed


def test_helpers() -> None:
    assert sentence_parts("In 2024, Mexico bought $335 billion.", "Mexico bought $335 billion") == (
        "In 2024, ",
        "Mexico bought $335 billion",
        ".",
    )
    assert sentence_parts("abc", "zzz") == ("abc ", "zzz", "")
    assert short_number(334.04e9, "USD") == "$334.0 bn"
    assert short_number(25185, "encounters") == "25k"
    assert short_number(float("nan"), "USD") == "—"
    assert nice_ticks(0, 483) == [0, 200, 400, 600]


def _claim(**kw: Any) -> ClaimResult:
    base: dict[str, Any] = dict(
        id="c1",
        sentence=f"{XSS} each person in China buys only $100 {XSS}",
        text=f"buys only $100 {XSS}",
        span=(0, 10),
        metric="per_capita_trade",
        params={},
        comparator="about",
        claimed=Amount(value=100.0, unit="USD per person"),
        computed=None,
        difference_pct=None,
        verdict="supported",
        reason=f"because {XSS}",
        reading=f"reading {XSS}",
        other_readings=[
            ReadingOut(name=XSS, description=XSS, metric="m", params={}, computed=None, verdict="unverifiable")
        ],
        evidence=[
            EvidenceOut(
                source_id="s1",
                agency=XSS,
                title=XSS,
                file=f"{XSS}.csv",
                sha256="ab" * 32,
                vintage="2025-01-01",
                url="javascript:alert(1)",
                label="official statistics",
            )
        ],
        computation=XSS,
        queries=[XSS],
        notes=[XSS],
        series=None,
    )
    base.update(kw)
    return ClaimResult(**base)


def test_every_user_string_is_escaped() -> None:
    series = {
        "kind": "bar",
        "title": XSS,
        "labels": [XSS, "<b onmouseover=alert(3)>"],
        "values": [1.0, 2.0],
        "highlight": [XSS],
        "unit": XSS,
    }
    report = CheckReport(
        document=f"{XSS}.txt",
        as_of="2025-07-01",
        as_of_source=XSS,
        data={XSS: XSS},
        claims=[_claim(series=series, computed=Amount(value=101.0, unit="USD per person"))],
        not_checked=[NotChecked(sentence=XSS, span=(0, 1), figures=[XSS], reason=XSS)],
    )
    html = render_html(report)
    assert XSS not in html
    assert "<b onmouseover" not in html
    assert 'href="javascript' not in html and "<a " not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert len(_cards(html)) == 1
    for s in re.findall(r"<svg.*?</svg>", html, flags=re.S):
        ET.fromstring(s)


def test_report_command_writes_one_file(tmp_path: Path, web_store: Path) -> None:
    from typer.testing import CliRunner

    from usmca.cli import app

    doc = tmp_path / "claims.txt"
    doc.write_text(
        "Mexico purchased $335 billion of American goods in 2024, about 2.3 times what China bought.\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.html"
    res = CliRunner().invoke(
        app, ["report", str(doc), "-o", str(out), "--as-of", "2025-07-01", "--store", str(web_store)]
    )
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>") and "claims.txt" in html and "2025-07-01" in html
    assert len(_cards(html)) >= 2 and html.count("<svg") >= 2
    assert set(tmp_path.iterdir()) == {doc, out}  # one file, nothing beside it


def test_report_command_bad_input(tmp_path: Path, web_store: Path) -> None:
    from typer.testing import CliRunner

    from usmca.cli import app

    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    res = CliRunner().invoke(app, ["report", str(empty), "-o", str(tmp_path / "x.html"), "--store", str(web_store)])
    assert res.exit_code == 2
    assert "empty" in res.output
    assert not (tmp_path / "x.html").exists()


def test_pdf_report_printed_by_local_chromium(tmp_path: Path) -> None:
    """`usmca report ... -o x.pdf` prints the HTML report with a local Chromium (no download)."""
    import os

    from typer.testing import CliRunner

    from usmca.cli import app
    from usmca.report.pdf import find_chromium

    if find_chromium() is None:
        if os.environ.get("CI"):
            pytest.fail("CI installs chromium (.ci/install-browser.sh): it must be there")
        pytest.skip("no Chromium on this machine")
    out = tmp_path / "report.pdf"
    text = Path(__file__).resolve().parents[2] / "examples" / "north-american-trade.txt"
    res = CliRunner().invoke(app, ["report", str(text), "-o", str(out), "--store", str(tmp_path / "none")])
    assert res.exit_code == 0, res.output
    data = out.read_bytes()
    assert data[:5] == b"%PDF-" and len(data) > 10_000
