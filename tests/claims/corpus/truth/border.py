"""Truth for the border, drugs, jobs, value-added and statements half of the development corpus.

Every function reads the agencies' raw files in ../shared/data with pandas (never usmca) and returns
the figure in the units the corpus items' `claimed` uses:

- encounters: events (persons counted per event), monthly, fiscal-year or averaged;
- drug seizures: pounds (or kilograms where `unit="kg"`, 1 lb = 0.45359237 kg);
- employment: persons (the FRED files are in thousands; multiplied by 1,000 here);
- value added: percent of U.S. gross exports, or dollars;
- changes: percent (compare "points"; negative = a fall, or with fall=True the size of a fall as a
  positive number, so "dropped 45%" is claimed 45) or signed differences (compare "level"/"direction");
- records: 1 when the statement holds, 0 when it does not (compare "bool").

Months are written "YYYY-MM" (calendar month). Fiscal year N runs from October N-1 to September N.
"""

from __future__ import annotations

import calendar
import functools
from datetime import date

import pandas as pd

from tests.claims.corpus.truth import DATA, truth

Month = tuple[int, int]  # (calendar year, month 1-12)
Series = dict[Month, float]

MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
REGIONS = {"southwest": "Southwest Land Border", "northern": "Northern Land Border", "other": "Other"}
COMPONENTS = {"usbp": "U.S. Border Patrol", "ofo": "Office of Field Operations"}
SEIZURE_REGIONS = {"southwest": "Southwest Border", "northern": "Northern Border", "coastal": "Coastal/Interior"}
LB_TO_KG = 0.45359237


def _ym(month: str) -> tuple[int, int]:
    y, m = month.split("-")
    return int(y), int(m)


def _fy_months(fy: int) -> list[tuple[int, int]]:
    return [(fy - 1, m) for m in (10, 11, 12)] + [(fy, m) for m in range(1, 10)]


def _month_range(start: str, end: str) -> list[tuple[int, int]]:
    (y, m), last = _ym(start), _ym(end)
    out = []
    while (y, m) <= last:
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _pct(now: float, then: float, fall: bool) -> float:
    """Percent change from `then` to `now`; with fall=True the size of a decline (a 45% drop is +45)."""
    pct = 100.0 * (now - then) / then
    return -pct if fall else pct


def _calendar_year(fy_label: object, month_abbv: str) -> tuple[int, int]:
    fy = int(str(fy_label)[:4])
    month = MONTHS.index(month_abbv.strip().upper()) + 1
    return (fy - 1 if month >= 10 else fy), month


# ---------------------------------------------------------------- CBP encounters (state files)


@functools.cache
def _encounter_months() -> dict[str, Series]:
    """Monthly totals by land border region from the four nationwide state files, newest release per month.

    Files: cbp_encounters/nationwide-encounters-fy20-fy23-state.csv, -fy21-fy24-, -fy22-fy25-,
    -fy23-fy26-nov- (oldest to newest). Columns: `Fiscal Year` (e.g. 2024 or "2026 (FYTD)"),
    `Month (abbv)`, `Land Border Region`, `Encounter Count`. All other columns are summed over.
    """
    names = [
        "nationwide-encounters-fy20-fy23-state.csv",
        "nationwide-encounters-fy21-fy24-state.csv",
        "nationwide-encounters-fy22-fy25-state.csv",
        "nationwide-encounters-fy23-fy26-nov-state.csv",
    ]
    best: dict[Month, dict[str, float]] = {}
    for name in names:  # oldest first: a newer file replaces the months it also holds
        df = pd.read_csv(DATA / "cbp_encounters" / name)
        keys = [_calendar_year(f, m) for f, m in zip(df["Fiscal Year"], df["Month (abbv)"], strict=True)]
        sums: dict[Month, dict[str, float]] = {}
        for key, reg, n in zip(keys, df["Land Border Region"], df["Encounter Count"], strict=True):
            sums.setdefault(key, {}).setdefault(str(reg), 0.0)
            sums[key][str(reg)] += float(n)
        best.update(sums)
    out: dict[str, Series] = {"all": {}}
    for key in sorted(best):
        for reg, n in best[key].items():
            out.setdefault(reg, {})[key] = n
        out["all"][key] = sum(best[key].values())
    return out


