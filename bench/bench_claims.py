"""The claim reader on the development corpus: recall, accuracy and confidently-wrong verdicts, by family.

Run: python bench/bench_claims.py [--store DIR] [--json out.json] [--show wrong|missed|all]

Each corpus item (tests/claims/corpus/*.yaml) is one short text with one target claim, labelled from
the agencies' files by tests/claims/corpus/check_truth.py (never by the engine). The engine is run as
a user runs it (`check_text`, the text's date given when the item has one), and the claim whose span
covers the target figure is scored:
- found (recall): a claim covers the figure (checkable items only);
- right (accuracy, over all items): true -> supported or approximately, false -> contradicted,
  uncheckable -> unverifiable or not checked;
- confidently wrong: true -> contradicted, false -> supported or approximately, uncheckable -> any
  verdict but unverifiable. The goal is zero.
Default data: the bundled snapshot (what a fresh install has); --store uses a loaded store.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.claims.corpus.check_truth import load_items  # noqa: E402

RIGHT = {"true": {"supported", "approximately"}, "false": {"contradicted"}, "uncheckable": {"unverifiable", None}}
WRONG = {
    "true": {"contradicted"},
    "false": {"supported", "approximately"},
    "uncheckable": {"supported", "approximately", "contradicted"},
}


def _locate(text: str, figure: str | None) -> tuple[int, int] | None:
    if not figure:
        return None
    i = text.find(figure)
    return (i, i + len(figure)) if i >= 0 else None


def score_item(item: dict[str, Any], reader: Any) -> dict[str, Any]:
    from usmca.claims.check import check_text
    from usmca.claims.document import decode_document

    text = item["text"]
    # as a user's file would be read: HTML to its main text, footers and boilerplate lines removed
    text = decode_document(text.encode("utf-8"), "item.html" if text.lstrip().startswith("<") else "item.txt")
    as_of = item.get("as_of")
    if isinstance(as_of, str):
        as_of = date.fromisoformat(as_of)
    report = check_text(text, reader, as_of=as_of)
    where = _locate(text, item.get("figure"))
    hits = []
    if where is not None:
        a, b = where
        for c in report.claims:
            if c.span is not None and c.span[0] < b and a < c.span[1]:
                hits.append(c)
    # the claim whose own words are closest to the figure
    hits.sort(key=lambda c: (c.span[1] - c.span[0]) if c.span else 10**9)
    verdict = hits[0].verdict if hits else None
    label = item["label"]
    found = bool(hits)
    right = verdict in RIGHT[label]
    wrong = verdict in WRONG[label]
    return {
        "id": item["id"],
        "family": item["family"],
        "label": label,
        "found": found,
        "verdict": verdict,
        "right": right,
        "wrong": wrong,
        "text": item["text"],
        "figure": item.get("figure"),
        "metric": hits[0].metric if hits else None,
        "params": {k: v for k, v in hits[0].params.items()} if hits else None,
        "ours": hits[0].computed.value if hits and hits[0].computed else None,
        "reason": hits[0].reason
        if hits
        else next(
            (
                n.reason
                for n in report.not_checked
                if any(f in (item.get("figure") or "") or (item.get("figure") or "") in f for f in n.figures)
            ),
            "not found",
        ),
        "true": item.get("_true"),
    }


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    checkable = [r for r in rows if r["label"] != "uncheckable"]
    return {
        "items": len(rows),
        "checkable": len(checkable),
        "recall": sum(r["found"] for r in checkable) / len(checkable) if checkable else None,
        "accuracy": sum(r["right"] for r in rows) / len(rows) if rows else None,
        "confidently_wrong": sum(r["wrong"] for r in rows),
    }


def run(store: str | None = None) -> dict[str, Any]:
    from tests.claims.corpus.check_truth import problems
    from usmca.store import Store, open_reader

    items = load_items()
    for it in items:
        problems(it)  # fills _true (the figure from the agencies' files) for the report
    reader = open_reader(Store(Path(store) if store else ROOT / ".bench-no-store"))
    t0 = time.perf_counter()
    try:
        rows = [score_item(it, reader) for it in items]
    finally:
        reader.close()
    elapsed = time.perf_counter() - t0
    fams: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        fams[r["family"]].append(r)
    return {
        "benchmark": "claims",
        "data": "store" if store else "bundled snapshot",
        "seconds": elapsed,
        "overall": summarise(rows),
        "by_family": {f: summarise(rs) for f, rs in sorted(fams.items())},
        "rows": rows,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", default=None)
    ap.add_argument("--json", default=str(ROOT / "bench" / "results" / "claims.json"))
    ap.add_argument("--show", choices=["wrong", "missed", "bad", "all", "none"], default="wrong")
    ns = ap.parse_args()
    out = run(ns.store)
    o = out["overall"]
    print(
        f"claims corpus ({out['data']}): {o['items']} items, recall {o['recall']:.3f}, accuracy {o['accuracy']:.3f}, "
        f"confidently wrong {o['confidently_wrong']} ({out['seconds']:.1f} s)"
    )
    print(f"{'family':<20} {'items':>5} {'recall':>7} {'accuracy':>9} {'conf. wrong':>12}")
    for f, s in out["by_family"].items():
        rec = f"{s['recall']:.2f}" if s["recall"] is not None else "-"
        print(f"{f:<20} {s['items']:>5} {rec:>7} {s['accuracy']:>9.2f} {s['confidently_wrong']:>12}")
    for r in out["rows"]:
        show = {
            "wrong": r["wrong"],
            "missed": not r["found"] and r["label"] != "uncheckable",
            "bad": not r["right"],
            "all": True,
            "none": False,
        }[ns.show]
        if show:
            print(
                f"- {r['id']} [{r['label']}] verdict={r['verdict']} metric={r['metric']} ours={r['ours']} "
                f"true={r['true']} params={r['params']}\n    {r['text'][:200]}\n    figure={r['figure']!r} "
                f"reason={str(r['reason'])[:160]}"
            )
    Path(ns.json).parent.mkdir(parents=True, exist_ok=True)
    summary = {k: v for k, v in out.items() if k != "rows"}
    summary["measured"] = time.strftime("%Y-%m-%d")
    summary["missed"] = [r["id"] for r in out["rows"] if not r["found"] and r["label"] != "uncheckable"]
    summary["not_right"] = [r["id"] for r in out["rows"] if not r["right"]]
    summary["confidently_wrong_ids"] = [r["id"] for r in out["rows"] if r["wrong"]]
    Path(ns.json).write_text(json.dumps(summary, indent=1, default=str) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
