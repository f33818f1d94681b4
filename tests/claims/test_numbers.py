"""The figure reader: money, percents, points, multiples, fractions, ranks, counts, weights, spans, hedges.

Sentences are our own; the figures in them are the kind official trade and border releases print.
"""

from __future__ import annotations

import random
import time
from typing import Any

import pytest
import yaml

from usmca.claims.numbers import Quantity, find_quantities, hedge_of, parse_number, scale_words


def only(text: str) -> Quantity:
    qs = find_quantities(text)
    assert len(qs) == 1, [(q.raw, q.unit, q.value) for q in qs]
    return qs[0]


def check(q: Quantity, text: str, raw: str, value: float, unit: str, **extra: Any) -> None:
    assert q.raw == raw
    assert text[q.start : q.end] == q.raw
    assert q.unit == unit
    assert q.value == pytest.approx(value)
    for k, v in extra.items():
        got = getattr(q, k)
        if isinstance(v, float) and got is not None:
            assert got == pytest.approx(v), k
        else:
            assert got == v, k


# (sentence, raw, value, unit, other fields)
CASES: list[tuple[str, str, float, str, dict[str, Any]]] = [
    # dollars
    ("Goods exports came to $334 billion.", "$334 billion", 334e9, "USD", {"precision": 1e9, "scale": 1e9}),
    ("Another tally put it at $334.0bn instead.", "$334.0bn", 334e9, "USD", {"precision": 1e8}),
    ("Two-way flows passed US$1.2 trillion.", "US$1.2 trillion", 1.2e12, "USD", {"precision": 1e11}),
    ("The average truck paid $8,500 in fees.", "$8,500", 8500, "USD", {"precision": 100.0}),
    ("Families were promised $4,000 each.", "$4,000 each", 4000, "USD", {"per": "each"}),
    ("A grant of $1.5 million went out.", "$1.5 million", 1.5e6, "USD", {"precision": 1e5}),
    ("The deficit was 334 billion dollars.", "334 billion dollars", 334e9, "USD", {}),
    ("Imports reached $412.7 billion.", "$412.7 billion", 412.7e9, "USD", {"precision": 1e8}),
    ("The spacing in $ 95 billion is odd.", "$ 95 billion", 95e9, "USD", {}),
    ("Budgets grew by $5m this year.", "$5m", 5e6, "USD", {"precision": 1e6}),
    ("A fund worth USD 5 billion opened.", "USD 5 billion", 5e9, "USD", {}),
    ("He said two billion dollars changed hands.", "two billion dollars", 2e9, "USD", {"words": True}),
    ("Tolls raised U.S.$5 billion.", "U.S.$5 billion", 5e9, "USD", {}),
    # other currencies: read but flagged
    ("Ottawa set aside C$50 billion.", "C$50 billion", 50e9, "other currency", {}),
    ("Mexico's budget hit MX$1 trillion.", "MX$1 trillion", 1e12, "other currency", {}),
    ("The program cost 50 billion pesos.", "50 billion pesos", 50e9, "other currency", {}),
    ("The plan is worth $5 billion Canadian.", "$5 billion Canadian", 5e9, "other currency", {}),
    ("The levy raised $5 billion (CAD).", "$5 billion (CAD)", 5e9, "other currency", {}),
    ("It pledged 50 billion Canadian dollars.", "50 billion Canadian dollars", 50e9, "other currency", {}),
    ("Brussels offered €20 billion.", "€20 billion", 20e9, "other currency", {}),
    ("A tender of A$2 billion closed.", "A$2 billion", 2e9, "other currency", {}),
    ("Ottawa booked CAD 50 billion.", "CAD 50 billion", 50e9, "other currency", {}),
    # percents and points
    ("The tariff is 16%.", "16%", 16, "percent", {"precision": 1.0}),
    ("The tariff is 16 percent.", "16 percent", 16, "percent", {}),
    ("The tariff is 16 per cent.", "16 per cent", 16, "percent", {}),
    ("Duties rose five percent.", "five percent", 5, "percent", {"words": True, "precision": 1.0}),
    ("A twenty-five percent duty applies.", "twenty-five percent", 25, "percent", {"words": True}),
    ("Output posted a 4.5% rise.", "4.5%", 4.5, "percent", {"precision": 0.1}),
    ("The share is 90%.", "90%", 90, "percent", {"precision": 10.0}),
    ("The share is 89%.", "89%", 89, "percent", {"precision": 1.0}),
    ("The share climbed 3 percentage points.", "3 percentage points", 3, "points", {}),
    ("Rates were cut by 50 basis points.", "50 basis points", 0.5, "points", {}),
    ("A tiny half a percentage point move.", "half a percentage point", 0.5, "points", {}),
    # multiples
    ("Imports were 2.3 times higher.", "2.3 times", 2.3, "times", {"precision": 0.1}),
    ("Exports were ten times larger.", "ten times", 10, "times", {"precision": 1.0, "words": True}),
    ("Seizures were twice as large.", "twice", 2, "times", {"words": True}),
    ("Volumes were two and a half times bigger.", "two and a half times", 2.5, "times", {"precision": 0.5}),
    ("The backlog grew threefold.", "threefold", 3, "times", {}),
    ("Analysts saw a tenfold increase.", "tenfold", 10, "times", {}),
    ("Costs rose 3-fold.", "3-fold", 3, "times", {}),
    ("Shipments rose 2.3x.", "2.3x", 2.3, "times", {}),
    ("Officials hope to double exports.", "double", 2, "times", {"verb": None}),
    ("Crossings doubled.", "doubled", 2, "times", {"verb": "doubled"}),
    ("Fees quadrupled.", "quadrupled", 4, "times", {"verb": "quadrupled"}),
    ("The surplus halved.", "halved", 0.5, "fraction", {"verb": "halved"}),
    # fractions
    ("A quarter of firms export.", "A quarter", 0.25, "fraction", {"words": True, "precision": None}),
    ("One quarter of the goods were parts.", "One quarter", 0.25, "fraction", {}),
    ("Only a fifth came by rail.", "Only a fifth", 0.2, "fraction", {"hedge": "Only", "comparator": "eq"}),
    ("Steel is one-third of it.", "one-third", 1 / 3, "fraction", {}),
    ("Trucks carry two-thirds of trade.", "two-thirds", 2 / 3, "fraction", {}),
    ("Three quarters of trade moves by road.", "Three quarters", 0.75, "fraction", {}),
    ("Half of the jobs are gone.", "Half", 0.5, "fraction", {}),
    ("Arrivals fell by almost half.", "almost half", 0.5, "fraction", {"hedge": "almost", "comparator": "about"}),
    ("One in five workers is affected.", "One in five", 0.2, "fraction", {}),
    ("Three in four firms agreed.", "Three in four", 0.75, "fraction", {}),
    ("Nine out of ten lanes reopened.", "Nine out of ten", 0.9, "fraction", {}),
    ("Canada takes a third of it.", "a third", 1 / 3, "fraction", {}),
    ("It is 1 in 5 vehicles.", "1 in 5", 0.2, "fraction", {}),
    # ranks
    ("Mexico is the second-largest partner.", "second-largest", 2, "ordinal", {"superlative": "largest"}),
    ("Canada is the second largest buyer.", "second largest", 2, "ordinal", {"superlative": "largest"}),
    ("Texas ranked third.", "third", 3, "ordinal", {"superlative": None}),
    ("Mexico is No. 2 on the list.", "No. 2", 2, "ordinal", {}),
    ("They called it the number one market.", "number one", 1, "ordinal", {"words": True}),
    ("It is now No. 1.", "No. 1", 1, "ordinal", {}),
    ("It was the fifth-biggest port.", "fifth-biggest", 5, "ordinal", {"superlative": "biggest"}),
    ("It came 10th overall.", "10th", 10, "ordinal", {}),
    ("The #1 market for corn.", "#1", 1, "ordinal", {}),
    # counts, weights
    ("Agents logged 25,185 encounters.", "25,185", 25185, "count", {"noun": "encounters", "precision": 1.0}),
    ("There were 2.9 million encounters.", "2.9 million", 2.9e6, "count", {"noun": "encounters", "scale": 1e6}),
    ("More than 49,000 firms export.", "More than 49,000", 49000, "count", {"noun": "firms", "comparator": "over"}),
    ("The sector added 93,000 jobs.", "93,000", 93000, "count", {"noun": "jobs"}),
    ("It employs two million people.", "two million", 2e6, "count", {"noun": "people", "words": True}),
    ("The population is 131 million.", "131 million", 131e6, "count", {"noun": ""}),
    ("The town counted about 8,700.", "about 8,700", 8700, "count", {"hedge": "about", "precision": 100.0}),
    ("Agents found 1,016.6 pounds.", "1,016.6 pounds", 1016.6, "lb", {"noun": "pounds", "precision": 0.1}),
    ("They seized 258 kilograms.", "258 kilograms", 258, "kg", {"noun": "kilograms"}),
    ("They seized 258 kg.", "258 kg", 258, "kg", {"noun": "kg"}),
    ("The total was 21,889 lb.", "21,889 lb", 21889, "lb", {}),
    ("It held 6,725.6 pounds of fentanyl.", "6,725.6 pounds", 6725.6, "lb", {"noun": "pounds"}),
    ("The haul was 3.4 metric tons.", "3.4 metric tons", 3.4, "t", {}),
    ("Enough for 120 million lethal doses.", "120 million", 120e6, "count", {"noun": "lethal doses"}),
    ("There were 49,000 small firms.", "49,000", 49000, "count", {"noun": "small firms"}),
    ("Traffic used 12 ports of entry.", "12", 12, "count", {"noun": "ports of entry"}),
    ("Some 30,000 migrants a month came.", "Some 30,000", 30000, "count", {"noun": "migrants", "per": "a month"}),
    ("We saw 7 dogs.", "7", 7, "count", {"noun": ""}),
    ("A crowd of seventy-five thousand.", "seventy-five thousand", 75000, "count", {"words": True}),
    ("It had three hundred firms.", "three hundred", 300, "count", {"noun": "firms", "precision": 100.0}),
    ("Half a million people moved.", "Half a million", 5e5, "count", {"noun": "people"}),
    ("A dozen countries signed.", "A dozen", 12, "count", {"noun": "countries"}),
    # spans
    ("The pact lasted 30 years.", "30 years", 30, "years", {}),
    ("It takes five years.", "five years", 5, "years", {"words": True}),
    ("Over the past 12 months it grew.", "12 months", 12, "months", {}),
    ("A review every 90 days.", "90 days", 90, "days", {}),
    ("A 90-day pause began.", "90-day", 90, "days", {}),
    ("It took two and a half years.", "two and a half years", 2.5, "years", {}),
]


