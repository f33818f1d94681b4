"""Write the binary mock files (.xlsx, .RData) of tests/sources/mock/ from the invented values below.

    PYTHONPATH=src python tests/sources/mock/make_mocks.py

Every value is invented; only the layout follows the agency's file (sheet names, header rows,
labels the parsers look for). The text mocks (CSV, JSON, YAML) in the same folders are written by
hand. The workbooks carry a fixed creation date, so a rerun writes the same cells.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
CREATED = dt.datetime(2025, 3, 6, 12, 0, 0)
MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]


def _save(wb: openpyxl.Workbook, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.properties.created = CREATED
    wb.properties.modified = CREATED
    wb.save(path)


def _sheet(wb: openpyxl.Workbook, title: str, rows: list[list[object]], first: bool = False) -> None:
    ws = wb.active if first else wb.create_sheet(title)
    assert ws is not None
    ws.title = title
    for r in rows:
        ws.append(r)


def census_country() -> None:
    """census.country: one sheet `country`, millions of dollars, Jan-Feb 2025 published, the rest 0."""
    header = ["year", "CTY_CODE", "CTYNAME", *[f"I{m}" for m in MONTHS], "IYR", *[f"E{m}" for m in MONTHS], "EYR"]

    def row(year: int, code: str, name: str, imp: list[float], exp: list[float]) -> list[object]:
        return [year, code, name, *imp, round(sum(imp), 1), *exp, round(sum(exp), 1)]

    full_i, full_e = [100.0 + i for i in range(12)], [80.0 + i for i in range(12)]
    part_i, part_e = [110.0, 111.0] + [0.0] * 10, [90.0, 91.0] + [0.0] * 10
    rows = [
        header,
        row(2024, "0015", "World, Not Seasonally Adjusted", [v * 10 for v in full_i], [v * 10 for v in full_e]),
        row(2024, "2010", "Mexico", full_i, full_e),
        row(2024, "1220", "Canada", [v / 2 for v in full_i], [v / 2 for v in full_e]),
        row(2025, "0015", "World, Not Seasonally Adjusted", [v * 10 for v in part_i], [v * 10 for v in part_e]),
        row(2025, "2010", "Mexico", part_i, part_e),
        row(2025, "1220", "Canada", [v / 2 for v in part_i], [v / 2 for v in part_e]),
    ]
    wb = openpyxl.Workbook()
    _sheet(wb, "country", rows, first=True)
    _save(wb, HERE / "census.country" / "country.xlsx")


BEA_SERIES = [
    "Exports of Goods and Services",
    "Imports of Goods and Services",
    "Balance on Goods and Services",
    "Exports of Goods",
    "Imports of Goods",
    "Balance on Goods",
    "Exports of Services",
    "Imports of Services",
    "Balance on Services",
]


def bea_country() -> None:
    """bea.country: Readme + Table 1..9, header at sheet row 6, an Annual and a Quarterly block."""
    wb = openpyxl.Workbook()
    _sheet(wb, "Readme", [["Last updated March 6, 2025"], [None], ["Table of Contents"]], first=True)
    partners = ["Canada", "Mexico", "European Union"]
    for n, series in enumerate(BEA_SERIES, 1):
        kind = (n - 1) % 3  # 0 exports, 1 imports, 2 balance
        base = [300 + 10 * n, 250 + 10 * n, 400 + 10 * n]
        vals = {
            2023: [b + (0 if kind < 2 else -50) for b in base],
            2024: [b + 20 + (0 if kind < 2 else -50) for b in base],
        }
        rows: list[list[object]] = [
            ["Last updated March 6, 2025"],
            [f"Table {n}. U.S. International Trade by Selected Countries and Areas"],
            [series],
            ["[Millions of dollars, quarters seasonally adjusted]"],
            [None],
            ["Period", *partners],
            ["Annual"],
            ["2023", *vals[2023]],
            ["2024", *vals[2024]],
            ["Quarterly"],
            ["2024 4", *[v / 4 for v in vals[2024]]],
            [None],
            ["* Invented figures for a parser test."],
        ]
        _sheet(wb, f"Table {n}", rows)
    _save(wb, HERE / "bea.country" / "us_trading_per_country.xlsx")


def dhs_usbp() -> None:
    """dhs.usbp: the OHSS KHSM workbook's `Monthly Count` and `Monthly Rgn and Sector` sheets."""
    wb = openpyxl.Workbook()
    head = "Fiscal\nYear"
    _sheet(
        wb,
        "Monthly Count",
        [[head, "Month", "Quantity"], [2025, "01 October", 1230], [2025, "02 November", 1010]],
        first=True,
    )
    _sheet(
        wb,
        "Monthly Rgn and Sector",
        [
            [head, "Month", "Region", "Sector", "Quantity"],
            [2025, "01 October", "Southwest Land Border", "Tucson, AZ", 800],
            [2025, "01 October", "Southwest Land Border", "San Diego, CA", 400],
            [2025, "01 October", "Northern Land Border", "Blaine, WA", 30],
            [2025, "02 November", "Southwest Land Border", "Tucson, AZ", 650],
            [2025, "02 November", "Southwest Land Border", "San Diego, CA", 330],
            [2025, "02 November", "Northern Land Border", "Blaine, WA", 30],
        ],
    )
    _save(wb, HERE / "dhs.usbp" / "KHSM Encounters (USBP) fy26m02.xlsx")