def _enc(year: int, month: int, region: str | None) -> float:
    series = _encounter_months()[REGIONS[region] if region else "all"]
    if (year, month) not in series:
        raise KeyError(f"no CBP encounter data for {year}-{month:02d}")
    return series[(year, month)]


@truth("cbp_encounters_month")
def cbp_encounters_month(month: str, region: str | None = None) -> float:
    """CBP encounters (all components) in calendar month `month` ("2025-06").

    Sum of `Encounter Count` over every row of that month in the newest CBP nationwide state file that has
    it (see `_encounter_months`); `region` "southwest"/"northern"/"other" keeps only rows whose
    `Land Border Region` is Southwest Land Border / Northern Land Border / Other. None = nationwide.
    """
    return _enc(*_ym(month), region)


@truth("cbp_encounters_fy")
def cbp_encounters_fy(fy: int, region: str | None = None, through: str | None = None) -> float:
    """CBP encounters (all components) in fiscal year `fy` (Oct fy-1 .. Sep fy), from the state files.

    Sum of the monthly totals of `cbp_encounters_month`. A partial year must name its last month in
    `through` ("2025-11"); without it every one of the twelve months must be in the files.
    """
    months = _fy_months(fy)
    if through:
        months = [ym for ym in months if ym <= _ym(through)]
    return sum(_enc(y, m, region) for y, m in months)


@truth("cbp_encounters_avg")
def cbp_encounters_avg(start: str, end: str, region: str | None = None) -> float:
    """Monthly average of CBP encounters (all components) over the months `start`..`end` inclusive.

    Mean of `cbp_encounters_month` over those calendar months (a fiscal year: start "2021-10", end "2022-09").
    """
    months = _month_range(start, end)
    return sum(_enc(y, m, region) for y, m in months) / len(months)


@truth("cbp_encounters_daily")
def cbp_encounters_daily(month: str, region: str | None = None) -> float:
    """Daily average of CBP encounters in calendar month `month`: the monthly total divided by its days."""
    y, m = _ym(month)
    return _enc(y, m, region) / calendar.monthrange(y, m)[1]


@truth("cbp_encounters_pct_change")
def cbp_encounters_pct_change(month: str, base: str, region: str | None = None, fall: bool = False) -> float:
    """Percent change of CBP encounters from month `base` to month `month` (negative = a fall)."""
    return _pct(_enc(*_ym(month), region), _enc(*_ym(base), region), fall)


@truth("cbp_encounters_pct_vs_avg")
def cbp_encounters_pct_vs_avg(month: str, start: str, end: str, region: str | None = None, fall: bool = False) -> float:
    """Percent change of CBP encounters in `month` against the monthly average over `start`..`end`."""
    return _pct(_enc(*_ym(month), region), cbp_encounters_avg(start, end, region), fall)


@truth("cbp_encounters_fy_pct_change")
def cbp_encounters_fy_pct_change(fy: int, base_fy: int, region: str | None = None, fall: bool = False) -> float:
    """Percent change of CBP encounters from fiscal year `base_fy` to fiscal year `fy` (full years)."""
    return _pct(cbp_encounters_fy(fy, region), cbp_encounters_fy(base_fy, region), fall)


@truth("cbp_encounters_fy_diff")
def cbp_encounters_fy_diff(fy: int, base_fy: int, region: str | None = None) -> float:
    """Signed difference fiscal year `fy` minus fiscal year `base_fy` (for "declined"/"rose" claims)."""
    return cbp_encounters_fy(fy, region) - cbp_encounters_fy(base_fy, region)