@pytest.mark.parametrize(("text", "raw", "value", "unit", "extra"), CASES, ids=[c[0] for c in CASES])
def test_reads(text: str, raw: str, value: float, unit: str, extra: dict[str, Any]) -> None:
    check(only(text), text, raw, value, unit, **extra)


# Look-alikes that are not figures.
NOT_FIGURES = [
    "Trade was strong in 2024.",
    "The rules changed on June 5.",
    "The rules changed on 5 June.",
    "It was signed on Jan. 20 in the capital.",
    "Budgets for FY2024 and FY24 were cut.",
    "The FY 2024 budget was cut.",
    "The briefing starts at 10:30.",
    "The port opens at 10 a.m. daily.",
    "Tariffs under Section 232 stay.",
    "Congress passed H.R. 1234 quickly.",
    "It was the defining trade deal of the 21st century.",
    "The COVID-19 shock hit trade.",
    "Traffic on I-35 slowed.",
    "Sales of the F-150 slowed.",
    "Prices peaked in mid-2024.",
    "In the 2020s trade boomed.",
    "It acted on behalf of the firm.",
    "In the first half of 2025 trade rose.",
    "The first quarter was weak.",
    "For the first time it fell.",
    "In the first six months of 2025 it fell.",
    "That took a quarter century.",
    "Mexico is the largest partner.",
    "Mexico is a top partner.",
    "Double taxation is banned.",
    "It posted double-digit growth.",
    "Title 42 ended.",
    "A safe third country accord.",
    "Executive Order 14257 was signed.",
    "Each of the officials spoke.",
    "One of the ports closed.",
    "Twenty-one of them agreed.",
    "The 2024-25 season ended.",
    "It runs 24/7 now.",
    "Talks on Q1 2025 data continue.",
    "It is the America-first choice.",
    "Neighbors first: a short essay.",
    "It shaped the twenty-first century.",
]