def census_ft900() -> None:
    """census.ft900: Exhibit 1 (goods and services, BOP basis, seasonally adjusted), Jan-Feb 2025."""

    def row(label: str, exp_g: float, exp_s: float, imp_g: float, imp_s: float) -> list[object]:
        exp, imp = exp_g + exp_s, imp_g + imp_s
        return [label, exp - imp, exp_g - imp_g, exp_s - imp_s, exp, exp_g, exp_s, imp, imp_g, imp_s]

    rows: list[list[object]] = [
        [None],
        ["Part A: Seasonally Adjusted (by Commodity/Service)"],
        ["Exhibit 1. U.S. International Trade in Goods and Services"],
        ["In millions of dollars. Invented figures for a parser test. (R) - Revised."],
        ["Period", "Balance", None, None, "Exports", None, None, "Imports", None, None],
        [None, "Total", "Goods (1)", "Services", "Total", "Goods (1)", "Services", "Total", "Goods (1)", "Services"],
        ["2025"],
        row("Jan. - Dec.", 0, 0, 0, 0)[:1],
        row("Jan. - Feb.", 350, 190, 560, 140),
        row("January (R)", 170, 95, 280, 70),
        row("February", 180, 95, 280, 70),
        *[[m] for m in ("March", "April", "May", "June", "July", "August")],
        *[[m] for m in ("September", "October", "November", "December")],
        ["December data as published last month:"],
        [None, -90, -110, 20, 260, 170, 90, 350, 280, 70],
        ["(1) Data are presented on a balance of payments (BOP) basis."],
    ]
    wb = openpyxl.Workbook()
    _sheet(wb, "exh1", rows, first=True)
    _save(wb, HERE / "census.ft900" / "exh1.xlsx")


def wiod_niot() -> None:
    """wiod.niot: sheet `National IO-tables` for one year (2014) of an invented economy.

    The layout needs every WIOD industry (56 Domestic and 56 Imports rows, then 8 TOT rows), so
    the table is generated: each industry buys 10% of its output from itself at home and 5% from
    abroad; the TOT GO row equals the GO column (the parser checks that)."""
    from usmca.sources.wiod_niot import FINAL_DEMAND, INDUSTRIES, TOT_ROWS, VALUE_COLUMNS

    header = ["Year", "Code", "Description", "Origin", *VALUE_COLUMNS]
    names = ["", "", "", "", *[f"name of {c}" for c in VALUE_COLUMNS]]
    go = {c: 100.0 + i for i, c in enumerate(INDUSTRIES)}
    rows: list[list[object]] = [header, names]
    for origin, share in (("Domestic", 0.10), ("Imports", 0.05)):
        for i, code in enumerate(INDUSTRIES):
            cells = {c: 0.0 for c in VALUE_COLUMNS}
            cells[code] = round(share * go[code], 2)
            cells[FINAL_DEMAND[0]] = round((0.8 if origin == "Domestic" else 0.2) * go[code], 2)
            cells["EXP"] = 1.0 if origin == "Domestic" else 0.0
            cells["GO"] = go[code] if origin == "Domestic" else 0.0
            rows.append([2014, code, f"industry {i + 1}", origin, *cells.values()])
    for code in TOT_ROWS:
        cells = {c: 0.0 for c in VALUE_COLUMNS}
        for ind in INDUSTRIES:
            cells[ind] = go[ind] if code == "GO" else (round(0.85 * go[ind], 2) if code == "VA" else 0.0)
        rows.append([2014, code, code, "TOT", *cells.values()])
    wb = openpyxl.Workbook()
    _sheet(wb, "Notes", [["Country", "Mexico"], ["Units", "millions of US dollars (invented values)"]], first=True)
    _sheet(wb, "National IO-tables", rows)
    _save(wb, HERE / "wiod.niot" / "MEX_NIOT_nov16.xlsx")


def wiod_wiot() -> None:
    """wiod.wiot: an R workspace holding a list `wiot_2011` (3 countries x 2 sectors, invented)."""
    import numpy as np
    import rdata

    countries, industries = ["CAN", "MEX", "USA"], ["c1", "c14"]
    n, k = len(countries) * len(industries), 5
    inter = np.full((n, n), 2.0) + np.eye(n) * 10.0
    final = np.zeros((n, len(countries) * k))
    for i in range(n):
        final[i, (i // len(industries)) * k] = 50.0 + i  # household consumption at home
    output = inter.sum(axis=1) + final.sum(axis=1)
    wiot = {
        "year": np.array([2011]),
        "countries": np.array(countries),
        "industries": np.array(industries),
        "inter": inter,
        "final": final,
        "output": output,
    }
    path = HERE / "wiod.wiot" / "wiot_2011.RData"
    path.parent.mkdir(parents=True, exist_ok=True)
    rdata.write_rda(path, {"wiot_2011": wiot})


def main() -> None:
    census_country()
    bea_country()
    dhs_usbp()
    census_ft900()
    wiod_niot()
    wiod_wiot()


if __name__ == "__main__":
    main()
