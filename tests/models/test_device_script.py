"""bench/device_io.py (the GPU check) runs where there is no torch, and its docs section renders."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from usmca.models import backends

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))

import gen_bench_docs  # noqa: E402


@pytest.mark.skipif(backends.torch_available(), reason="torch is installed: the script would measure")
def test_device_script_without_torch_says_so_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "device_io.json"
    run = subprocess.run(
        [sys.executable, str(REPO / "bench" / "device_io.py"), "--json", str(out)],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(REPO / "src"), "PATH": "/usr/bin:/bin"},
    )
    assert json.loads(run.stdout) == {"benchmark": "device_io", "skipped": "torch is not installed"}
    assert not out.exists()


def test_device_section_renders_not_run_and_a_run() -> None:
    assert "Not run: no GPU lent" in gen_bench_docs.device_io_section(None)
    timing = {"min_s": 0.02, "median_s": 0.021}
    case = {
        "table": "synthetic 81x45",
        "n": 3645,
        "usmca": timing,
        "bare_from_parts": timing,
        "bare_on_device": {"min_s": 0.01, "median_s": 0.0105},
        "second_reading": timing,
        "ratio_vs_bare_from_parts": 1.0,
        "ratio_vs_bare_on_device": 2.0,
        "max_rel_diff_vs_lapack": {"usmca": 1e-15},
    }
    d = {
        "measured": "2026-12-01",
        "machine": "NVIDIA H200, 16 CPU cores",
        "gpu": True,
        "torch": "2.x",
        "runs": 5,
        "cases": [case],
        "goals": {"ratio_vs_bare_from_parts": 1.5, "max_rel_diff": 1e-9},
        "goals_met": True,
    }
    text = gen_bench_docs.device_io_section(d)
    assert "| synthetic 81x45 | 3,645 | 20.0 / 21.0 ms | 20.0 / 21.0 ms | 1.00 | 10.0 / 10.5 ms | 2.00 |" in text
    assert "No GPU" not in text and "Met: yes" in text
