"""Reading prose: sentences, clauses, amounts (scales, hedges, precision) and places.

Kept from the first reader's tests and run against the rebuilt one (sentences.py, tokens.py,
numbers.py); periods have their own tests in test_periods.py.
"""

from __future__ import annotations

import pytest

from usmca.claims.numbers import find_quantities
from usmca.claims.sentences import split_sentences
from usmca.claims.tokens import Clause, analyse, find_places


def split_clauses(s: str) -> list[Clause]:
    return analyse(s).clauses


# ------------------------------------------------------------------------------------ sentences
def _texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


def test_abbreviations_do_not_end_sentences() -> None:
    text = (
        "The U.S. Census Bureau revised its figures in Jan. 2025. Mr. Ortiz, a trade analyst, "
        "was not surprised. Exports to the U.S. rose. Canada gained too."
    )
    assert _texts(text) == [
        "The U.S. Census Bureau revised its figures in Jan. 2025.",
        "Mr. Ortiz, a trade analyst, was not surprised.",
        "Exports to the U.S. rose.",
        "Canada gained too.",
    ]


def test_us_at_the_end_of_a_sentence_before_a_new_one() -> None:
    # "U.S." followed by a capitalised word that starts a new sentence (not "U.S. Border ...")
    assert _texts("Most of it went to the U.S. Mexico bought the rest.") == [
        "Most of it went to the U.S.",
        "Mexico bought the rest.",
    ]
    assert _texts("He joined the U.S. Border Patrol in 2019. He left.") == [
        "He joined the U.S. Border Patrol in 2019.",
        "He left.",
    ]


def test_sentence_offsets_are_verbatim() -> None:
    text = "  First one.   Second one?\nThird, a headline\n\nFourth! "
    for s in split_sentences(text):
        assert text[s.start : s.end] == s.text
    assert _texts(text) == ["First one.", "Second one?", "Third, a headline", "Fourth!"]


def test_hard_wrapped_lines_stay_one_sentence() -> None:
    text = (
        "Shipments to Canada were worth\n$349 billion in 2024, the bureau\nsaid. A new paragraph "
        "starts here.\nHEADLINE IN CAPITALS\nThe story begins."
    )
    got = split_sentences(text)
    assert [s.text for s in got] == [
        "Shipments to Canada were worth\n$349 billion in 2024, the bureau\nsaid.",
        "A new paragraph starts here.",
        "HEADLINE IN CAPITALS",
        "The story begins.",
    ]
    assert all(text[s.start : s.end] == s.text for s in got)


def test_quotes_and_decimals() -> None:
    assert _texts('She said "exports rose 2.3 times." Then she left.') == [
        'She said "exports rose 2.3 times."',
        "Then she left.",
    ]


def test_clauses_split_at_contrasts() -> None:
    s = "Canadians spend $8,500 each on U.S. goods, while Chinese consumers spend about $100."
    assert [c.text for c in split_clauses(s)] == [
        "Canadians spend $8,500 each on U.S. goods",
        "while Chinese consumers spend about $100.",
    ]


def test_a_lead_figure_stays_with_the_words_after_its_colon() -> None:
    """ "$X: that was ..." says what the figure is after the colon; a colon between two statements cuts."""
    s = "$171.8 billion: that was the size of the goods deficit with Mexico in 2024."
    assert [c.text for c in split_clauses(s)] == [s]
    two = "Exports rose to $334 billion: imports fell to $505 billion."
    assert [c.text for c in split_clauses(two)] == ["Exports rose to $334 billion", "imports fell to $505 billion."]
    label = "Record high: exports to Mexico reached $334 billion."
    assert [c.text for c in split_clauses(label)] == ["Record high", "exports to Mexico reached $334 billion."]


# -------------------------------------------------------------------------------------- amounts
def _one(s: str) -> tuple[float, str]:
    qs = find_quantities(s)
    assert len(qs) == 1, qs
    return qs[0].value, qs[0].unit