@pytest.mark.parametrize("text", NOT_FIGURES)
def test_look_alikes_are_not_figures(text: str) -> None:
    assert find_quantities(text) == []


@pytest.mark.parametrize("text", ["It was the first country to sign.", "Mexico ranked first.", "Canada came first."])
def test_first_as_a_rank_is_still_read(text: str) -> None:
    assert [(q.value, q.unit) for q in find_quantities(text)] == [(1, "ordinal")]


def test_a_third_consecutive_year_is_a_rank_not_a_fraction() -> None:
    q = only("Trade grew for a third consecutive year.")
    assert (q.unit, q.value, q.raw) == ("ordinal", 3, "third")


def test_a_bare_small_integer_is_returned_without_noun() -> None:
    q = only("They met 12 of them.")
    assert (q.unit, q.value, q.noun) == ("count", 12, "")


def test_points_only_in_a_percent_context() -> None:
    text = "The tariff rate is 25% and rose 3 points."
    assert [(q.unit, q.value) for q in find_quantities(text)] == [("percent", 25), ("points", 3)]
    assert only("The Dow fell 300 points.").unit == "count"
    assert only("The Dow fell 300 points.").noun == "points"


def test_a_range_shares_its_noun() -> None:
    assert [q.noun for q in find_quantities("It added 5 million to 6 million jobs.")] == ["jobs", "jobs"]


