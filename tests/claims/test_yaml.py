"""Hand-written claims in YAML: verdicts for a valid file, precise errors for a bad one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from usmca.claims.check import InputError, check_path, load_claims_yaml
from usmca.store import Store, open_reader
from usmca.store.reader import Reader

TEXTS = Path(__file__).parent / "texts"


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Reader]:
    r = open_reader(Store(tmp_path_factory.mktemp("yaml") / "no-store"))
    yield r
    r.close()


def test_valid_file_gives_verdicts(reader: Reader) -> None:
    report = check_path(str(TEXTS / "claims.yaml"), reader)
    got = {c.id: c for c in report.claims}
    assert {k: c.verdict for k, c in got.items()} == {
        "canada-exports": "supported",  # 349.36 rounds to 349.4
        "mexico-imports": "approximately",  # 505.85 is 2.7% below "about 520"
        "canada-first": "supported",
        "china-vs-mexico": "contradicted",  # 143.5 / 334.0 = 0.43
        "next-ten": "contradicted",  # 683.4 / 715.6 = 0.955
        "june-low": "supported",
        "exports-1975": "unverifiable",  # Census series starts in 1985
    }
    assert got["canada-exports"].computed is not None
    assert got["canada-exports"].computed.value == pytest.approx(349_359_939_946, rel=1e-9)
    assert got["mexico-imports"].computed is not None
    assert got["mexico-imports"].computed.value == pytest.approx(505_850_598_583, rel=1e-9)
    assert got["next-ten"].computed is not None
    assert got["next-ten"].computed.value == pytest.approx(0.955, abs=0.001)
    assert got["china-vs-mexico"].params["numerator"] == ["China"]
    assert "1975" in got["exports-1975"].reason
    assert report.not_checked == []


def test_claims_carry_their_line_numbers() -> None:
    claims = load_claims_yaml((TEXTS / "claims.yaml").read_text(), "claims.yaml")
    assert [c.line for c in claims][:3] == [3, 9, 16]


def test_top_level_list_is_accepted() -> None:
    claims = load_claims_yaml("- metric: encounters\n  params: {year: 2025, month: 6}\n  value: 25185\n")
    assert [(c.id, c.metric, c.value) for c in claims] == [("y1", "encounters", 25185.0)]


def _error(text: str) -> str:
    with pytest.raises(InputError) as e:
        load_claims_yaml(text, "bad.yaml")
    return str(e.value)


def test_unknown_metric_has_line_and_suggestion() -> None:
    msg = _error(
        "claims:\n  - metric: trade_value\n    params: {partner: MEX, year: 2024}\n    value: 1\n"
        "  - id: second\n    metric: trade_valeu\n    params: {partner: MEX, year: 2024}\n"
        "    value: 1\n"
    )
    assert msg.startswith("bad.yaml, line 5: unknown metric 'trade_valeu' (did you mean trade_value?)")


def test_unknown_country_suggests_the_right_one() -> None:
    msg = _error("- metric: trade_value\n  params: {partner: Mexcio, year: 2024}\n  value: 3.3e11\n")
    assert "line 1" in msg
    assert "did you mean Mexico?" in msg
    msg = _error(
        "- metric: trade_ratio\n  params: {numerator: [Mexico], denominator: [Chnia], year: 2024}\n  value: 2\n"
    )
    assert "did you mean China?" in msg


@pytest.mark.parametrize("year", ["twenty24", "1776", "20245", "2024.5"])
def test_bad_year(year: str) -> None:
    msg = _error(f"- metric: trade_value\n  params: {{partner: MEX, year: {year}}}\n  value: 3.3e11\n")
    assert "line 1" in msg and "is not a year" in msg


def test_malformed_yaml_says_where() -> None:
    msg = _error("claims:\n  - metric: trade_value\n    params: {partner: MEX, year: 2024\n    value: 3\n")
    assert msg.startswith("bad.yaml, line 4, column 10: not valid YAML")


def test_unknown_parameter_and_field() -> None:
    msg = _error("- metric: trade_value\n  params: {partner: MEX, yaer: 2024}\n  value: 3\n")
    assert "takes no parameter 'yaer' (did you mean year?)" in msg
    msg = _error("- metric: trade_value\n  params: {partner: MEX, year: 2024}\n  valeu: 3\n")
    assert "line 1" in msg and "valeu" in msg


def test_bad_comparator_lists_the_allowed_ones() -> None:
    msg = _error("- metric: trade_value\n  params: {partner: MEX, year: 2024}\n  comparator: roughly\n  value: 3\n")
    assert "comparator" in msg and "'about'" in msg


@pytest.mark.parametrize("text", ["claims: []\n", "just a string\n", "- 1\n- 2\n"])
def test_not_a_list_of_claims(text: str) -> None:
    msg = _error(text)
    assert "bad.yaml" in msg
