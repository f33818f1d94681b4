"""Figures in a sentence: money, percents, points, multiples, fractions, ranks, counts, weights, spans.

`find_quantities(text)` returns every figure with its value, unit, span, the hedge written next to it
("nearly", "more than", "or more"), the rounding of the figure as written, and what it counts.

Two parsers, on purpose:

* Numbers spelled in words ("seventy-five thousand", "twenty-one", "two million") are valued by the
  `text2num` library (`text_to_num.text2num`), a tested grammar of English number words; we only decide
  which run of words is a number and hand that run to it.
* Everything around the number is our own grammar, because text2num does not read it: currency marks
  and prefixes ("US$", "C$", "MX$", "$5 billion Canadian"), scales glued to digits ("$334.0bn", "$5m"),
  percent and percentage points, multiples and their verbs ("2.3 times", "threefold", "more than
  tripled"), fractions ("one in five", "two-thirds", "by almost half"), ranks ("No. 2", "second-largest"),
  the look-alikes that are not figures (years, days of the month, FY labels, clock times, section and
  bill numbers, "21st century"), hedges, and the rounding of the figure as written. text2num's
  `alpha2digit` rewrites text without offsets, units or hedges, and turns "a third" into "a 3rd", so it
  cannot be used for those.

The word lists are data: `lexicon/numbers.yaml` and `lexicon/hedges.yaml`.

Linear time: the text is cut once into tokens by one regular expression whose three alternatives begin
with disjoint characters (digits, letters, any other non-space character), so it never backtracks over
more than a token. The reader then walks the tokens left to right; every look-ahead and look-behind is
bounded by a fixed number of tokens (a hedge is looked up among at most `HEDGE_WINDOW` words just before
a figure; a word number is at most `MAX_WORD_RUN` tokens), and no other regular expression is run over
more than a few characters.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import Any

from text_to_num import text2num

from usmca import patterns

HEDGE_WINDOW = 5  # words looked at before a figure for a hedge
MAX_WORD_RUN = 12  # tokens in a number written in words ("one hundred and twenty-five thousand")


@dataclass
class Quantity:
    value: float
    unit: str  # USD | other currency | percent | points | times | fraction | kg | lb | t | count | ordinal
    #            | years | months | days
    start: int  # offsets in the text given; start includes the hedge when there is one
    end: int
    raw: str  # text[start:end]
    hedge: str | None = None  # the hedge words as written ("nearly", "more than", "or more")
    comparator: str = "eq"  # eq | about | over | under | at_least | at_most
    precision: float | None = None  # rounding of the figure as written ("$334 billion" -> 1e9); None for
    #                                 fractions and ranks
    noun: str = ""  # the noun right after a count, lower case ("encounters", "lethal doses"); the unit word
    #                 as written for weights ("pounds", "kg")
    words: bool = False  # the figure is written (partly) in words
    verb: str | None = None  # "doubled", "tripled", "halved" when the figure is read from a verb
    per: str | None = None  # "each", "a month", "per person" after the figure
    superlative: str | None = None  # for ranks: "largest" in "second-largest"
    scale: float = 1.0  # the scale word's multiplier ("billion" -> 1e9); 1 when there is none


# ---------------------------------------------------------------------------------- lexicon
def _load(name: str) -> Any:
    text = resources.files("usmca.claims").joinpath("lexicon", f"{name}.yaml").read_text(encoding="utf-8")
    return patterns.load_yaml(text)  # parsed once per machine: the data are cached like the grammars


_N = _load("numbers")
_H = _load("hedges")


def _set(key: str) -> frozenset[str]:
    return frozenset(str(w).lower() for w in _N[key])


scale_words: dict[str, float] = {str(k): float(v) for k, v in _N["scale_words"].items()}
"""Scale words read after a figure ("billion", "bn", "mn", ...) -> their multiplier."""
_SCALE_SUFFIX = {str(k): float(v) for k, v in _N["scale_suffixes"].items()}
_NUM_START = _set("number_start_words")
_NUM_SCALE = {str(k): float(v) for k, v in _N["number_scale_words"].items()}
_NUM_WORDS = _NUM_START | frozenset(_NUM_SCALE)
_ORDINALS = {str(k): int(v) for k, v in _N["ordinals"].items()}
_ORD_SUFFIX = _set("ordinal_suffixes")
_ORD_PERIOD_NEXT = _set("ordinal_period_next")
_FIRST_NOT_RANK = _set("first_not_rank_next")
_FIRST_RANK_BEFORE = _set("first_rank_before")
_THIRD_NOT_RANK = _set("third_not_rank_next")
_SUPERLATIVES = _set("superlatives")
_NOT_SUPERLATIVES = _set("not_superlatives")
_FRAC_SING = {str(k): int(v) for k, v in _N["fraction_singular"].items()}
_FRAC_PLUR = {str(k): int(v) for k, v in _N["fraction_plural"].items()}
_FRAC_NOT_BEFORE = _set("fraction_not_before")
_HALF_NOT_BEFORE = _set("half_not_before")
_HALF_NOT_AFTER = _set("half_not_after")
_MULTIPLES = {str(k): float(v) for k, v in _N["multiples"].items()}
_MULT_VERBS = {str(k): float(v) for k, v in _N["multiple_verbs"].items()}
_FRAC_VERBS = {str(k): float(v) for k, v in _N["fraction_verbs"].items()}
_MULT_NOT_BEFORE = _set("multiple_not_before")
_PERCENT_WORDS = _set("percent_words")
_POINTS_WORDS = _set("points_words")
_BP_WORDS = _set("basis_points_words")
_PCT_CONTEXT = _set("percent_context")
_WEIGHTS = {str(k): str(v) for k, v in _N["weight_units"].items()}
_SPANS = {str(k): str(v) for k, v in _N["span_units"].items()}
_USD_PREFIXES = frozenset(_N["usd_prefixes"])  # case-sensitive
_FOREIGN_PREFIXES = frozenset(_N["foreign_prefixes"])  # case-sensitive
_FOREIGN_SYMBOLS = frozenset(_N["foreign_symbols"])
_USD_WORDS = _set("usd_words")
_FOREIGN_WORDS = _set("foreign_words")
_FOREIGN_ADJ = _set("foreign_adjectives")
_CODES_BEFORE = {str(k): str(v) for k, v in _N["currency_codes_before"].items()}
_STOPWORDS = _set("stopwords")
_PER_WORDS = _set("per_words")
_PER_LEADS = _set("per_leads")
_PER_UNITS = _set("per_units")
_PER_NOT_BEFORE = _set("per_not_before")
_LABEL_WORDS = _set("label_words")
_LABEL_CAPS = _set("label_words_capitalized")
_FISCAL = _set("fiscal_prefixes")
_CLOCK_AFTER = _set("clock_after")
_MONTHS = _set("months")
_NOUN_FIRST: dict[str, list[tuple[str, ...]]] = {}  # first word -> listed nouns, longest first
for _noun in patterns.longest_first(tuple(str(x).lower().split()) for x in _N["countable_nouns"]):
    _NOUN_FIRST.setdefault(_noun[0], []).append(_noun)
_GLUE_OK = frozenset(_SCALE_SUFFIX) | frozenset(scale_words) | {"x", "pct", "kg", "kgs", "lb", "lbs"}
_HYPHENS = frozenset({"-", "‐", "‑", "–"})  # en dash too ("10–15%")

_HEDGES_BEFORE: dict[str, str] = {" ".join(str(k).lower().split()): str(v) for k, v in _H["before"].items()}
_HEDGES_AFTER: dict[str, str] = {" ".join(str(k).lower().split()): str(v) for k, v in _H["after"].items()}
_HEDGE_MAX = max(len(k.split()) for k in _HEDGES_BEFORE)
_ARTICLES = frozenset({"a", "an", "the"})


def hedge_of(words: str) -> tuple[str, str] | None:
    """(hedge, comparator) for hedge words written before or after a figure: "Nearly" -> ("nearly", "about"),
    "or more" -> ("or more", "at_least"); None when the words are not a hedge in hedges.yaml."""
    key = " ".join(words.lower().split())
    if key in _HEDGES_BEFORE:
        return key, _HEDGES_BEFORE[key]
    if key in _HEDGES_AFTER:
        return key, _HEDGES_AFTER[key]
    return None


# ---------------------------------------------------------------------------------- tokens
# Digits (with thousands commas and a decimal part), words (with inner apostrophes), or one other
# non-space character. The alternatives begin with disjoint characters: no backtracking across tokens.
_TOKEN_RE = patterns.compile(r"([0-9]+(?:,[0-9]+)*(?:\.[0-9]+)?)|([A-Za-z]+(?:['’][A-Za-z]+)*)|(\S)")
_GROUPED_RE = patterns.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")
_BILL_RE = patterns.compile(r"(?:(?<![A-Za-z.])(?:H\.\s?R|H\.\s?Res|S|P\.\s?L|Sec|Art|Ch)\.|§)\s*$")


class _Tokens:
    """The text cut into tokens: parallel lists of kind ("n" digits, "w" word, "s" symbol), text,
    lower-case text and offsets."""

    __slots__ = ("text", "kind", "tok", "low", "start", "end", "n")

    def __init__(self, text: str) -> None:
        self.text = text
        kind: list[str] = []
        tok: list[str] = []
        start: list[int] = []
        end: list[int] = []
        for m in _TOKEN_RE.finditer(text):
            g = m.lastindex
            s = m.group()
            if g == 1:
                if "," in s and _GROUPED_RE.fullmatch(s) is None:  # "1,2,3" is a list, not 123
                    pos = m.start()
                    for k, part in enumerate(s.split(",")):
                        if k:
                            kind.append("s")
                            tok.append(",")
                            start.append(pos)
                            end.append(pos + 1)
                            pos += 1
                        kind.append("n")
                        tok.append(part)
                        start.append(pos)
                        end.append(pos + len(part))
                        pos += len(part)
                    continue
                kind.append("n")
            elif g == 2:
                kind.append("w")
            else:
                kind.append("s")
            tok.append(s)
            start.append(m.start())
            end.append(m.end())
        self.kind = kind
        self.tok = tok
        self.low = [x.lower() for x in tok]
        self.start = start
        self.end = end
        self.n = len(tok)

    def w(self, i: int) -> str:
        """Lower-case text of token i ("" outside the text)."""
        return self.low[i] if 0 <= i < self.n else ""

    def k(self, i: int) -> str:
        return self.kind[i] if 0 <= i < self.n else ""

    def glued(self, i: int) -> bool:
        """Token i touches token i-1 (no space between)."""
        return 0 < i < self.n and self.start[i] == self.end[i - 1]

    def span_text(self, i: int, j: int) -> str:
        return self.text[self.start[i] : self.end[j - 1]]


# ---------------------------------------------------------------------------------- number cores
@dataclass(slots=True)
class _Core:
    value: float
    precision: float
    j: int  # token after the core
    words: bool
    scale: float = 1.0
    integer: bool = True
    plain: bool = False  # digits only: an integer without comma, decimal or scale


def _digit_precision(s: str) -> tuple[float, float, bool]:
    clean = s.replace(",", "")
    v = float(clean)
    if "." in clean:
        return v, 10.0 ** -len(clean.split(".")[1]), False
    stripped = clean.rstrip("0")
    return v, (10.0 ** (len(clean) - len(stripped)) if stripped else 1.0), True


def _and_a_half(t: _Tokens, j: int) -> int | None:
    if t.w(j) == "and" and t.w(j + 1) == "a" and t.w(j + 2) == "half":
        return j + 3
    if t.w(j) == "½":
        return j + 1
    return None


def _scale_at(t: _Tokens, j: int) -> tuple[float, int]:
    if t.k(j) == "w":
        lw = t.low[j]
        if lw in scale_words:
            return scale_words[lw], j + 1
        if lw in _SCALE_SUFFIX and t.glued(j):
            return _SCALE_SUFFIX[lw], j + 1
    return 1.0, j


def _digits_core(t: _Tokens, i: int) -> _Core:
    v, prec, integer = _digit_precision(t.tok[i])
    j = i + 1
    plain = integer and "," not in t.tok[i]
    h = _and_a_half(t, j)
    if h is not None:
        v, prec, integer, plain, j = v + 0.5, 0.5, False, False, h
    sc, j = _scale_at(t, j)
    if sc != 1.0:
        plain = False
    return _Core(v * sc, prec * sc, j, False, sc, integer and sc == 1.0, plain)


def _word_value(t: _Tokens, i: int, j: int) -> float | None:
    phrase = " ".join(t.span_text(i, j).lower().split())
    try:
        return float(text2num(phrase, "en"))
    except ValueError:
        return None


_UNITS = frozenset(["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"])
_TENS = frozenset(["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"])


def _may_follow(prev: str, cur: str) -> bool:
    """Whether number word `cur` may follow `prev` in one number: "twenty one" yes, "one two" or
    "ten twenty" no (a list, not a number). Keeps word runs short; text2num judges the rest."""
    if cur in _NUM_SCALE:
        return True
    if prev in _TENS:
        return cur in _UNITS
    return prev in _NUM_SCALE


def _words_core(t: _Tokens, i: int) -> _Core | None:
    """A number written in words starting at token i (a word of `number_start_words`)."""
    ends: list[int] = [i + 1]
    j = i + 1
    while j < t.n and j - i < MAX_WORD_RUN:
        lw = t.low[j]
        if (
            t.kind[j] == "s"
            and lw in _HYPHENS
            and t.glued(j)
            and t.glued(j + 1)
            and t.w(j + 1) in _NUM_WORDS
            and _may_follow(t.low[j - 1], t.low[j + 1])
        ):
            j += 2
        elif t.kind[j] == "w" and lw in _NUM_WORDS and _may_follow(t.low[j - 1], lw):
            j += 1
        elif lw == "and" and t.w(j - 1) in _NUM_SCALE and t.w(j + 1) in _NUM_START:
            j += 2
        else:
            break
        ends.append(j)
    v: float | None = None
    e = i + 1
    for e in reversed(ends):  # the longest run text2num accepts
        v = _word_value(t, i, e)
        if v is not None:
            break
    if v is None:
        return None
    last = t.low[e - 1]
    prec = _NUM_SCALE.get(last, 1.0)
    scale = _NUM_SCALE[last] if last in _NUM_SCALE and last != "hundred" else 1.0
    integer = True
    h = _and_a_half(t, e)
    if h is not None:
        v, prec, integer, e = v + 0.5, 0.5, False, h
        sc, e = _scale_at(t, e)
        v, prec, scale = v * sc, prec * sc, scale * sc
    if t.w(e) == "dozen":
        v, prec, e = v * 12, 1.0, e + 1
    return _Core(v, prec, e, True, scale, integer and scale == 1.0)


def _core_at(t: _Tokens, i: int) -> _Core | None:
    if t.k(i) == "n":
        return _digits_core(t, i)
    if t.w(i) in _NUM_START:
        return _words_core(t, i)
    return None


def parse_number(text: str) -> float | None:
    """A number written in digits or words: "1.2" -> 1.2, "25,185" -> 25185, "twenty-one" -> 21,
    "two million" -> 2e6, "2.9 million" -> 2.9e6, "a dozen" -> 12, "two and a half" -> 2.5; else None."""
    t = _Tokens(text)
    if t.n == 0:
        return None
    if t.w(0) in ("a", "an") and t.w(1) in _NUM_SCALE and t.n == 2:
        return _NUM_SCALE[t.w(1)]
    if t.w(0) == "a" and t.w(1) == "dozen" and t.n == 2:
        return 12.0
    if t.w(0) == "half" and t.n == 1:
        return 0.5
    c = _core_at(t, 0)
    if c is None or c.j != t.n:
        return None
    return c.value


# ---------------------------------------------------------------------------------- hits
@dataclass(slots=True)
class _Hit:
    i0: int  # first token of the figure (before any hedge)
    j: int  # token after the figure
    value: float
    unit: str
    precision: float | None
    words: bool = False
    noun: str = ""
    nj: int = -1  # token after the noun (j when there is none)
    verb: str | None = None
    superlative: str | None = None
    scale: float = 1.0
    hedgeable: bool = True
    per_ok: bool = True


_Result = _Hit | int | None  # a figure; a token index to skip to (a look-alike); or nothing here


def _is_superlative(lw: str) -> bool:
    return lw in _SUPERLATIVES or (len(lw) >= 6 and lw.endswith("est") and lw not in _NOT_SUPERLATIVES)


def _superlative_at(t: _Tokens, j: int) -> tuple[str | None, int]:
    if t.w(j) in _HYPHENS and t.glued(j) and t.glued(j + 1) and _is_superlative(t.w(j + 1)):
        return t.low[j + 1], j + 2
    if t.k(j) == "w" and _is_superlative(t.low[j]):
        return t.low[j], j + 1
    return None, j


def _noun_at(t: _Tokens, k: int, listed_only: bool) -> tuple[str, int]:
    """The counted noun at token k: a listed noun (up to three words, after at most one adjective), or
    for large counts any one plain lower-case word that is not a function word."""
    if t.k(k) != "w":
        return "", k
    for skip in (0, 1):
        a = k + skip
        if skip and (t.low[k] in _STOPWORDS or not t.tok[k][0].islower()):
            break
        for cand in _NOUN_FIRST.get(t.w(a), ()):
            e = a + len(cand)
            if e <= t.n and tuple(t.low[a:e]) == cand and all(x == "w" for x in t.kind[a:e]):
                return " ".join(t.low[k:e]), e
    if not listed_only and t.k(k) == "w":
        lw = t.low[k]
        if t.tok[k][0].islower() and lw not in _STOPWORDS and not lw.endswith(("ed", "ly")) and len(lw) > 2:
            return lw, k + 1
    return "", k


def _percent_ahead(t: _Tokens, j: int) -> bool:
    """A percent word among the next few tokens, before the clause ends."""
    for x in range(j, min(t.n, j + 6)):
        if t.low[x] in _PCT_CONTEXT:
            return True
        if t.low[x] in (";", ".", ":"):
            return False
    return False


def _classify(t: _Tokens, i0: int, c: _Core, pct_ctx: bool) -> _Result:
    """What the number core at tokens i0..c.j is: a percent, points, a multiple, a fraction, a weight, a
    sum of dollars, a span of time, or a count."""
    j = c.j
    lw = t.w(j)
    v, p = c.value, c.precision
    hit: _Hit | None = None
    if lw == "%" or lw in _PERCENT_WORDS:
        hit = _Hit(i0, j + 1, v, "percent", p)
    elif lw == "per" and t.w(j + 1) == "cent":
        hit = _Hit(i0, j + 2, v, "percent", p)
    elif lw == "percentage" and t.w(j + 1) in _POINTS_WORDS:
        hit = _Hit(i0, j + 2, v, "points", p)
    elif lw == "basis" and t.w(j + 1) in _POINTS_WORDS:
        hit = _Hit(i0, j + 2, v / 100, "points", p / 100)
    elif lw in _BP_WORDS:
        hit = _Hit(i0, j + 1, v / 100, "points", p / 100)
    elif lw in _POINTS_WORDS and (pct_ctx or _percent_ahead(t, j + 1)):
        hit = _Hit(i0, j + 1, v, "points", p)
    elif lw == "times" or lw == "fold" or (lw == "x" and t.glued(j)):
        hit = _Hit(i0, j + 1, v, "times", p)
    elif lw in _HYPHENS and t.w(j + 1) == "fold" and t.glued(j + 1):
        hit = _Hit(i0, j + 2, v, "times", p)
    elif c.integer and (lw == "in" or (lw == "out" and t.w(j + 1) == "of")):
        k = j + 1 if lw == "in" else j + 2
        d = _core_at(t, k)
        year = d is not None and d.plain and len(t.tok[k]) == 4 and 1900 <= d.value <= 2100
        if d is not None and d.integer and c.value < d.value <= 1e6 and not year:
            hit = _Hit(i0, d.j, c.value / d.value, "fraction", None)
    if hit is None and c.integer and 0 < c.value <= 20:
        k = j + 1 if lw in _HYPHENS and t.glued(j) and t.glued(j + 1) else j
        den = t.w(k)
        d_int = _FRAC_PLUR.get(den) if c.value > 1 else _FRAC_SING.get(den) if c.value == 1 else None
        if den == "quarters" and k == j and t.w(k + 1) != "of":
            d_int = None  # "two quarters" of a year; "three quarters of", "three-quarters" are fractions
        if d_int and t.k(k) == "w" and t.w(k + 1) not in _FRAC_NOT_BEFORE and not _is_superlative(t.w(k + 1)):
            hit = _Hit(i0, k + 1, c.value / d_int, "fraction", None)
    if hit is None and lw in _WEIGHTS:
        hit = _Hit(i0, j + 1, v, _WEIGHTS[lw], p, noun=lw)
    elif hit is None and lw == "metric" and t.w(j + 1) in ("tons", "tonnes", "ton", "tonne"):
        hit = _Hit(i0, j + 2, v, "t", p, noun="metric " + t.low[j + 1])
    elif hit is None and lw in _USD_WORDS and t.k(j) == "w":
        hit = _Hit(i0, j + 1, v, "USD", p)
    elif hit is None and lw in ("u", "us") and t.w(j + 1) in (".", "dollars"):
        if t.w(j + 1) == "dollars":
            hit = _Hit(i0, j + 2, v, "USD", p)
        elif t.w(j + 2) == "s" and t.w(j + 3) == "." and t.w(j + 4) in _USD_WORDS:
            hit = _Hit(i0, j + 5, v, "USD", p)
    elif hit is None and (lw in _FOREIGN_WORDS or (lw in _FOREIGN_ADJ and t.w(j + 1) in ("dollars", "pesos"))):
        hit = _Hit(i0, j + 1 if lw in _FOREIGN_WORDS else j + 2, v, "other currency", p)
    if hit is None:
        k = j + 1 if lw in _HYPHENS and t.glued(j) and t.glued(j + 1) else j
        span = t.w(k)
        if span in _SPANS and t.k(k) == "w":
            e = k + 1
            if k > j and t.w(e) in _HYPHENS and t.w(e + 1) == "old":  # "a 30-year-old"
                e += 2
            hit = _Hit(i0, e, v, _SPANS[span], p, per_ok=False)
    if hit is not None:
        hit.words = c.words
        hit.scale = c.scale
        if hit.unit in ("fraction",):
            hit.per_ok = False
        return hit
    # a count
    small = c.plain and c.value < 1000
    noun, nj = _noun_at(t, j, listed_only=small or c.words)
    if c.words and not noun and c.scale == 1.0 and c.precision < 100:
        return None  # "one", "five": a bare small number in words is left alone
    return _Hit(i0, j, v, "count", p, words=c.words, noun=noun, nj=nj, scale=c.scale)


def _month_name(t: _Tokens, i: int) -> bool:
    return t.k(i) == "w" and t.low[i] in _MONTHS and t.tok[i][0].isupper()


def _skip_label(t: _Tokens, i: int) -> int:
    """Past a label number and its glued pieces ("118-5", "8703.23", "32.10")."""
    j = i + 1
    while t.w(j) in ("-", ".", "/", "(") and t.glued(j) and t.k(j + 1) in ("n", "w") and t.glued(j + 1):
        j += 2
    return j


def _at_digits(t: _Tokens, i: int, pct_ctx: bool) -> _Result:
    s = t.tok[i]
    prev = t.w(i - 1)
    if t.glued(i) and t.kind[i - 1] == "w":  # FY2024, Q1, H1, G20
        return _skip_label(t, i)
    if t.glued(i) and prev in _HYPHENS and t.glued(i - 1) and t.k(i - 2) == "w" and t.w(i - 2) not in _NUM_WORDS:
        return _skip_label(t, i)  # COVID-19, I-35, F-150, mid-2024
    if (
        t.glued(i)
        and prev in _HYPHENS
        and t.glued(i - 1)
        and t.k(i - 2) == "n"
        and len(t.tok[i - 2]) == 4
        and len(s) == 2
        and 1900 <= float(t.tok[i - 2]) <= 2100
    ):
        return i + 1  # 2024-25
    nxt = t.w(i + 1)
    if nxt in (":", "/") and t.glued(i + 1) and t.k(i + 2) == "n" and t.glued(i + 2):
        j = i + 1
        while t.w(j) in (":", "/", ".") and t.glued(j) and t.k(j + 1) == "n" and t.glued(j + 1):
            j += 2
        return j  # 12:30, 6/5/2024, 24/7
    if t.k(i - 1) == "w" and (prev in _LABEL_WORDS or (prev in _LABEL_CAPS and t.tok[i - 1][0].isupper())):
        return _skip_label(t, i)
    if prev == "order" and t.w(i - 2) == "executive":
        return _skip_label(t, i)
    if prev == "." and _BILL_RE.search(t.text, max(0, t.start[i] - 10), t.start[i]) is not None:
        return _skip_label(t, i)
    if prev in _FISCAL or (prev == "year" and t.w(i - 2) == "fiscal"):
        return i + 1
    if nxt in _ORD_SUFFIX and t.glued(i + 1):
        return _ordinal_digits(t, i)
    if t.k(i + 1) == "w" and t.glued(i + 1) and nxt not in _GLUE_OK:
        return i + 2  # 3D, 5G, 2020s, 10am
    if nxt in _CLOCK_AFTER or (nxt in ("a", "p") and t.w(i + 2) == "." and t.w(i + 3) == "m"):
        return i + 1
    c = _digits_core(t, i)
    day = c.plain and len(s) <= 2 and c.value <= 31 and c.j == i + 1
    if day and (_month_name(t, i - 1) or (prev == "." and _month_name(t, i - 2)) or _month_name(t, i + 1)):
        return i + 1  # June 5, Jan. 20, 5 June
    hit = _classify(t, i, c, pct_ctx)
    if isinstance(hit, _Hit) and hit.unit == "count" and c.plain and len(s) == 4 and 1900 <= c.value <= 2100:
        return i + 1  # a year
    return hit


def _ordinal_digits(t: _Tokens, i: int) -> _Result:
    j = i + 2
    if t.w(j) in _ORD_PERIOD_NEXT:
        return j + 1  # 21st century, 2nd quarter
    if _month_name(t, i - 1) or (t.w(j) == "of" and _month_name(t, j + 1)):
        return j  # June 5th, 5th of June
    sup, e = _superlative_at(t, j)
    return _Hit(i, e, float(t.tok[i]), "ordinal", None, superlative=sup, hedgeable=False, per_ok=False)


def _ordinal_word(t: _Tokens, i: int) -> _Result:
    lw = t.low[i]
    j = i + 1
    nxt = t.w(j)
    if nxt in _ORD_PERIOD_NEXT or (nxt in _HYPHENS and t.w(j + 1) in _ORD_PERIOD_NEXT):
        return j + 1 if nxt not in _HYPHENS else j + 2  # the first half, third-quarter
    if t.glued(i) and t.w(i - 1) in _HYPHENS:
        return j  # America-first, twenty-first
    if lw == "first":
        if t.k(j) != "w" and t.w(i - 1) not in _FIRST_RANK_BEFORE:
            return j  # "Neighbors first:", "safety first." -- an adverb
        if nxt in _FIRST_NOT_RANK or (nxt in _HYPHENS and t.w(j + 1) in ("ever", "time", "quarter", "half")):
            return j + 1
        c = _core_at(t, j)
        if c is not None:
            unit = t.w(c.j)
            if unit in _SPANS or unit in ("weeks", "week", "quarters", "hours"):
                return c.j + 1  # the first six months: a period
        if t.w(i - 1) == "at":
            return j
    if lw == "second" and (t.w(i - 1) in ("a", "per", "every", "one") and t.k(j) != "w"):
        return j  # "per second"
    if lw == "third" and nxt in _THIRD_NOT_RANK:
        return j + 1  # a safe third country, third parties
    sup, e = _superlative_at(t, j)
    return _Hit(i, e, float(_ORDINALS[lw]), "ordinal", None, words=True, superlative=sup, hedgeable=False, per_ok=False)


def _fraction_after_article(t: _Tokens, i: int) -> _Result:
    """ "a quarter", "a third of", "a fifth", "a half", "a million", "a dozen" at the article i."""
    j = i + 1
    nxt = t.w(j)
    if nxt in _NUM_SCALE and t.k(j) == "w":
        c = _Core(
            _NUM_SCALE[nxt],
            _NUM_SCALE[nxt],
            j + 1,
            True,
            _NUM_SCALE[nxt] if nxt != "hundred" else 1.0,
            nxt == "hundred",
        )
        return _classify(t, i, c, False)
    if nxt == "dozen":
        return _classify(t, i, _Core(12.0, 1.0, j + 1, True), False)
    if nxt in _FRAC_SING:
        if nxt == "half" and t.w(i - 1) == "and":
            return None
        after = t.w(j + 1)
        if after in _FRAC_NOT_BEFORE or _is_superlative(after) or (after in _HYPHENS and t.glued(j + 1)):
            if nxt == "quarter" or nxt == "half":
                return j + 1  # a quarter century
            return None  # "a third consecutive year": the rank is read at "third"
        if after == "of" and t.w(j + 2) in ("a", "an") and t.w(j + 3) in _FRAC_NOT_BEFORE:
            return j + 1  # a quarter of a century
        return _Hit(i, j + 1, 1.0 / _FRAC_SING[nxt], "fraction", None, words=True, per_ok=False)
    return None


def _half(t: _Tokens, i: int) -> _Result:
    prev = t.w(i - 1)
    j = i + 1
    nxt = t.w(j)
    if prev in _HALF_NOT_AFTER or (nxt in _HYPHENS and t.glued(j)):
        return None
    if nxt in ("a", "an"):
        w2 = t.w(j + 1)
        if w2 in _NUM_SCALE:
            m = _NUM_SCALE[w2]
            noun, nj = _noun_at(t, j + 2, listed_only=True)
            return _Hit(
                i, j + 2, 0.5 * m, "count", 0.5 * m, words=True, noun=noun, nj=nj, scale=m if w2 != "hundred" else 1.0
            )
        if w2 == "percentage" and t.w(j + 2) in _POINTS_WORDS:
            return _Hit(i, j + 3, 0.5, "points", 0.5, words=True)
        if w2 in _PERCENT_WORDS:
            return _Hit(i, j + 2, 0.5, "percent", 0.5, words=True)
        if w2 in _HALF_NOT_BEFORE:
            return j + 2
    if nxt in _HALF_NOT_BEFORE:
        return j + 1
    return _Hit(i, j, 0.5, "fraction", None, words=True, per_ok=False)


def _multiple_word(t: _Tokens, i: int) -> _Result:
    lw = t.low[i]
    nxt = t.w(i + 1)
    if lw in _MULTIPLES:
        if lw != "twice" and lw != "thrice" and (nxt in _MULT_NOT_BEFORE or (nxt in _HYPHENS and t.glued(i + 1))):
            return None
        return _Hit(i, i + 1, _MULTIPLES[lw], "times", 1.0, words=True, per_ok=False)
    if lw in _MULT_VERBS:
        return _Hit(i, i + 1, _MULT_VERBS[lw], "times", 1.0, words=True, verb=lw, per_ok=False)
    if lw in _FRAC_VERBS:
        return _Hit(i, i + 1, _FRAC_VERBS[lw], "fraction", None, words=True, verb=lw, per_ok=False)
    return None


def _fold_word(t: _Tokens, i: int) -> _Result:
    """ "threefold", "tenfold", "twentyfold"."""
    head = t.low[i][:-4]
    try:
        v = float(text2num(head, "en"))
    except ValueError:
        return None
    return _Hit(i, i + 1, v, "times", 1.0, words=True, per_ok=False)


def _rank_label(t: _Tokens, i: int) -> _Result:
    """ "No. 2", "number one", "#1"."""
    lw = t.low[i]
    if lw == "#":
        j = i + 1
        if t.k(j) != "n" or not t.glued(j):
            return None
    elif lw == "no":
        if t.w(i + 1) != "." or not t.glued(i + 1):
            return None
        j = i + 2
    else:  # "number"
        j = i + 1
        if t.w(j) not in _NUM_START and t.k(j) != "n":
            return None
    c = _core_at(t, j)
    if c is None or not c.integer or c.value < 1 or c.value > 1000 or c.j != j + 1:
        return None
    sup, e = _superlative_at(t, c.j)
    return _Hit(i, e, c.value, "ordinal", None, words=c.words, superlative=sup, hedgeable=False, per_ok=False)


def _at_money(t: _Tokens, i: int) -> _Result:
    """A sum after a currency mark at token i ("$", "£", "€", "¥"), with the prefix before it."""
    sym = t.tok[i]
    foreign = sym in _FOREIGN_SYMBOLS
    i0 = i
    if sym == "$" and i > 0 and t.kind[i - 1] == "w":
        p = t.tok[i - 1]
        if p in _USD_PREFIXES and (t.glued(i) or p == "US"):
            i0 = i - 1
        elif p in _FOREIGN_PREFIXES and t.glued(i):
            i0, foreign = i - 1, True
    elif sym == "$" and t.start[i] >= 4 and t.text[t.start[i] - 4 : t.start[i]] == "U.S.":
        i0 = i - 4
    j = i + 1
    if t.k(j) != "n":
        return None
    c = _digits_core(t, j)
    e = c.j
    if t.w(e) in _USD_WORDS:
        e += 1
    f = _foreign_after(t, e)
    if f is not None:
        foreign, e = True, f
    unit = "other currency" if foreign else "USD"
    return _Hit(i0, e, c.value, unit, c.precision, scale=c.scale)


def _foreign_after(t: _Tokens, k: int) -> int | None:
    lw = t.w(k)
    if t.k(k) == "w" and lw in _FOREIGN_WORDS:
        return k + 1
    if lw == "(" and (t.w(k + 1) in _FOREIGN_WORDS or t.w(k + 1) in _FOREIGN_ADJ) and t.w(k + 2) == ")":
        return k + 3
    if lw in _FOREIGN_ADJ and t.tok[k][0].isupper():
        nxt = t.w(k + 1)
        if nxt in ("dollars", "dollar", "pesos", "peso"):
            return k + 2
        if t.k(k + 1) != "w" or nxt in _STOPWORDS:
            return k + 1
    return None


def _at_code(t: _Tokens, i: int) -> _Result:
    """ "USD 5 billion", "CAD 50 billion"."""
    if t.k(i + 1) != "n" or not t.tok[i].isupper():
        return None
    c = _digits_core(t, i + 1)
    return _Hit(i, c.j, c.value, _CODES_BEFORE[t.low[i]], c.precision, scale=c.scale)


def _at_word(t: _Tokens, i: int, pct_ctx: bool) -> _Result:
    lw = t.low[i]
    if lw in _NUM_START:
        c = _words_core(t, i)
        return None if c is None else _classify(t, i, c, pct_ctx)
    if lw in ("a", "an"):
        return _fraction_after_article(t, i)
    if lw == "half":
        return _half(t, i)
    if lw in _ORDINALS:
        return _ordinal_word(t, i)
    if lw in _MULTIPLES or lw in _MULT_VERBS or lw in _FRAC_VERBS:
        return _multiple_word(t, i)
    if lw.endswith("fold") and len(lw) > 4:
        return _fold_word(t, i)
    if lw in ("no", "number"):
        return _rank_label(t, i)
    if lw in _CODES_BEFORE:
        return _at_code(t, i)
    return None


_TRIGGERS = (
    _NUM_START
    | frozenset(_ORDINALS)
    | frozenset(_MULTIPLES)
    | frozenset(_MULT_VERBS)
    | frozenset(_FRAC_VERBS)
    | frozenset(_CODES_BEFORE)
    | {"a", "an", "half", "no", "number"}
)


# ---------------------------------------------------------------------------------- around a figure
def _hedge_before(t: _Tokens, i0: int, floor: int) -> tuple[int, int, str] | None:
    """(first token, token after it, comparator) of the hedge just before token i0: the longest phrase of
    hedges.yaml among the HEDGE_WINDOW words before it, with at most two articles between."""
    a = i0
    while a > floor and i0 - a < HEDGE_WINDOW and t.kind[a - 1] == "w":
        a -= 1
    words = t.low[a:i0]
    for drop in range(3):
        if drop:
            if not words or words[-1] not in _ARTICLES:
                return None
            words = words[:-1]
        for size in range(min(_HEDGE_MAX, len(words)), 0, -1):
            key = " ".join(words[-size:])
            if key in _HEDGES_BEFORE:
                return a + len(words) - size, a + len(words), _HEDGES_BEFORE[key]
    return None


def _hedge_after(t: _Tokens, k: int) -> tuple[int, str] | None:
    key = t.w(k) + " " + t.w(k + 1)
    if t.k(k) == "w" and t.k(k + 1) == "w" and key in _HEDGES_AFTER:
        return k + 2, _HEDGES_AFTER[key]
    if t.w(k) in _HYPHENS and t.glued(k) and t.w(k + 1) == "plus" and t.glued(k + 1):
        return k + 2, "at_least"  # "$335 billion-plus"
    return None


def _per_at(t: _Tokens, k: int) -> int | None:
    lw = t.w(k)
    if t.k(k) != "w":
        return None
    if lw in _PER_WORDS:
        return k + 1
    if lw in _PER_LEADS and t.w(k + 1) in _PER_UNITS and t.w(k + 2) not in _PER_NOT_BEFORE:
        return k + 2
    return None


_RANGE_SEPS = _HYPHENS | {"to", "or"}


def _join_ranges(t: _Tokens, hits: list[_Hit], qs: list[Quantity]) -> None:
    """ "10-15%", "$5-6 billion", "5 to 6 percent", "between 2 and 3 times": the first figure of a range
    takes the unit (and scale) written only on the second."""
    for a in range(len(hits) - 1):
        h1, h2 = hits[a], hits[a + 1]
        q1, q2 = qs[a], qs[a + 1]
        if h2.i0 != h1.j + 1 or q1.per or (q1.hedge and q2.hedge):
            continue
        sep = t.low[h1.j]
        if not (sep in _RANGE_SEPS or (sep == "and" and t.w(h1.i0 - 1) == "between")):
            continue
        if (
            q1.unit == "count"
            and not q1.noun
            and q1.scale == 1.0
            and q2.unit != "count"
            and q2.unit != "ordinal"
            and q2.unit != "fraction"
        ):
            q1.unit = q2.unit
            q1.value *= q2.scale
            q1.precision = None if q1.precision is None else q1.precision * q2.scale
            q1.scale = q2.scale
        elif (
            q1.unit in ("USD", "other currency")
            and q1.scale == 1.0
            and q2.unit == "count"
            and q2.scale > 1.0
            and not q2.noun
        ):
            q1.value *= q2.scale
            q1.precision = None if q1.precision is None else q1.precision * q2.scale
            q1.scale = q2.scale
            q2.unit = q1.unit
        elif q1.unit == "count" and not q1.noun and q1.scale == 1.0 and q2.unit == "count" and q2.scale > 1.0:
            q1.value *= q2.scale
            q1.precision = None if q1.precision is None else q1.precision * q2.scale
            q1.scale = q2.scale
            q1.noun = q2.noun
        elif q1.unit == "count" and not q1.noun and q2.unit == "count" and q1.scale == q2.scale:
            q1.noun = q2.noun  # "5 million to 6 million jobs"


# ---------------------------------------------------------------------------------- reader
def find_quantities(text: str) -> list[Quantity]:
    """Every figure in `text` (a sentence), in order of position, none overlapping."""
    t = _Tokens(text)
    out: list[Quantity] = []
    hits: list[_Hit] = []
    pct_ctx = False
    floor = 0  # hedges may not reach back past the previous figure
    i = 0
    n = t.n
    kind, low = t.kind, t.low
    while i < n:
        k = kind[i]
        lw = low[i]
        res: _Result = None
        if k == "n":
            res = _at_digits(t, i, pct_ctx)
        elif k == "w":
            if lw in _TRIGGERS or lw.endswith("fold"):
                res = _at_word(t, i, pct_ctx)
        elif lw == "$" or lw in _FOREIGN_SYMBOLS:
            res = _at_money(t, i)
        elif lw == "#":
            res = _rank_label(t, i)
        if res is None:
            if lw in _PCT_CONTEXT:
                pct_ctx = True
            i += 1
            continue
        if isinstance(res, int):
            i = max(res, i + 1)
            continue
        q = _finish(t, res, floor)
        out.append(q)
        hits.append(res)
        if q.unit in ("percent", "points"):
            pct_ctx = True
        i = floor = max(res.j, res.nj)
    _join_ranges(t, hits, out)
    return out


def _finish(t: _Tokens, h: _Hit, floor: int) -> Quantity:
    """The Quantity for a hit: hedge before or after, "each"/"a month" after; h.j moves past what is read."""
    first = h.i0
    hedge: str | None = None
    comparator = "eq"
    if h.hedgeable:
        hb = _hedge_before(t, h.i0, floor)
        if hb is not None:
            first, last, comparator = hb
            hedge = t.span_text(first, last)
    per: str | None = None
    if h.per_ok:
        pj = _per_at(t, h.j)
        if pj is not None:
            per = " ".join(t.span_text(h.j, pj).lower().split())
            if h.nj == h.j:
                h.nj = pj
            h.j = pj
        elif h.nj > h.j:
            pj = _per_at(t, h.nj)
            if pj is not None:
                per = " ".join(t.span_text(h.nj, pj).lower().split())
                h.nj = pj
    if hedge is None and h.hedgeable:
        ha = _hedge_after(t, h.j)
        if ha is not None:
            hedge = " ".join(t.span_text(h.j, ha[0]).split()).lstrip("-")
            comparator = ha[1]
            h.j = ha[0]
    start, end = t.start[first], t.end[h.j - 1]
    return Quantity(
        value=h.value,
        unit=h.unit,
        start=start,
        end=end,
        raw=t.text[start:end],
        hedge=hedge,
        comparator=comparator,
        precision=h.precision,
        noun=h.noun,
        words=h.words,
        verb=h.verb,
        per=per,
        superlative=h.superlative,
        scale=h.scale,
    )
