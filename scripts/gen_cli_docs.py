"""Write docs/cli.md from the live `--help` of every usmca command (run after changing the CLI).

.venv/bin/python scripts/gen_cli_docs.py
"""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from usmca.cli import app

COMMANDS = [
    [],
    ["check"],
    ["report"],
    ["serve"],
    ["trade"],
    ["encounters"],
    ["indicators"],
    ["data"],
    ["data", "load"],
    ["data", "pull"],
    ["data", "status"],
    ["data", "snapshot"],
    ["data", "remove"],
]
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def help_text(cmd: list[str]) -> str:
    res = CliRunner().invoke(app, [*cmd, "--help"], terminal_width=100, env={"NO_COLOR": "1", "COLUMNS": "100"})
    out = ANSI.sub("", res.output).replace("Usage: root", "Usage: usmca")
    return "\n".join(line.rstrip() for line in out.strip("\n").splitlines())


def render() -> str:
    parts = [
        "# Command reference",
        "",
        "Generated from the live `--help` output by `scripts/gen_cli_docs.py`; "
        "`tests/cli/test_cli_docs.py` fails when a command or option is missing here.",
        "",
    ]
    for cmd in COMMANDS:
        parts += [
            f"## `usmca {' '.join(cmd)}`".replace("usmca `", "usmca`") if cmd else "## `usmca`",
            "",
            "```text",
            help_text(cmd),
            "```",
            "",
        ]
    return "\n".join(parts)


if __name__ == "__main__":
    out = Path(__file__).resolve().parents[1] / "docs" / "cli.md"
    out.write_text(render(), encoding="utf-8")
    print(f"wrote {out}")
