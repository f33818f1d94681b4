"""PDF report: the self-contained HTML report printed by a local headless Chromium.

No network and no browser download: a Chromium already on the machine (Debian's `chromium`
package, or the path in USMCA_CHROMIUM) does the printing; without one the error says so.

The page is the HTML report rendered for paper (`printing=True`: "How this was computed" open)
and printed with its print stylesheet (report.css, `@media print`): a cover summary (counts by
verdict and one line per claim), then the cards flowing several to a page, each kept whole.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from usmca.claims.model import CheckReport
from usmca.errors import UsmcaError
from usmca.report.html import write_html

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "chrome")


def find_chromium() -> str | None:
    env = os.environ.get("USMCA_CHROMIUM")
    if env and Path(env).exists():
        return env
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def write_pdf(report: CheckReport, output: Path, *, timeout: float = 120.0) -> Path:
    browser = find_chromium()
    if browser is None:
        raise UsmcaError(
            "a PDF report needs Chromium (apt-get install chromium, or set USMCA_CHROMIUM); write .html instead"
        )
    output = Path(output)
    with tempfile.TemporaryDirectory(prefix="usmca-pdf-") as tmp:
        html = write_html(report, Path(tmp) / "report.html", printing=True)  # folded parts open
        cmd = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={tmp}/profile",
            "--no-pdf-header-footer",
            f"--print-to-pdf={output.resolve()}",
            html.resolve().as_uri(),
        ]
        try:
            subprocess.run(cmd, check=True, capture_output=True, timeout=timeout)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as e:
            raise UsmcaError(f"Chromium could not print the report to PDF: {e}") from e
    if not output.exists() or output.read_bytes()[:5] != b"%PDF-":
        raise UsmcaError(f"Chromium did not write a PDF to {output}")
    return output
