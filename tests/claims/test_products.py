"""Trade in one product group, checked against USITC DataWeb exports by HS chapter."""

from __future__ import annotations

import pytest

from usmca.claims.check import check_text
from usmca.claims.frames.trade import product_of
from usmca.claims.tokens import analyse
from usmca.store import Store, open_reader


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    r = open_reader(Store(tmp_path_factory.mktemp("p") / "none"))  # the bundled snapshot
    yield r
    r.close()


def one(reader, text: str):  # type: ignore[no-untyped-def]
    rep = check_text(text, reader)
    assert len(rep.claims) == 1, [c.metric for c in rep.claims]
    return rep.claims[0]


@pytest.mark.parametrize(
    ("text", "chapters", "verdict"),
    [
        # DataWeb 2024 (MANIFEST section 8): HS 85 55,639.1; 84 52,285.1; 27 41,153.1; 87 28,931.1 $M
        ("Mexico bought $55.6 billion of U.S. electrical machinery in 2024.", ["85"], "supported"),
        ("American machinery sold to Mexico came to $52.3 billion in 2024.", ["84"], "supported"),
        ("In 2024 the U.S. shipped $41.2 billion of mineral fuels to Mexico.", ["27"], "supported"),
        ("Mexico bought $28.9 billion of U.S. vehicles and auto parts in 2024.", ["87"], "supported"),
        ("Mexico bought $45 billion of U.S. vehicles and auto parts in 2024.", ["87"], "contradicted"),
        ("U.S. exports of machinery to Mexico were only $20 billion in 2024.", ["84"], "contradicted"),
    ],
)
def test_product_claims(reader, text: str, chapters: list[str], verdict: str) -> None:  # type: ignore[no-untyped-def]
    c = one(reader, text)
    assert c.metric == "product_exports"
    assert c.params["chapters"] == chapters and c.params["partner"] == "MEX"
    assert c.verdict == verdict
    assert c.evidence[0].file == "DataWeb-Query-Export__FAS_Value.csv"


@pytest.mark.parametrize(
    "text",
    [
        "U.S. corn exports to Mexico were $5 billion in 2024.",  # corn is inside HS 10, not all of it
        "Mexico bought $3 billion of U.S. pork in 2024.",
        "The U.S. imported $130 billion of vehicles from Mexico in 2024.",  # imports by product: no data
        "Mexico bought $2 billion of American semiconductors in 2024.",
    ],
)
def test_products_inside_a_chapter_or_imports_are_not_judged(reader, text: str) -> None:  # type: ignore[no-untyped-def]
    rep = check_text(text, reader)
    assert all(c.verdict == "unverifiable" for c in rep.claims)
    assert rep.not_checked or not rep.claims


def _chapters(words: str) -> list[str] | None:
    text = f"U.S. exports of {words} to Mexico were $5 billion in 2024."
    return product_of(analyse(text), 0, len(text))[0]


def test_most_specific_product_name_wins() -> None:
    assert _chapters("electrical machinery") == ["85"]  # not also "machinery" (HS 84)
    assert _chapters("machinery") == ["84"]
    assert _chapters("machinery and plastics") is None  # two groups: not one figure
    assert _chapters("corn") is None  # inside a chapter
    assert product_of(analyse("U.S. exports of corn to Mexico were $5 billion."), 0, 48)[1]  # with its reason


def test_agriculture_is_labelled_approximate(reader) -> None:  # type: ignore[no-untyped-def]
    c = one(reader, "American farmers sold $30 billion of agricultural products to Mexico in 2024.")
    assert c.params["chapters"] == [f"{i:02d}" for i in range(1, 25)]
    assert "approximate" in c.params["product"]
    assert c.computed is not None and 25e9 < c.computed.value < 35e9


def test_oped_products_sentence_names_no_figure(seed_text: str, reader) -> None:  # type: ignore[no-untyped-def]
    """The op-ed names autos, electronics and agriculture without figures: no product claim."""
    rep = check_text(seed_text, reader)
    assert not [c for c in rep.claims if c.metric == "product_exports"]