@pytest.mark.parametrize(
    "text,value,unit",
    [
        ("$335 billion", 3.35e11, "USD"),
        ("$4,000", 4000.0, "USD"),
        ("US$1.2 trillion", 1.2e12, "USD"),
        ("U.S.$4 billion", 4e9, "USD"),
        ("$2.5bn", 2.5e9, "USD"),
        ("$800 million", 8e8, "USD"),
        ("1.5 trillion dollars", 1.5e12, "USD"),
        ("2.3 times", 2.3, "times"),
        ("two and a half times", 2.5, "times"),
        ("2½ times", 2.5, "times"),
        ("ten-fold", 10.0, "times"),
        ("double", 2.0, "times"),
        ("nearly 90%", 90.0, "percent"),
        ("12 percent", 12.0, "percent"),
        ("3.5 per cent", 3.5, "percent"),
        ("258 kilograms", 258.0, "kg"),
        ("1,200 pounds", 1200.0, "lb"),
        ("30 years", 30.0, "years"),
        ("25,185 encounters", 25185.0, "count"),
        ("120 million lethal doses", 1.2e8, "count"),
    ],
)
def test_amounts(text: str, value: float, unit: str) -> None:
    v, u = _one(text)
    assert u == unit
    assert v == pytest.approx(value)


def test_count_keeps_its_noun() -> None:
    q = find_quantities("enough for 120 million lethal doses")[0]
    assert q.noun.startswith("lethal doses")


@pytest.mark.parametrize(
    "text", ["C$50 billion", "CA$50 billion", "MX$2 trillion", "$50 billion Canadian", "$40 billion (CAD)"]
)
def test_other_currencies_are_not_us_dollars(text: str) -> None:
    qs = find_quantities(text)
    assert qs and all(q.unit != "USD" for q in qs)


def test_years_and_small_bare_numbers_are_not_amounts() -> None:
    assert find_quantities("The agreement took effect in 2020.") == []
    # a count the rank frame takes ("the next 10 partners")
    assert [q.noun for q in find_quantities("the next 10 trading partners")] == ["trading partners"]


@pytest.mark.parametrize(
    "text,precision",
    [
        ("$335 billion", 1e9),
        ("$4,000", 1e3),
        ("$349.4 billion", 1e8),
        ("2.3 times", 0.1),
        ("25,185 encounters", 1.0),
    ],
)
def test_precision_is_the_rounding_of_the_written_number(text: str, precision: float) -> None:
    assert find_quantities(text)[0].precision == pytest.approx(precision)


@pytest.mark.parametrize(
    "text,hedge,comparator",
    [
        ("nearly 90%", "nearly", "about"),
        ("almost $300 billion", "almost", "about"),
        ("about $8,500", "about", "about"),
        ("roughly 2.3 times", "roughly", "about"),
        ("more than $110 billion", "more than", "over"),
        ("more than double", "more than", "over"),
        ("over 120 million lethal doses", "over", "over"),
        ("exceeded $680 billion", "exceeded", "over"),
        ("topped $800 billion", "topped", "over"),
        ("at least 2 million encounters", "at least", "at_least"),
        ("less than $1 billion", "less than", "under"),
        ("fewer than 10,000 encounters", "fewer than", "under"),
        ("up to $5 billion", "up to", "at_most"),
        ("just under $100", "just under", "about"),
        ("just $100", "just", "eq"),
        ("$100", None, "eq"),
        ("double", None, "eq"),  # the frames read a bare multiple as loose ("about")
    ],
)
def test_hedges_become_comparators(text: str, hedge: str | None, comparator: str) -> None:
    q = find_quantities(text)[0]
    assert q.hedge == hedge
    assert q.comparator == comparator


def test_hedge_is_inside_the_amount_span() -> None:
    s = "Mexican forces seized nearly 258 kilograms of fentanyl."
    q = find_quantities(s)[0]
    assert s[q.start : q.end] == "nearly 258 kilograms"


# --------------------------------------------------------------------------------------- places
def _isos(s: str) -> list[str]:
    return [p.iso3 for p in find_places(s)]


def test_places_and_demonyms() -> None:
    assert _isos("Mexicans and Canadians buy more than Chinese consumers.") == ["MEX", "CAN", "CHN"]
    assert _isos("Japan, South Korea, India, Switzerland, the Netherlands, and Germany") == [
        "JPN",
        "KOR",
        "IND",
        "CHE",
        "NLD",
        "DEU",
    ]
    assert set(_isos("the U.S., the United States and America")) == {"USA"}
    demonym = [p.demonym for p in find_places("Chinese consumers and China")]
    assert demonym == [True, False]


def test_south_korea_is_one_place() -> None:
    got = find_places("exports to South Korea rose")
    assert [(p.iso3, p.raw) for p in got] == [("KOR", "South Korea")]
