"""docs/cli.md documents every command and every option of the live CLI."""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import gen_cli_docs  # noqa: E402


def test_every_command_and_option_is_in_the_cli_reference() -> None:
    doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for cmd in gen_cli_docs.COMMANDS:
        live = gen_cli_docs.help_text(cmd)
        title = "## `usmca" + (" " + " ".join(cmd) if cmd else "") + "`"
        assert title in doc, f"docs/cli.md lacks a section for {title}: run scripts/gen_cli_docs.py"
        for opt in set(re.findall(r"(?<![\w-])--[a-z][a-z-]+", live)):
            section = doc.split(title, 1)[1].split("\n## ", 1)[0]
            assert opt in section, f"{title}: option {opt} is undocumented: run scripts/gen_cli_docs.py"
