"""One module per official source: fetch -> raw snapshot -> tidy table.

`load_all()` imports every source module (each registers its `SourceInfo` in `REGISTRY`);
`detect_source(path)` finds the source whose detector accepts a file. Nothing here imports the
store: `usmca.pipeline` joins parsing and loading.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from usmca.errors import UnknownSourceError
from usmca.sources.base import REGISTRY, check_zip_size
from usmca.tables import ParsedFile, SourceInfo

# Modules that hold statistical sources loaded into the fact tables, in load order.
MODULES = (
    "census_trade",
    "census_api",
    "bea_trade",
    "worldbank",
    "cbp_encounters",
    "dhs_usbp",
    "cbp_seizures",
    "usitc_dataweb",
    "census_ft900",
    "wiod_niot",
    "wiod_wiot",
    "fred",
    "ncses_tiva",
    "statements",
)


def load_all() -> dict[str, SourceInfo]:
    """Import every source module so that it registers itself."""
    for name in MODULES:
        try:
            importlib.import_module(f"usmca.sources.{name}")
        except ModuleNotFoundError as e:
            if e.name != f"usmca.sources.{name}":
                raise
    return REGISTRY


def detect_source(path: Path) -> SourceInfo:
    """Find the source whose detector accepts this file (UnknownSourceError names the known ones)."""
    load_all()
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        check_zip_size(path)  # before any detector opens the workbook
    for info in REGISTRY.values():
        try:
            if info.detect(path):
                return info
        except Exception:  # a detector must never crash detection of other sources
            continue
    raise UnknownSourceError(f"{path}: no source recognises this file. Known sources: {', '.join(sorted(REGISTRY))}")


__all__ = ["MODULES", "REGISTRY", "ParsedFile", "SourceInfo", "detect_source", "load_all"]
