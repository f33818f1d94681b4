"""The `usmca` command: load official data, ask trade and border questions, check claims."""

from __future__ import annotations

import functools
import gc
import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.text import Text
from typer.exceptions import TyperException

from usmca import __version__
from usmca.errors import UsmcaError

# Heavy modules (pandas, duckdb, numpy, the store, the claim reader) are imported inside the
# commands that use them: `usmca --help` loads typer and rich only (tests/cli/test_cli_imports.py).

app = typer.Typer(
    help="Check claims about U.S.-Mexico-Canada trade and border statistics against official data.",
    no_args_is_help=True,
    add_completion=False,
)
data_app = typer.Typer(help="Load, pull and inspect the official data in the store.", no_args_is_help=True)
app.add_typer(data_app, name="data")


def _consoles() -> tuple[Console, Console]:
    """Output and error consoles; their width is the terminal's (or COLUMNS), read when a command starts."""
    return Console(soft_wrap=True), Console(stderr=True)


out, err = _consoles()

STORE_HELP = "Store folder (default: env USMCA_STORE, else the platform data directory)."


def _version(value: bool) -> None:
    if value:
        print(f"usmca {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """usmca: numbers about North American trade that you can defend."""
    global out, err
    out, err = _consoles()


def _store(path: str | None):  # type: ignore[no-untyped-def]
    from usmca.config import resolve_store_path
    from usmca.store import Store

    return Store(resolve_store_path(path))


_OPEN_READERS: list[Any] = []


def _reader(path: str | None, use_snapshot: bool = True):  # type: ignore[no-untyped-def]
    """Open the store read-only for this command; `_closing` closes it when the command ends."""
    from usmca.store import open_reader

    reader = open_reader(_store(path), use_snapshot=use_snapshot)
    _OPEN_READERS.append(reader)
    return reader


def _quiet_stdout() -> None:
    """Point stdout at /dev/null, so that the interpreter's last flush does not fail again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # no real file behind stdout (tests): nothing to point
        pass


def _closing(func: Callable[..., Any]) -> Callable[..., Any]:
    """Close the readers a command opened, however it ends (the store file is then free again)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort, TyperException):
            raise
        except BrokenPipeError as e:  # the reader of our output went away (`| head`): stop quietly, as rich does
            _quiet_stdout()
            raise typer.Exit(1) from e
        except Exception as e:  # a last guard: a bug is one line that says so, never a traceback
            from rich.markup import escape

            err.print(
                f"[bold red]internal error:[/] {escape(type(e).__name__)}: {escape(str(e))}\n"
                "This is a bug in usmca; please report it with the command and input that caused it.",
                soft_wrap=True,
            )
            raise typer.Exit(3) from e
        finally:
            while _OPEN_READERS:
                _OPEN_READERS.pop().close()

    return wrapper


def _fail(e: Exception) -> None:
    from rich.markup import escape

    # the message may quote the user's input ("[/x]" in a YAML key): printed as text, never as markup
    err.print(f"[bold red]error:[/] {escape(str(e))}", soft_wrap=True)
    raise typer.Exit(2)


def _date(value: str | None, what: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value if len(value) > 7 else value + "-01")
    except ValueError:
        _fail(ValueError(f"{what}: expected a date like 2025-07-01, found {value!r}"))
    return None


# ------------------------------------------------------------------------------------------- data
def _expand(paths: list[Path]) -> list[Path]:
    from usmca.sources.base import is_companion

    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files.extend(sorted(f for f in p.rglob("*") if f.is_file() and not f.name.startswith(".")))
        else:
            files.append(p)
    return [
        f
        for f in files
        if f.suffix.lower() not in (".md", ".part") and not f.name.endswith(".meta.json") and not is_companion(f)
    ]


@data_app.command("load")
@_closing
def data_load(
    paths: list[Path] = typer.Argument(..., help="Files or folders of official data."),
    store: str = typer.Option(None, "--store", help=STORE_HELP),
    skip_unknown: bool = typer.Option(
        False, "--skip-unknown", help="Skip files no source recognises instead of failing."
    ),
) -> None:
    """Load official files into the store (each file's source is detected); atomic per file."""
    from rich.progress import Progress

    from usmca.errors import UnknownSourceError
    from usmca.pipeline import load_paths
    from usmca.report.render import Col, print_records

    st = _store(store)
    files = _expand(paths)
    if not files:
        _fail(UsmcaError("no files to load"))
    cols = [Col("file", key=True), Col("source", key=True), Col("status"), Col("rows", justify="right"), Col("seconds")]
    rows: list[list[str]] = []
    with Progress(console=err, transient=True) as prog:
        task = prog.add_task("loading", total=len(files))

        def done(f: Path, res: Any) -> None:
            if isinstance(res, UnknownSourceError):
                rows.append([f.name, "-", "skipped (unknown)", "0", ""])
            else:
                rows.append([f.name, res.dataset, res.status, f"{res.rows:,}", f"{res.seconds:.2f}"])
            prog.update(task, description=f"loaded {f.name}")
            prog.advance(task)

        try:
            load_paths(st, files, on_result=done, skip_unknown=skip_unknown)
        except UsmcaError as e:
            print_records(out, cols, rows)
            _fail(e)
            return
    print_records(out, cols, rows)
    out.print(Text(f"store: {st.root}"))


@data_app.command("pull")
@_closing
def data_pull(
    sources: list[str] = typer.Argument(None, help="Source ids (default: all with downloads)."),
    store: str = typer.Option(None, "--store", help=STORE_HELP),
) -> None:
    """Download the official files (with cache, retries, checksums) and load them.

    A source that fails (agency site down, file moved) is reported and the others go on; the exit
    status is 1 when any failed. A host that cannot be reached is tried once, and its other files
    are skipped. With USMCA_OFFLINE=1 nothing is downloaded (exit 2).
    """
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn

    from usmca.config import setting
    from usmca.report.render import Col, print_records
    from usmca.sources import load_all
    from usmca.sources.fetch import OFFLINE_HINT, HostUnreachable, fetch, host_of

    if setting("offline") == "1":
        _fail(
            UsmcaError(
                "USMCA_OFFLINE=1: network access is disabled, so nothing was pulled; load files you already "
                "have with `usmca data load PATH`, or unset USMCA_OFFLINE to download"
            )
        )
    reg = load_all()
    chosen = sources or [k for k, v in reg.items() if v.downloads]
    unknown = [s for s in chosen if s not in reg]
    if unknown:
        _fail(UsmcaError(f"unknown source {unknown[0]!r}; known: {', '.join(sorted(reg))}"))
    no_dl = [s for s in chosen if not reg[s].downloads]
    if no_dl:
        _fail(UsmcaError(f"source {no_dl[0]!r} has no download address: load its files with `usmca data load`"))
    st = _store(store)
    rows: list[list[str | Text]] = []
    errors: list[str] = []
    unreachable: dict[str, str] = {}  # host -> the error of its one attempt
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        console=err,
        transient=True,
    ) as prog:
        for sid in chosen:
            info = reg[sid]
            for d in info.downloads:
                host = host_of(d.url)
                if host in unreachable:
                    rows.append([sid, d.file_name, Text(f"skipped: {host} unreachable", style="red"), "0"])
                    continue
                task = prog.add_task(f"{sid}: {d.file_name}", total=None)

                def progress(n: int, total: int | None, task: Any = task) -> None:
                    prog.update(task, completed=n, total=total)

                try:
                    snap = fetch(d.url, st.raw_dir / sid / d.file_name, expected_sha256=d.sha256, on_progress=progress)
                    res = st.load(info.parse(snap.path), origin="pull", url=d.url)
                    status = res.status + (" (not modified)" if snap.from_cache else "")
                    rows.append([sid, d.file_name, status, f"{res.rows:,}"])
                except HostUnreachable as e:
                    unreachable[e.host] = e.detail
                    errors.append(f"{sid}: {e}")
                    rows.append([sid, d.file_name, Text(f"failed: {host} unreachable", style="red"), "0"])
                except UsmcaError as e:
                    errors.append(f"{sid}: {e}")
                    rows.append([sid, d.file_name, Text.assemble(("failed", "red"), f": {e}"), "0"])
                finally:
                    prog.remove_task(task)
    cols = [Col("source", key=True), Col("file", key=True), Col("status"), Col("rows", justify="right")]
    print_records(out, cols, rows)
    out.print(Text(f"store: {st.root}"))
    if errors:
        for line in errors:  # whole, URLs included: the table may have wrapped them
            err.print(Text.assemble(("error: ", "bold red"), line), soft_wrap=True)
        if unreachable:
            hosts = ", ".join(sorted(unreachable))
            err.print(
                Text(f"hint: could not reach {hosts} (tried once each); {OFFLINE_HINT}", style="yellow"), soft_wrap=True
            )
        raise typer.Exit(1)


@data_app.command("status")
@_closing
def data_status(
    store: str = typer.Option(None, "--store", help=STORE_HELP),
    fmt: str = typer.Option("table", "--format", help="table or json"),
    verify: bool = typer.Option(
        False,
        "--verify",
        help="Recompute the sha256 of every stored file (catalog, Parquet, snapshot) and fail on any mismatch.",
    ),
) -> None:
    """What is loaded: each source file with agency, vintage, sha256 and rows."""
    from usmca.report.render import Col, print_records

    checked: list[Any] = []
    try:
        if verify:
            from usmca.store.reader import check_snapshot, snapshot_dir

            checked = _store(store).verify(full=True) + check_snapshot(snapshot_dir(), full=True)
        r = _reader(store)
        df = r.df(
            "SELECT dataset, agency, file_name, vintage, sha256, rows, origin, loaded_at FROM sources "
            "ORDER BY dataset, vintage"
        )
    except UsmcaError as e:
        _fail(e)
        return
    if fmt == "json":
        recs = json.loads(df.to_json(orient="records", date_format="iso"))
        doc: dict[str, Any] = {"store": str(_store(store).root), "sources": recs}
        if verify:
            doc["verified_files"] = len(checked)
        print(json.dumps(doc, indent=2))
        return
    cols = [
        Col("dataset", key=True),
        Col("file", key=True),
        Col("vintage", key=True),
        Col("rows", justify="right"),
        Col("origin"),
        Col("sha256", key=True),
    ]
    rows = [
        [rec.dataset, rec.file_name, str(rec.vintage)[:10], f"{rec.rows:,}", rec.origin, rec.sha256[:12]]
        for rec in df.itertuples(index=False)
    ]
    print_records(out, cols, rows)
    extra = " (plus the bundled snapshot)" if r.uses_snapshot else ""
    out.print(Text(f"store: {_store(store).root}{extra}"))
    if verify:
        out.print(f"verified: {len(checked)} files match their recorded sha256")


@data_app.command("remove")
@_closing
def data_remove(
    source_id: str = typer.Argument(
        ..., help="A source id (see `usmca data status`), or a dataset id to remove all its files."
    ),
    store: str = typer.Option(None, "--store", help=STORE_HELP),
) -> None:
    """Remove a loaded source file and its rows from the store (the older vintages become current again)."""
    st = _store(store)
    if not st.exists():
        _fail(UsmcaError(f"no store at {st.root}"))
    try:
        removed = st.remove(source_id)
    except UsmcaError as e:
        _fail(e)
        return
    for sid in removed:
        out.print(f"removed {sid}")
    out.print(f"store: {st.root}")


@data_app.command("snapshot")
@_closing
def data_snapshot(
    store: str = typer.Option(None, "--store", help=STORE_HELP),
    out_dir: Path = typer.Option(None, "--out", help="Folder (default: the package's snapshot)."),
    allow_shrink: bool = typer.Option(
        False, "--allow-shrink", help="Write it even if a table has fewer rows than in the snapshot it replaces."
    ),
) -> None:
    """Build the compact snapshot of aggregate official figures shipped in the package."""
    from usmca.report.render import Col, print_records
    from usmca.store.snapshot import build_snapshot

    try:
        info = build_snapshot(_store(store), out_dir, allow_shrink=allow_shrink)
    except UsmcaError as e:
        _fail(e)
        return
    cols = [Col("file", key=True), Col("rows", justify="right"), Col("bytes", justify="right")]
    print_records(out, cols, [[f["file"], f"{f['rows']:,}", f"{f['bytes']:,}"] for f in info["files"]])
    out.print(f"snapshot: {info['dir']} ({info['bytes']:,} bytes)")


# -------------------------------------------------------------------------------------- questions
def _print_figure(fig: Any, fmt: str, explain: bool, extra: dict[str, Any]) -> None:
    if fig.missing:
        if fmt == "json":
            print(json.dumps({"value": None, "unit": fig.unit, **extra, "missing": fig.missing}))
        else:
            out.print(f"[yellow]cannot answer:[/] {fig.missing}")
        raise typer.Exit(1)
    ev = fig.evidence[0] if fig.evidence else None
    src = (
        {"id": ev.source_id, "agency": ev.agency, "file": ev.file, "sha256": ev.sha256, "vintage": ev.vintage}
        if ev
        else None
    )
    if fmt == "json":
        doc = {
            "value": fig.value,
            "unit": fig.unit,
            **extra,
            "source": src,
            "sources": [e.to_dict() for e in fig.evidence],
        }
        if explain:
            doc["explain"] = {"computation": fig.computation, "queries": fig.queries}
        print(json.dumps(doc, default=str))
        return
    from usmca.formats import exact

    shown = exact(fig.value, fig.unit)
    out.print(f"[bold]{fig.label}[/]: {shown}")
    for e in fig.evidence:
        out.print(f"  source: {e.agency}, {e.file}, vintage {e.vintage}, sha256 {str(e.sha256)[:12]}")
    if explain:
        out.print(f"  computation: {fig.computation}")
        for q in fig.queries:
            out.print(f"  query: {q}")


@app.command()
@_closing
def trade(
    partner: str = typer.Option(..., "--partner", help="ISO2, ISO3 or name (MX, MEX, Mexico)."),
    year: int = typer.Option(..., "--year"),
    flow: str = typer.Option("exports", "--flow", help="exports, imports, total or balance"),
    month: int = typer.Option(None, "--month", min=1, max=12),
    basis: str = typer.Option("census", "--basis", help="census or bop"),
    product: str = typer.Option("goods", "--product", help="goods, services, goods_services, HS2:85"),
    fmt: str = typer.Option("table", "--format", help="table or json"),
    explain: bool = typer.Option(False, "--explain", help="Show source, vintage and query."),
    vintage: str = typer.Option(None, "--vintage", help="Answer with the data as of this vintage date."),
    store: str = typer.Option(None, "--store", help=STORE_HELP),
) -> None:
    """U.S. trade with a partner in a year or month (US dollars)."""
    from usmca.indicators.base import Context, IndicatorError
    from usmca.indicators.trade import trade_value

    try:
        ctx = Context(_reader(store), vintage=_date(vintage, "--vintage"))
        fig = trade_value(ctx, partner, year, flow, month, basis, product)
    except (UsmcaError, IndicatorError, ValueError) as e:
        _fail(e)
        return
    period = f"{year}-{month:02d}" if month else str(year)
    _print_figure(
        fig,
        fmt,
        explain,
        {"partner": fig.params["partner"], "flow": flow, "period": period, "basis": basis, "product": product},
    )


@app.command()
@_closing
def encounters(
    year: int = typer.Option(..., "--year"),
    month: int = typer.Option(None, "--month", min=1, max=12),
    scope: str = typer.Option("nationwide", "--scope", help="nationwide, southwest or northern"),
    component: str = typer.Option("all", "--component", help="all, usbp or ofo"),
    fiscal: bool = typer.Option(False, "--fiscal", help="--year is a fiscal year (Oct-Sep)."),
    fmt: str = typer.Option("table", "--format", help="table or json"),
    explain: bool = typer.Option(False, "--explain", help="Show source, vintage and query."),
    store: str = typer.Option(None, "--store", help=STORE_HELP),
) -> None:
    """Border encounters (CBP) in a month, calendar year or fiscal year."""
    from usmca.indicators.base import Context, IndicatorError
    from usmca.indicators.border import encounters as enc

    try:
        fig = enc(Context(_reader(store)), year, month, scope, component, fiscal)
    except (UsmcaError, IndicatorError) as e:
        _fail(e)
        return
    period = f"{year}-{month:02d}" if month else (f"FY{year}" if fiscal else str(year))
    _print_figure(fig, fmt, explain, {"period": period, "scope": scope, "component": component})


@app.command("indicators")
@_closing
def indicators_cmd(
    name: str = typer.Argument(None, help="An indicator to compute; omit to list them."),
    param: list[str] = typer.Option(None, "--param", "-p", help="key=value (lists: a,b)"),
    fmt: str = typer.Option("table", "--format", help="table or json"),
    explain: bool = typer.Option(False, "--explain"),
    as_of: str = typer.Option(None, "--as-of"),
    store: str = typer.Option(None, "--store", help=STORE_HELP),
) -> None:
    """List the named indicators, or compute one: usmca indicators trade_ratio -p numerator=MX ..."""
    from usmca.indicators.base import Context, IndicatorError, compute, load_all
    from usmca.report.render import Col, print_records

    reg = load_all()
    if not name:
        if fmt == "json":
            print(json.dumps([i.describe() for i in reg.values()], default=str))
            return
        cols = [Col("indicator", key=True), Col("unit"), Col("parameters"), Col("what it measures")]
        rows = [
            [i.name, i.unit, ", ".join(i.params), i.doc.splitlines()[0] if i.doc else ""]
            for i in sorted(reg.values(), key=lambda x: (x.topic, x.name))
        ]
        print_records(out, cols, rows)
        return
    from usmca.indicators.params import coerce_params

    raw: dict[str, list[str]] = {}
    for p in param or []:
        k, _, v = p.partition("=")
        raw.setdefault(k.strip(), []).append(v.strip())
    try:
        params = coerce_params(reg[name].func, raw) if name in reg else {}
        fig = compute(Context(_reader(store), as_of=_date(as_of, "--as-of")), name, **params)
    except (UsmcaError, IndicatorError) as e:
        _fail(e)
        return
    _print_figure(fig, fmt, explain, {"indicator": name, "params": fig.params})
    _read_only_done()


# ------------------------------------------------------------------------------------------ check
@app.command()
@_closing
def check(
    file: str = typer.Argument(..., help="Text, Markdown, HTML or YAML claims file; - for stdin."),
    fmt: str = typer.Option("table", "--format", help="table, json or markdown"),
    as_of: str = typer.Option(None, "--as-of", help="Date of the text (default: inferred)."),
    explain: bool = typer.Option(False, "--explain", help="Show each computation and query."),
    fail_on: str = typer.Option(None, "--fail-on", help="Exit 1 if any claim has this verdict."),
    vintage: str = typer.Option(None, "--vintage", help="Use the data as of this vintage date."),
    store: str = typer.Option(None, "--store", help=STORE_HELP),
) -> None:
    """Find the checkable claims in a text (or a YAML file of claims) and judge each against the data."""
    from usmca.claims.check import check_path
    from usmca.claims.model import VERDICTS
    from usmca.report.render import render_markdown, render_terminal

    if fmt not in ("table", "json", "markdown"):
        _fail(UsmcaError(f"--format: expected table, json or markdown, found {fmt!r}"))
    if fail_on is not None and fail_on not in VERDICTS:
        _fail(UsmcaError(f"--fail-on: expected one of {', '.join(VERDICTS)}, found {fail_on!r}"))
    try:
        from usmca.claims.document import MAX_BYTES

        # at most one byte past the limit: a larger input is refused without being read whole
        stdin = sys.stdin.buffer.read(MAX_BYTES + 1) if file == "-" else None
        report = check_path(
            file, _reader(store), as_of=_date(as_of, "--as-of"), vintage=_date(vintage, "--vintage"), stdin_data=stdin
        )
    except UsmcaError as e:
        _fail(e)
        return
    except (RecursionError, MemoryError) as e:  # a last guard: hostile input is one line, never a traceback
        _fail(UsmcaError(f"{file}: the document cannot be read ({type(e).__name__}: nested too deeply or too large)"))
        return
    if fmt == "json":
        print(report.model_dump_json(exclude={"claims": {"__all__": {"series"}}}))
    elif fmt == "markdown":
        print(render_markdown(report, explain=explain))
    else:
        render_terminal(report, out, explain=explain)
    _read_only_done()
    if fail_on and any(c.verdict == fail_on for c in report.claims):
        raise typer.Exit(1)


# ------------------------------------------------------------------------------- report / serve
@app.command()
@_closing
def report(
    file: str = typer.Argument(..., help="Text, Markdown, HTML or YAML claims file; - for stdin."),
    output: Path = typer.Option(
        Path("report.html"),
        "--output",
        "-o",
        help="File to write: .html (self-contained), or .pdf (printed by a local Chromium, when one is installed).",
    ),
    as_of: str = typer.Option(None, "--as-of", help="Date of the text (default: inferred)."),
    vintage: str = typer.Option(None, "--vintage", help="Use the data as of this vintage date."),
    store: str = typer.Option(None, "--store", help=STORE_HELP),
) -> None:
    """Check a text and write ONE self-contained HTML report (cards, charts; works offline)."""
    from usmca.claims.check import check_path
    from usmca.report.html import write_html

    try:
        stdin = sys.stdin.buffer.read() if file == "-" else None
        rep = check_path(
            file, _reader(store), as_of=_date(as_of, "--as-of"), vintage=_date(vintage, "--vintage"), stdin_data=stdin
        )
        if output.suffix.lower() == ".pdf":
            from usmca.report.pdf import write_pdf

            path = write_pdf(rep, output)
        else:
            path = write_html(rep, output)
    except (UsmcaError, OSError) as e:
        _fail(e)
        return
    counts = rep.counts()
    err.print(f"{len(rep.claims)} claims: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    out.print(f"report: {path}")


@app.command()
@_closing
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (default: loopback)."),
    port: int = typer.Option(8000, "--port", min=0, max=65535),
    cors_origin: list[str] = typer.Option(
        None, "--cors-origin", help="Allow browser calls from this origin (repeatable); CORS is off by default."
    ),
    workers: int = typer.Option(
        1, "--workers", min=1, max=64, help="Worker processes (each opens the store read-only)."
    ),
    access_log: bool = typer.Option(
        True, "--access-log/--no-access-log", help="Log every request (uvicorn's access log)."
    ),
    store: str = typer.Option(None, "--store", help=STORE_HELP),
) -> None:
    """Serve the claim checker, the pages and the JSON API (FastAPI; OpenAPI at /docs)."""
    gc.set_threshold(*DEFAULT_GC)  # a long process: the collector's usual pace (see SHORT_LIVED_GC)
    import uvicorn

    from usmca.api import create_app
    from usmca.api.limits import keep_alive_seconds

    if host not in ("127.0.0.1", "localhost", "::1"):
        err.print(
            f"[yellow]warning:[/] binding {host}: the service is reachable from other "
            "machines; it has no authentication"
        )
    origins = list(cors_origin or []) or None
    options: dict[str, Any] = {  # uvicorn's settings, the same for one worker or several
        "log_level": "info",
        "server_header": False,
        "access_log": access_log,
        "timeout_keep_alive": keep_alive_seconds(),
    }
    if workers > 1:  # each worker builds the app from the environment
        import os

        from usmca.api.app import CORS_ENV

        os.environ["USMCA_STORE"] = str(_store(store).root)
        os.environ[CORS_ENV] = ",".join(origins or [])
        from usmca.api.workers import Supervisor, balanced_workers_supported

        if balanced_workers_supported():  # a listening socket per worker: the kernel spreads connections
            from usmca.api.service import open_store_reader

            try:
                open_store_reader(store).close()  # a store that cannot be opened is one error, before any worker
                status = Supervisor(host, port, workers, options).run()
            except UsmcaError as e:
                _fail(e)
                return
            if status:
                raise typer.Exit(status)
            return
        uvicorn.run("usmca.api.app:app_from_env", factory=True, workers=workers, host=host, port=port, **options)
        return
    try:
        application = create_app(store_path=store, cors_origins=origins)
    except UsmcaError as e:
        _fail(e)
        return
    uvicorn.run(application, host=host, port=port, **options)


# A command is a short process that builds many objects meant to last until it ends (the modules of
# pandas and DuckDB, the claim reader's grammars, the reader) and little cyclic garbage; under the
# collector's default thresholds (700, 10, 10) the cold `usmca check` of the op-ed spent about 0.1 s
# walking those objects again and again. `run` raises the thresholds for the process; the server,
# a long process, goes back to the defaults (`serve`).
SHORT_LIVED_GC = (50_000, 20, 20)
DEFAULT_GC = gc.get_threshold()
# Read-only commands that finished (their output written, their readers closed) end the process at
# once: finalising the interpreter frees every module of pandas, pyarrow and DuckDB one by one, about
# 0.2 s after the report is out, with nothing left to save. Commands that write (loads, pulls,
# snapshots) and the server always end normally. USMCA_FAST_EXIT=off turns it off (e.g. for
# coverage.py, which saves its data at exit).
_FAST_EXIT: list[bool] = []


def _read_only_done() -> None:
    """Called by a read-only command when its work is done: `run` may skip the interpreter's teardown."""
    _FAST_EXIT.append(True)


def run(prog_name: str | None = None) -> None:
    """The `usmca` program (the console script, `python -m usmca` and `python -m usmca.cli`)."""
    import os

    from usmca.config import setting_is_off

    gc.set_threshold(*SHORT_LIVED_GC)
    try:
        app(prog_name=prog_name)
        code: Any = 0
    except SystemExit as e:  # typer ends every command with SystemExit(code)
        code = e.code
    fast = bool(_FAST_EXIT) and not setting_is_off("fast_exit")
    if fast and (code is None or isinstance(code, int)):
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (BrokenPipeError, ValueError):  # a reader that went away (`| head`): nothing more to write
            code = code or 1
        os._exit(code or 0)
    raise SystemExit(code)


if __name__ == "__main__":  # pragma: no cover
    run()
