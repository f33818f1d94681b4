"""`usmca check` says what went wrong in words: a bad --fail-on, a text with nothing checkable."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import usmca.cli
from usmca.claims.model import VERDICTS
from usmca.cli import app
from usmca.store import Store, open_reader
from usmca.store.reader import Reader

runner = CliRunner()
# written for these tests: figures of kinds no loaded source covers (a state, a single product, a club)
UNCHECKABLE = (
    "Texas exported $130 billion of goods to Mexico in 2024. "
    "Ontario sold 20% more cars than the year before. "
    "The committee met in Ottawa."
)


@pytest.fixture(scope="module")
def snapshot_reader(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Reader]:
    r = open_reader(Store(tmp_path_factory.mktemp("msg") / "no-store"))
    yield r
    r.close()


@pytest.fixture(autouse=True)
def fast(monkeypatch: pytest.MonkeyPatch, snapshot_reader: Reader) -> None:
    monkeypatch.setattr(usmca.cli, "_reader", lambda *a, **k: snapshot_reader)


def check(*args: str, text: str) -> Any:
    return runner.invoke(app, ["check", "-", *args], input=text.encode(), env={"COLUMNS": "80"})


def flat(s: str) -> str:
    return " ".join(s.split())


@pytest.mark.parametrize("bad", ["bogus", "Contradicted", "supported,contradicted", ""])
def test_invalid_fail_on_exits_two_with_the_valid_list(bad: str, tmp_path: Path) -> None:
    # checked before the input is read: a missing file is not what gets reported
    res = runner.invoke(app, ["check", str(tmp_path / "missing.txt"), "--fail-on", bad])
    assert res.exit_code == 2
    msg = flat(res.stderr)
    assert msg == f"error: --fail-on: expected one of {', '.join(VERDICTS)}, found {bad!r}"
    assert res.stdout == ""


@pytest.mark.parametrize("verdict", VERDICTS)
def test_every_valid_fail_on_is_accepted(verdict: str) -> None:
    res = check("--fail-on", verdict, "--format", "json", text="U.S. exports to Canada were $349.4 billion in 2024.")
    verdicts = [c["verdict"] for c in json.loads(res.stdout)["claims"]]
    assert verdicts == ["supported"]
    assert res.exit_code == (1 if verdict == "supported" else 0)


def test_no_checkable_claims_counts_the_figures_and_says_why() -> None:
    doc = json.loads(check("--format", "json", text=UNCHECKABLE).stdout)
    assert doc["claims"] == []
    seen = sum(len(n["figures"]) for n in doc["not_checked"])
    assert seen >= 2
    res = check(text=UNCHECKABLE)
    assert res.exit_code == 0
    out = flat(res.stdout)
    head = re.search(r"no checkable claims found in -: (\d+) figure\(s\) seen in (\d+) sentence\(s\)", out)
    assert head, out
    assert (int(head[1]), int(head[2])) == (seen, len(doc["not_checked"]))
    for n in doc["not_checked"]:
        assert n["reason"] in out  # each sentence's reason, as the reader gave it
        for fig in n["figures"]:
            assert fig in out
    assert "state-level" in out
    assert "┃" not in out  # no empty table


def test_a_text_without_figures_says_none_were_seen() -> None:
    res = check(text="The committee met in Ottawa and talked about trade with Mexico.")
    assert res.exit_code == 0
    out = flat(res.stdout)
    assert out.startswith("no checkable claims found in -: 0 figure(s) seen")
    assert "no amount, percentage, count or ranking" in out


def test_fail_on_with_no_claims_exits_zero() -> None:
    assert check("--fail-on", "unverifiable", text=UNCHECKABLE).exit_code == 0


def test_a_bug_is_one_line_and_exit_3(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An unexpected exception inside a command is reported in one line that names it as a bug."""
    import usmca.claims.check

    def broken(*a: Any, **k: Any) -> Any:
        raise KeyError("no such column")

    monkeypatch.setattr(usmca.claims.check, "check_path", broken)
    f = tmp_path / "t.txt"
    f.write_text("Mexico bought $334 billion of U.S. goods in 2024.")
    res = runner.invoke(app, ["check", str(f)])
    assert res.exit_code == 3
    out = res.output
    assert "internal error" in out and "KeyError" in out and "no such column" in out
    assert "Traceback" not in out and 'File "' not in out
