"""Settings: one registry, each with a default and help text, read from the environment."""

from __future__ import annotations

import logging
import math
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
            "fred_api_key",
            "FRED_API_KEY",
            None,
            "Optional key for FRED's series/observations API (FRED issues free keys and asks for one).",
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
            "How many times a failed download is retried (429, 5xx, read timeouts, dropped connections; "
            "an unreachable host is tried once).",
        ),
        Setting(
            "cors_origins",
            "USMCA_CORS_ORIGINS",
            None,
            "Web service: origins allowed to call the API from a browser, comma-separated (CORS is off when empty).",
        ),
        Setting(
            "allowed_hosts",
            "USMCA_ALLOWED_HOSTS",
            None,
            "Web service: Host header values accepted besides localhost, 127.0.0.1, ::1 and testserver, "
            "comma-separated (* accepts any); other hosts get 400.",
        ),
        Setting(
            "check_timeout",
            "USMCA_CHECK_TIMEOUT",
            "10",
            "Web service: seconds one check (/api/check, the checker form) may take before it is abandoned (503).",
        ),
        Setting(
            "max_checks",
            "USMCA_MAX_CHECKS",
            "2",
            "Web service: checks run at once per process; more wait in line (USMCA_MAX_QUEUED). A check is "
            "Python work that holds the interpreter lock, so more threads add switching, not speed; run more "
            "processes (usmca serve --workers) to use more cores.",
        ),
        Setting(
            "max_queued",
            "USMCA_MAX_QUEUED",
            "64",
            "Web service: checks that may wait for a free slot, each for at most USMCA_CHECK_TIMEOUT; "
            "one more gets 429 with Retry-After.",
        ),
        Setting(
            "max_claims",
            "USMCA_MAX_CLAIMS",
            "200",
            "Web service: claims reported per document; the answer notes when there were more.",
        ),
        Setting(
            "chromium",
            "USMCA_CHROMIUM",
            None,
            "PDF reports: path of the Chromium (or Chrome) executable that prints them; "
            "default: chromium, chromium-browser, google-chrome or chrome on the PATH.",
        ),
        Setting(
            "pattern_cache",
            "USMCA_PATTERN_CACHE",
            None,
            "Folder where the claim reader keeps its compiled grammars, like Python's bytecode cache "
            "(default: the platform cache directory); off to compile them in every process.",
        ),
        Setting(
            "fast_exit",
            "USMCA_FAST_EXIT",
            None,
            "A read-only command (check) that has written its output ends the process without the "
            "interpreter's teardown (about 0.2 s); off to end normally (e.g. under coverage.py).",
        ),
        Setting(
            "keep_alive",
            "USMCA_KEEP_ALIVE",
            "5",
            "Web service: seconds an idle keep-alive connection stays open (uvicorn's timeout_keep_alive).",
        ),
    ]
}


def setting(name: str) -> str | None:
    s = SETTINGS[name]
    return os.environ.get(s.env, s.default)


def setting_is_off(name: str) -> bool:
    """True when a setting is turned off: off, 0, no or false (any case)."""
    return (setting(name) or "").strip().lower() in ("off", "0", "no", "false")


def setting_number(name: str, *, minimum: float = 0) -> float:
    """A numeric setting; a value that is not a finite number >= minimum is logged and the default used."""
    s = SETTINGS[name]
    text = setting(name)
    try:
        v = float(text or "")
        if math.isfinite(v) and v >= minimum:
            return v
    except ValueError:
        pass
    logging.getLogger("usmca").warning("%s=%r is not a number >= %g; using %s", s.env, text, minimum, s.default)
    return float(s.default or 0)


def setting_list(name: str) -> list[str]:
    """A comma-separated setting as a list (blank items dropped)."""
    return [x.strip() for x in (setting(name) or "").split(",") if x.strip()]


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