@truth("cbp_encounters_cy_diff")
def cbp_encounters_cy_diff(year: int, base_year: int, region: str | None = None) -> float:
    """Signed difference of calendar-year totals (Jan..Dec of `year` minus those of `base_year`)."""

    def cy(y: int) -> float:
        return sum(_enc(y, m, region) for m in range(1, 13))

    return cy(year) - cy(base_year)


def _lowest_since(series: Series, target: Month, since: Month) -> float:
    if target not in series or since not in series:
        raise KeyError(f"{target} or {since} is outside the data")
    between = [n for ym, n in series.items() if since < ym < target]
    return 1.0 if all(n > series[target] for n in between) and series[since] <= series[target] else 0.0


def _lowest_in_data(series: Series, target: Month) -> float:
    return 1.0 if series[target] <= min(series.values()) else 0.0


@truth("cbp_encounters_lowest_since")
def cbp_encounters_lowest_since(month: str, since: str, region: str | None = None) -> float:
    """1 if CBP encounters in `month` were the lowest monthly total since month `since`, else 0.

    It holds when every month strictly between `since` and `month` had more encounters than `month`,
    and `since` itself had no more (the month that the claim reaches back to was at least as low).
    """
    return _lowest_since(_encounter_months()[REGIONS[region] if region else "all"], _ym(month), _ym(since))


@truth("cbp_encounters_record_low")
def cbp_encounters_record_low(month: str, region: str | None = None) -> float:
    """1 if `month` has the lowest CBP monthly encounter total in the state files (Oct 2019 on), else 0."""
    return _lowest_in_data(_encounter_months()[REGIONS[region] if region else "all"], _ym(month))


# ---------------------------------------------------------------- southwest border by component (sbo file)


@functools.cache
def _sbo() -> dict[str, Series]:
    """cbp_encounters/sbo-encounters-fy22-fy25-aug.csv: `Encounter Count` summed by month and `Component`."""
    df = pd.read_csv(DATA / "cbp_encounters" / "sbo-encounters-fy22-fy25-aug.csv")
    keys = [_calendar_year(f, m) for f, m in zip(df["Fiscal Year"], df["Month (abbv)"], strict=True)]
    out: dict[str, Series] = {"all": {}}
    for key, comp, n in zip(keys, df["Component"], df["Encounter Count"], strict=True):
        for col in (str(comp), "all"):
            out.setdefault(col, {}).setdefault(key, 0.0)
            out[col][key] += float(n)
    return out


@truth("sbo_encounters")
def sbo_encounters(
    component: str | None = None, month: str | None = None, fy: int | None = None, through: str | None = None
) -> float:
    """Southwest land border encounters by component from cbp_encounters/sbo-encounters-fy22-fy25-aug.csv.

    Sum of `Encounter Count` over rows whose `Component` is "U.S. Border Patrol" (component "usbp") or
    "Office of Field Operations" ("ofo"), or both (None), for calendar month `month` or fiscal year `fy`
    (a partial FY2025 must name `through`, the file ends in August 2025).
    """
    series = _sbo()[COMPONENTS[component] if component else "all"]
    if month:
        months = [_ym(month)]
    else:
        assert fy is not None
        months = [ym for ym in _fy_months(fy) if not through or ym <= _ym(through)]
    missing = [ym for ym in months if ym not in series]
    if missing:
        raise KeyError(f"sbo file lacks {missing}")
    return sum(series[ym] for ym in months)


@truth("sbo_pct_change")
def sbo_pct_change(component: str | None, month: str, base: str, fall: bool = False) -> float:
    """Percent change of southwest border encounters by `component` (sbo file) from month `base` to `month`."""
    return _pct(sbo_encounters(component, month=month), sbo_encounters(component, month=base), fall)


@truth("sbo_share")
def sbo_share(component: str, fy: int) -> float:
    """Percent of southwest land border encounters in fiscal year `fy` made by `component` (sbo file)."""
    return 100.0 * sbo_encounters(component, fy=fy) / sbo_encounters(None, fy=fy)


