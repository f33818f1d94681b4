"""Metrics that texts cite but no loaded official source can compute yet.

Each returns a missing figure naming the data source that would answer it, so a claim on it is
`unverifiable`, never guessed.
"""

from __future__ import annotations

from usmca.indicators.base import Context, Figure, indicator


@indicator("small_business_exports", "USD", "trade")
def small_business_exports(ctx: Context, partners: list[str], year: int | None = None) -> Figure:
    """U.S. exports by small and medium-sized firms to partners (Census exporter profiles)."""
    return ctx.missing(
        "USD",
        f"U.S. small-business exports to {', '.join(partners)}",
        {"partners": partners, "year": year},
        "needs the Census Bureau's Profile of U.S. Importing and Exporting Companies (exports by firm "
        "size and country), which is not loaded",
    )


@indicator("jobs_linkage", "jobs", "jobs")
def jobs_linkage(ctx: Context, claim: str = "") -> Figure:
    """Jobs in one country created by jobs or production in another (needs employment by industry)."""
    return ctx.missing(
        "jobs",
        "jobs in the U.S. linked to jobs in Mexico",
        {"claim": claim},
        "needs employment by industry for both countries (e.g. WIOD Socio-Economic Accounts or "
        "OECD TiVA employment tables) linked to an input-output model; not loaded",
    )


@indicator("private_investment", "USD", "other")
def private_investment(ctx: Context, company: str = "") -> Figure:
    """A company's own spending (e.g. on security): not in official statistics."""
    return ctx.missing(
        "USD",
        f"spending by {company or 'a company'}",
        {"company": company},
        "company spending is not reported in official statistics",
    )
