"""Sentences of a document, with their offsets: linear in the text.

A line break ends a sentence (headlines, lists) unless the sentence plainly goes on (the line ends
without punctuation and the next starts in lower case or with a figure, as in hard-wrapped text).
Abbreviations ("U.S.", "Jan.", "No.") do not end a sentence. Every look-behind is bounded to a few
characters before the cut, so a long paragraph costs no more than its length.

A sentence is at most `MAX_SENTENCE` characters: a longer run with no sentence end (a list pasted
as one line, text without punctuation) is cut at the last clause break (`;`, `,`, a dash) or, failing
that, the last space before the limit. The claim frames compare every figure of a sentence with
every country it names, so an unbounded sentence would cost the square of its length; no real
sentence comes near the limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from usmca import patterns

ABBREV = patterns.compile(
    r"(?:\b(?:U\.S|U\.K|U\.N|Mr|Mrs|Ms|Dr|St|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|No|vs|"
    r"e\.g|i\.e|etc|Inc|Corp|Co|approx|Fig|Gov|Sen|Rep|Gen|Jr|Sr|Ltd|Mt|Ft|est)\.)$"
)
US_END = patterns.compile(r"U\.S\.$")
# Words that follow "U.S." inside a sentence ("the U.S. Border Patrol"), not after its end.
US_NOUNS = patterns.compile(
    r"\s+(?:Border|Census|Customs|Department|Government|Treasury|Trade|Congress|Senate|House|International|Bureau|"
    r"Goods|Exports|Imports|Small|Commerce|Secretary|President|Embassy|Chamber|Representative|Immigration|Coast|"
    r"Drug|Agency|Economy|Market|Companies|Firms|Manufacturers|Workers|Consumers|Farmers|"
    r"Southwest|Office|Citizenship|Federal|Energy|Steel|Auto|Automakers|Administration)\b"
)
CUT = patterns.compile(r"[.!?][\"'”’)]*\s+(?=[\"“A-Z0-9$(])")
SOFT_END = patterns.compile(r"\b(?:of|to|the|a|an|and|or|in|for|with|by|from|than|as|at|on|per|were|was|is|are)$", re.I)
LOOKBACK = 16
MAX_SENTENCE = 1200  # characters
_BREAK = patterns.compile(r"[;,]\s|\s[-–—]\s")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for m in re.finditer(r"[^\n]+", text):
        a, b = m.span()
        if spans:
            pa, pb = spans[-1]
            gap = text[pb:a]
            prev_end = text[max(pa, pb - 40) : pb].rstrip()
            if (
                gap.count("\n") == 1
                and prev_end
                and prev_end[-1] not in '.!?:;"”’)|'
                and (re.match(r"[ \t]*[a-z0-9$(%]", text[a : min(b, a + 8)]) or SOFT_END.search(prev_end))
            ):
                spans[-1] = (pa, b)
                continue
        spans.append((a, b))
    return spans


def _ends_sentence(p: str, cut: int) -> bool:
    lo = max(0, cut - LOOKBACK)
    if US_END.search(p, lo, cut):
        nxt = p[cut : cut + 40]
        if re.match(r"\s+[a-z(]", nxt):
            return False
        return re.match(r"\s+[A-Z][a-z]", nxt) is not None and US_NOUNS.match(nxt) is None
    return ABBREV.search(p, lo, cut) is None


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of `text`, in order, each with its offsets in `text`."""
    out: list[Sentence] = []
    for base, end in _paragraphs(text):
        p = text[base:end]
        start = 0
        for m in CUT.finditer(p):
            cut = m.start() + 1
            if not _ends_sentence(p, cut):
                continue
            _emit(out, p, base, start, m.end())
            start = m.end()
        _emit(out, p, base, start, len(p))
    return out


def _emit(out: list[Sentence], p: str, base: int, start: int, stop: int) -> None:
    while stop - start > MAX_SENTENCE:  # cut a run-on "sentence" into pieces of at most MAX_SENTENCE
        limit = start + MAX_SENTENCE
        cut = -1
        for m in _BREAK.finditer(p, start + MAX_SENTENCE // 2, limit):
            cut = m.end()
        if cut < 0:
            cut = p.rfind(" ", start + 1, limit) + 1 or limit
        _emit_one(out, p, base, start, cut)
        start = cut
    _emit_one(out, p, base, start, stop)


def _emit_one(out: list[Sentence], p: str, base: int, start: int, stop: int) -> None:
    seg = p[start:stop].rstrip()
    if seg.strip():
        lead = len(seg) - len(seg.lstrip())
        out.append(Sentence(base + start + lead, base + start + len(seg), seg[lead:]))
