"""The architecture as a contract (docs/architecture.md) and the live registries as documented.

- the import-linter contracts of pyproject.toml hold (scripts/test.sh runs `lint-imports` too);
- every top-level module of `usmca` sits in a layer of the contract, so none escapes it;
- the import graph of `src/usmca` has no cycle;
- every source, CLI command and setting in the live registries is documented (datasette-style:
  adding one without its docs fails here).
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import grimp
import pytest
import typer

from usmca.cli import app
from usmca.config import SETTINGS
from usmca.sources import load_all

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
CONTRACTS = PYPROJECT["tool"]["importlinter"]["contracts"]
DOCS = {
    p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8")
    for p in [ROOT / "README.md", *(ROOT / "docs").glob("*.md")]
}

# Cycles that exist in code other work is splitting (api: app <-> pages; models: io <-> backends;
# claims.frames: ranks <-> trade). The list may only shrink: a new cycle fails, and so does an entry
# that no longer is one (remove it).
KNOWN_CYCLES: list[frozenset[str]] = []


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("usmca", exclude_type_checking_imports=True)  # runtime imports only


def _cycles(edges: dict[str, set[str]]) -> list[frozenset[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[frozenset[str]] = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            w = next(it, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(edges.get(w, ())))))
                elif w in on:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = set()
                while True:
                    x = stack.pop()
                    on.discard(x)
                    comp.add(x)
                    if x == v:
                        break
                if len(comp) > 1 or v in edges.get(v, ()):
                    out.append(frozenset(comp))
    return out


def test_cycle_finder_finds_a_cycle() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert _cycles(edges) == [frozenset({"a", "b", "c"})]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_among_modules(graph: grimp.ImportGraph) -> None:
    edges = {m: set(graph.find_modules_directly_imported_by(m)) for m in graph.modules}
    found = _cycles(edges)
    new = [sorted(c) for c in found if c not in KNOWN_CYCLES]
    assert not new, f"import cycles among modules of src/usmca: {new}"
    gone = [sorted(c) for c in KNOWN_CYCLES if c not in found]
    assert not gone, f"no longer cycles: remove {gone} from KNOWN_CYCLES"


def test_every_top_level_module_is_in_a_layer() -> None:
    layers = next(c for c in CONTRACTS if c["type"] == "layers")["layers"]
    named = {m.strip() for layer in layers for m in re.split(r"[|:]", layer)}
    src = ROOT / "src" / "usmca"
    live = {p.stem for p in src.glob("*.py") if p.stem != "__init__"} | {
        p.name for p in src.iterdir() if p.is_dir() and (p / "__init__.py").exists()
    }
    assert not live - named, f"modules outside the layer contract (pyproject.toml): {sorted(live - named)}"
    assert not named - live, f"layers naming no module: {sorted(named - live)}"
    # a package folder without __init__.py would be invisible to the contract
    loose = [p.name for p in src.iterdir() if p.is_dir() and any(p.glob("*.py")) and not (p / "__init__.py").exists()]
    assert not loose, f"packages without __init__.py (import-linter cannot see them): {loose}"


def test_import_contracts_hold() -> None:
    linter = Path(sys.executable).with_name("lint-imports")
    if not linter.exists():
        pytest.skip("import-linter is not installed (pip install -e '.[test]')")
    res = subprocess.run([str(linter), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300, env=_env())
    assert res.returncode == 0, res.stdout[-4000:] + res.stderr[-2000:]
    assert f"Contracts: {len(CONTRACTS)} kept, 0 broken" in res.stdout


def _env() -> dict[str, str]:
    import os

    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


# -- registries --------------------------------------------------------------------------------------
def test_every_source_is_documented_with_licence_and_citation() -> None:
    doc = DOCS["docs/sources.md"]
    reg = load_all()
    assert len(reg) >= 14
    for sid, info in reg.items():
        assert f"`{sid}`" in doc, f"source {sid} is not in docs/sources.md"
        assert info.licence.strip(), f"source {sid} has no licence"
        assert info.citation.strip(), f"source {sid} has no citation"
        assert info.agency.strip() and info.url.startswith("https://"), sid


def _commands(group: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = [prefix]
    for name, cmd in sorted(group.commands.items()):
        if getattr(cmd, "hidden", False):
            continue
        if hasattr(cmd, "commands"):  # a group (typer may ship its own copy of click)
            out += _commands(cmd, (*prefix, name))
        else:
            out.append((*prefix, name))
    return out


def test_every_cli_command_is_documented() -> None:
    root = typer.main.get_command(app)
    assert hasattr(root, "commands")
    commands = _commands(root)
    assert ("data", "load") in commands and ("check",) in commands
    for cmd in commands:
        title = "## `usmca" + "".join(" " + c for c in cmd) + "`"
        assert title in DOCS["docs/cli.md"], f"docs/cli.md lacks {title}: run scripts/gen_cli_docs.py"


def test_every_setting_is_documented() -> None:
    assert "store" in SETTINGS
    for s in SETTINGS.values():
        assert s.help.strip(), s.name
        where = [name for name, text in DOCS.items() if s.env in text]
        assert where, f"setting {s.env} ({s.name}) is documented nowhere in README.md or docs/"
