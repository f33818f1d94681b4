"""Embedded analytical store: DuckDB catalog, schemas, provenance, atomic loads, snapshot."""

from usmca.store.catalog import LoadResult, Store
from usmca.store.reader import Reader, open_reader

__all__ = ["LoadResult", "Reader", "Store", "open_reader"]
