"""The registry of figures from official statements: format, validation, helpers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from usmca.errors import DataFormatError
from usmca.indicators.queries.statements import period_totals, running_total_around, statement_records
from usmca.sources import statements
from usmca.store import Store
from usmca.store.reader import Reader, open_reader

FENTANYL = [
    (date(2025, 2, 16), 55),
    (date(2025, 3, 20), 129.19),
    (date(2025, 4, 4), 163),
    (date(2025, 7, 16), 310.89),
    (date(2025, 8, 21), 311.89),
    (date(2025, 9, 3), 386.9),
    (date(2025, 9, 17), 447),
    (date(2025, 10, 2), 467.32),
]
MIGRATION = [  # period_start, period_end, value
    (date(2024, 1, 1), date(2024, 12, 31), 1_234_698),
    (date(2025, 1, 1), date(2025, 4, 30), 108_489),
    (date(2025, 1, 1), date(2025, 7, 31), 124_353),
    (date(2025, 1, 1), date(2025, 12, 31), 155_730),
]


@pytest.fixture(scope="session")
def statements_reader(tmp_path_factory: pytest.TempPathFactory) -> Reader:
    store = Store(tmp_path_factory.mktemp("statements") / "store")
    for p in statements.load_bundled():
        store.load(p)
    return open_reader(store, use_snapshot=False)


def test_bundled_files() -> None:
    files = statements.bundled_files()
    assert len(files) >= 2
    assert all(statements.detect(f) for f in files)
    parsed = statements.load_bundled()
    assert all(p.info.id == "official.statements" for p in parsed)
    assert all(p.info.kind == "official statement" for p in parsed)
    ids = [i for p in parsed for i in p.tables["statements"]["statement_id"]]
    assert len(ids) == len(set(ids)) == 20  # 12 Mexican running totals and period figures, 8 USTR and ITA figures


def test_fentanyl_running_totals(statements_reader: Reader) -> None:
    rows = statement_records(statements_reader, "fentanyl_seized_kg")
    assert [(r.date, r.value) for r in rows] == [(d, pytest.approx(v)) for d, v in FENTANYL]
    for r in rows:
        assert r.cumulative and r.unit == "kg" and r.country == "MEX"
        assert r.period_start == date(2025, 2, 5) and r.period_end == r.date
        assert r.agency.startswith("Gabinete de Seguridad")
        assert r.source_id.startswith("official.statements@")


def test_running_total_around(statements_reader: Reader) -> None:
    before, after = running_total_around(statements_reader, "fentanyl_seized_kg", date(2025, 6, 30))
    assert before is not None and after is not None
    assert (before.date, before.value) == (date(2025, 4, 4), 163)
    assert (after.date, after.value) == (date(2025, 7, 16), pytest.approx(310.89))
    # On the day of a statement, that statement is "before" (published on or before).
    before, after = running_total_around(statements_reader, "fentanyl_seized_kg", date(2025, 9, 3))
    assert before is not None and before.value == pytest.approx(386.9)
    assert after is not None and after.value == 447
    first = running_total_around(statements_reader, "fentanyl_seized_kg", date(2025, 1, 1))
    assert first[0] is None
    last = running_total_around(statements_reader, "fentanyl_seized_kg", date(2026, 1, 1))
    assert last[0] is not None and last[0].value == pytest.approx(467.32) and last[1] is None
    none = running_total_around(statements_reader, "no_such_measure", date(2025, 6, 1))
    assert none == (None, None)


def test_period_totals(statements_reader: Reader) -> None:
    df = period_totals(statements_reader, "migrant_events_irregular")
    got = list(zip(df["period_start"], df["period_end"], df["value"], strict=True))
    assert got == MIGRATION
    assert list(df["months"]) == [12, 4, 7, 12]
    assert set(df["unit"]) == {"events"}
    assert df["note"].str.contains("approximate").all()  # publication day not recorded
    assert df["agency"].str.contains("Política Migratoria").all()
    assert period_totals(statements_reader, "fentanyl_seized_kg").empty  # only running totals


def test_vintage_is_latest_statement() -> None:
    by_name = {p.path.name: p for p in statements.load_bundled()}
    fent = next(p for n, p in by_name.items() if "frontera-norte" in n)
    assert fent.vintage == date(2025, 10, 2)


GOOD = """\
official_statements:
  - id: test-one
    agency: Test Agency
    country: MEX
    title: A test statement
    date: 2025-05-01
    measure: widgets_seized_kg
    period_start: 2025-01-01
    period_end: 2025-04-30
    value: 12.5
    unit: kg
    cumulative: true
"""


def _write(tmp_path: Path, text: str, name: str = "test.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_parse_minimal_file(tmp_path: Path) -> None:
    p = statements.parse(_write(tmp_path, GOOD))
    t = p.tables["statements"]
    assert list(t["statement_id"]) == ["test-one"] and t["url"].isna().all()
    assert p.vintage == date(2025, 5, 1)
    assert int(t["_row"].iloc[0]) == 2  # line of the record in the YAML file


@pytest.mark.parametrize("field", ["agency", "date", "value"])
def test_missing_required_field(tmp_path: Path, field: str) -> None:
    text = "\n".join(line for line in GOOD.splitlines() if not line.strip().startswith(f"{field}:"))
    path = _write(tmp_path, text + "\n")
    with pytest.raises(DataFormatError) as e:
        statements.parse(path)
    err = e.value
    assert err.file.endswith("test.yaml") and err.column == field and err.row == 2
    assert "record 0" in str(err) and "test-one" in str(err) and "missing" in str(err)


@pytest.mark.parametrize(
    "old,new,column",
    [
        ("value: 12.5", "value: lots", "value"),
        ("date: 2025-05-01", "date: 2025-13-45", "date"),
        ("period_end: 2025-04-30", "period_end: 2025-06-30", None),  # after the statement date
        ("country: MEX", "country: Mexico", "country"),
        ("agency: Test Agency", "agencia: Test Agency", None),  # renamed key
    ],
)
def test_invalid_values(tmp_path: Path, old: str, new: str, column: str | None) -> None:
    path = _write(tmp_path, GOOD.replace(old, new))
    with pytest.raises(DataFormatError) as e:
        statements.parse(path)
    assert e.value.row == 2 and "test-one" in str(e.value)
    if column:
        assert e.value.column == column


def test_duplicate_id_and_detect(tmp_path: Path) -> None:
    two = GOOD + GOOD.split("\n", 1)[1]
    with pytest.raises(DataFormatError, match="duplicated id"):
        statements.parse(_write(tmp_path, two))
    assert statements.detect(_write(tmp_path, GOOD, "ok.yml"))
    assert not statements.detect(_write(tmp_path, "other_key: []\n", "other.yaml"))
    with pytest.raises(DataFormatError, match="official_statements"):
        statements.parse(_write(tmp_path, "other_key: []\n", "other.yaml"))
