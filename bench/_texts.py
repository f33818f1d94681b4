"""Texts for the benchmarks: the op-ed with its figures varied, so that no two texts (and no two
sentences with a figure) are the same and no cache of texts or sentences can answer for them."""

from __future__ import annotations

import random
import re

_FIGURE = re.compile(r"(?<![\d.])\d+(?:\.\d+)?")


def varied(text: str, rng: random.Random) -> str:
    """`text` with every figure but the years changed (same shape: 335 -> 339, 2.3 -> 5.3)."""

    def vary(m: re.Match[str]) -> str:
        s = m.group(0)
        if re.fullmatch(r"(?:19|20)\d\d", s):
            return s
        whole, _, frac = s.partition(".")
        return f"{int(whole) + rng.randint(1, 9)}" + (f".{frac}" if frac else "")

    return _FIGURE.sub(vary, text)