def test_verb_with_hedge() -> None:
    q = only("Shipments more than tripled.")
    assert (q.raw, q.value, q.unit, q.verb, q.hedge, q.comparator) == (
        "more than tripled",
        3,
        "times",
        "tripled",
        "more than",
        "over",
    )


def test_several_figures_in_order_and_not_overlapping() -> None:
    text = (
        "In 2024 exports to Mexico rose 4.5% to $334 billion, the second-largest total, while about "
        "25,185 encounters were logged in June and seizures topped 21,889 lb."
    )
    qs = find_quantities(text)
    assert [(q.raw, q.unit) for q in qs] == [
        ("4.5%", "percent"),
        ("$334 billion", "USD"),
        ("second-largest", "ordinal"),
        ("about 25,185", "count"),
        ("topped 21,889 lb", "lb"),
    ]
    assert all(a.end <= b.start for a, b in zip(qs, qs[1:], strict=False))
    assert all(text[q.start : q.end] == q.raw for q in qs)


def test_numbers_inside_a_figure_are_not_returned_twice() -> None:
    assert len(find_quantities("It cost $1.5 million, or 16 percent.")) == 2
    assert len(find_quantities("They seized 6,725.6 pounds of fentanyl.")) == 1


# ---------------------------------------------------------------------------------- ranges
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tariffs of 10-15% apply.", [(10, "percent"), (15, "percent")]),
        ("A cost of $5-6 billion.", [(5e9, "USD"), (6e9, "USD")]),
        ("Growth of 5 to 6 percent.", [(5, "percent"), (6, "percent")]),
        ("It is between 2 and 3 times larger.", [(2, "times"), (3, "times")]),
        ("Some 2 to 3 million people.", [(2e6, "count"), (3e6, "count")]),
        ("From $5 billion to $6 billion.", [(5e9, "USD"), (6e9, "USD")]),
    ],
)
def test_ranges_share_the_unit(text: str, expected: list[tuple[float, str]]) -> None:
    got = [(q.value, q.unit) for q in find_quantities(text)]
    assert got == [(pytest.approx(v), u) for v, u in expected]


