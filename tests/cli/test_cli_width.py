"""Terminal output fits the terminal: at 80 and 120 columns no key field is cut.

`usmca check`, `usmca indicators` and `usmca data status` are rendered through the CLI with
COLUMNS set (as a terminal of that width would), and every verdict word, claim id, indicator
name, dataset id and file name must appear whole. `--format json` must not depend on the width.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from rich.text import Text
from typer.testing import CliRunner

import usmca.cli
from usmca.claims.check import check_path
from usmca.claims.model import VERDICTS, CheckReport
from usmca.cli import app
from usmca.report.render import COMPACT_WIDTH, Col, print_records, render_terminal
from usmca.store import Store, open_reader
from usmca.store.reader import Reader

runner = CliRunner()
WIDTHS = [80, 120]
ELLIPSIS = "…"  # what rich writes where it cuts a cell


@pytest.fixture(scope="module")
def snapshot_reader(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Reader]:
    r = open_reader(Store(tmp_path_factory.mktemp("width") / "no-store"))
    yield r
    r.close()


@pytest.fixture
def fast(monkeypatch: pytest.MonkeyPatch, snapshot_reader: Reader) -> None:
    """Every command reuses one snapshot reader (opening one per command is the slow part)."""
    monkeypatch.setattr(usmca.cli, "_reader", lambda *a, **k: snapshot_reader)


@pytest.fixture
def oped(tmp_path: Path, seed_text: str) -> Path:
    p = tmp_path / "oped.txt"
    p.write_text(seed_text, encoding="utf-8")
    return p


@pytest.fixture(scope="module")
def oped_report(snapshot_reader: Reader, seed_text: str, tmp_path_factory: pytest.TempPathFactory) -> CheckReport:
    p = tmp_path_factory.mktemp("oped") / "oped.txt"
    p.write_text(seed_text, encoding="utf-8")
    return check_path(str(p), snapshot_reader)


def invoke(args: list[str], width: int) -> Any:
    res = runner.invoke(app, args, env={"COLUMNS": str(width)})
    assert res.exit_code == 0, res.output
    return res


def whole(word: str, text: str) -> bool:
    """`word` appears with no word character (or a cut mark) glued to either side."""
    return re.search(rf"(?<![\w.…-]){re.escape(word)}(?![\w…-])", text) is not None


def boxed_lines(out: str) -> list[str]:
    """The table or block lines (summary lines are soft-wrapped by the terminal, not by us)."""
    soft = ("not checked:", "as of ", "store: ")
    return [ln for ln in out.splitlines() if not ln.startswith(soft) and " · " not in ln]


# ------------------------------------------------------------------------------------------- check
@pytest.mark.parametrize("width", WIDTHS)
def test_check_shows_every_verdict_and_claim_whole(fast: None, oped: Path, width: int) -> None:
    claims = json.loads(invoke(["check", str(oped), "--format", "json"], width).stdout)["claims"]
    assert len(claims) >= 15
    assert {c["verdict"] for c in claims} >= {"supported", "approximately", "contradicted"}
    out = invoke(["check", str(oped)], width).stdout
    lines = out.splitlines()
    for c in claims:
        # the claim's id and its verdict word, whole, on one line (the row's first line or the block heading)
        row = [ln for ln in lines if re.search(rf"(?<!\w){c['id']}(?!\w)", ln) and whole(c["verdict"], ln)]
        assert row, f"{c['id']}: verdict {c['verdict']!r} not shown whole at {width} columns"
    table = boxed_lines(out)
    assert all(len(ln) <= width for ln in table), max(table, key=len)
    assert not any(ELLIPSIS in ln for ln in table)
    # the layout follows the width: a table from COMPACT_WIDTH columns, blocks below
    assert ("┃ verdict" in out) is (width >= COMPACT_WIDTH)


def test_json_does_not_depend_on_the_width(fast: None, oped: Path, oped_report: CheckReport) -> None:
    narrow = invoke(["check", str(oped), "--format", "json"], 80).stdout
    wide = invoke(["check", str(oped), "--format", "json"], 200).stdout
    assert narrow == wide
    # exactly the report's own JSON (plus the newline of print)
    assert narrow == oped_report.model_dump_json(exclude={"claims": {"__all__": {"series"}}}) + "\n"


@pytest.mark.parametrize("width", [40, 60, 79, 80, 99, 100, 120, 160, 240])
def test_render_terminal_never_cuts_a_verdict(oped_report: CheckReport, width: int) -> None:
    buf = io.StringIO()
    render_terminal(oped_report, Console(file=buf, width=width, color_system=None, soft_wrap=True), explain=False)
    out = buf.getvalue()
    lines = out.splitlines()
    for c in oped_report.claims:
        assert any(c.id in ln and whole(c.verdict, ln) for ln in lines), (width, c.id, c.verdict)
    for v, n in oped_report.counts().items():
        assert f"{n} {v}" in out
    if width >= 60:  # below that even the label column of a block is a large part of the line
        assert not any(ELLIPSIS in ln for ln in boxed_lines(out))


# -------------------------------------------------------------------------------------- indicators
@pytest.mark.parametrize("width", WIDTHS)
def test_indicator_list_shows_every_name_whole(width: int) -> None:
    names = [i["name"] for i in json.loads(invoke(["indicators", "--format", "json"], width).stdout)]
    assert len(names) >= 20
    out = invoke(["indicators"], width).stdout
    assert ELLIPSIS not in out
    for name in names:
        assert whole(name, out), f"{name} cut at {width} columns"
    assert all(len(ln) <= width for ln in out.splitlines())
    longest = max(names, key=len)
    assert len(longest) > 20  # the names that were cut before ("encounters_chang…")


def test_indicator_list_json_is_unchanged_by_width() -> None:
    narrow, wide = (invoke(["indicators", "--format", "json"], w).stdout for w in (80, 200))
    assert narrow == wide


# ------------------------------------------------------------------------------------- data status
@pytest.mark.parametrize("width", WIDTHS)
def test_data_status_shows_dataset_ids_and_files_whole(fast: None, width: int) -> None:
    doc = json.loads(invoke(["data", "status", "--format", "json"], width).stdout)
    assert doc["sources"]
    out = invoke(["data", "status"], width).stdout
    assert ELLIPSIS not in out
    for s in doc["sources"]:
        for field in (s["dataset"], s["file_name"], s["sha256"][:12], str(s["vintage"])[:10]):
            if " " in field:  # a file name with spaces may wrap at a space, never inside a word
                assert all(whole(part, out) for part in field.split()), (field, width)
            else:
                assert whole(field, out), (field, width)
    assert all(len(ln) <= width for ln in boxed_lines(out))


# ----------------------------------------------------------------------------------- print_records
def _render(width: int, cols: list[Col], rows: list[list[str | Text]]) -> str:
    buf = io.StringIO()
    print_records(Console(file=buf, width=width, color_system=None), cols, rows)
    return buf.getvalue()


def test_wide_table_keeps_key_columns_whole_and_folds_the_rest() -> None:
    url = "https://www.census.gov/foreign-trade/Press-Release/current_press_release/exh12.xlsx"
    cols = [Col("source", key=True), Col("file", key=True), Col("status")]
    rows: list[list[str | Text]] = [["census.ft900_exhibits", "exh12.xlsx", f"failed: {url}: HTTP 503"]]
    out = _render(120, cols, rows)
    assert "┃ source" in out  # a table at 120 columns
    assert whole("census.ft900_exhibits", out) and whole("exh12.xlsx", out)
    assert ELLIPSIS not in out
    # the URL is folded over lines, never cut: every character is there, in order
    joined = "".join(ln.split("│")[3].strip() for ln in out.splitlines() if ln.count("│") == 4)
    assert url in joined


def test_blocks_under_the_compact_width() -> None:
    cols = [Col("indicator", key=True), Col("unit"), Col("what it measures")]
    rows: list[list[str | Text]] = [
        ["encounters_change_vs_average_of_a_period", "percent", "Percent difference " * 8],
        ["trade_value", "USD", "U.S. trade with a partner"],
    ]
    out = _render(80, cols, rows)
    lines = out.splitlines()
    assert "┃" not in out
    assert lines[0] == "encounters_change_vs_average_of_a_period"
    assert "trade_value" in lines
    assert all(len(ln) <= 80 for ln in lines)
    assert len(lines) > 4  # the description wrapped over lines ...
    assert " ".join(" ".join(lines).split()).count("Percent difference") == 8  # ... and nothing is cut


def test_markup_in_data_is_printed_as_text() -> None:
    out = _render(120, [Col("file", key=True), Col("rows")], [["tables[red]2024[/].csv", "12"]])
    assert "tables[red]2024[/].csv" in out


def test_every_verdict_has_a_colour_and_fits_the_verdict_column() -> None:
    from usmca.report.render import COLORS

    assert set(COLORS) == set(VERDICTS)
    assert max(len(v) for v in VERDICTS) == len("approximately")
