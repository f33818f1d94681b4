"""Texts for the benchmarks: the op-ed with its figures varied, so that no two texts (and no two
sentences with a figure) are the same and no cache of texts or sentences can answer for them.

The last digit of every figure but the years is changed (335 -> 338, 2.3 -> 2.9, 1,000 -> 1,004):
each figure keeps its shape and width. `WRK_VARY` is the same rule in Lua, for wrk.
"""

from __future__ import annotations

import random
import re

_FIGURE = re.compile(r"\d+")


def varied(text: str, rng: random.Random) -> str:
    def vary(m: re.Match[str]) -> str:
        s = m.group(0)
        if re.fullmatch(r"(?:19|20)\d\d", s):
            return s
        d = (int(s[-1]) + rng.randint(1, 8)) % 10
        if len(s) == 1 and d == 0:
            d = 1
        return s[:-1] + str(d)

    return _FIGURE.sub(vary, text)


WRK_VARY = r"""
local function vary(s)
  if #s == 4 and (s:sub(1, 2) == "19" or s:sub(1, 2) == "20") then return s end
  local d = (tonumber(s:sub(-1)) + math.random(1, 8)) % 10
  if #s == 1 and d == 0 then d = 1 end
  return s:sub(1, -2) .. tostring(d)
end
function varied(body) return (body:gsub("%d+", vary)) end
"""
