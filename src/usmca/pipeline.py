"""Detect -> parse -> load: the one place where sources and the store meet.

`usmca.sources` turns files into `usmca.tables.ParsedFile`s and knows nothing of the store;
`usmca.store` loads `ParsedFile`s and knows nothing of parsers. This module joins them:

    from usmca.pipeline import load_paths
    from usmca.store import Store

    results = load_paths(Store("/tmp/usmca-store"), [Path("../shared/data/cbp_encounters")])

A file whose sha256, parser version and package version match what the store recorded is
skipped before it is read (status "unchanged"), so reloading unchanged files costs one checksum
each. Parsing runs in worker processes that die with this process; loading runs here, one
transaction per file.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from usmca.errors import DataFormatError, UnknownSourceError, UsmcaError
from usmca.sources import detect_source, load_all
from usmca.sources.base import sha256_file
from usmca.store import io_readings
from usmca.store.catalog import LoadResult, Store, write_io
from usmca.tables import ParsedFile

__all__ = ["detect_source", "load_paths", "parse_path", "worker_init"]


def parse_path(path: Path, staging: Path | None = None) -> ParsedFile | UsmcaError:
    """Detect and parse one file (runs in a worker process); errors are returned, not raised.

    An input-output table is written here (dense arrays, hashed as they are written), in a staging
    folder of the store, so that the loading process only has to move the files into place inside
    its transaction.
    """
    try:
        parsed = detect_source(path).parse(path)
    except UsmcaError as e:
        return e
    if parsed.io is not None and staging is not None:
        folder = staging / f"{parsed.source_id.replace('@', '_')}-{os.getpid()}"
        written = write_io(parsed.io, folder)
        parsed.io_files = {part: path for part, (path, _, _) in written.items()}
        parsed.io_digests = {part: (sha, n) for part, (_, sha, n) in written.items()}
        # the table's value-added readings, precomputed beside its parts (see usmca.store.io_readings)
        staged = io_readings.stage(parsed.io, parsed.info.id, folder)
        if staged is not None:
            parsed.io_files[io_readings.PART] = staged
        parsed.io_year = int(parsed.io.year)
        parsed.io_cells = parsed.rows
        parsed.io = None
    return parsed


def _parser_versions() -> dict[str, str]:
    return {sid: info.parser_version for sid, info in load_all().items()}


def load_paths(
    store: Store,
    paths: Iterable[Path],
    *,
    workers: int | None = None,
    on_result: Callable[[Path, LoadResult | Exception], None] | None = None,
    skip_unknown: bool = False,
) -> list[LoadResult]:
    """Detect, parse and load many files into `store`; the result of each, in order.

    Files the store already holds in this form (same sha256, parser version and package
    version) are not parsed. Each other file is loaded in its own transaction: a bad file (its
    parser's error, or a DataFormatError from the table checks) stops the run, the files before
    it are committed and the error is raised.
    Any other failure (disk full, interrupt) leaves the store as it was before the run.
    """
    files = list(paths)
    hashes = {f: sha256_file(f) for f in files if f.is_file()}
    versions = _parser_versions()
    known = store.current_copies(list(hashes.items()), versions)
    if files and len(known) == len(files):  # nothing to do: no write session, no catalog copy
        results = []
        for f in files:
            sid, dataset = known[f]
            res = LoadResult(sid, dataset, f.name, "unchanged", 0, 0.0)
            results.append(res)
            if on_result:
                on_result(f, res)
        return results

    results = []
    failure: UsmcaError | None = None
    with store.writing(batch=True) as session:
        # Checked again under the write lock: another process may have loaded meanwhile.
        known = {}
        for f, sha in hashes.items():
            hit = store.current_copy(session.con, sha, f.name, versions)
            if hit is not None:
                known[f] = hit
        todo = [f for f in files if f not in known]
        n = workers if workers is not None else min(2, os.cpu_count() or 1, len(todo))
        with _parsed(todo, n, store.staging_dir) as parsed_iter:
            for f in files:
                t0 = time.perf_counter()
                if f in known:
                    sid, dataset = known[f]
                    res = LoadResult(sid, dataset, f.name, "unchanged", 0, time.perf_counter() - t0)
                else:
                    item = next(parsed_iter)
                    if isinstance(item, UnknownSourceError) and skip_unknown:
                        if on_result:
                            on_result(f, item)
                        continue
                    if isinstance(item, UsmcaError):  # the parser refused the file
                        failure = item
                        break
                    try:
                        res = store.load_in(session, item)
                    except DataFormatError as e:  # the rows break a rule of their table
                        failure = e
                        break
                results.append(res)
                if on_result:
                    on_result(f, res)
    if failure is not None:
        raise failure
    return results


class _parsed:  # noqa: N801  (a context manager used like a function)
    """The parsed files, in order: in a pool of worker processes when `workers` > 1."""

    def __init__(self, files: list[Path], workers: int, staging: Path) -> None:
        self.files, self.workers, self.staging = files, workers, staging
        self.pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Iterator[Any]:
        if self.workers > 1 and len(self.files) > 1:
            ctx = multiprocessing.get_context("fork") if hasattr(os, "fork") else None
            # the workers share the cores: each gets its share of BLAS threads (the readings' algebra)
            blas = max(1, (os.cpu_count() or 1) // self.workers)
            self.pool = ProcessPoolExecutor(
                max_workers=self.workers, mp_context=ctx, initializer=worker_init, initargs=(os.getpid(), blas)
            )
            return iter(self.pool.map(functools.partial(parse_path, staging=self.staging), self.files))
        return (parse_path(f) for f in self.files)

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


# -- parser worker processes ---------------------------------------------------------------------
PR_SET_PDEATHSIG = 1


def worker_init(parent_pid: int | None = None, blas_threads: int | None = None) -> None:
    """Initializer of parser worker processes: they die with the process that started them.

    On Linux the kernel sends SIGKILL when the parent dies (prctl PR_SET_PDEATHSIG); elsewhere,
    and as a second guard, a daemon thread checks twice a second whether the parent is gone.
    `blas_threads` caps the BLAS threads of the worker (so that two workers on two cores do not
    run four).
    """
    if blas_threads is not None:
        from threadpoolctl import threadpool_limits

        # BLAS libraries loaded later (SciPy's own OpenBLAS) read the variables when they load
        for var in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS"):
            os.environ[var] = str(blas_threads)
        threadpool_limits(limits=blas_threads, user_api="blas")
    parent = parent_pid if parent_pid is not None else os.getppid()
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the line above ran
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="usmca-parent-watchdog", daemon=True).start()
