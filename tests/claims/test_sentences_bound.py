"""A run-on "sentence" is cut into pieces of bounded length, so the frames' work per sentence is bounded."""

from __future__ import annotations

from usmca.claims.sentences import MAX_SENTENCE, split_sentences


def _pieces_cover(text: str) -> None:
    out = split_sentences(text)
    for s in out:
        assert text[s.start : s.end] == s.text
        assert len(s.text) <= MAX_SENTENCE
    assert [s.start for s in out] == sorted(s.start for s in out)
    # nothing but white space between or around the pieces
    pos = 0
    for s in out:
        assert text[pos : s.start].strip() == ""
        pos = s.end
    assert text[pos:].strip() == ""


def test_run_on_text_is_cut_at_clause_breaks() -> None:
    clause = "exports to Mexico rose by 5 percent in 2024, "
    text = clause * 200  # 9,000 characters and no sentence end
    _pieces_cover(text)
    pieces = split_sentences(text)
    assert len(pieces) >= len(text) // MAX_SENTENCE
    assert all(p.text.endswith(",") for p in pieces[:-1])  # cut after a comma, never inside a clause


def test_text_without_any_break_is_cut_at_spaces() -> None:
    text = " ".join(f"word{i}" for i in range(3000))
    _pieces_cover(text)
    assert all(not p.text.startswith(" ") and " " not in (p.text[0], p.text[-1]) for p in split_sentences(text))


def test_ordinary_sentences_are_untouched() -> None:
    text = "Mexico bought $334 billion of U.S. goods in 2024. Canada bought $349 billion."
    assert [s.text for s in split_sentences(text)] == [
        "Mexico bought $334 billion of U.S. goods in 2024.",
        "Canada bought $349 billion.",
    ]


def test_a_word_longer_than_the_limit_is_still_cut() -> None:
    text = "x" * (3 * MAX_SENTENCE + 7)
    _pieces_cover(text)
    assert len(split_sentences(text)) == 4