# ---------------------------------------------------------------- Border Patrol since FY2000 (DHS OHSS)

OHSS = DATA / "dhs_ohss_usbp_encounters" / "KHSM Encounters (USBP) fy25m11.xlsx"


@functools.cache
def _ohss_monthly(region: str | None) -> Series:
    """OHSS Border Patrol encounters by calendar month, FY2000 to November 2024 (rounded to 10).

    Sheet "Monthly Count" (columns `Fiscal\\nYear`, `Month` like "01 October", `Quantity`) nationwide, or
    sheet "Monthly Region" filtered on `Region` == "Southwest Land Border" / "Northern Land Border".
    """
    if region is None:
        df = pd.read_excel(OHSS, sheet_name="Monthly Count")
    else:
        df = pd.read_excel(OHSS, sheet_name="Monthly Region")
        df = df[df["Region"] == REGIONS[region]]
    fy_col = [c for c in df.columns if str(c).startswith("Fiscal")][0]
    keys = [
        _calendar_year(fy, str(mo).split()[1][:3])  # "01 October" -> "OCT"
        for fy, mo in zip(df[fy_col], df["Month"], strict=True)
    ]
    out: Series = {}
    for key, n in zip(keys, df["Quantity"], strict=True):
        out[key] = out.get(key, 0.0) + float(n)
    return dict(sorted(out.items()))


@truth("ohss_usbp_month")
def ohss_usbp_month(month: str, region: str | None = None) -> float:
    """Border Patrol encounters in calendar month `month` from the OHSS workbook (see `_ohss_monthly`)."""
    series, ym = _ohss_monthly(region), _ym(month)
    if ym not in series:
        raise KeyError(f"OHSS has no Border Patrol count for {month}")
    return series[ym]


@truth("ohss_usbp_fy")
def ohss_usbp_fy(fy: int, region: str | None = None) -> float:
    """Border Patrol encounters in fiscal year `fy`: the sum of the twelve OHSS months (all must be present).

    Nationwide this equals sheet "Annual Count" `Quantity` for that year up to rounding.
    """
    return sum(ohss_usbp_month(f"{y}-{m:02d}", region) for y, m in _fy_months(fy))


@truth("ohss_usbp_lowest_since")
def ohss_usbp_lowest_since(month: str, since: str, region: str | None = None) -> float:
    """1 if OHSS Border Patrol encounters in `month` were the lowest since `since` (rule of
    `cbp_encounters_lowest_since`), else 0."""
    return _lowest_since(_ohss_monthly(region), _ym(month), _ym(since))


@truth("ohss_usbp_record_low")
def ohss_usbp_record_low(month: str, region: str | None = None) -> float:
    """1 if `month` has the lowest Border Patrol monthly count in the OHSS series (Oct 1999 on), else 0."""
    return _lowest_in_data(_ohss_monthly(region), _ym(month))


@truth("ohss_usbp_fy_pct_change")
def ohss_usbp_fy_pct_change(fy: int, base_fy: int, region: str | None = None, fall: bool = False) -> float:
    """Percent change of OHSS Border Patrol encounters from fiscal year `base_fy` to `fy`."""
    return _pct(ohss_usbp_fy(fy, region), ohss_usbp_fy(base_fy, region), fall)


# ---------------------------------------------------------------- CBP drug seizures (OFO + USBP)


