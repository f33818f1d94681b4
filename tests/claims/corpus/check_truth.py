"""Label every corpus item from the agencies' files and refuse items whose label does not follow.

Run: python -m tests.claims.corpus.check_truth   (prints a table; exits 1 on any inconsistency)

Label rules (the corpus avoids the grey zone between "true" and "false" on purpose):
- compare "level" or "ratio": hedge "over" -> true if truth > claimed and truth < 1.3 x claimed, false if
  truth < 0.95 x claimed; "under" mirrors it; otherwise (eq/about) true if within 3%, false if 10% or more off.
- compare "points" (percents, shares, growth rates): true within 0.6 points, false at 2.5 points or more
  (with "over"/"under": true on the claimed side by at most 5 points, false 1 point or more on the other side).
- compare "rank": true if equal, false otherwise. "direction": claimed is +1 or -1; true if the sign agrees.
- compare "bool": claimed is 1 (the statement holds) and truth is 1 or 0.
Items labelled "uncheckable" carry no truth and a `why`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

from tests.claims.corpus.truth import compute

CORPUS = Path(__file__).parent
LABELS = ("true", "false", "uncheckable")
COMPARES = ("level", "ratio", "points", "rank", "direction", "bool")


def load_items() -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for p in sorted(CORPUS.glob("*.yaml")):
        doc = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
        for it in doc.get("items", []):
            it["_file"] = p.name
            if isinstance(it.get("label"), bool):  # YAML reads a bare true/false as a boolean
                it["label"] = "true" if it["label"] else "false"
            items.append(it)
    return items


def derive_label(compare: str, claimed: float, true: float, hedge: str | None) -> str | None:
    """'true', 'false' or None (the grey zone) for a claimed figure against the true one."""
    h = hedge or "eq"
    if compare in ("level", "ratio"):
        if true == 0:
            return None
        if h == "over":
            return "true" if claimed < true < 1.3 * claimed else ("false" if true < 0.95 * claimed else None)
        if h == "under":
            return "true" if 0.7 * claimed < true < claimed else ("false" if true > 1.05 * claimed else None)
        rel = abs(claimed - true) / abs(true)
        return "true" if rel <= 0.03 else ("false" if rel >= 0.10 else None)
    if compare == "points":
        d = true - claimed
        if h == "over":
            return "true" if 0 < d <= 5 else ("false" if d <= -1 else None)
        if h == "under":
            return "true" if -5 <= d < 0 else ("false" if d >= 1 else None)
        return "true" if abs(d) <= 0.6 else ("false" if abs(d) >= 2.5 else None)
    if compare == "rank":
        return "true" if round(true) == round(claimed) else "false"
    if compare == "direction":
        return "true" if (true > 0) == (claimed > 0) and true != 0 else "false"
    if compare == "bool":
        return "true" if round(true) == round(claimed) else "false"
    raise ValueError(f"unknown compare {compare!r}")


def problems(item: dict[str, Any]) -> list[str]:
    out = []
    iid = item.get("id", "?")
    for key in ("id", "family", "text", "label"):
        if key not in item:
            out.append(f"{iid}: missing {key}")
    if item.get("label") not in LABELS:
        out.append(f"{iid}: label must be one of {LABELS}")
        return out
    fig = item.get("figure")
    if fig and fig not in item["text"]:
        out.append(f"{iid}: figure {fig!r} is not in the text")
    if item["label"] == "uncheckable":
        if not item.get("why"):
            out.append(f"{iid}: an uncheckable item says why")
        return out
    if item.get("compare", "level") not in COMPARES:
        out.append(f"{iid}: compare must be one of {COMPARES}")
        return out
    try:
        true = compute(item["truth"])
    except Exception as e:  # noqa: BLE001 - report every broken item, not the first
        return [f"{iid}: truth failed: {type(e).__name__}: {e}"]
    item["_true"] = true
    got = derive_label(item.get("compare", "level"), float(item["claimed"]), true, item.get("hedge"))
    if got is None:
        out.append(f"{iid}: claimed {item['claimed']} vs true {true:.6g} is in the grey zone")
    elif got != item["label"]:
        out.append(
            f"{iid}: labelled {item['label']} but the files say {got} (claimed {item['claimed']}, true {true:.6g})"
        )
    return out


def main() -> int:
    items = load_items()
    bad = [p for it in items for p in problems(it)]
    ids = [it.get("id") for it in items]
    dup = {i for i in ids if ids.count(i) > 1}
    bad += [f"duplicate id {i}" for i in sorted(dup)]
    for it in items:
        print(
            f"{it.get('id', '?'):<14} {it.get('label', '?'):<12} true={it.get('_true', '-')!s:<22} {it.get('family')}"
        )
    print(f"{len(items)} items, {len(bad)} problems")
    for b in bad:
        print("  " + b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
