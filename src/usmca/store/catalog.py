"""The DuckDB store: a `sources` table of provenance and tidy fact tables, loaded atomically.

Layout of a store folder:
    usmca.duckdb          facts, `sources`, and `<table>_current` (newest vintage per key)
    raw/<dataset>/...     downloaded files with a `.meta.json` sidecar (see sources.fetch)
    parquet/...           large model tables (input-output) referenced from `io_tables`
"""

from __future__ import annotations

import contextlib
import functools
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from usmca.errors import StoreError
from usmca.sources.base import ParsedFile
from usmca.store.schema import TABLES, validate_frame

SOURCES_DDL = """
CREATE TABLE IF NOT EXISTS sources (
    source_id VARCHAR PRIMARY KEY,
    dataset VARCHAR NOT NULL,
    agency VARCHAR NOT NULL,
    title VARCHAR NOT NULL,
    url VARCHAR,
    file_name VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    bytes BIGINT NOT NULL,
    retrieved_at TIMESTAMP,
    vintage DATE NOT NULL,
    release VARCHAR,
    parser_version VARCHAR NOT NULL,
    fact_table VARCHAR NOT NULL,
    rows BIGINT NOT NULL,
    loaded_at TIMESTAMP NOT NULL,
    origin VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    notes VARCHAR
)
"""

SOURCE_COLUMNS = [
    "source_id", "dataset", "agency", "title", "url", "file_name", "sha256", "bytes",
    "retrieved_at", "vintage", "release", "parser_version", "fact_table", "rows", "loaded_at",
    "origin", "kind", "notes",
]

IO_DDL = """
CREATE TABLE IF NOT EXISTS io_tables (
    source_id VARCHAR NOT NULL,
    dataset VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    part VARCHAR NOT NULL,
    parquet_path VARCHAR NOT NULL
)
"""

DB_NAME = "usmca.duckdb"


@dataclass
class LoadResult:
    source_id: str
    dataset: str
    file: str
    status: str  # loaded | unchanged | replaced
    rows: int
    seconds: float


def current_sql(table: str, facts: str, sources: str) -> str:
    """Rows of the newest vintage for each `current_by` key (the later vintage wins)."""
    spec = TABLES[table]
    part = ", ".join(f't."{c}"' for c in spec.current_by)
    return (
        f"SELECT t.* FROM {facts} t JOIN {sources} s USING (source_id) "
        f"QUALIFY dense_rank() OVER (PARTITION BY {part} "
        f"ORDER BY s.vintage DESC, s.loaded_at DESC, s.source_id DESC) = 1"
    )


def _parse_path(path: Path, staging: Path | None = None) -> Any:
    """Detect and parse one file (runs in a worker process); errors are returned, not raised.

    An input-output table is written to Parquet here, in a staging folder of the store, so that
    the loading process only has to move the files into place inside its transaction.
    """
    from usmca.errors import UsmcaError
    from usmca.sources.base import detect_source

    try:
        parsed = detect_source(path).parse(path)
    except UsmcaError as e:
        return e
    if parsed.io is not None and staging is not None:
        folder = staging / f"{parsed.source_id.replace('@', '_')}-{os.getpid()}"
        parsed.io_files = _write_parts(parsed.io, folder)
        parsed.io_year = int(parsed.io.year)
        parsed.io_cells = parsed.rows
        parsed.io = None
    return parsed


