"""`usmca --help` pays only for what it shows: no data stack is imported (checked in a fresh process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
HEAVY = ["pandas", "scipy", "duckdb", "numpy", "pyarrow", "httpx", "jinja2", "fastapi", "uvicorn"]

PROBE = """
import json, runpy, sys
sys.argv = ["usmca", *json.loads(sys.argv[1])]
code = 0
try:
    runpy.run_module("usmca", run_name="__main__")
except SystemExit as e:
    code = e.code or 0
print(json.dumps({"code": code, "modules": sorted({m.split(".")[0] for m in sys.modules})}), file=sys.stderr)
"""


def imported(*args: str) -> tuple[int, set[str], str]:
    env = {**os.environ, "PYTHONPATH": str(SRC) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(list(args))],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    info = json.loads(proc.stderr.strip().splitlines()[-1])
    return info["code"], set(info["modules"]), proc.stdout


def test_help_imports_no_data_stack() -> None:
    code, modules, out = imported("--help")
    assert code == 0 and "Usage" in out and "check" in out
    assert "typer" in modules  # the probe did run the command
    assert sorted(modules & set(HEAVY)) == []
    assert "pydantic" not in modules


@pytest.mark.parametrize("args", [["data", "--help"], ["check", "--help"], ["indicators", "--help"], ["--version"]])
def test_subcommand_help_imports_no_data_stack(args: list[str]) -> None:
    code, modules, out = imported(*args)
    assert code == 0 and out
    assert sorted(modules & set(HEAVY)) == []


def test_python_dash_m_usmca_is_the_command() -> None:
    code, _, out = imported("--version")
    assert code == 0
    assert out.startswith("usmca ")
