"""The DuckDB store: a `sources` table of provenance and tidy fact tables, loaded atomically.

Layout of a store folder:
    usmca.duckdb          facts, `sources`, and `<table>_current` (newest vintage per key)
    raw/<dataset>/...     downloaded files with a `.meta.json` sidecar (see sources.fetch)
    io/<source>/...       input-output tables as dense arrays (`.npy`) and labels, referenced from
                          `io_tables` (see `usmca.store.io_arrays`); `parquet/<source>/` in stores
                          written before that (long Parquet, still read)
    detail/<table>/...    detail-level facts as Hive-partitioned Parquet, listed in `detail_files`
                          (see usmca.store.detail)
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from usmca import __version__
from usmca.errors import StoreError
from usmca.store import detail, integrity, io_arrays, io_readings, merged
from usmca.store.integrity import disk_errors
from usmca.tables import DETAIL_TABLES, SOURCE_COLUMNS, TABLES, ParsedFile, check_plausible, validate_frame

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

# Recorded in the catalog only (not in snapshots): the package version that parsed the file. A
# file is skipped on reload only when its sha256, parser version and package version all match.
CATALOG_ONLY_COLUMNS = ["package_version"]

IO_DDL = """
CREATE TABLE IF NOT EXISTS io_tables (
    source_id VARCHAR NOT NULL,
    dataset VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    part VARCHAR NOT NULL,
    parquet_path VARCHAR NOT NULL,  -- the part's file (.npy, .json; .parquet before), relative to the store
    sha256 VARCHAR,
    bytes BIGINT
)
"""

DB_NAME = "usmca.duckdb"
NEW_DB = "usmca.duckdb.loading"  # a load writes here; the finished file replaces DB_NAME
LOCK_NAME = ".write.lock"


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


def write_io(table: Any, folder: Path) -> dict[str, tuple[Path, str, int]]:
    """Write an input-output table as dense arrays and labels (`usmca.store.io_arrays`) to `folder`:
    part -> (path, sha256, bytes)."""
    from usmca.store.io_arrays import write_arrays

    try:
        return write_arrays(table, folder)
    except StoreError:
        raise
    except Exception as e:
        if integrity.is_disk_full(e):
            raise integrity.disk_full_error(folder) from e
        raise StoreError(f"cannot write {folder}: {e}; the store is unchanged") from e


def write_parts(table: Any, folder: Path) -> dict[str, Path]:
    """An input-output table as long Parquet frames (the snapshot's compact layout, and the store's
    before dense arrays)."""
    out = {}
    for part, frame in table.to_frames("long").items():
        path = folder / f"{part}.parquet"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            frame.to_parquet(path, index=False, compression="zstd")
        except Exception as e:
            if integrity.is_disk_full(e):
                raise integrity.disk_full_error(path) from e
            raise StoreError(f"cannot write {path}: {e}; the store is unchanged") from e
        out[part] = path
    return out


def resolve_io_path(root: Path, stored: str) -> Path:
    """A Parquet path of `io_tables` as a file of this store (relative paths; old absolute ones rebased)."""
    p = Path(stored)
    if not p.is_absolute():
        return root / p
    if p.is_relative_to(root):
        return p
    parts = p.parts
    if "parquet" in parts:  # written by an older version: the store may have been moved since
        i = len(parts) - 1 - parts[::-1].index("parquet")
        return root.joinpath(*parts[i:])
    return p


def _connect_rw(path: Path) -> duckdb.DuckDBPyConnection:
    try:
        con = duckdb.connect(str(path))
    except duckdb.Error as e:
        if integrity.is_disk_full(e):
            raise integrity.disk_full_error(path) from e
        raise StoreError(f"cannot open store catalog {path}: {e}") from e
    con.execute(SOURCES_DDL)
    con.execute("ALTER TABLE sources ADD COLUMN IF NOT EXISTS package_version VARCHAR")
    con.execute(IO_DDL)
    io_readings.ensure(con)
    detail.ensure(con)
    con.execute("ALTER TABLE io_tables ADD COLUMN IF NOT EXISTS sha256 VARCHAR")
    con.execute("ALTER TABLE io_tables ADD COLUMN IF NOT EXISTS bytes BIGINT")
    for spec in TABLES.values():
        con.execute(spec.ddl())
        con.execute(spec.ddl(f"{spec.name}_current"))
    return con


def _versions_match(parser_version: str | None, package_version: str | None, want_parser: str) -> bool:
    return parser_version == want_parser and package_version == __version__


def _fact_tables(rows: Iterable[tuple[str, str]]) -> set[str]:
    """The fact tables named in `sources.fact_table` values (comma-separated)."""
    return {t for _, ft in rows for t in (ft or "").split(",") if t in TABLES}


@dataclass
class _Session:
    """One write: a copy of the catalog (`usmca.duckdb.loading`) that replaces the store's at the end."""

    con: duckdb.DuckDBPyConnection
    changed: bool = False
    # One transaction for the whole session (a multi-file load): committed when it ends, and the
    # `<table>_current` rows refreshed once per table then, not once per file.
    batch: bool = False
    touched: set[str] = field(default_factory=set)  # tables with keys in `_keys_<table>` to refresh
    created: list[Path] = field(default_factory=list)  # IO table folders written by this session
    obsolete: list[Path] = field(default_factory=list)  # IO table folders to delete once committed
    created_files: list[Path] = field(default_factory=list)  # detail Parquet files written by this session
    obsolete_files: list[Path] = field(default_factory=list)  # detail files to delete once committed