@functools.cache
def _seizures() -> pd.DataFrame:
    """Rows of the nationwide drug seizure files, newest release per month.

    Files (oldest to newest): cbp_drug_seizures/nationwide-drugs-fy19-fy22.csv, -fy23-fy26-dec.csv,
    -fy23-fy26-apr.csv. Columns used: `FY`, `Month (abbv)`, `Component`, `Region`, `Drug Type`,
    `Sum Qty (lbs)`. A month present in a newer file is taken from it alone. Air and Marine Operations
    (the amo-* files) is not included.
    """
    names = ("fy19-fy22", "fy23-fy26-dec", "fy23-fy26-apr")
    best: dict[int, pd.DataFrame] = {}
    for name in names:  # oldest first: a newer file replaces the months it also holds
        df = pd.read_csv(DATA / "cbp_drug_seizures" / f"nationwide-drugs-{name}.csv")
        keys = [_calendar_year(f, m) for f, m in zip(df["FY"], df["Month (abbv)"], strict=True)]
        df["ym"] = [100 * y + m for y, m in keys]  # 202604 = April 2026
        for ym in set(df["ym"]):
            best[int(ym)] = df[df["ym"] == ym]
    return pd.concat(list(best.values()), ignore_index=True)


def _seized(
    drug: str, months: list[tuple[int, int]], component: str | None, region: str | None, unit: str = "lb"
) -> float:
    df = _seizures()
    have, want = set(df["ym"]), [100 * y + m for y, m in months]
    missing = [ym for ym in want if ym not in have]
    if missing:
        raise KeyError(f"no seizure data for {missing}")
    sel = df[df["ym"].isin(want) & (df["Drug Type"].str.lower() == drug.lower())]
    if component:
        sel = sel[sel["Component"] == COMPONENTS[component]]
    if region:
        sel = sel[sel["Region"] == SEIZURE_REGIONS[region]]
    lbs = float(sel["Sum Qty (lbs)"].sum())
    return lbs * LB_TO_KG if unit == "kg" else lbs


@truth("cbp_seizures")
def cbp_seizures(
    drug: str,
    fy: int | None = None,
    month: str | None = None,
    through: str | None = None,
    component: str | None = None,
    region: str | None = None,
    unit: str = "lb",
) -> float:
    """CBP (OFO + Border Patrol) seizures of `drug` ("Fentanyl", "Methamphetamine", "Cocaine", ...).

    Sum of `Sum Qty (lbs)` over rows whose `Drug Type` equals `drug` for calendar month `month` or
    fiscal year `fy` (FY2026 must name `through`, e.g. "2026-04", the newest release ends there);
    `component` "ofo"/"usbp" filters `Component`, `region` "southwest"/"northern"/"coastal" filters
    `Region`. Pounds, or kilograms with unit="kg".
    """
    if month:
        months = [_ym(month)]
    else:
        assert fy is not None
        months = _fy_months(fy)
        if through:
            months = [ym for ym in months if ym <= _ym(through)]
    return _seized(drug, months, component, region, unit)


@truth("cbp_seizures_fy_pct_change")
def cbp_seizures_fy_pct_change(
    drug: str, fy: int, base_fy: int, component: str | None = None, region: str | None = None, fall: bool = False
) -> float:
    """Percent change of CBP seizures of `drug` (pounds) from fiscal year `base_fy` to `fy` (full years)."""
    now = _seized(drug, _fy_months(fy), component, region)
    return _pct(now, _seized(drug, _fy_months(base_fy), component, region), fall)


@truth("cbp_seizures_fy_ratio")
def cbp_seizures_fy_ratio(drug: str, fy: int, base_fy: int) -> float:
    """Seizures of `drug` in fiscal year `fy` divided by those in `base_fy` ("doubled" = 2, "tripled" = 3)."""
    return _seized(drug, _fy_months(fy), None, None) / _seized(drug, _fy_months(base_fy), None, None)


@truth("cbp_seizures_share")
def cbp_seizures_share(drug: str, fy: int, by: str) -> float:
    """Percent of CBP's `drug` seizures (pounds) in fiscal year `fy` that fall in `by`.

    `by` is a component ("ofo", "usbp") or a region ("southwest", "northern", "coastal").
    """
    months = _fy_months(fy)
    part = _seized(drug, months, by, None) if by in COMPONENTS else _seized(drug, months, None, by)
    return 100.0 * part / _seized(drug, months, None, None)


# ---------------------------------------------------------------- employment (BLS CES via FRED)

FRED_SERIES = {"MANEMP", "PAYEMS", "CES3133600101"}


