"""`usmca check`: formats, exit codes, bad input, stdin, --as-of."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

import usmca.cli
from usmca.cli import app
from usmca.store import Store, open_reader
from usmca.store.reader import Reader

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "src" / "usmca" / "claims" / "check-report.schema.json").read_text())
TRUE_TEXT = "U.S. exports to Canada were $349.4 billion in 2024. Canada was the top market for U.S. goods.\n"
FALSE_TEXT = "China bought more U.S. goods than Mexico did in 2024.\n"

runner = CliRunner()


@pytest.fixture(scope="module")
def shared_reader(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Reader]:
    r = open_reader(Store(tmp_path_factory.mktemp("cli") / "no-store"))
    yield r
    r.close()


@pytest.fixture
def fast(monkeypatch: pytest.MonkeyPatch, shared_reader: Reader) -> None:
    """Every command reuses one snapshot reader (opening one per command is the slow part)."""
    monkeypatch.setattr(usmca.cli, "_reader", lambda *a, **k: shared_reader)


def check(*args: str, input: str | bytes | None = None) -> Any:
    return runner.invoke(app, ["check", *args], input=input)


@pytest.fixture
def oped(tmp_path: Path, seed_text: str) -> Path:
    p = tmp_path / "oped.txt"
    p.write_text(seed_text, encoding="utf-8")
    return p


def errors(res: Any) -> str:
    """stderr with the console's line wrapping undone."""
    return " ".join(res.stderr.split())


def _write(tmp_path: Path, name: str, data: bytes) -> str:
    p = tmp_path / name
    p.write_bytes(data)
    return str(p)


# ---------------------------------------------------------------------------------------- formats
def test_json_is_one_document_valid_against_the_schema(fast: None, oped: Path) -> None:
    res = check(str(oped), "--format", "json")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)  # fails on anything but exactly one JSON document
    assert res.stdout.strip().count("\n") == 0
    jsonschema.validate(doc, SCHEMA)
    assert doc["document"] == "oped.txt"
    assert 17 <= len(doc["claims"]) <= 22
    assert {c["verdict"] for c in doc["claims"]} <= {"supported", "approximately", "contradicted", "unverifiable"}
    assert "series" not in doc["claims"][0]


def test_schema_rejects_a_broken_report(fast: None, oped: Path) -> None:
    doc = json.loads(check(str(oped), "--format", "json").stdout)
    del doc["claims"][0]["verdict"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, SCHEMA)


def test_table_output(fast: None, oped: Path) -> None:
    res = check(str(oped))
    assert res.exit_code == 0
    assert "contradicted" in res.stdout and "unverifiable" in res.stdout
    assert "as of 2025-07-01" in res.stdout


def test_markdown(fast: None, oped: Path) -> None:
    res = check(str(oped), "--format", "markdown")
    assert res.exit_code == 0
    out = res.stdout
    assert out.startswith("# Claim check: oped.txt")
    assert "| # | Claim | Claimed | Computed | Verdict | Why |" in out
    assert "**contradicted**" in out and "**approximately**" in out
    assert "## Evidence" in out
    assert "query: `" not in out  # only with --explain


def test_explain_shows_queries(fast: None, oped: Path) -> None:
    md = check(str(oped), "--format", "markdown", "--explain").stdout
    assert "  - query: `SELECT" in md
    table = check(str(oped), "--explain").stdout
    assert "query: SELECT" in table
    assert "computation:" in table


def test_yaml_claims_file(fast: None) -> None:
    res = check(str(Path(__file__).parent / "texts" / "claims.yaml"), "--format", "markdown")
    assert res.exit_code == 0, res.output
    assert "partner_rank(partner=CAN, year=2024, flow=exports)" in res.stdout


# ------------------------------------------------------------------------------------- exit codes
def test_exit_zero_whatever_the_verdicts(fast: None, oped: Path) -> None:
    res = check(str(oped), "--format", "json")
    assert res.exit_code == 0
    assert any(c["verdict"] == "contradicted" for c in json.loads(res.stdout)["claims"])


