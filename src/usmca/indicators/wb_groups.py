"""World Bank regions and income groups (the WDI country metadata, table `economies`) as filters.

Used to rank economies (`economy_rank`) and U.S. partners (`partner_rank(within=...)`) inside one
group. The labels are the World Bank's own; "Americas" is the union of two regions; "region" is the
named country's own region.
"""

from __future__ import annotations

from dataclasses import dataclass

from usmca.indicators.base import Context

WB_REGIONS = (
    "East Asia & Pacific",
    "Europe & Central Asia",
    "Latin America & Caribbean",
    "Middle East & North Africa",
    "North America",
    "South Asia",
    "Sub-Saharan Africa",
)
WB_INCOME_GROUPS = ("High income", "Upper middle income", "Lower middle income", "Low income")
WB_UNIONS = {"Americas": ("Latin America & Caribbean", "North America")}


@dataclass(frozen=True)
class GroupFilter:
    within: str  # the group, resolved ("region" -> the country's region)
    where: str  # SQL over the economies table aliased `e` ("" for the world)
    args: tuple[str, ...]
    error: str | None = None

    @property
    def scope(self) -> str:
        return "the world" if self.within == "world" else f"the World Bank group '{self.within}'"


def group_filter(ctx: Context, within: str, code: str, name: str) -> GroupFilter:
    """The SQL filter for `within`; `error` says why there is none (an unknown group, no region for `code`)."""
    if within == "region":
        own = ctx.query(f"SELECT region FROM {ctx.rel('economies')} WHERE iso3 = ?", [code])
        if own.empty:
            return GroupFilter(within, "", (), f"{name} has no World Bank region in the loaded data")
        within = str(own["region"].iloc[0])
    if within == "world":
        return GroupFilter(within, "", ())
    if within in WB_UNIONS:
        regions = WB_UNIONS[within]
        return GroupFilter(within, f"e.region IN ({', '.join('?' for _ in regions)})", regions)
    if within in WB_REGIONS:
        return GroupFilter(within, "e.region = ?", (within,))
    if within in WB_INCOME_GROUPS:
        return GroupFilter(within, "e.income_group = ?", (within,))
    return GroupFilter(within, "", (), f"{within!r} is not a World Bank region or income group")


def members(ctx: Context, g: GroupFilter) -> set[str]:
    """ISO3 codes of the economies in the group (empty for the world: no filter)."""
    if not g.where:
        return set()
    df = ctx.query(f"SELECT iso3 FROM {ctx.rel('economies')} e WHERE {g.where}", list(g.args))
    return set(df["iso3"])


def not_member_reason(ctx: Context, g: GroupFilter, code: str, name: str) -> str | None:
    """ "Mexico is classified in 'Latin America & Caribbean' (Upper middle income), not in 'High income'"."""
    member = ctx.query(f"SELECT region, income_group FROM {ctx.rel('economies')} WHERE iso3 = ?", [code])
    if member.empty or g.within == "world":
        return None
    reg, inc = str(member["region"].iloc[0]), str(member["income_group"].iloc[0])
    if g.within in (reg, inc) or reg in WB_UNIONS.get(g.within, ()):
        return None
    return f"{name} is classified in '{reg}' ({inc}), not in '{g.within}'"