@functools.cache
def _fred(series: str) -> Series:
    """fred_bls_employment/<series>.csv: columns `date` (first of the month) and `value` (thousands, SA)."""
    if series not in FRED_SERIES:
        raise KeyError(f"unknown series {series!r}")
    df = pd.read_csv(DATA / "fred_bls_employment" / f"{series}.csv", parse_dates=["date"])
    return {(d.year, d.month): float(v) for d, v in zip(df["date"], df["value"], strict=True)}


@truth("fred_employment")
def fred_employment(series: str, month: str) -> float:
    """Employment in `month` ("2025-12") from FRED series MANEMP (manufacturing), PAYEMS (total nonfarm) or
    CES3133600101 (motor vehicles and parts): the `value` of that month's row times 1,000 (persons)."""
    return _fred(series)[_ym(month)] * 1000.0


@truth("fred_employment_change")
def fred_employment_change(series: str, start: str, end: str, loss: bool = False) -> float:
    """Change in employment between the months `start` and `end` (value at `end` minus value at `start`),
    in persons. With loss=True the sign is flipped, so a loss of 93,000 jobs is +93,000 ("lost X jobs").

    "Between January and December 2025" is start "2025-01", end "2025-12"; "over the year to December
    2025" is start "2024-12", end "2025-12". Items name the months in their wording.
    """
    diff = (_fred(series)[_ym(end)] - _fred(series)[_ym(start)]) * 1000.0
    return -diff if loss else diff


@truth("fred_employment_pct_change")
def fred_employment_pct_change(series: str, start: str, end: str, fall: bool = False) -> float:
    """Percent change in employment from month `start` to month `end` (FRED `value` column)."""
    return _pct(_fred(series)[_ym(end)], _fred(series)[_ym(start)], fall)


@truth("fred_employment_share")
def fred_employment_share(series: str, of: str, month: str) -> float:
    """Percent that `series` is of `of` in `month` (e.g. manufacturing as a share of total nonfarm)."""
    return 100.0 * _fred(series)[_ym(month)] / _fred(of)[_ym(month)]


# ---------------------------------------------------------------- value added (NCSES table SKTI-4, BEA TiVA)

TIVA_BLOCKS = {"gross": "r002", "domestic": "r012", "imported": "r022"}


@functools.cache
def _tiva() -> pd.DataFrame:
    """ncses_bea_tiva/ncses_10760_data.csv, indexed by `row_id`; columns field_2007 .. field_2021 ($ million).

    Rows r002 (U.S. gross exports, all industries), r012 (domestic value-added content, all industries),
    r022 (imported value-added content, all industries).
    """
    return pd.read_csv(DATA / "ncses_bea_tiva" / "ncses_10760_data.csv", dtype=str).set_index("row_id")


def _tiva_value(kind: str, year: int) -> float:
    raw = str(_tiva().at[TIVA_BLOCKS[kind], f"field_{year}"])
    return float(raw.replace(",", "").rstrip("ir").strip()) * 1e6


@truth("tiva_share")
def tiva_share(kind: str, year: int) -> float:
    """Percent of U.S. gross exports (all industries) in `year` that is `kind` ("imported" or "domestic")
    value-added content: row r022 or r012 divided by row r002 of the NCSES table, column field_<year>."""
    return 100.0 * _tiva_value(kind, year) / _tiva_value("gross", year)


@truth("tiva_value")
def tiva_value(kind: str, year: int) -> float:
    """Dollars of U.S. gross exports ("gross") or of their "domestic"/"imported" value-added content in `year`."""
    return _tiva_value(kind, year)


# ---------------------------------------------------------------- published statements (no data file)


OVER = 1.000001  # a published "over X" is represented as a hair above X