class Store:
    """A folder holding the DuckDB catalog, raw snapshots and Parquet tables.

    Writers take an exclusive lock, work on a copy of the catalog and swap it in with one
    `os.replace`: readers (which open the catalog read-only) see the last committed state while a
    load runs, and a killed or failed load leaves the store as it was.
    """

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root).expanduser().absolute()

    @property
    def db_path(self) -> Path:
        return self.root / DB_NAME

    @property
    def raw_dir(self) -> Path:
        return self.root / "raw"

    @property
    def parquet_dir(self) -> Path:
        return self.root / "parquet"

    @property
    def io_dir(self) -> Path:
        return self.root / "io"

    @property
    def staging_dir(self) -> Path:
        return self.io_dir / ".staging"

    def exists(self) -> bool:
        return self.db_path.exists()

    # -- writing ---------------------------------------------------------------------------
    @contextlib.contextmanager
    def writing(self, *, batch: bool = False) -> Iterator[_Session]:
        """An exclusive write session; committed (swapped in) when the block ends without error.

        `batch`: the loads of the session share one transaction (see `_Session.batch`); a file
        refused by the table checks writes nothing (they run before its first write), so the files
        before it are kept.
        """
        with disk_errors(self.root):
            self.root.mkdir(parents=True, exist_ok=True)
            lock = open(self.root / LOCK_NAME, "a+")  # noqa: SIM115 (held for the whole session)
        try:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise StoreError(
                    f"another process is loading into the store {self.root}; try again when it has finished"
                ) from None
            self._cleanup()
            new = self.root / NEW_DB
            if self.exists():
                integrity.check_catalog(self.db_path)
                if self.db_path.with_name(DB_NAME + ".wal").exists():  # left by an older version
                    duckdb.connect(str(self.db_path)).close()
                with disk_errors(new):
                    shutil.copyfile(self.db_path, new)
            session = _Session(con=_connect_rw(new), batch=batch)
            try:
                if batch:
                    session.con.execute("BEGIN TRANSACTION")
                yield session
                if batch:
                    self._refresh_touched(session)
                    session.con.execute("COMMIT")
                if session.changed:
                    merged.materialise(session.con)  # the reader's union with the snapshot
                    session.con.execute("CHECKPOINT")
                session.con.close()
                if session.changed:
                    self._commit(new)
            except BaseException as e:
                with contextlib.suppress(Exception):
                    session.con.close()
                self._discard(new, session.created)
                for f in session.created_files:
                    f.unlink(missing_ok=True)
                if integrity.is_disk_full(e) and not isinstance(e, StoreError):
                    raise integrity.disk_full_error(new) from e
                raise
            else:
                self._discard(new, [])
                for folder in session.obsolete:
                    shutil.rmtree(folder, ignore_errors=True)
                for f in session.obsolete_files:
                    f.unlink(missing_ok=True)
        finally:
            shutil.rmtree(self.staging_dir, ignore_errors=True)
            shutil.rmtree(self.root / detail.DETAIL_DIR / detail.STAGING, ignore_errors=True)
            lock.close()

    def refresh_merge(self) -> bool:
        """Merge the store again with the bundled snapshot (`usmca.store.merged`), as every write does.

        Called by a reader that finds the merge made for another snapshot (after an upgrade). False,
        and nothing changed, when the store cannot be written now (another load holds it, a read-only
        folder, a full disk): the reader then unites the two in memory, as before.
        """
        try:
            with self.writing() as session:
                session.changed = True
        except (StoreError, OSError, duckdb.Error):
            return False
        return True

    def _commit(self, new: Path) -> None:
        with disk_errors(new):
            with open(new, "rb+") as f:
                os.fsync(f.fileno())
            state = {**integrity.file_state(new), "file": DB_NAME}
            old = integrity.read_manifest(self.root) or []
            integrity.write_manifest(self.root, [*old[-1:], state])  # both are valid during the swap
            os.replace(new, self.db_path)
            integrity.write_manifest(self.root, [state])

    def _discard(self, new: Path, folders: list[Path]) -> None:
        for p in (new, new.with_name(new.name + ".wal")):
            with contextlib.suppress(FileNotFoundError):
                p.unlink()
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)

    def _cleanup(self) -> None:
        """What a killed load leaves behind: the unfinished catalog, staged and unreferenced IO files."""
        self._discard(self.root / NEW_DB, [])
        shutil.rmtree(self.staging_dir, ignore_errors=True)
        shutil.rmtree(self.parquet_dir / ".staging", ignore_errors=True)  # older versions staged here
        dirs = [d for d in (self.io_dir, self.parquet_dir) if d.is_dir()]
        has_detail = (self.root / detail.DETAIL_DIR).is_dir()
        if not dirs and not has_detail:
            return
        used: set[Path] = set()
        used_detail: set[Path] | None = None
        if self.exists():
            try:
                con = duckdb.connect(str(self.db_path), read_only=True)
                try:
                    used = {
                        resolve_io_path(self.root, r[0]).parent
                        for r in con.execute("SELECT parquet_path FROM io_tables").fetchall()
                    }
                    used_detail = detail.referenced(con, self.root)
                finally:
                    con.close()
            except duckdb.Error:
                return  # leave files alone when the catalog cannot be read
        if has_detail:
            detail.cleanup(self.root, used_detail)
        for top in dirs:
            for d in top.iterdir():
                if d.is_dir() and d not in used:
                    shutil.rmtree(d, ignore_errors=True)

    def load(
        self, parsed: ParsedFile, *, origin: str = "file", url: str | None = None, retrieved_at: datetime | None = None
    ) -> LoadResult:
        """Load one parsed file in a single transaction.

        Same sha256, parser version and package version as a loaded file: no-op (unless a changed
        file of the same name was loaded after it: then that one is removed, and this one is
        current again). The same file parsed by another parser or package version, or the same
        dataset, vintage and file name: the old rows are replaced.
        A newer vintage is added and wins in `<table>_current`; older vintages stay queryable.
        """
        with self.writing() as session:
            return self.load_in(session, parsed, origin=origin, url=url, retrieved_at=retrieved_at)

    def remove(self, source_id: str) -> list[str]:
        """Remove a source (by source id, or every source of a dataset id) and its rows."""
        with self.writing() as session:
            con = session.con
            rows = con.execute(
                "SELECT source_id, fact_table FROM sources WHERE source_id = ? OR dataset = ? ORDER BY source_id",
                [source_id, source_id],
            ).fetchall()
            if not rows:
                raise StoreError(f"no source {source_id!r} in the store {self.root} (see `usmca data status`)")
            with self._transaction(session):
                self._drop_sources(session, rows)
            session.changed = True
            return [sid for sid, _ in rows]

    @contextlib.contextmanager
    def _transaction(self, session: _Session) -> Iterator[None]:
        """One file's writes: its own transaction (current rows refreshed in it), or, in a batch
        session, part of the session's."""
        if session.batch:
            yield
            return
        con = session.con
        con.execute("BEGIN TRANSACTION")
        try:
            yield
            self._refresh_touched(session)
            con.execute("COMMIT")
        except BaseException:
            session.touched.clear()
            con.execute("ROLLBACK")
            raise

    def _refresh_touched(self, session: _Session) -> None:
        for table in sorted(session.touched):
            self._refresh_current(session.con, table)
        session.touched.clear()

    def _drop_sources(self, session: _Session, rows: list[tuple[str, str]]) -> None:
        """Delete sources and their rows; the keys they touched are collected for `_refresh_current`."""
        con = session.con
        for table in _fact_tables(rows):
            self._collect_keys(con, table, [sid for sid, t in rows if table in _fact_tables([(sid, t)])])
            session.touched.add(table)
        for sid, fact_table in rows:
            for table in _fact_tables([(sid, fact_table)]):
                con.execute(f'DELETE FROM "{table}" WHERE source_id = ?', [sid])
            for (p,) in con.execute(
                "SELECT DISTINCT parquet_path FROM io_tables WHERE source_id = ?", [sid]
            ).fetchall():
                session.obsolete.append(resolve_io_path(self.root, p).parent)
            con.execute("DELETE FROM io_tables WHERE source_id = ?", [sid])
            session.obsolete_files += detail.drop(con, self.root, sid)
            io_readings.drop(con, sid)
            con.execute("DELETE FROM sources WHERE source_id = ?", [sid])

    def load_in(
        self,
        session: _Session,
        parsed: ParsedFile,
        *,
        origin: str = "file",
        url: str | None = None,
        retrieved_at: datetime | None = None,
    ) -> LoadResult:
        t0 = time.perf_counter()
        con = session.con
        name = parsed.path.name
        hit = self.current_copy(con, parsed.sha256, name, {parsed.info.id: parsed.info.parser_version})
        if hit is not None:
            return LoadResult(hit[0], hit[1], name, "unchanged", 0, time.perf_counter() - t0)
        found = con.execute(
            "SELECT source_id, loaded_at, parser_version, package_version FROM sources "
            "WHERE sha256 = ? AND dataset = ? LIMIT 1",
            [parsed.sha256, parsed.info.id],
        ).fetchall()  # every row fetched: DuckDB refuses to register a frame while a result is open
        same = found[0] if found else None
        if same and _versions_match(same[2], same[3], parsed.info.parser_version):
            # Changed files of the same name loaded after this one: reloading it brings it back.
            later = self._later_versions(con, parsed.info.id, name, parsed.sha256, same[1])
            with self._transaction(session):
                self._drop_sources(session, later)
                now = datetime.now(UTC).replace(tzinfo=None)
                con.execute("UPDATE sources SET loaded_at = ? WHERE source_id = ?", [now, same[0]])
                for table in _fact_tables(later):
                    self._collect_keys(con, table, [same[0]])
            session.changed = True
            return LoadResult(same[0], parsed.info.id, name, "replaced", 0, time.perf_counter() - t0)
        # The table checks run first, so a file they refuse has written nothing (in a batch
        # session the files before it stay).
        incoming = self._stage_tables(con, parsed)
        status = "loaded"
        try:
            with self._transaction(session):
                # Files of one dataset that share a vintage (FT-900 exhibits, WIOD country
                # tables, statement files) are parts, not versions: only the same file name
                # replaces.
                # The same file parsed by another parser or package version is replaced as well.
                old = con.execute(
                    "SELECT source_id, fact_table FROM sources WHERE dataset = ? "
                    "AND ((vintage = ? AND file_name = ?) OR sha256 = ?)",
                    [parsed.info.id, parsed.vintage, parsed.path.name, parsed.sha256],
                ).fetchall()
                touched = (set(parsed.tables) & set(TABLES)) | _fact_tables(old)
                if old:
                    self._drop_sources(session, old)
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
                    "package_version": __version__,
                }
                cols = [*SOURCE_COLUMNS, *CATALOG_ONLY_COLUMNS]
                con.execute(
                    f"INSERT INTO sources ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
                    [row[c] for c in cols],
                )
                for table, relation in incoming.items():
                    if table in DETAIL_TABLES:
                        self._write_detail(session, table, relation, parsed, now)
                        continue
                    self._insert(con, table, relation, parsed.source_id, parsed.info.id)
                if parsed.io is not None or parsed.io_files:
                    self._write_io(session, parsed)
                pause = os.environ.get("USMCA_TEST_PAUSE_BEFORE_COMMIT")
                if pause:  # lets a test kill the process in the middle of a load
                    Path(pause).touch()
                    time.sleep(60)
                for table in touched:
                    self._collect_keys(con, table, [parsed.source_id])
                    session.touched.add(table)
        finally:
            self._unstage(con, incoming)
        session.changed = True
        return LoadResult(
            parsed.source_id, parsed.info.id, parsed.path.name, status, parsed.rows, time.perf_counter() - t0
        )

    @staticmethod
    def _stage_tables(con: duckdb.DuckDBPyConnection, parsed: ParsedFile) -> dict[str, str]:
        """Copy each parsed frame into a temporary table once and check it there (SQL, with the
        plausibility rules): table -> temporary relation. DataFormatError names the first bad row."""
        staged: dict[str, str] = {}
        try:
            for table, df in parsed.tables.items():
                spec = TABLES[table] if table in TABLES else DETAIL_TABLES[table]
                cols = [c for c in [*spec.column_names, "_row"] if c in df.columns]
                relation = f'"_in_{table}"'
                con.register("_incoming", df[cols])
                try:
                    con.execute(f"CREATE OR REPLACE TEMP TABLE {relation} AS SELECT * FROM _incoming")
                finally:
                    con.unregister("_incoming")
                staged[table] = relation
                validate_frame(table, df, str(parsed.path), con=con, relation=relation)
                check_plausible(table, df, str(parsed.path), parsed.vintage)
        except BaseException:
            Store._unstage(con, staged)
            raise
        return staged

    @staticmethod
    def _unstage(con: duckdb.DuckDBPyConnection, staged: dict[str, str]) -> None:
        for relation in staged.values():
            with contextlib.suppress(duckdb.Error):
                con.execute(f"DROP TABLE IF EXISTS {relation}")

    @staticmethod
    def _insert(con: duckdb.DuckDBPyConnection, table: str, relation: str, source_id: str, dataset: str) -> None:
        """Append a staged (already checked) table to its fact table."""
        names = ", ".join(f'"{c}"' for c in TABLES[table].column_names)
        con.execute(
            f'INSERT INTO "{table}" (source_id, dataset, {names}) SELECT ?, ?, {names} FROM {relation}',
            [source_id, dataset],
        )

    def _write_detail(self, session: _Session, table: str, relation: str, parsed: ParsedFile, now: datetime) -> None:
        """Write staged (already checked, see `_stage_tables`) detail rows as partition files (usmca.store.detail)."""
        out = detail.write(
            session.con, self.root, table, relation, parsed.source_id, parsed.info.id, parsed.vintage, now
        )
        session.created_files += out.created
        session.obsolete_files += out.obsolete

    def _write_io(self, session: _Session, parsed: ParsedFile) -> None:
        """Put an input-output table's files in place and catalog them (path relative to the store).

        Files go to a folder `io/<source id>/`; each file's sha256 and size are recorded (as
        computed while the worker wrote it, when it did). A folder left by an interrupted load is
        not referenced by the catalog and is removed by the next load.
        """
        folder = self.io_dir / parsed.source_id.replace("@", "_")
        digests: dict[str, tuple[str, int]] = dict(parsed.io_digests or {})
        if parsed.io_files is None:
            stage_dir = self.staging_dir / f"{folder.name}-{os.getpid()}"
            written = write_io(parsed.io, stage_dir)
            staged = {part: path for part, (path, _, _) in written.items()}
            digests.update({part: (sha, n) for part, (_, sha, n) in written.items()})
            readings = io_readings.stage(parsed.io, parsed.info.id, stage_dir)
            year = int(parsed.io.year)
        else:
            staged, year = dict(parsed.io_files), int(parsed.io_year or 0)
            readings = staged.pop(io_readings.PART, None)
        if readings is not None:
            io_readings.record(session.con, parsed.source_id, parsed.info.id, year, readings)
        rows = []
        with disk_errors(folder):
            if not folder.exists():
                session.created.append(folder)
            folder.mkdir(parents=True, exist_ok=True)
            for part, path in staged.items():
                final = folder / path.name
                digest, size = digests.get(part) or (integrity.sha256_file(path), path.stat().st_size)
                os.replace(path, final)
                rel = final.relative_to(self.root).as_posix()
                rows.append((parsed.source_id, parsed.info.id, year, part, rel, digest, size))
        session.con.executemany(
            "INSERT INTO io_tables (source_id, dataset, year, part, parquet_path, sha256, bytes) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        with contextlib.suppress(OSError):
            next(iter(staged.values())).parent.rmdir()

    @staticmethod
    def _key_hash(table: str, alias: str = "") -> str:
        cols = ", ".join(f'{alias}"{c}"' for c in TABLES[table].current_by)
        return f"hash({cols})"

    @classmethod
    def _collect_keys(cls, con: duckdb.DuckDBPyConnection, table: str, source_ids: list[str]) -> None:
        """Remember (as 64-bit hashes) the current-table keys that rows of these sources touch."""
        con.execute(f'CREATE TEMP TABLE IF NOT EXISTS "_keys_{table}" (k UBIGINT)')
        if not source_ids:
            return
        marks = ", ".join("?" for _ in source_ids)
        con.execute(
            f'INSERT INTO "_keys_{table}" SELECT DISTINCT {cls._key_hash(table)} FROM "{table}" '
            f"WHERE source_id IN ({marks})",
            source_ids,
        )

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

    # -- what a reload may skip --------------------------------------------------------------
    @staticmethod
    def _later_versions(
        con: duckdb.DuckDBPyConnection, dataset: str, file_name: str, sha256: str, loaded_at: datetime
    ) -> list[tuple[str, str]]:
        """Sources of the same dataset and file name but other content, loaded at or after `loaded_at`."""
        return con.execute(
            "SELECT source_id, fact_table FROM sources WHERE dataset = ? AND file_name = ? "
            "AND sha256 <> ? AND loaded_at >= ?",
            [dataset, file_name, sha256, loaded_at],
        ).fetchall()

    def current_copy(
        self, con: duckdb.DuckDBPyConnection, sha256: str, file_name: str, parser_versions: dict[str, str]
    ) -> tuple[str, str] | None:
        """(source_id, dataset) when a load of this file would change nothing, else None.

        That is: a source with this sha256 was loaded by the parser version given for its dataset
        (`parser_versions`, dataset id -> version) and by this package version, and no other
        content of the same file name was loaded after it. This needs no parsing, so an unchanged
        file is skipped before it is read.
        """
        rows = con.execute(
            "SELECT source_id, dataset, loaded_at, parser_version, package_version FROM sources WHERE sha256 = ?",
            [sha256],
        ).fetchall()
        for source_id, dataset, loaded_at, parser_version, package_version in rows:
            want = parser_versions.get(dataset)
            if want is None or not _versions_match(parser_version, package_version, want):
                continue
            if not self._later_versions(con, dataset, file_name, sha256, loaded_at):
                return source_id, dataset
        return None

    def current_copies(
        self, files: list[tuple[Path, str]], parser_versions: dict[str, str]
    ) -> dict[Path, tuple[str, str]]:
        """`current_copy` for many (path, sha256) pairs, read-only and without the write lock (a hint:
        a write session checks again)."""
        if not self.exists() or not files:
            return {}
        integrity.check_catalog(self.db_path)  # a damaged catalog is reported, not trusted (cheap)
        try:
            con = duckdb.connect(str(self.db_path), read_only=True)
        except duckdb.Error:
            return {}  # the write session reports what is wrong with the catalog
        try:
            cols = {r[0] for r in con.execute("SELECT name FROM pragma_table_info('sources')").fetchall()}
            if "package_version" not in cols:
                return {}  # written by an older version: every file is parsed again
            out = {}
            for path, sha in files:
                hit = self.current_copy(con, sha, path.name, parser_versions)
                if hit is not None:
                    out[path] = hit
            return out
        except duckdb.Error:
            return {}
        finally:
            con.close()

    def verify(self, *, full: bool = True) -> list[Path]:
        """Check every file of the store against its recorded size and sha256; the files checked."""
        if not self.exists():
            return []
        checked = [self.db_path] if integrity.check_catalog(self.db_path, full=full) else []
        try:
            con = duckdb.connect(str(self.db_path), read_only=True)
        except duckdb.Error as e:
            raise StoreError(f"store file {self.db_path} cannot be opened: {e}") from e
        try:
            rows = con.execute("SELECT parquet_path, bytes, sha256 FROM io_tables ORDER BY 1").fetchall()
            if full:  # every block of the catalog is read once (DuckDB checks block checksums)
                for t in [*TABLES, *(f"{t}_current" for t in TABLES), "sources"]:
                    con.execute(f'SELECT count(*), sum(hash(COLUMNS(*))) FROM "{t}"').fetchall()
        except duckdb.Error as e:
            raise StoreError(f"store file {self.db_path} is damaged: {e}") from e
        finally:
            con.close()
        for path, size, digest in rows:
            p = resolve_io_path(self.root, path)
            io_arrays.check_stored(p, size=size, sha256=digest, full=full)
            checked.append(p)
        try:
            con = duckdb.connect(str(self.db_path), read_only=True)
        except duckdb.Error as e:
            raise StoreError(f"store file {self.db_path} cannot be opened: {e}") from e
        try:
            checked += detail.verify(con, self.root, full=full)
        finally:
            con.close()
        return checked

    # -- reading ---------------------------------------------------------------------------
    def sources(self) -> pd.DataFrame:
        if not self.exists():
            return pd.DataFrame(columns=SOURCE_COLUMNS)
        try:
            con = duckdb.connect(str(self.db_path), read_only=True)
        except duckdb.Error as e:
            raise StoreError(f"store file {self.db_path} cannot be opened: {e}") from e
        try:
            return con.execute("SELECT * FROM sources ORDER BY dataset, vintage").df()
        finally:
            con.close()
