"""No figure vanishes: every number the reader finds ends in a claim or in `not_checked` with a reason.

Run over the whole development corpus, the op-ed and the test texts; and the reader is linear in the
text (issue: 10-40 KB of prose took 30-60 s in the first reader).
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest

from tests.claims.corpus.check_truth import load_items
from usmca.claims.reader import read
from usmca.claims.sentences import split_sentences
from usmca.claims.tokens import analyse

TEXTS = Path(__file__).parent / "texts"


def _texts() -> list[str]:
    out = [it["text"] for it in load_items() if not it["text"].lstrip().startswith("<")]
    out += [p.read_text(encoding="utf-8") for p in sorted(TEXTS.glob("*.txt"))]
    seed = Path(__file__).resolve().parents[3] / "shared" / "seed" / "usmca-oped.txt"
    if seed.exists():
        out.append(seed.read_text(encoding="utf-8"))
    return out


def unaccounted(text: str) -> list[str]:
    ex = read(text, today=date(2025, 7, 1), default_year=2024, reference_month=(2025, 6))
    spans = [c.span for c in ex.claims if c.span]
    listed = {(n.span, f) for n in ex.not_checked for f in n.figures}
    lost = []
    for s in split_sentences(text):
        for q in analyse(s.text, s.start, today=date(2025, 7, 1)).quantities:
            a = s.start + q.start
            in_claim = any(x <= a < y for x, y in spans)
            in_list = ((s.start, s.end), q.raw) in listed
            if not (in_claim or in_list):
                lost.append(f"{q.raw!r} in {s.text!r}")
    return lost


def test_every_figure_is_a_claim_or_not_checked_with_a_reason() -> None:
    texts = _texts()
    assert len(texts) > 300
    lost = [x for t in texts for x in unaccounted(t)]
    assert lost == []


def test_not_checked_reasons_are_specific() -> None:
    for t in _texts():
        for n in read(t, today=date(2025, 7, 1), default_year=2024).not_checked:
            assert n.reason and len(n.reason) > 20, n


def _prose(n_sentences: int) -> str:
    base = [
        "U.S. exports to Mexico were $334 billion in 2024, up from $323 billion in 2023.",
        "CBP recorded 25,185 encounters nationwide in June 2025, the lowest since October 2019.",
        "Officials met in Ottawa to discuss the review of the agreement and other matters.",
        "The talks covered rules of origin, labor standards and the dispute panels in some detail.",
        "Several delegations asked for more time before the next round of meetings in the spring.",
        "Business groups said they would publish their own assessment later in the year.",
        "Analysts expect the discussions to continue well into the next session of the legislature.",
        "Many of the proposals had already been circulated among member agencies beforehand.",
        "The secretariat promised a summary of the positions before the end of the month.",
        "Negotiators declined to comment on the timing of any final text or announcement.",
        "Observers noted that the tone of the meetings had been constructive and businesslike.",
        "The committee will report back once the technical working groups have finished.",
        "No date has been set for the ministers to meet again, according to the organisers.",
        "Mexico's population was about 131 million in 2024, and Canada is home to 41 million people.",
        "Fentanyl seizures fell by almost half from fiscal 2023 to fiscal 2025, CBP said.",
    ]
    return " ".join(base[i % len(base)] for i in range(n_sentences))


@pytest.mark.slow
def test_reading_is_linear_in_the_text() -> None:
    """Doubling the text must not quadruple the time: the best of three runs at each size, 3x allowed."""
    small, large = _prose(800), _prose(1600)  # about 80 KB and 160 KB
    read(small[:2000])  # warm the lexicon and the frames

    def best(text: str) -> float:
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            read(text, today=date(2025, 7, 1), default_year=2024)
            times.append(time.perf_counter() - t0)
        return min(times)

    t_small, t_large = best(small), best(large)
    assert t_large <= 3.0 * t_small + 0.05, (t_small, t_large)  # quadratic would be 4x


@pytest.mark.slow
def test_a_megabyte_of_prose_reads_in_bounded_time() -> None:
    text = _prose(12000)  # about 1 MB
    assert len(text) > 1_000_000
    t0 = time.perf_counter()
    ex = read(text, today=date(2025, 7, 1), default_year=2024)
    elapsed = time.perf_counter() - t0
    assert ex.claims
    assert elapsed < 20, elapsed  # 5 s on a quiet machine (bench/bench_claims.py); slack for a loaded CI