# ---------------------------------------------------------------------------------- hedges
HEDGE_CASES = [
    ("Nearly 90% of it", "Nearly", "about", 10.0),
    ("around $5 billion", "around", "about", 1e9),
    ("roughly 40% of it", "roughly", "about", 10.0),
    ("almost 3 million people", "almost", "about", 1e6),
    ("close to 50,000 trucks", "close to", "about", 1e4),
    ("approximately 12% of it", "approximately", "about", 1.0),
    ("some 49,000 firms", "some", "about", 1e3),
    ("an estimated 2.9 million people", "an estimated", "about", 1e5),
    ("just under $335 billion", "just under", "about", 1e9),
    ("just below 10% of it", "just below", "about", 10.0),
    ("just shy of 50% of it", "just shy of", "about", 10.0),
    ("just over 40% of it", "just over", "about", 10.0),
    ("more than 49,000 firms", "more than", "over", 1e3),
    ("over 40% of it", "over", "over", 10.0),
    ("above 5% of it", "above", "over", 1.0),
    ("in excess of $1 billion", "in excess of", "over", 1e9),
    ("upwards of 10,000 people", "upwards of", "over", 1e4),
    ("exceeding $5 billion", "exceeding", "over", 1e9),
    ("it topped $500 billion", "topped", "over", 1e11),
    ("it surpassed 1 million", "surpassed", "over", 1e6),
    ("at least 5% of it", "at least", "at_least", 1.0),
    ("no less than 10,000 jobs", "no less than", "at_least", 1e4),
    ("less than 3% of it", "less than", "under", 1.0),
    ("under 5% of it", "under", "under", 1.0),
    ("below 2% of it", "below", "under", 1.0),
    ("fewer than 100 people", "fewer than", "under", 100.0),
    ("at most 10,000 jobs", "at most", "at_most", 1e4),
    ("up to 25% of it", "up to", "at_most", 1.0),
    ("just 5% of it", "just", "eq", 1.0),
    ("only 3% of it", "only", "eq", 1.0),
    ("a mere 2% of it", "a mere", "eq", 1.0),
    ("well over 50% of it", "well over", "over", 10.0),
    ("well above 10% of it", "well above", "over", 10.0),
    ("well below 5% of it", "well below", "under", 1.0),
    ("roughly a 4.5% rise", "roughly a", "about", 0.1),
]


@pytest.mark.parametrize(("text", "hedge", "comparator", "precision"), HEDGE_CASES)
def test_hedge_before(text: str, hedge: str, comparator: str, precision: float) -> None:
    q = only(text)
    assert q.hedge == hedge
    assert q.comparator == comparator
    assert q.raw.startswith(hedge)
    assert q.precision == pytest.approx(precision)


@pytest.mark.parametrize(
    ("text", "raw", "hedge", "comparator"),
    [
        ("It hit $335 billion or more.", "$335 billion or more", "or more", "at_least"),
        ("It saw 30,000 or so.", "30,000 or so", "or so", "about"),
        ("It hit $335 billion-plus.", "$335 billion-plus", "plus", "at_least"),
        ("nearly a quarter of them", "nearly a quarter", "nearly", "about"),
        ("more than half of them", "more than half", "more than", "over"),
        ("less than a third of them", "less than a third", "less than", "under"),
    ],
)
def test_hedges_after_and_before_fractions(text: str, raw: str, hedge: str, comparator: str) -> None:
    q = only(text)
    assert (q.raw, q.hedge, q.comparator) == (raw, hedge, comparator)


def test_hedge_must_be_adjacent() -> None:
    q = only("It was about the 4.5% figure.")  # "the" may stand between
    assert q.hedge == "about"
    q = only("We talked about tariffs of 4.5% today.")
    assert q.hedge is None and q.comparator == "eq" and q.raw == "4.5%"
    q = only("More than ever, 4.5% matters.")  # punctuation breaks it
    assert q.hedge is None


def test_a_hedge_never_reaches_into_the_previous_figure() -> None:
    qs = find_quantities("It rose 5% over 3 years.")
    assert [(q.raw, q.hedge) for q in qs] == [("5%", None), ("over 3 years", "over")]


def test_every_hedge_in_the_lexicon_is_read() -> None:
    from importlib import resources

    data = yaml.safe_load(resources.files("usmca.claims").joinpath("lexicon", "hedges.yaml").read_text())
    for words, comparator in data["before"].items():
        q = only(f"It was {words} 40% of trade.")
        assert (q.hedge, q.comparator) == (words, comparator), words
        assert hedge_of(words.upper()) == (words, comparator)
    for words, comparator in data["after"].items():
        q = only(f"It was $5 billion {words}.")
        assert (q.hedge, q.comparator) == (words, comparator), words


