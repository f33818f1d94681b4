"""Every frame's own examples run as tests, and docs/claims.md's table of claim kinds is generated from them."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from usmca.claims.frames import Example, Frame, load_frames
from usmca.claims.reader import read

ROOT = Path(__file__).resolve().parents[2]
CASES = [(f, e) for f in load_frames() for e in f.examples]


def test_every_frame_has_examples() -> None:
    for f in load_frames():
        assert f.examples, f"frame {f.name} declares no examples"


@pytest.mark.parametrize(("frame", "example"), CASES, ids=[f"{f.name}:{e.text[:40]}" for f, e in CASES])
def test_frame_example(frame: Frame, example: Example) -> None:
    today = date.fromisoformat(example.as_of) if example.as_of else date(2025, 7, 1)
    got = read(example.text, today=today, default_year=2024, reference_month=(2025, 6)).claims
    if example.metric is None:
        assert got == [], [(c.metric, c.params) for c in got]
        return
    hits = [c for c in got if c.metric == example.metric]
    assert hits, (example.text, [(c.metric, c.params) for c in got])
    c = hits[0]
    for k, v in example.params.items():
        assert c.params.get(k) == v, (k, c.params)
    if example.comparator is not None:
        assert c.comparator == example.comparator
    if example.value is not None:
        assert c.value == pytest.approx(example.value)


def test_claims_doc_table_is_generated_from_the_frames() -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_claims_docs.py"), "--check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_benchmarks_doc_matches_the_claims_benchmark_json() -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_bench_docs.py"), "--check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stdout + out.stderr
