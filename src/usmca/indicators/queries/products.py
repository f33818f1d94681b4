"""U.S. trade by HS chapter (HS2) and partner: pure helpers over a `Reader`.

The rows come from the `trade` table with `product = 'HS2:NN'` (USITC DataWeb exports,
`usmca.sources.usitc_dataweb`). Values are US dollars. Only per-partner rows are stored: the
world figure (`partner_iso3='WLD'`) is the sum over partner countries, unless a source stores
explicit `WLD` rows by chapter, which are then used as they are.

Every frame carries a `source_id` column (source ids joined with `;` when a figure sums rows
of several files) so that a figure can be traced to the file it came from.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from usmca.store.reader import Reader

# Short titles of the Harmonized System chapters (HTS chapter 77 is reserved).
HS2_TITLES: dict[str, str] = {
    "01": "Live animals",
    "02": "Meat",
    "03": "Fish and seafood",
    "04": "Dairy, eggs, honey",
    "05": "Other animal products",
    "06": "Live plants, cut flowers",
    "07": "Vegetables",
    "08": "Fruit and nuts",
    "09": "Coffee, tea, spices",
    "10": "Cereals",
    "11": "Milling products, malt, starches",
    "12": "Oil seeds, grains, fodder",
    "13": "Lac, gums, resins",
    "14": "Vegetable plaiting materials",
    "15": "Animal or vegetable fats and oils",
    "16": "Meat and fish preparations",
    "17": "Sugars and confectionery",
    "18": "Cocoa",
    "19": "Cereal, flour and milk preparations",
    "20": "Vegetable and fruit preparations",
    "21": "Miscellaneous edible preparations",
    "22": "Beverages, spirits, vinegar",
    "23": "Food industry residues, animal feed",
    "24": "Tobacco",
    "25": "Salt, sulfur, stone, cement",
    "26": "Ores, slag and ash",
    "27": "Mineral fuels and oils",
    "28": "Inorganic chemicals",
    "29": "Organic chemicals",
    "30": "Pharmaceutical products",
    "31": "Fertilizers",
    "32": "Tanning, dyes, paints",
    "33": "Essential oils, perfumery, cosmetics",
    "34": "Soap, lubricants, waxes",
    "35": "Albuminoidal substances, glues, enzymes",
    "36": "Explosives, pyrotechnics",
    "37": "Photographic goods",
    "38": "Miscellaneous chemical products",
    "39": "Plastics",
    "40": "Rubber",
    "41": "Raw hides, skins, leather",
    "42": "Leather articles, travel goods",
    "43": "Furskins",
    "44": "Wood",
    "45": "Cork",
    "46": "Basketware",
    "47": "Wood pulp, recovered paper",
    "48": "Paper and paperboard",
    "49": "Printed matter",
    "50": "Silk",
    "51": "Wool",
    "52": "Cotton",
    "53": "Other vegetable textile fibers",
    "54": "Man-made filaments",
    "55": "Man-made staple fibers",
    "56": "Wadding, felt, cordage",
    "57": "Carpets",
    "58": "Special woven fabrics",
    "59": "Coated textile fabrics",
    "60": "Knitted fabrics",
    "61": "Knitted apparel",
    "62": "Apparel, not knitted",
    "63": "Other made-up textile articles",
    "64": "Footwear",
    "65": "Headgear",
    "66": "Umbrellas, walking sticks",
    "67": "Feathers, artificial flowers",
    "68": "Articles of stone, cement, asbestos",
    "69": "Ceramic products",
    "70": "Glass",
    "71": "Precious stones and metals, jewelry",
    "72": "Iron and steel",
    "73": "Articles of iron or steel",
    "74": "Copper",
    "75": "Nickel",
    "76": "Aluminum",
    "78": "Lead",
    "79": "Zinc",
    "80": "Tin",
    "81": "Other base metals",
    "82": "Tools and cutlery of base metal",
    "83": "Miscellaneous articles of base metal",
    "84": "Machinery, boilers, mechanical appliances",
    "85": "Electrical machinery and equipment",
    "86": "Railway equipment",
    "87": "Vehicles other than railway",
    "88": "Aircraft and spacecraft",
    "89": "Ships and boats",
    "90": "Optical, medical and precision instruments",
    "91": "Clocks and watches",
    "92": "Musical instruments",
    "93": "Arms and ammunition",
    "94": "Furniture, bedding, lighting",
    "95": "Toys, games, sports equipment",
    "96": "Miscellaneous manufactured articles",
    "97": "Works of art, antiques",
    "98": "Special classification provisions",
}

COLUMNS = ["partner", "year", "chapter", "title", "value_usd", "status", "source_id"]


def chapter_code(chapter: str | int) -> str:
    """Normalise 85, '85', '5', 'HS2:85' to the two-digit text '85'."""
    s = str(chapter).strip().upper().removeprefix("HS2:").removeprefix("HS")
    if not s.isdigit() or not 1 <= int(s) <= 99:
        raise ValueError(f"not an HS chapter: {chapter!r} (expected 01..98)")
    return f"{int(s):02d}"


def _by_chapter(reader: Reader, partner_iso3: str, year: int, flow: str, vintage: date | None) -> pd.DataFrame:
    rel = reader.relation("trade", vintage)
    p = partner_iso3.strip().upper()
    base = (
        f"SELECT substr(product, 5) AS chapter, value_usd, status, source_id FROM {rel} "
        "WHERE product LIKE 'HS2:%' AND basis = 'census' AND adjustment = 'nsa' "
        "AND month IS NULL AND year = ? "
    )
    if p == "WLD":
        explicit = reader.df(base + "AND flow = ? AND partner = 'WLD'", [year, flow])
        rows = (
            explicit
            if not explicit.empty
            else reader.df(base + "AND flow = ? AND partner_kind = 'country'", [year, flow])
        )
    else:
        rows = reader.df(base + "AND flow = ? AND partner = ?", [year, flow, p])
    if rows.empty:
        return pd.DataFrame(columns=COLUMNS)
    out = rows.groupby("chapter", as_index=False).agg(
        value_usd=("value_usd", lambda s: s.sum(min_count=1)),
        status=(
            "status",
            lambda s: (
                "not_published"
                if (s == "not_published").all()
                else ("revised" if (s == "revised").any() else "published")
            ),
        ),
        source_id=("source_id", lambda s: ";".join(sorted(set(s)))),
    )
    out.insert(0, "partner", p)
    out.insert(1, "year", year)
    out.insert(3, "title", out["chapter"].map(HS2_TITLES))
    return out[COLUMNS].sort_values("chapter").reset_index(drop=True)


def exports_by_chapter(
    reader: Reader, partner_iso3: str, year: int, *, flow: str = "exports", vintage: date | None = None
) -> pd.DataFrame:
    """U.S. exports (or `flow='imports'`) to one partner (or `WLD`) by HS chapter, US dollars.

    Columns: partner, year, chapter ('01'..'98'), title, value_usd (NaN when not published),
    status, source_id. Sorted by chapter; empty when the store has no chapter rows.
    """
    return _by_chapter(reader, partner_iso3, year, flow, vintage)


def top_chapters(
    reader: Reader, partner_iso3: str, year: int, n: int = 5, *, flow: str = "exports", vintage: date | None = None
) -> pd.DataFrame:
    """The `n` largest chapters of U.S. exports to a partner, with `rank` and `share` of total."""
    df = _by_chapter(reader, partner_iso3, year, flow, vintage)
    total = df["value_usd"].sum(min_count=1) if not df.empty else float("nan")
    df = df.dropna(subset=["value_usd"]).sort_values("value_usd", ascending=False).head(n)
    df = df.reset_index(drop=True)
    df.insert(0, "rank", range(1, len(df) + 1))
    df["share"] = df["value_usd"] / total if total else float("nan")
    df["partner_total_usd"] = total
    return df


def partner_share_of_chapter(
    reader: Reader,
    partner_iso3: str,
    chapter: str | int,
    year: int,
    *,
    flow: str = "exports",
    vintage: date | None = None,
) -> pd.DataFrame:
    """One row: a partner's value in one chapter, the world value (sum over partners), the share."""
    ch = chapter_code(chapter)
    mine = _by_chapter(reader, partner_iso3, year, flow, vintage)
    world = _by_chapter(reader, "WLD", year, flow, vintage)
    mv = mine.loc[mine["chapter"] == ch, "value_usd"]
    wv = world.loc[world["chapter"] == ch, "value_usd"]
    value = float(mv.iloc[0]) if len(mv) and pd.notna(mv.iloc[0]) else float("nan")
    wvalue = float(wv.iloc[0]) if len(wv) and pd.notna(wv.iloc[0]) else float("nan")
    ids = set()
    for frame in (mine, world):
        for s in frame.loc[frame["chapter"] == ch, "source_id"]:
            ids.update(str(s).split(";"))
    return pd.DataFrame(
        [
            {
                "partner": partner_iso3.strip().upper(),
                "year": year,
                "chapter": ch,
                "title": HS2_TITLES.get(ch),
                "value_usd": value,
                "world_value_usd": wvalue,
                "share": value / wvalue if wvalue else float("nan"),
                "source_id": ";".join(sorted(ids)) or None,
            }
        ]
    )


__all__ = ["HS2_TITLES", "chapter_code", "exports_by_chapter", "partner_share_of_chapter", "top_chapters"]
