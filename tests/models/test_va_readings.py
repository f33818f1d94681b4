"""The precomputed value-added readings equal the one-pair-at-a-time measures they replace."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from usmca.models import MRIOTable, compare_sources_in_exports
from usmca.models.va_readings import PAIR_AMOUNTS, PAIR_READINGS, value_added_readings


def _index(table: MRIOTable) -> dict[tuple[str, str, str], float]:
    df = value_added_readings(table)
    return {(str(e), str(s), str(r)): float(v) for e, s, r, v in df[["exporter", "source", "reading", "value"]].values}


def test_every_pair_matches_compare_sources(make_table: Callable[..., MRIOTable]) -> None:
    table = make_table(regions=5, sectors=4, seed=3)
    got = _index(table)
    C = table.countries
    for exp in C:
        others = tuple(c for c in C if c != exp)
        fresh = make_table(regions=5, sectors=4, seed=3)  # no cached inverse: the LU path
        cmp = compare_sources_in_exports(fresh, exp, others)
        for r in cmp.readings:
            for src, v in r.values.items():
                assert got[(exp, src, r.name)] == pytest.approx(v, rel=1e-10), (exp, src, r.name)
        for src in others:
            m = fresh.domestic_content_of_imports(exp, src)
            assert got[(exp, src, "own_content_in_imports_usd")] == pytest.approx(m.value, rel=1e-10)
            assert got[(exp, src, "imports_usd")] == pytest.approx(m.base, rel=1e-10)
            f = fresh.foreign_value_added_in_exports(exp, src)
            assert got[(exp, src, "fva_usd")] == pytest.approx(f.value, rel=1e-10)
            assert got[(exp, exp, "gross_exports")] == pytest.approx(f.base, rel=1e-10)


def test_output_multipliers_are_column_sums_of_the_inverse(small_table: MRIOTable) -> None:
    got = _index(small_table)
    L = np.linalg.inv(np.eye(small_table.n) - small_table.A)
    for j, (r, s) in enumerate(small_table.labels):
        assert got[(r, s, "output_multiplier")] == pytest.approx(L[:, j].sum(), rel=1e-12)


def test_frame_holds_every_reading_of_every_pair(small_table: MRIOTable) -> None:
    df = value_added_readings(small_table)
    G = len(small_table.countries)
    counts = df["reading"].value_counts()
    for name in (*PAIR_READINGS, *PAIR_AMOUNTS):
        assert counts[name] == G * (G - 1)
    assert counts["gross_exports"] == G
    assert counts["output_multiplier"] == small_table.n
    assert not (df["exporter"].eq(df["source"]) & df["reading"].isin(PAIR_READINGS)).any()


def test_wiod_2011_readings_match_the_pairwise_engine(wiod_2011: MRIOTable) -> None:
    got = _index(wiod_2011)
    cmp = compare_sources_in_exports(wiod_2011, "USA", ("MEX", "CHN"))
    for r in cmp.readings:
        for src, v in r.values.items():
            assert got[("USA", src, r.name)] == pytest.approx(v, rel=1e-9)
    assert len({k[0] for k in got if k[2] == "gross_exports"}) == len(wiod_2011.countries)
