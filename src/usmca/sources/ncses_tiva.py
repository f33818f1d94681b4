"""BEA Trade in Value Added, as tabulated by NSF NCSES: U.S. gross exports split into domestic and imported content.

Table SKTI-4 of NSF NCSES's *Science and Engineering Indicators* ("Domestic and imported value-added
content of gross exports and U.S. gross exports, by exporting industry: 2007-21"), whose source is
BEA's Trade in Value Added data (https://www.bea.gov/data/special-topics/global-value-chains). NCSES
marks the figures preliminary.

Layout (`ncses_10760_data.csv`, a CSV re-tabulation of the table): columns `table_id, row_id,
industry_full_path, industry_level_1, industry_level_2, industry_hierarchy_depth,
field_exporting_industry_naics_code, field_2007 .. field_2021`. Three blocks of ten rows, each opened
by a row whose path is `&nbsp;` and whose `field_2007` names the block:

- "U.S. gross exports to all economies" -> measure `gross_exports`
- "Domestic value-added content of gross exports" -> `domestic_va`
- "Imported value-added content of gross exports" -> `imported_va`

Each block has "All industries" (industry `all`) and 8 KTI industries (NAICS 3344, 334 excluding
semiconductors, 3364, 336 excluding aerospace, 3254, 5112, 5415/518/519, 5417).

Units: millions of current US dollars, stored as US dollars (value_usd). NCSES's special values:
`D` (suppressed) is stored as NULL; the flags `i` (imputed) and `r` (revised) after a number are dropped,
with a note. Each industry-year must add up: domestic + imported within 0.5% of gross exports.

Tidy table `value_added_exports` (country USA, industry, naics, year, measure, value_usd).

Vintage: the date NCSES says BEA's data were accessed (8 April 2023), read from the companion
`ncses_10760_README.md` when it is beside the file ("accessed 8 April 2023"). The README holds no
data rows and is skipped by `usmca data load`.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from usmca.errors import DataFormatError
from usmca.sources._tabular import read_csv_strict
from usmca.sources.base import ParsedFile, SourceInfo, file_head, parsed, register
from usmca.tables import TABLES, US_PUBLIC_DOMAIN

COLUMNS = TABLES["value_added_exports"].column_names
ID_COLUMNS = [
    "table_id",
    "row_id",
    "industry_full_path",
    "industry_level_1",
    "industry_level_2",
    "field_exporting_industry_naics_code",
]
TABLE_ID = "10760"
BLOCKS = {
    "u.s. gross exports": "gross_exports",
    "domestic value-added content": "domestic_va",
    "imported value-added content": "imported_va",
}
DEFAULT_VINTAGE = date(2023, 4, 8)  # "accessed 8 April 2023" (the table's source note)
ADD_UP_MARGIN = 0.005


def detect(path: Path) -> bool:
    if path.suffix.lower() != ".csv":
        return False
    try:
        lines = file_head(path, 2048).decode("utf-8-sig", errors="replace").splitlines()
    except OSError:
        return False
    if len(lines) < 2 or not lines[0].startswith("table_id,row_id,industry_full_path"):
        return False
    return lines[1].split(",")[0].strip() == TABLE_ID


def _block(label: str) -> str | None:
    low = label.strip().lower()
    return next((m for k, m in BLOCKS.items() if low.startswith(k)), None)


def readme_vintage(path: Path) -> date | None:
    """The access date in the companion README ("accessed 8 April 2023"), if it is there."""
    readme = path.with_name(path.name.replace("_data.csv", "_README.md"))
    if readme == path or not readme.exists():
        return None
    m = re.search(r"accessed\s+(\d{1,2}\s+[A-Z][a-z]+\s+\d{4})", readme.read_text(encoding="utf-8", errors="replace"))
    if not m:
        return None
    try:
        return datetime.strptime(m.group(1), "%d %B %Y").date()
    except ValueError:
        return None


def parse(path: Path) -> ParsedFile:
    df = read_csv_strict(path, ID_COLUMNS)
    years = [c for c in df.columns if re.fullmatch(r"field_\d{4}", c)]
    if not years:
        raise DataFormatError(
            path, "no year columns", row=1, column="field_2007", expected="field_2007 .. field_2021", found=None
        )
    records = []
    flagged = 0
    measure: str | None = None
    for i in df.index:
        row = int(str(df.at[i, "_row"]))
        tid = str(df.at[i, "table_id"]).strip()
        if tid != TABLE_ID:
            raise DataFormatError(
                path, "a row of another table", row=row, column="table_id", expected=TABLE_ID, found=tid
            )
        path_cell = str(df.at[i, "industry_full_path"]).strip()
        if path_cell in ("&nbsp;", ""):
            label = str(df.at[i, years[0]])
            measure = _block(label)
            if measure is None:
                raise DataFormatError(
                    path,
                    "unknown block heading",
                    row=row,
                    column=years[0],
                    expected="U.S. gross exports / Domestic value-added content / Imported value-added content",
                    found=label,
                )
            continue
        if measure is None:
            raise DataFormatError(
                path,
                "a data row before any block heading",
                row=row,
                column="industry_full_path",
                expected="a heading row (&nbsp;) first",
                found=path_cell,
            )
        level2 = str(df.at[i, "industry_level_2"]).strip()
        industry = level2 if level2 else ("all" if path_cell == "All industries" else path_cell)
        naics = str(df.at[i, "field_exporting_industry_naics_code"]).strip() or None
        for col in years:
            cell = str(df.at[i, col]).strip()
            text = cell.replace(",", "")
            if text in ("D", ""):
                value = None
            else:
                m = re.fullmatch(r"(-?\d+(?:\.\d+)?)\s*([ir])?", text)
                if not m:
                    raise DataFormatError(
                        path, "not a number", row=row, column=col, expected="millions of US dollars or D", found=cell
                    )
                flagged += bool(m.group(2))
                value = float(m.group(1)) * 1e6
            records.append(
                {
                    "country": "USA",
                    "industry": industry,
                    "naics": naics,
                    "year": int(col[6:]),
                    "measure": measure,
                    "value_usd": value,
                    "_row": row,
                    "_col": col,
                }
            )
    out = pd.DataFrame(records, columns=[*COLUMNS, "_row", "_col"])
    _check_adds_up(path, out)
    missing = sorted(set(BLOCKS.values()) - set(out["measure"]))
    if missing:
        raise DataFormatError(
            path, f"block(s) missing: {missing}", expected="three blocks", found=sorted(set(out["measure"]))
        )
    vintage = readme_vintage(path)
    notes = [
        "preliminary: NCSES marks these figures preliminary and subject to revision",
        "BEA Trade in Value Added (https://www.bea.gov/data/special-topics/global-value-chains) via NSF NCSES "
        "table SKTI-4; millions of current US dollars stored as US dollars",
        "U.S. exports only: no partner-country content; BEA's TiVA framework differs from OECD TiVA",
        f"vintage = BEA data accessed {(vintage or DEFAULT_VINTAGE).isoformat()}"
        + ("" if vintage else " (the table's source note; README not beside the file)"),
    ]
    if flagged:
        notes.append(f"{flagged} value(s) carried an i (imputed) or r (revised) flag, dropped")
    return parsed(
        SOURCE, path, vintage or DEFAULT_VINTAGE, {"value_added_exports": out.drop(columns="_col")}, notes=notes
    )


def _check_adds_up(path: Path, df: pd.DataFrame) -> None:
    """Domestic plus imported content must give the gross exports of the same industry and year."""
    cells: dict[tuple[str, int], dict[str, tuple[float, int, str]]] = {}
    cols = [df[c].tolist() for c in ("industry", "year", "measure", "value_usd", "_row", "_col")]
    for industry_, year_, measure, value, row_, col_ in zip(*cols, strict=True):
        if value is not None and not pd.isna(value):
            cells.setdefault((str(industry_), int(year_)), {})[str(measure)] = (float(value), int(row_), str(col_))
    for (industry, year), v in cells.items():
        if len(v) < 3:
            continue
        g, dv, (iv, row, col) = v["gross_exports"][0], v["domestic_va"][0], v["imported_va"]
        if abs(g - (dv + iv)) > ADD_UP_MARGIN * abs(g):
            raise DataFormatError(
                path,
                f"domestic plus imported content does not add up to gross exports for {industry}, {year}",
                row=row,
                column=col,
                expected=f"about {(g - dv) / 1e6:,.0f} (gross {g / 1e6:,.0f} - domestic {dv / 1e6:,.0f})",
                found=f"{iv / 1e6:,.0f}",
            )


SOURCE = register(
    SourceInfo(
        id="ncses.tiva",
        agency="National Science Foundation, NCSES (Science and Engineering Indicators), from BEA Trade in Value Added",
        title="Domestic and imported value-added content of U.S. gross exports, by exporting industry, 2007-21 "
        "(table SKTI-4, preliminary)",
        url="https://www.bea.gov/data/special-topics/global-value-chains",
        licence=US_PUBLIC_DOMAIN,
        citation=(
            "National Center for Science and Engineering Statistics (NCSES), Science and Engineering "
            "Indicators, from U.S. Bureau of Economic Analysis Trade in Value Added statistics"
        ),
        table="value_added_exports",
        detect=detect,
        parse=parse,
    )
)

__all__ = ["SOURCE", "detect", "parse", "readme_vintage"]