def test_fail_on_contradicted(fast: None, oped: Path, tmp_path: Path) -> None:
    assert check(str(oped), "--fail-on", "contradicted").exit_code == 1
    assert check(_write(tmp_path, "false.txt", FALSE_TEXT.encode()), "--fail-on", "contradicted").exit_code == 1
    ok = check(_write(tmp_path, "true.txt", TRUE_TEXT.encode()), "--fail-on", "contradicted", "--format", "json")
    assert ok.exit_code == 0
    assert [c["verdict"] for c in json.loads(ok.stdout)["claims"]] == ["supported", "supported"]


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("empty.txt", b"", "the document is empty"),
        ("blank.txt", b" \n\t\n", "the document is empty"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary file"),
        ("latin1.txt", "Exportaciones a México en 2024: $334 mil millones.".encode("latin-1"), "not UTF-8"),
        ("big.txt", b"Mexico bought goods. " * (5 * 1024 * 1024 // 21 + 10), "over the 5 MB limit"),
        ("bad.yaml", b"claims:\n  - metric: trade_value\n    params: {partner: MEX\n", "not valid YAML"),
    ],
)
def test_bad_input_exits_two_with_a_clear_message(
    fast: None, tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    res = check(_write(tmp_path, name, data))
    assert res.exit_code == 2
    assert message in errors(res)
    assert errors(res).startswith("error:")
    assert res.stdout == ""


def test_missing_file_and_folder(fast: None, tmp_path: Path) -> None:
    res = check(str(tmp_path / "nope.txt"))
    assert (res.exit_code, errors(res)) == (2, f"error: {tmp_path / 'nope.txt'}: no such file")
    res = check(str(tmp_path))
    assert res.exit_code == 2 and "folder" in errors(res)


def test_bad_options_exit_two(fast: None, oped: Path) -> None:
    assert check(str(oped), "--format", "xml").exit_code == 2
    res = check(str(oped), "--as-of", "yesterday")
    assert res.exit_code == 2 and "--as-of" in errors(res)


# ------------------------------------------------------------------------------------------ stdin
def test_dash_reads_stdin(fast: None) -> None:
    res = check("-", "--format", "json", input=TRUE_TEXT.encode())
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["document"] == "-"
    assert [c["metric"] for c in doc["claims"]] == ["trade_value", "partner_rank"]


def test_empty_stdin_exits_two(fast: None) -> None:
    res = check("-", input=b"")
    assert res.exit_code == 2 and "empty" in errors(res)


def test_stdin_through_the_installed_command(tmp_path: Path) -> None:
    """The real command in a subprocess, with its own reader (no store: the bundled snapshot)."""
    exe = Path(sys.executable).parent / "usmca"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "usmca.cli"]
    proc = subprocess.run(
        [*cmd, "check", "-", "--format", "json", "--store", str(tmp_path / "none")],
        input=FALSE_TEXT.encode(),
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    doc = json.loads(proc.stdout)
    jsonschema.validate(doc, SCHEMA)
    assert [(c["metric"], c["verdict"]) for c in doc["claims"]] == [("trade_ratio", "contradicted")]


# ---------------------------------------------------------------------------------------- --as-of
def _fentanyl(res: Any) -> dict[str, Any]:
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    return next(c for c in doc["claims"] if c["metric"] == "statement_running_total") | {"_doc": doc}


def test_as_of_changes_the_running_total_judgement(fast: None, oped: Path) -> None:
    inferred = _fentanyl(check(str(oped), "--format", "json"))
    assert inferred["_doc"]["as_of"] == "2025-07-01"
    assert inferred["verdict"] == "approximately"  # between 163 kg (4 April) and 310.89 kg (16 July)

    october = _fentanyl(check(str(oped), "--format", "json", "--as-of", "2025-10-15"))
    assert october["_doc"]["as_of_source"] == "--as-of"
    assert october["computed"]["value"] == pytest.approx(467.32)  # published 2 October 2025
    assert october["verdict"] == "contradicted"

    july = _fentanyl(check(str(oped), "--format", "json", "--as-of", "2025-07-16"))
    assert july["computed"]["value"] == pytest.approx(310.89)
    assert july["verdict"] != "supported"


def test_fail_on_with_an_unknown_verdict_is_refused(tmp_path: Path) -> None:
    res = CliRunner().invoke(
        app,
        ["check", "-", "--fail-on", "bogus", "--store", str(tmp_path / "s")],
        input="Mexico bought $334 billion of U.S. goods in 2024.",
    )
    assert res.exit_code == 2
    assert "supported, approximately, contradicted, unverifiable" in res.output


def test_a_text_with_no_checkable_claim_says_so_and_why(tmp_path: Path) -> None:
    res = CliRunner().invoke(
        app,
        ["check", "-", "--store", str(tmp_path / "s")],
        input="The committee met in Ottawa. Texas exported $130 billion of goods to Mexico in 2024.",
    )
    assert res.exit_code == 0
    assert "no checkable claims found" in res.output and "1 figure(s) seen" in res.output
    assert "state-level" in res.output
