"""Settings: one registry, each with a default and help text, read from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs


@dataclass(frozen=True)
class Setting:
    name: str
    env: str
    default: str | None
    help: str


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in [
        Setting(
            "store",
            "USMCA_STORE",
            None,
            "Folder of the DuckDB store (usmca.duckdb, raw snapshots, Parquet tables). "
            "Default: the platform data directory.",
        ),
        Setting(
            "census_api_key",
            "CENSUS_API_KEY",
            None,
            "Optional key for the Census International Trade API (higher rate limits).",
        ),
        Setting(
            "offline",
            "USMCA_OFFLINE",
            "0",
            "Set to 1 to refuse any network access (data pull fails fast).",
        ),
        Setting(
            "http_timeout",
            "USMCA_HTTP_TIMEOUT",
            "60",
            "Seconds before an HTTP request to an agency times out.",
        ),
        Setting(
            "http_retries",
            "USMCA_HTTP_RETRIES",
            "4",
            "How many times a failed download is retried (429, 5xx, connection errors).",
        ),
    ]
}


def setting(name: str) -> str | None:
    s = SETTINGS[name]
    return os.environ.get(s.env, s.default)


def default_store_path() -> Path:
    return Path(platformdirs.user_data_dir("usmca", appauthor=False)) / "store"


def resolve_store_path(cli_value: str | Path | None = None) -> Path:
    """`--store PATH`, else env USMCA_STORE, else the platform data directory."""
    if cli_value:
        return Path(cli_value).expanduser()
    env = setting("store")
    if env:
        return Path(env).expanduser()
    return default_store_path()
