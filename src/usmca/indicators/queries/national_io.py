"""Helpers over the WIOD national input-output tables (`national_io`, US$ million).

Pure functions over a `Reader`; each returns a one-row (or per-industry) pandas frame with a
`source_id` column. WIOD is a research database (model estimates), not an official statistic.

* `import_content_of_exports`: the vertical-specialisation share (Hummels, Ishii and Yi 2001):
  imported inputs embodied, directly and indirectly, in a country's exports,
      VS = 1' A_M (I - A_D)^-1 e,        share = VS / 1'e,
  with A_D = Z_D x^-1 and A_M = Z_M x^-1 the domestic and imported input coefficients
  (56 x 56 industry blocks of the Domestic and Imports rows), x gross output by industry
  (the TOT `GO` row) and e exports by industry (the `EXP` column of the Domestic rows).
  The Leontief step is `usmca.models.io.leontief_solve`.
* `domestic_va_share_of_output`: value added at basic prices (TOT `VA` row) over gross output
  (TOT `GO` row), for the whole economy or one industry.
* `io_totals`: the headline totals (imported intermediates and final use, exports, VA, GO).
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from usmca.models.io import calc_A, leontief_solve
from usmca.sources.wiod_niot import FINAL_DEMAND, INDUSTRIES, INDUSTRY_NAMES
from usmca.store.reader import Reader


class NationalIOMissing(LookupError):
    """The store holds no national IO table for this country and year."""


def _table(reader: Reader, country: str, year: int, vintage: date | None) -> pd.DataFrame:
    rel = reader.relation("national_io", vintage)
    df = reader.df(
        f"SELECT row_code, origin, col_code, value, source_id FROM {rel} WHERE country = ? AND year = ?",
        [country.strip().upper(), year],
    )
    if df.empty:
        raise NationalIOMissing(
            f"no WIOD national IO table for {country} {year} in the store "
            "(source wiod.niot: load XXX_NIOT_nov16.xlsx; years 2000-2014)"
        )
    return df


def _block(
    df: pd.DataFrame, origin: str, rows: tuple[str, ...] | list[str], cols: tuple[str, ...] | list[str]
) -> np.ndarray:
    sub = df[df["origin"] == origin].pivot_table(index="row_code", columns="col_code", values="value", aggfunc="sum")
    return sub.reindex(index=list(rows), columns=list(cols)).fillna(0.0).to_numpy(dtype=float)


def _sources(df: pd.DataFrame) -> str:
    return ";".join(sorted(set(df["source_id"])))


def io_totals(reader: Reader, country: str, year: int, *, vintage: date | None = None) -> pd.DataFrame:
    """One row of totals, US$ million: imported_intermediates (Imports rows x 56 industry
    columns), imported_final_use (Imports rows x the 5 final-demand columns), exports
    (Domestic rows, EXP), value_added and gross_output (TOT rows VA and GO over industries)."""
    df = _table(reader, country, year, vintage)
    m = _block(df, "Imports", INDUSTRIES, list(INDUSTRIES) + list(FINAL_DEMAND))
    e = _block(df, "Domestic", INDUSTRIES, ["EXP"])
    tot = _block(df, "TOT", ["VA", "GO"], INDUSTRIES)
    return pd.DataFrame(
        [
            {
                "country": country.upper(),
                "year": year,
                "imported_intermediates": float(m[:, : len(INDUSTRIES)].sum()),
                "imported_final_use": float(m[:, len(INDUSTRIES) :].sum()),
                "exports": float(e.sum()),
                "value_added": float(tot[0].sum()),
                "gross_output": float(tot[1].sum()),
                "unit": "USD million",
                "source_id": _sources(df),
            }
        ]
    )


def import_content_of_exports(
    reader: Reader, country: str, year: int, *, by_industry: bool = False, vintage: date | None = None
) -> pd.DataFrame:
    """Import content of a country's exports (vertical specialisation), US$ million and share.

    One row (columns country, year, exports, import_content, share, direct_share, unit,
    source_id), or with `by_industry=True` one row per exporting industry. `direct_share`
    counts only the first round (1' A_M e / 1'e), without the domestic supply chain.
    """
    df = _table(reader, country, year, vintage)
    zd = _block(df, "Domestic", INDUSTRIES, INDUSTRIES)
    zm = _block(df, "Imports", INDUSTRIES, INDUSTRIES)
    x = _block(df, "TOT", ["GO"], INDUSTRIES)[0]
    e = _block(df, "Domestic", INDUSTRIES, ["EXP"])[:, 0]
    a_d = calc_A(zd, x, labels=list(INDUSTRIES))
    a_m = calc_A(zm, x, labels=list(INDUSTRIES))
    sid = _sources(df)
    if by_industry:
        # Import content of each industry's exports: 1' A_M L_D diag(e).
        mult = leontief_solve(a_d.T, a_m.sum(axis=0), labels=list(INDUSTRIES), check=False)
        vs = mult * e
        out = pd.DataFrame(
            {
                "country": country.upper(),
                "year": year,
                "industry": list(INDUSTRIES),
                "industry_name": [INDUSTRY_NAMES[i] for i in INDUSTRIES],
                "exports": e,
                "import_content": vs,
                "share": np.divide(vs, e, out=np.full_like(e, np.nan), where=e != 0),
                "unit": "USD million",
                "source_id": sid,
            }
        )
        return out
    total_output = leontief_solve(a_d, e, labels=list(INDUSTRIES))  # L_D e
    vs = float((a_m @ total_output).sum())
    direct = float((a_m @ e).sum())
    exports = float(e.sum())
    return pd.DataFrame(
        [
            {
                "country": country.upper(),
                "year": year,
                "exports": exports,
                "import_content": vs,
                "share": vs / exports if exports else float("nan"),
                "direct_share": direct / exports if exports else float("nan"),
                "unit": "USD million",
                "source_id": sid,
            }
        ]
    )


def domestic_va_share_of_output(
    reader: Reader, country: str, year: int, industry: str | None = None, *, vintage: date | None = None
) -> pd.DataFrame:
    """Value added at basic prices as a share of gross output (whole economy, or one industry).

    Columns: country, year, industry (None for all), value_added, gross_output, share, unit,
    source_id. `industry` is a WIOD code such as `C29` (motor vehicles).
    """
    if industry is not None and industry not in INDUSTRIES:
        raise ValueError(f"unknown WIOD industry {industry!r}; use one of {', '.join(INDUSTRIES)}")
    df = _table(reader, country, year, vintage)
    cols = [industry] if industry else list(INDUSTRIES)
    tot = _block(df, "TOT", ["VA", "GO"], cols)
    va, go = float(tot[0].sum()), float(tot[1].sum())
    return pd.DataFrame(
        [
            {
                "country": country.upper(),
                "year": year,
                "industry": industry,
                "industry_name": INDUSTRY_NAMES.get(industry) if industry else None,
                "value_added": va,
                "gross_output": go,
                "share": va / go if go else float("nan"),
                "unit": "USD million",
                "source_id": _sources(df),
            }
        ]
    )


__all__ = ["NationalIOMissing", "domestic_va_share_of_output", "import_content_of_exports", "io_totals"]
