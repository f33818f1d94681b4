"""One module per official source: fetch -> raw snapshot -> tidy table."""

from __future__ import annotations

import importlib

from usmca.sources.base import REGISTRY, ParsedFile, SourceInfo, detect_source

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


__all__ = ["REGISTRY", "ParsedFile", "SourceInfo", "detect_source", "load_all"]