@truth("ustr_sme_exporters_2022")
def ustr_sme_exporters_2022(partner: str, what: str) -> float:
    """Constant: figures for 2022 stated by USTR, not computed from a file.

    Source: Office of the U.S. Trade Representative press release, May 2024, on the third USMCA
    Competitiveness Committee SME dialogue with SBA and Commerce (ustr.gov, press releases 2024/may):
    over 90,000 U.S. small and medium-sized enterprises exported over $83 billion of goods to Canada,
    and over 49,000 exported over $110 billion of goods to Mexico, in 2022. `partner` "MEX"/"CAN";
    `what` "firms" (number of exporters) or "value" (dollars). The figures are floors ("over"), so the
    constant is the stated floor nudged up by one part in a million (OVER): "over 49,000" and "about
    49,000" then both agree with it, "over 60,000" does not.
    """
    table = {("MEX", "firms"): 49_000.0, ("MEX", "value"): 110e9, ("CAN", "firms"): 90_000.0, ("CAN", "value"): 83e9}
    return table[(partner, what)] * OVER


@truth("ita_us_content_nafta_imports")
def ita_us_content_nafta_imports(partner: str, year: int) -> float:
    """Constant: U.S.-produced content as a percent of U.S. manufactured imports from `partner`.

    Source: International Trade Administration, "U.S.-Produced Value in U.S. Imports from NAFTA",
    September 2017 (legacy.trade.gov, OCE publications; based on OECD TiVA): Mexico 26% in 1995 and 16%
    in 2011; Canada 21% in 1995 and 15% in 2011. A published estimate, not computed from a file.
    """
    table = {("MEX", 1995): 26.0, ("MEX", 2011): 16.0, ("CAN", 1995): 21.0, ("CAN", 2011): 15.0}
    return table[(partner, year)]


# ---------------------------------------------------------------- ratios ("doubled", "a third of")


@truth("cbp_encounters_fy_ratio")
def cbp_encounters_fy_ratio(fy: int, base_fy: int, region: str | None = None) -> float:
    """CBP encounters in fiscal year `fy` divided by those in `base_fy` (state files, full years)."""
    return cbp_encounters_fy(fy, region) / cbp_encounters_fy(base_fy, region)


@truth("ohss_usbp_fy_ratio")
def ohss_usbp_fy_ratio(fy: int, base_fy: int, region: str | None = None) -> float:
    """OHSS Border Patrol encounters in fiscal year `fy` divided by those in `base_fy`."""
    return ohss_usbp_fy(fy, region) / ohss_usbp_fy(base_fy, region)


_UNIT_SECONDS = {"second": 1.0, "minute": 60.0, "hour": 3600.0}


@truth("ohss_usbp_interval")
def ohss_usbp_interval(unit: str, month: str | None = None, fy: int | None = None, region: str | None = None) -> float:
    """The average time between two Border Patrol encounters, in `unit` ("second", "minute", "hour"):
    the length of calendar month `month` (or fiscal year `fy`, Oct 1 .. Sep 30) in seconds over the OHSS
    count for it (`ohss_usbp_month` / `ohss_usbp_fy`; southwest months from 2025 on: `sbo_encounters`)."""
    if month:
        y, m = _ym(month)
        # OHSS ends before 2025: a southwest month from 2025 on is read from the sbo file's Border Patrol rows
        late = region == "southwest" and (y, m) >= (2025, 1)
        count = sbo_encounters("usbp", month=month) if late else ohss_usbp_month(month, region)
        seconds = calendar.monthrange(y, m)[1] * 86400
    else:
        assert fy is not None
        seconds = ((date(fy, 10, 1) - date(fy - 1, 10, 1)).days) * 86400
        count = ohss_usbp_fy(fy, region)
    return seconds / count / _UNIT_SECONDS[unit]


@truth("cbp_seizures_daily")
def cbp_seizures_daily(drug: str, fy: int) -> float:
    """Average pounds of `drug` seized per day in fiscal year `fy`: `cbp_seizures` over the year's days."""
    days = (date(fy, 10, 1) - date(fy - 1, 10, 1)).days
    return cbp_seizures(drug, fy=fy) / days
