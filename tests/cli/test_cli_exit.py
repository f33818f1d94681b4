"""How the `usmca` program ends (usmca.cli.run): a read-only command that has written its output skips
the interpreter's teardown, with every byte of its output delivered and its exit status kept; commands
that fail, and USMCA_FAST_EXIT=off, end normally. The collector's thresholds are raised for the command.

An atexit hook in the probe shows which way the process ended: teardown runs it, a fast exit does not.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
PROBE = """
import atexit, gc, sys
marker = sys.argv.pop(1)
atexit.register(lambda: open(marker, "w").write(repr(gc.get_threshold())))
from usmca.cli import run
sys.argv[0] = "usmca"
run()
"""


def _run(
    tmp_path: Path, *args: str, env: dict[str, str] | None = None
) -> tuple[subprocess.CompletedProcess[str], Path]:
    marker = tmp_path / "ended-normally"
    marker.unlink(missing_ok=True)
    base = {**os.environ, "PYTHONPATH": str(SRC) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    base.pop("USMCA_FAST_EXIT", None)
    base.pop("PYTHONUNBUFFERED", None)  # stdout buffered, as for most users: the flush before the exit matters
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, str(marker), *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**base, **(env or {})},
        check=False,
    )
    return proc, marker


@pytest.fixture(scope="module")
def long_text(tmp_path_factory: pytest.TempPathFactory, seed_text: str) -> Path:
    """The op-ed five times: its JSON report is several times a pipe's buffer (64 KB)."""
    p = tmp_path_factory.mktemp("exit") / "five.txt"
    p.write_text("\n\n".join([seed_text] * 5), encoding="utf-8")
    return p


def test_check_ends_fast_with_its_whole_output(tmp_path: Path, long_text: Path) -> None:
    proc, marker = _run(tmp_path, "check", str(long_text), "--format", "json", "--as-of", "2025-07-01")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.endswith("}\n")  # the last bytes arrived (print's newline is a write of its own)
    report = json.loads(proc.stdout)
    assert len(proc.stdout) > 3 * 65536 and len(report["claims"]) > 50
    assert not marker.exists()  # no teardown: the atexit hook never ran


def test_exit_status_is_kept(tmp_path: Path, long_text: Path) -> None:
    proc, marker = _run(tmp_path, "check", str(long_text), "--format", "json", "--fail-on", "supported")
    assert proc.returncode == 1 and json.loads(proc.stdout)["claims"]
    assert not marker.exists()


def test_failures_and_the_setting_end_normally(tmp_path: Path, long_text: Path) -> None:
    proc, marker = _run(tmp_path, "check", str(tmp_path / "missing.txt"))
    assert proc.returncode == 2 and "no such file" in proc.stderr
    assert marker.exists()  # an error ends through the usual teardown
    proc, marker = _run(tmp_path, "check", str(long_text), "--format", "json", env={"USMCA_FAST_EXIT": "off"})
    assert proc.returncode == 0 and json.loads(proc.stdout)["claims"]
    from usmca.cli import SHORT_LIVED_GC

    assert marker.read_text() == repr(SHORT_LIVED_GC)  # and the command ran under the raised thresholds


@pytest.mark.parametrize("fast", ["on", "off"])
def test_a_reader_that_goes_away_is_no_internal_error(tmp_path: Path, long_text: Path, fast: str) -> None:
    """`usmca check big.txt --format json | head -c 100`: the pipe closes while the report is written."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    env["PYTHONPATH"] = str(SRC) + os.pathsep + os.environ.get("PYTHONPATH", "")
    env["USMCA_FAST_EXIT"] = fast
    cmd = [sys.executable, "-m", "usmca", "check", str(long_text), "--format", "json", "--as-of", "2025-07-01"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.read(100).startswith(b"{")
    proc.stdout.close()  # as `head` does once it has its bytes
    err = proc.stderr.read().decode()
    assert proc.wait(120) == 1
    assert "internal error" not in err and "Traceback" not in err and "BrokenPipe" not in err, err
