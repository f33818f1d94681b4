"""Words as data: the claim reader's vocabulary, one YAML file per kind of word.

`cues.yaml` maps phrases to what they signal (a measure, a flow, a direction, ...): each class is
compiled once into a single alternation, longest phrase first, so a sentence is scanned in one
pass per class. Other files (numbers, hedges, periods) are read by their own modules through
`load(name)`.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any

from usmca import patterns


@cache
def load(name: str) -> Any:
    """The parsed contents of `lexicon/<name>.yaml` (read once per process)."""
    text = resources.files(__name__).joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    return patterns.load_yaml(text)  # parsed once per machine: the data are cached like the grammars


def _phrase_re(phrase: str) -> str:
    """A lexicon phrase -> a regex fragment: words match whole, spaces match any white space.

    Phrases are plain words; a phrase wrapped in slashes (/.../) is a regular expression as written.
    """
    if len(phrase) > 2 and phrase.startswith("/") and phrase.endswith("/"):
        return phrase[1:-1]
    parts = [re.escape(w) for w in phrase.split()]
    body = r"\s+".join(parts)
    left = r"\b" if re.match(r"\w", phrase) else ""
    right = r"\b" if re.search(r"\w$", phrase) else ""
    return left + body + right


@cache
def cue_patterns() -> dict[str, list[tuple[str, re.Pattern[str]]]]:
    """class -> [(value, compiled pattern of all its phrases)], from cues.yaml."""
    out: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    for cls, values in load("cues").items():
        out[cls] = []
        for value, phrases in values.items():
            alts = patterns.longest_first(_phrase_re(p) for p in phrases)
            out[cls].append((str(value), patterns.compile("(?:" + "|".join(alts) + ")", re.I)))
    return out


def cue_classes() -> list[str]:
    return list(cue_patterns())


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


@cache
def cue_index() -> tuple[re.Pattern[str], dict[str, list[tuple[str, str]]], list[tuple[str, str, re.Pattern[str]]]]:
    """One alternation of every plain phrase, a phrase -> [(class, value)] map, and the regex phrases.

    A sentence is scanned once: each match is looked up (with its words and word pairs, so that
    "trade gap" also counts as "trade"), and the few /regex/ phrases run on their own.
    """
    phrases: dict[str, list[tuple[str, str]]] = {}
    regexes: list[tuple[str, str, re.Pattern[str]]] = []
    for cls, values in load("cues").items():
        for value, items in values.items():
            for ph in items:
                ph = str(ph)
                if len(ph) > 2 and ph.startswith("/") and ph.endswith("/"):
                    regexes.append((cls, str(value), patterns.compile(ph[1:-1], re.I)))
                else:
                    phrases.setdefault(_norm(ph), []).append((cls, str(value)))
    return patterns.compile(_trie_regex(list(phrases)), re.I), phrases, regexes


def _trie_regex(phrases: list[str]) -> str:
    """One regex for many phrases, factored by common prefixes (a trie), so a sentence is scanned once.

    A plain alternation of hundreds of phrases makes the regex engine try every phrase at every
    position; the trie tries one branch per character. The longest phrase wins (shorter ends are
    the last alternative at each node); a phrase that ends in a letter or digit must end a word.
    """
    trie: dict[str, Any] = {}
    for p in phrases:
        node = trie
        for ch in p:
            node = node.setdefault(ch, {})
        node[""] = p[-1:].isalnum() or p.endswith("_")

    def emit(node: dict[str, Any]) -> str:
        alts = []
        for ch in sorted(k for k in node if k):
            tok = r"\s+" if ch == " " else re.escape(ch)
            alts.append(tok + emit(node[ch]))
        if "" in node:
            alts.append(r"(?!\w)" if node[""] else "")
        if len(alts) == 1:
            return alts[0]
        return "(?:" + "|".join(alts) + ")"

    starts_word = [p for p in phrases if p[:1].isalnum()]
    others = [p for p in phrases if not p[:1].isalnum()]
    parts = []
    if starts_word:
        t: dict[str, Any] = {}
        trie, t = t, trie  # build the word-start trie apart from the others
        for p in starts_word:
            node = trie
            for ch in p:
                node = node.setdefault(ch, {})
            node[""] = p[-1:].isalnum()
        parts.append(r"\b" + emit(trie))
    for p in others:
        parts.append(_phrase_re(p))
    return "(?:" + "|".join(parts) + ")"


def scan_cues(text: str) -> list[tuple[str, str, int, int, str]]:
    """(class, value, start, end, words) for every cue phrase in `text`, in one pass."""
    pat, phrases, regexes = cue_index()
    out: list[tuple[str, str, int, int, str]] = []
    for m in pat.finditer(text):
        key = _norm(m.group(0))
        seen = set()
        for cls, value in phrases.get(key, ()):
            out.append((cls, value, m.start(), m.end(), m.group(0)))
            seen.add((cls, value))
        words = key.split()
        if len(words) > 1:
            pos = m.start()
            spans = []
            for w in re.finditer(r"\S+", m.group(0)):
                spans.append((w.start() + pos, w.end() + pos))
            for n in (1, 2):
                for i in range(len(words) - n + 1):
                    sub = " ".join(words[i : i + n])
                    for cls, value in phrases.get(sub, ()):
                        if (cls, value) not in seen:
                            a, b = spans[i][0], spans[i + n - 1][1]
                            out.append((cls, value, a, b, text[a:b]))
    for cls, value, rx in regexes:
        for m in rx.finditer(text):
            out.append((cls, value, m.start(), m.end(), m.group(0)))
    return out