def _write_parts(table: Any, folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for part, frame in table.to_frames("long").items():
        path = folder / f"{part}.parquet"
        frame.to_parquet(path, index=False, compression="zstd")
        out[part] = path
    return out


class Store:
    """A folder holding the DuckDB file and raw snapshots."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    @property
    def db_path(self) -> Path:
        return self.root / DB_NAME

    @property
    def raw_dir(self) -> Path:
        return self.root / "raw"

    @property
    def parquet_dir(self) -> Path:
        return self.root / "parquet"

    def exists(self) -> bool:
        return self.db_path.exists()

    # -- writing ---------------------------------------------------------------------------
    def connect(self) -> duckdb.DuckDBPyConnection:
        """A read-write connection; creates the schema on first use."""
        self.root.mkdir(parents=True, exist_ok=True)
        try:
            con = duckdb.connect(str(self.db_path))
        except duckdb.IOException as e:
            raise StoreError(f"cannot open store {self.db_path}: {e}") from e
        con.execute(SOURCES_DDL)
        con.execute(IO_DDL)
        for spec in TABLES.values():
            con.execute(spec.ddl())
            con.execute(spec.ddl(f"{spec.name}_current"))
        return con

    def load(self, parsed: ParsedFile, *, origin: str = "file", url: str | None = None,
             retrieved_at: datetime | None = None) -> LoadResult:
        """Load one parsed file in a single transaction.

        Same sha256 as a loaded file: no-op. Same dataset, vintage and file name: the old rows are
        replaced.
        A newer vintage is added and wins in `<table>_current`; older vintages stay queryable.
        """
        con = self.connect()
        try:
            return self._load_one(con, parsed, origin=origin, url=url, retrieved_at=retrieved_at)
        finally:
            con.close()

    def _load_one(self, con: duckdb.DuckDBPyConnection, parsed: ParsedFile, *, origin: str = "file",
                  url: str | None = None, retrieved_at: datetime | None = None) -> LoadResult:
        t0 = time.perf_counter()
        hit = con.execute(
            "SELECT source_id FROM sources WHERE sha256 = ? AND dataset = ?",
            [parsed.sha256, parsed.info.id],
        ).fetchone()
        if hit:
            return LoadResult(hit[0], parsed.info.id, parsed.path.name, "unchanged", 0,
                              time.perf_counter() - t0)
        status = "loaded"
        con.execute("BEGIN TRANSACTION")
        try:
            # Files of one dataset that share a vintage (FT-900 exhibits, WIOD country
            # tables, statement files) are parts, not versions: only the same file name
            # replaces.
            old = con.execute(
                "SELECT source_id, fact_table FROM sources "
                "WHERE dataset = ? AND vintage = ? AND file_name = ?",
                [parsed.info.id, parsed.vintage, parsed.path.name],
            ).fetchall()
            touched = (set(parsed.tables) | {t for _, t in old}) & set(TABLES)
            for table in touched:
                self._collect_keys(con, table, [sid for sid, _ in old])
            for sid, table in old:
                if table in TABLES:
                    con.execute(f'DELETE FROM "{table}" WHERE source_id = ?', [sid])
                con.execute("DELETE FROM io_tables WHERE source_id = ?", [sid])
                con.execute("DELETE FROM sources WHERE source_id = ?", [sid])
                status = "replaced"
            now = datetime.now(UTC).replace(tzinfo=None)
            row = {
                "source_id": parsed.source_id,
                "dataset": parsed.info.id,
                "agency": parsed.info.agency,
                "title": parsed.info.title,
                "url": url or parsed.info.url,
                "file_name": parsed.path.name,
                "sha256": parsed.sha256,
                "bytes": parsed.bytes,
                "retrieved_at": retrieved_at,
                "vintage": parsed.vintage,
                "release": parsed.release,
                "parser_version": parsed.info.parser_version,
                "fact_table": ",".join(parsed.tables)
                or ("io_tables" if parsed.io is not None or parsed.io_files else ""),
                "rows": parsed.rows,
                "loaded_at": now,
                "origin": origin,
                "kind": parsed.info.kind,
                "notes": "; ".join(parsed.notes) or None,
            }
            con.execute(
                f"INSERT INTO sources ({', '.join(SOURCE_COLUMNS)}) VALUES "
                f"({', '.join('?' for _ in SOURCE_COLUMNS)})",
                [row[c] for c in SOURCE_COLUMNS],
            )
            for table, df in parsed.tables.items():
                self._insert(con, table, df, parsed.source_id, parsed.info.id, str(parsed.path))
            if parsed.io is not None or parsed.io_files:
                self._write_io(con, parsed)
            pause = os.environ.get("USMCA_TEST_PAUSE_BEFORE_COMMIT")
            if pause:  # lets a test kill the process in the middle of a load
                Path(pause).touch()
                time.sleep(60)
            for table in touched:
                self._collect_keys(con, table, [parsed.source_id])
                self._refresh_current(con, table)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        return LoadResult(parsed.source_id, parsed.info.id, parsed.path.name, status,
                          parsed.rows, time.perf_counter() - t0)

    @staticmethod
    def _insert(con: duckdb.DuckDBPyConnection, table: str, df: pd.DataFrame, source_id: str,
                dataset: str, file: str) -> None:
        """Copy the frame in once, validate it there (SQL), then append it to the fact table."""
        spec = TABLES[table]
        cols = [c for c in [*spec.column_names, "_row"] if c in df.columns]
        con.register("_incoming", df[cols])
        try:
            con.execute("CREATE OR REPLACE TEMP TABLE _in AS SELECT * FROM _incoming")
        finally:
            con.unregister("_incoming")
        validate_frame(table, df, file, con=con, relation="_in")
        names = ", ".join(f'"{c}"' for c in spec.column_names)
        con.execute(f'INSERT INTO "{table}" (source_id, dataset, {names}) '
                    f"SELECT ?, ?, {names} FROM _in", [source_id, dataset])
        con.execute("DROP TABLE _in")

    def _write_io(self, con: duckdb.DuckDBPyConnection, parsed: ParsedFile) -> None:
        """Put an input-output table's Parquet files in place and catalog them.

        Files go to a folder named after the source id; a folder left by an interrupted load is
        simply overwritten next time, and the catalog only points at files of committed loads.
        """
        folder = self.parquet_dir / parsed.source_id.replace("@", "_")
        if parsed.io_files is None:
            staged = _write_parts(parsed.io, self.parquet_dir / ".staging" / f"{folder.name}-{os.getpid()}")
            year = int(parsed.io.year)
        else:
            staged, year = parsed.io_files, int(parsed.io_year or 0)
        folder.mkdir(parents=True, exist_ok=True)
        for part, path in staged.items():
            final = folder / f"{part}.parquet"
            os.replace(path, final)
            con.execute("INSERT INTO io_tables VALUES (?, ?, ?, ?, ?)",
                        [parsed.source_id, parsed.info.id, year, part, str(final)])
        with contextlib.suppress(OSError):
            next(iter(staged.values())).parent.rmdir()

    @staticmethod
    def _key_hash(table: str, alias: str = "") -> str:
        cols = ", ".join(f'{alias}"{c}"' for c in TABLES[table].current_by)
        return f"hash({cols})"

    @classmethod
    def _collect_keys(cls, con: duckdb.DuckDBPyConnection, table: str, source_ids: list[str]) -> None:
        """Remember (as 64-bit hashes) the current-table keys that rows of these sources touch."""
        if not source_ids:
            return
        marks = ", ".join("?" for _ in source_ids)
        exists = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND temporary",
                             [f"_keys_{table}"]).fetchone()
        sql = f'SELECT DISTINCT {cls._key_hash(table)} AS k FROM "{table}" WHERE source_id IN ({marks})'
        if exists and exists[0]:
            con.execute(f'INSERT INTO "_keys_{table}" {sql}', source_ids)
        else:
            con.execute(f'CREATE TEMP TABLE "_keys_{table}" AS {sql}', source_ids)

    @classmethod
    def _refresh_current(cls, con: duckdb.DuckDBPyConnection, table: str) -> None:
        """Recompute `<table>_current` for the keys the load touched (newest vintage wins).

        Rows are picked by the hash of their key; a hash collision only means a few more rows are
        recomputed, since the window itself partitions by the real key columns.
        """
        keys = f'(SELECT DISTINCT k FROM "_keys_{table}")'
        h = cls._key_hash(table)
        con.execute(f'DELETE FROM "{table}_current" WHERE {h} IN {keys}')
        facts = f'(SELECT * FROM "{table}" WHERE {h} IN {keys})'
        con.execute(f'INSERT INTO "{table}_current" {current_sql(table, facts, "sources")}')
        con.execute(f'DROP TABLE "_keys_{table}"')

    def load_paths(self, paths: Iterable[Path], *, workers: int | None = None,
                   on_result: Callable[[Path, LoadResult | Exception], None] | None = None,
                   skip_unknown: bool = False) -> list[LoadResult]:
        """Detect, parse and load many files: parsing runs in worker processes, loading in this one.

        Each file is still loaded in its own transaction (a bad file leaves the files before it
        loaded and the store consistent); the first error stops the run and is raised.
        """

        files = list(paths)
        n = workers if workers is not None else min(2, os.cpu_count() or 1, len(files))
        results: list[LoadResult] = []
        con = self.connect()
        try:
            if n > 1 and len(files) > 1:
                ctx = multiprocessing.get_context("fork") if hasattr(os, "fork") else None
                with ProcessPoolExecutor(max_workers=n, mp_context=ctx) as pool:
                    staging = self.parquet_dir / ".staging"
                    parsed_iter = pool.map(functools.partial(_parse_path, staging=staging), files)
                    self._consume(con, files, parsed_iter, results, on_result, skip_unknown)
            else:
                self._consume(con, files, map(_parse_path, files), results, on_result, skip_unknown)
        finally:
            con.close()
        return results

    def _consume(self, con: duckdb.DuckDBPyConnection, files: list[Path], parsed_iter: Iterable[Any],
                 results: list[LoadResult], on_result: Callable[[Path, Any], None] | None,
                 skip_unknown: bool) -> None:
        from usmca.errors import UnknownSourceError

        for f, item in zip(files, parsed_iter, strict=True):
            if isinstance(item, UnknownSourceError) and skip_unknown:
                if on_result:
                    on_result(f, item)
                continue
            if isinstance(item, Exception):
                raise item
            res = self._load_one(con, item)
            results.append(res)
            if on_result:
                on_result(f, res)

    # -- reading ---------------------------------------------------------------------------
    def sources(self) -> pd.DataFrame:
        if not self.exists():
            return pd.DataFrame(columns=SOURCE_COLUMNS)
        con = duckdb.connect(str(self.db_path), read_only=True)
        try:
            return con.execute("SELECT * FROM sources ORDER BY dataset, vintage").df()
        finally:
            con.close()
