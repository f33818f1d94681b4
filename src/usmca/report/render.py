"""Terminal and Markdown renderings of a check report, and the CLI's tables.

Terminal output fits the terminal: key fields (verdict words, claim ids, indicator names, dataset
ids, file names) are never cut. A table is used when it fits with its key columns whole; below
`COMPACT_WIDTH` columns, or when it would not fit, each row is printed as a block of
"label  value" lines whose values wrap (long tokens such as URLs fold onto the next line).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

from usmca.formats import amount

if TYPE_CHECKING:
    from usmca.claims.model import Amount, CheckReport, ClaimResult

COLORS = {"supported": "green", "approximately": "yellow", "contradicted": "red", "unverifiable": "bright_black"}
COMPACT_WIDTH = 100  # below this many columns, rows are printed as blocks, not as a table
_MIN_FREE = 10  # the narrowest a wrapping column may become in a table


@dataclass(frozen=True)
class Col:
    """A column of a CLI table. `key`: never wrapped or cut (the table gives way to blocks first)."""

    name: str
    key: bool = False
    justify: str = "left"


Cell = str | Text


def _text(cell: Cell) -> Text:
    # plain strings are data (file names may hold "[...]"): never parsed as markup
    return cell if isinstance(cell, Text) else Text(cell)


def compact(console: Console) -> bool:
    return console.width < COMPACT_WIDTH


def _fits(console: Console, cols: Sequence[Col], rows: Sequence[Sequence[Text]]) -> bool:
    need = 1 + 3 * len(cols)  # borders and padding of a rich table
    for i, c in enumerate(cols):
        longest = max([len(c.name), *(_text(r[i]).cell_len for r in rows)])
        need += longest if c.key else min(longest, _MIN_FREE)
    return need <= console.width


def print_records(
    console: Console,
    cols: Sequence[Col],
    rows: Sequence[Sequence[Cell]],
    *,
    title: str | None = None,
    show_lines: bool = False,
) -> None:
    """Print rows as a table when it fits the console with its key columns whole, else as blocks:
    the first column as a heading, then one "label  value" line per other column."""
    texts = [[_text(c) for c in r] for r in rows]
    if not compact(console) and _fits(console, cols, texts):
        t = Table(title=title, show_lines=show_lines)
        for i, c in enumerate(cols):
            if c.key:
                longest = max([len(c.name), *(r[i].cell_len for r in texts)])
                t.add_column(c.name, no_wrap=True, min_width=longest, justify=c.justify)  # type: ignore[arg-type]
            else:
                t.add_column(c.name, overflow="fold", justify=c.justify)  # type: ignore[arg-type]
        for r in texts:
            t.add_row(*r)
        console.print(t)
        return
    if title:
        console.print(Text(title, style="bold"))
    for n, r in enumerate(texts):
        if n:
            console.print()
        _block(console, r[0], [(c.name, v) for c, v in zip(cols[1:], r[1:], strict=True)])


def _block(console: Console, heading: Text, lines: Sequence[tuple[str, Text]]) -> None:
    """A heading line, then "  label  value" lines; a value wraps under itself (long tokens fold)."""
    head = heading.copy()
    head.stylize("bold")
    console.print(head, overflow="fold", soft_wrap=False)
    shown = [(label, value) for label, value in lines if value.plain]
    if not shown:
        return
    indent = 2
    label_w = max(len(label) for label, _ in shown)
    room = max(10, console.width - indent - label_w - 1)
    pad = " " * (indent + label_w + 1)
    for label, value in shown:
        for n, part in enumerate(value.wrap(console, room, overflow="fold")):
            part.rstrip()
            prefix = Text(" " * indent + label.ljust(label_w) + " ", style="dim") if n == 0 else Text(pad)
            console.print(Text.assemble(prefix, part), soft_wrap=True)


def fmt_amount(a: Amount | None) -> str:
    return "—" if a is None else amount(a.value, a.unit)


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


def verdict_text(verdict: str) -> Text:
    return Text(verdict, style=COLORS.get(verdict, ""), no_wrap=True)


def render_terminal(report: CheckReport, console: Console, *, explain: bool = False) -> None:
    if not report.claims:
        _no_claims(report, console)
        return
    title = f"Claims in {report.document}" + (f" (as of {report.as_of})" if report.as_of else "")
    cols = [Col("#", key=True), Col("claim"), Col("claimed"), Col("computed"), Col("verdict", key=True), Col("why")]
    texts = [
        [Text(c.id), Text(claim_label(c)), Text(claimed_text(c)), Text(fmt_amount(c.computed)), verdict_text(c.verdict)]
        + [Text(c.reason)]
        for c in report.claims
    ]
    if not compact(console) and _fits(console, cols, texts):
        t = Table(title=title, show_lines=True)
        t.add_column("#", style="dim", no_wrap=True)
        t.add_column("claim", ratio=3, overflow="fold")
        t.add_column("claimed", overflow="fold")
        t.add_column("computed", overflow="fold")
        t.add_column("verdict", no_wrap=True, min_width=len("approximately"))
        t.add_column("why", ratio=2, overflow="fold", style="dim")
        for r in texts:
            t.add_row(*r)
        console.print(t)
    else:
        console.print(Text(title, style="bold"))
        for c in report.claims:
            console.print()
            heading = Text.assemble((c.id, "bold"), "  ", verdict_text(c.verdict))
            _block(
                console,
                heading,
                [
                    ("claim", Text(claim_label(c))),
                    ("claimed", Text(claimed_text(c))),
                    ("computed", Text(fmt_amount(c.computed))),
                    ("why", Text(c.reason)),
                ],
            )
        console.print()
    counts = report.counts()
    console.print(
        " · ".join(f"[{COLORS[k]}]{v} {k}[/]" for k, v in counts.items()) + f" · {len(report.not_checked)} not checked"
    )
    if report.as_of_source:
        console.print(Text(f"as of {report.as_of}: {report.as_of_source}", style="dim"))
    for skipped in report.not_checked:
        console.print(Text(f"not checked: {_shorten(skipped.sentence)} ({skipped.reason})", style="dim"))
    if explain:
        for c in report.claims:
            console.print()
            console.print(Text.assemble((c.id, "bold"), " ", c.reading))
            if c.computation:
                console.print(Text(f"  computation: {c.computation}"))
            for q in c.queries:
                console.print(Text(f"  query: {q}"))
            for e in c.evidence:
                console.print(Text(f"  source: {e.agency}, {e.file}, vintage {e.vintage}, sha256 {str(e.sha256)[:12]}"))
            for o in c.other_readings:
                console.print(Text(f"  other reading: {o.name}: {fmt_amount(o.computed)} -> {o.verdict}"))
            for n in c.notes:
                console.print(Text(f"  note: {n}"))


def _shorten(sentence: str, limit: int = 90) -> str:
    sentence = " ".join(sentence.split())
    if len(sentence) <= limit:
        return sentence
    return sentence[:limit].rsplit(" ", 1)[0] + "…"


def _no_claims(report: CheckReport, console: Console) -> None:
    """Say that nothing was checkable: how many figures the reader saw, and why each was set aside."""
    figures = sum(len(n.figures) for n in report.not_checked)
    if not figures:
        console.print(
            Text(
                f"no checkable claims found in {report.document}: 0 figure(s) seen (no amount, percentage, "
                "count or ranking that a claim could rest on)."
            )
        )
        return
    console.print(
        Text(
            f"no checkable claims found in {report.document}: {figures} figure(s) seen in "
            f"{len(report.not_checked)} sentence(s), none of a kind the loaded data can check:"
        )
    )
    shown = report.not_checked[:12]
    for n in shown:
        figs = ", ".join(n.figures)
        console.print(Text(f"- {figs} in “{_shorten(n.sentence, 70)}”: {n.reason}", style="dim"))
    if len(report.not_checked) > len(shown):
        console.print(Text(f"- … and {len(report.not_checked) - len(shown)} more sentence(s)", style="dim"))


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