def test_hedge_of() -> None:
    assert hedge_of("nearly") == ("nearly", "about")
    assert hedge_of("  More   than ") == ("more than", "over")
    assert hedge_of("or more") == ("or more", "at_least")
    assert hedge_of("at least") == ("at least", "at_least")
    assert hedge_of("tariffs") is None


# ---------------------------------------------------------------------------------- per
@pytest.mark.parametrize(
    ("text", "per", "raw"),
    [
        ("It paid $50 billion a year.", "a year", "$50 billion a year"),
        ("They logged 5,000 per day.", "per day", "5,000 per day"),
        ("The fee is $1,200 per person.", "per person", "$1,200 per person"),
        ("Crossings hit 100,000 a day.", "a day", "100,000 a day"),
        ("Some 30,000 migrants a month arrive.", "a month", "Some 30,000"),
    ],
)
def test_per(text: str, per: str, raw: str) -> None:
    q = only(text)
    assert (q.per, q.raw) == (per, raw)


def test_a_year_ago_is_not_a_rate() -> None:
    q = only("It was $5 billion a year ago.")
    assert q.per is None and q.raw == "$5 billion"


# ---------------------------------------------------------------------------------- helpers
@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.2", 1.2),
        ("25,185", 25185),
        ("twenty-one", 21),
        ("two million", 2e6),
        ("seventy-five thousand", 75000),
        ("one hundred and five", 105),
        ("2.9 million", 2.9e6),
        ("a million", 1e6),
        ("a dozen", 12),
        ("two and a half", 2.5),
        ("half", 0.5),
        ("tariffs", None),
        ("", None),
        ("one two", None),
        ("5 firms", None),
    ],
)
def test_parse_number(text: str, value: float | None) -> None:
    got = parse_number(text)
    assert got == (None if value is None else pytest.approx(value))


def test_scale_words() -> None:
    assert scale_words["billion"] == 1e9
    assert scale_words["bn"] == 1e9
    assert scale_words["trillion"] == 1e12
    assert scale_words["thousand"] == 1e3


# ---------------------------------------------------------------------------------- linear time
_SENTENCES = [
    "Exports to Mexico rose 4.5% to $334 billion in 2024, the second-largest total on record.",
    "Border agents reported about 25,185 encounters in June, down by almost half from a year earlier.",
    "Seizures topped 21,889 lb of fentanyl, enough for 120 million lethal doses, officials said.",
    "Under Section 232 the duty doubled, and one in five firms paid more than $8,500 each.",
    "Canada bought C$50 billion of goods over 30 years; the share rose 3 percentage points.",
    "Nearly two million people work in the sector, a third of them in plants near the border.",
]


def _corpus(size: int, seed: int = 7) -> list[str]:
    rnd = random.Random(seed)
    out: list[str] = []
    n = 0
    while n < size:
        s = rnd.choice(_SENTENCES)
        out.append(s)
        n += len(s) + 1
    return out


def _best_time(sentences: list[str], runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        t = time.perf_counter()
        for s in sentences:
            find_quantities(s)
        best = min(best, time.perf_counter() - t)
    return best


@pytest.mark.slow
def test_linear_time_over_a_megabyte() -> None:
    one = _corpus(1_000_000)
    two = _corpus(2_000_000)
    t1 = _best_time(one)
    t2 = _best_time(two)
    assert t1 < 5.0
    assert t2 <= 3.2 * t1  # twice the text: linear is about 2x, quadratic 4x (slack for a busy machine)


@pytest.mark.slow
@pytest.mark.parametrize(
    "unit", ["1,", "one ", "$", "a ", "more than ", "1.1.", "twenty-", "No. ", "first ", "1 in ", "half ", "$1-"]
)
def test_pathological_inputs_stay_linear(unit: str) -> None:
    def run(n: int) -> float:
        best = float("inf")
        for _ in range(3):
            t = time.perf_counter()
            find_quantities(unit * n)
            best = min(best, time.perf_counter() - t)
        return best

    small, big = run(4_000), run(16_000)
    assert big < 3.0
    assert big <= 10 * small + 0.05  # 4x the text: linear is about 4x the time, quadratic 16x
