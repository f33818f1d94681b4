"""Indicators over detail-level trade (`detail_trade`, `detail_district_share`) against a bare
pandas or DuckDB computation on the same rows.

All rows here are SYNTHETIC (named so): small API-shaped responses with made-up values, and a
generated partition set (dataset `synthetic.detail`) written by the store's own Parquet writer.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from usmca.indicators.base import FIGURES, Context, IndicatorError, compute
from usmca.sources import census_api
from usmca.store import Reader, Store, detail, open_reader
from usmca.tables import DETAIL_TABLES, SOURCE_COLUMNS

EXPORTS = ["CTY_CODE", "CTY_NAME", "ALL_VAL_MO", "E_COMMODITY", "DISTRICT", "DIST_NAME", "time", "COMM_LVL"]
IMPORTS = [
    "CTY_CODE",
    "CTY_NAME",
    "GEN_VAL_MO",
    "CON_VAL_MO",
    "I_COMMODITY",
    "DISTRICT",
    "DIST_NAME",
    "time",
    "COMM_LVL",
]

SYNTHETIC_EXPORTS = [
    EXPORTS,
    *[
        [cty, name, str(v), code, d, dn, f"2024-{m:02d}", "HS6"]
        for m in (1, 2, 3)
        for cty, name in (("2010", "MEXICO"), ("1220", "CANADA"))
        for code, base in (("870323", 1000), ("870324", 300), ("850440", 50))
        for d, dn, share in (("23", "LAREDO, TX", 3), ("24", "EL PASO, TX", 2), ("38", "DETROIT, MI", 1))
        for v in [base * share * m + (7 if cty == "1220" else 0)]
    ],
]
SYNTHETIC_IMPORTS = [
    IMPORTS,
    ["2010", "MEXICO", "900", "880", "8703230000", "23", "LAREDO, TX", "2024-01", "HS10"],
    ["2010", "MEXICO", "100", "95", "8703230000", "24", "EL PASO, TX", "2024-01", "HS10"],
    ["2010", "MEXICO", "1000", "975", "8703230000", "-", "", "2024-01", "HS10"],  # national: 900 + 100
    ["5700", "CHINA", "400", "400", "8703230000", "-", "", "2024-01", "HS10"],
    ["-", "TOTAL FOR ALL COUNTRIES", "1500", "1450", "8703230000", "-", "", "2024-01", "HS10"],
    ["2010", "MEXICO", "70", "70", "8703230010", "23", "LAREDO, TX", "2024-01", "HS10"],
]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Reader, pd.DataFrame]:
    tmp = tmp_path_factory.mktemp("detail")
    store = Store(tmp / "store")
    frames = []
    for name, payload in (
        ("census-api-exports-hs6-2024-dall.json", SYNTHETIC_EXPORTS),
        ("census-api-imports-hs10-2024-01-dall.json", SYNTHETIC_IMPORTS),
    ):
        p = tmp / name
        p.write_text(json.dumps(payload))
        pf = census_api.parse(p)
        store.load(pf)
        frames.append(pf.tables["trade_detail"].assign(source_id=pf.source_id))
    reader = open_reader(store)
    yield reader, pd.concat(frames, ignore_index=True)
    reader.close()


def fig(reader: Reader, name: str, **params):  # type: ignore[no-untyped-def]
    FIGURES.clear()
    return compute(Context(reader), name, **params)


def test_partner_and_code_for_a_year_matches_pandas(loaded: tuple[Reader, pd.DataFrame]) -> None:
    reader, rows = loaded
    f = fig(reader, "detail_trade", flow="exports", code="870323", partner="MX", year=2024)
    want = rows[(rows.flow == "exports") & (rows.commodity == "870323") & (rows.partner == "MEX")]
    assert f.ok and f.value == pytest.approx(want["value_usd"].sum())
    assert f.parts["by_month"] == {
        f"2024-{m:02d}": pytest.approx(want[want.month == m]["value_usd"].sum()) for m in (1, 2, 3)
    }
    assert [e.source_id for e in f.evidence] == sorted(set(want["source_id"]))
    assert f.evidence[0].sha256 and f.evidence[0].agency and "Census" in f.evidence[0].agency
    assert f.params["partner"] == "MEX" and f.params["level"] == "HS6"
    assert "trade_detail" in f.queries[-1] and "870323" in f.queries[-1]


def test_a_prefix_adds_up_its_codes_and_a_district_selects_its_rows(loaded: tuple[Reader, pd.DataFrame]) -> None:
    reader, rows = loaded
    f = fig(
        reader, "detail_trade", flow="exports", code="8703", district="23", start_month="2024-02", end_month="2024-03"
    )
    want = rows[
        (rows.flow == "exports")
        & rows.commodity.str.startswith("8703")
        & (rows.district == "23")
        & rows.month.isin([2, 3])
    ]
    assert f.value == pytest.approx(want["value_usd"].sum())
    # one month across every code, partner and district
    f = fig(reader, "detail_trade", flow="exports", year=2024, month=2)
    assert f.value == pytest.approx(rows[(rows.flow == "exports") & (rows.month == 2)]["value_usd"].sum())


def test_national_rows_are_not_added_to_district_rows(loaded: tuple[Reader, pd.DataFrame]) -> None:
    reader, rows = loaded
    # Mexico: a national row (1,000) and rows by district (900 + 100): the national row, not 2,000
    f = fig(reader, "detail_trade", flow="imports", code="8703230000", partner="MX", year=2024, month=1)
    assert f.value == 1000.0
    # through one district: that district's row
    assert (
        fig(reader, "detail_trade", flow="imports", code="8703230000", partner="MX", district="23", year=2024).value
        == 900.0
    )
    # all partners: the world row (1,500 in this synthetic file), not the countries added to it
    assert fig(reader, "detail_trade", flow="imports", code="8703230000", year=2024).value == 1500.0
    # a cell with district rows only is their sum; a prefix at HS10 adds up the cells
    assert fig(reader, "detail_trade", flow="imports", code="8703230010", partner="MX", year=2024).value == 70.0
    assert (
        fig(reader, "detail_trade", flow="imports", code="870323", level="HS10", partner="MX", year=2024).value
        == 1070.0
    )
    # a plain sum over the same rows would count Mexico twice
    plain = rows[(rows.flow == "imports") & (rows.partner == "MEX") & (rows.commodity == "8703230000")]
    assert plain["value_usd"].sum() == 2000.0


def test_district_share_matches_duckdb_on_the_same_rows(loaded: tuple[Reader, pd.DataFrame]) -> None:
    reader, rows = loaded
    f = fig(reader, "detail_district_share", flow="exports", district="24", code="870323", year=2024)
    con = duckdb.connect()
    con.register("rows", rows)
    share = con.execute(
        "SELECT 100 * sum(value_usd) FILTER (WHERE district = '24') / sum(value_usd) FROM rows "
        "WHERE flow = 'exports' AND commodity = '870323' AND district IS NOT NULL"
    ).fetchone()
    assert share is not None and f.value == pytest.approx(share[0])
    assert f.parts["rank"] == 2 and list(f.parts["districts"]) == ["23", "24", "38"]
    assert "EL PASO" in f.label


def test_without_detail_data_the_answer_is_missing_and_says_why() -> None:
    reader = open_reader(None)  # the bundled snapshot: no detail data
    try:
        f = fig(reader, "detail_trade", flow="exports", code="870323", partner="MEX", year=2024)
        g = fig(reader, "detail_district_share", district="23", code="870323", year=2024)
    finally:
        reader.close()
    for x in (f, g):
        assert x.value is None and not x.ok
        assert x.missing is not None and x.missing.startswith("no detail-level trade data loaded")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"code": "87032", "year": 2024}, "2, 4, 6 or 10 digits"),
        ({"code": "870323", "level": "HS8", "year": 2024}, "level"),
        ({"code": "8703230000", "level": "HS6", "year": 2024}, "more digits"),
        ({"code": "870323"}, "year"),
        ({"code": "870323", "year": 2024, "start_month": "2024-01"}, "not both"),
        ({"code": "870323", "start_month": "2024-05", "end_month": "2024-01"}, "before"),
        ({"code": "870323", "year": 2024, "month": 13}, "month"),
        ({"code": "870323", "year": 2024, "district": "Laredo"}, "district"),
        ({"code": "870323", "year": 2024, "flow": "reexports"}, "flow"),
        ({"code": "870323", "year": 2024, "partner": "Atlantis"}, "Atlantis"),
    ],
)
def test_bad_parameters_are_clear_errors(params: dict, message: str) -> None:
    reader = open_reader(None)
    try:
        with pytest.raises(IndicatorError, match=message):
            fig(reader, "detail_trade", **params)
    finally:
        reader.close()


def test_a_synthetic_partition_set_answers_as_a_bare_duckdb_query(tmp_path: Path) -> None:
    """The benchmark's path at a small size: generated partitions, catalogued, read through the reader."""
    spec = DETAIL_TABLES["trade_detail"]
    store = Store(tmp_path / "store")
    with store.writing() as s:
        row = {c: None for c in SOURCE_COLUMNS} | {
            "source_id": "synthetic.detail@0",
            "dataset": "synthetic.detail",
            "agency": "synthetic (test)",
            "title": "synthetic detail rows",
            "file_name": "test",
            "sha256": "0" * 64,
            "bytes": 0,
            "vintage": date(2025, 1, 1),
            "parser_version": "1",
            "fact_table": "trade_detail",
            "rows": 0,
            "loaded_at": datetime.now(UTC).replace(tzinfo=None),
            "origin": "synthetic",
            "kind": "statistics",
        }
        s.con.execute(
            f"INSERT INTO sources ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})", list(row.values())
        )
        for p, (flow, month) in enumerate([(f, m) for f in ("exports", "imports") for m in (1, 2, 3)]):
            select = (
                "SELECT 'synthetic.detail@0' AS source_id, 'synthetic.detail' AS dataset, "
                "lpad((100000 + (i % 50) * 11)::VARCHAR, 6, '0') AS commodity, 'HS6' AS commodity_level, "
                "'hts' AS classification, CASE (i // 50) % 4 WHEN 0 THEN 'MEX' WHEN 1 THEN 'CAN' ELSE 'P' || "
                "((i // 50) % 4)::VARCHAR END AS partner, NULL AS partner_code, 'country' AS partner_kind, "
                "lpad((1 + (i // 200) % 5)::VARCHAR, 2, '0') AS district, NULL AS district_name, "
                f"(hash(i, {p}) % 1000)::DOUBLE AS value_usd, NULL AS consumption_value_usd, NULL AS quantity_1, "
                "NULL AS unit_1, NULL AS quantity_2, NULL AS unit_2 FROM range(1000) t(i)"
            )
            part = detail.partition_path(spec, {"flow": flow, "year": 2024, "month": month})
            w = detail.write_file(s.con, spec, select, store.root, part, "synthetic.detail@0")
            s.created_files.append(w[0])
            detail.record(s.con, spec, store.root, "synthetic.detail@0", "synthetic.detail", part, w)
        s.changed = True
    reader = open_reader(store)
    bare = duckdb.connect()
    glob = f"read_parquet('{store.root}/detail/trade_detail/**/*.parquet', hive_partitioning = true)"
    try:
        f = fig(reader, "detail_trade", flow="imports", code="100011", partner="MEX", year=2024)
        want = bare.execute(
            f"SELECT sum(value_usd) FROM {glob} WHERE flow = 'imports' AND commodity = '100011' AND partner = 'MEX'"
        ).fetchone()
        assert want is not None and f.value == want[0]
        g = fig(reader, "detail_trade", flow="exports", year=2024, month=2)
        want = bare.execute(f"SELECT sum(value_usd) FROM {glob} WHERE flow = 'exports' AND month = 2").fetchone()
        assert want is not None and g.value == want[0]
        assert g.evidence[0].source_id == "synthetic.detail@0"
        # the one-code query reads only that flow's partitions (the others are pruned by path)
        plan = reader.con.execute(
            "EXPLAIN ANALYZE SELECT sum(value_usd) FROM trade_detail WHERE flow = 'imports' AND year = 2024 "
            "AND month = 2 AND commodity = '100011'"
        ).fetchall()
        text = "\n".join(str(r[1]) for r in plan)
        assert "Total Files Read: 1" in text or "Total Files Read: 1\n" in text, text
    finally:
        reader.close()
        bare.close()
