"""Terminal and Markdown renderings of a check report."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from usmca.claims.model import Amount, CheckReport, ClaimResult

COLORS = {"supported": "green", "approximately": "yellow", "contradicted": "red", "unverifiable": "bright_black"}


def fmt_amount(a: Amount | None) -> str:
    if a is None or a.value is None:
        return "—"
    v, u = a.value, a.unit
    if u == "USD":
        if abs(v) >= 1e9:
            return f"${v / 1e9:,.1f} bn"
        return f"${v:,.0f}"
    if u == "USD per person":
        return f"${v:,.0f} per person"
    if u in ("ratio",):
        return f"{v:,.2f}x"
    if u == "percent":
        return f"{v:,.1f}%"
    if u == "rank":
        return f"rank {v:.0f}"
    if u in ("doses", "encounters", "persons", "encounters per month"):
        return f"{v:,.0f} {u}"
    if u in ("kg", "lb"):
        return f"{v:,.1f} {u}"
    if u == "share":
        return f"{v:.0%}"
    return f"{v:,.4g} {u}".strip()


def claimed_text(c: ClaimResult) -> str:
    if c.comparator in ("largest", "lowest"):
        return c.comparator
    if c.comparator == "true":
        return "holds"
    prefix = {
        "over": "> ",
        "under": "< ",
        "at_least": ">= ",
        "at_most": "<= ",
        "pct_lower": "-",
        "pct_higher": "+",
    }.get(c.comparator, "")
    if c.hedge in ("nearly", "almost", "about", "around", "roughly"):
        prefix = f"{c.hedge} " + prefix
    return prefix + fmt_amount(c.claimed)


def claim_label(c: ClaimResult) -> str:
    """The claim's own words; for a YAML claim (no text), its metric and parameters."""
    if c.text:
        return c.text
    return f"{c.metric}(" + ", ".join(f"{k}={v}" for k, v in c.params.items() if v is not None) + ")"


def render_terminal(report: CheckReport, console: Console, *, explain: bool = False) -> None:
    if not report.claims:
        figures = sum(len(n.figures) for n in report.not_checked)
        reasons = sorted({n.reason for n in report.not_checked if n.reason})
        console.print(
            f"no checkable claims found in {report.document}: {figures} figure(s) seen, none of a kind the "
            "loaded data can check" + (":" if reasons else ".")
        )
        for r in reasons[:8]:
            console.print(f"[dim]- {r}[/]")
        return
    t = Table(
        title=f"Claims in {report.document}" + (f" (as of {report.as_of})" if report.as_of else ""), show_lines=True
    )
    t.add_column("#", style="dim")
    t.add_column("claim", ratio=4)
    t.add_column("claimed")
    t.add_column("computed")
    t.add_column("verdict")
    for c in report.claims:
        t.add_row(
            c.id,
            claim_label(c),
            claimed_text(c),
            fmt_amount(c.computed),
            f"[{COLORS[c.verdict]}]{c.verdict}[/]\n[dim]{c.reason}[/]",
        )
    console.print(t)
    counts = report.counts()
    console.print(
        " · ".join(f"[{COLORS[k]}]{v} {k}[/]" for k, v in counts.items()) + f" · {len(report.not_checked)} not checked"
    )
    if report.as_of_source:
        console.print(f"[dim]as of {report.as_of}: {report.as_of_source}[/]")
    for skipped in report.not_checked:
        console.print(f"[dim]not checked: {skipped.sentence[:90]}… ({skipped.reason})[/]")
    if explain:
        for c in report.claims:
            console.print(f"\n[bold]{c.id}[/] {c.reading}")
            if c.computation:
                console.print(f"  computation: {c.computation}")
            for q in c.queries:
                console.print(f"  query: {q}")
            for e in c.evidence:
                console.print(f"  source: {e.agency}, {e.file}, vintage {e.vintage}, sha256 {str(e.sha256)[:12]}")
            for o in c.other_readings:
                console.print(f"  other reading: {o.name}: {fmt_amount(o.computed)} -> {o.verdict}")
            for n in c.notes:
                console.print(f"  note: {n}")


def render_markdown(report: CheckReport, *, explain: bool = False) -> str:
    lines = [f"# Claim check: {report.document}", ""]
    if report.as_of:
        lines += [f"As of {report.as_of} ({report.as_of_source or 'given'}).", ""]
    counts = report.counts()
    lines += [", ".join(f"{v} {k}" for k, v in counts.items()) + f", {len(report.not_checked)} not checked", ""]
    lines += ["| # | Claim | Claimed | Computed | Verdict | Why |", "|---|---|---|---|---|---|"]
    for c in report.claims:
        cell = claim_label(c).replace("|", "\\|")
        lines.append(
            f"| {c.id} | {cell} | {claimed_text(c)} | {fmt_amount(c.computed)} | **{c.verdict}** | "
            f"{c.reason.replace('|', '/')} |"
        )
    lines.append("")
    lines.append("## Evidence")
    for c in report.claims:
        lines.append(f"- **{c.id}** {c.reading}")
        if c.computation:
            lines.append(f"  - computation: {c.computation}")
        for e in c.evidence:
            lines.append(
                f"  - {e.label or 'source'}: {e.agency}, *{e.title}*, `{e.file}`, vintage {e.vintage}, "
                f"sha256 `{str(e.sha256)[:12]}`"
            )
        for o in c.other_readings:
            lines.append(f"  - other reading *{o.name}*: {fmt_amount(o.computed)} → {o.verdict}")
        for n in c.notes:
            lines.append(f"  - note: {n}")
        if explain:
            for q in c.queries:
                lines.append(f"  - query: `{q}`")
    if report.not_checked:
        lines += ["", "## Not checked"]
        for nc in report.not_checked:
            lines.append(f"- {nc.sentence} — {nc.reason}")
    return "\n".join(lines) + "\n"
