"""The api package imports one way: app assembles routers, the routers use the service, and no
module of usmca.api imports another that imports it back (issue 13: app <-> pages was a cycle)."""

from __future__ import annotations

import ast
from pathlib import Path

API = Path(__file__).resolve().parents[2] / "src" / "usmca" / "api"


def _imports(path: Path) -> set[str]:
    """The usmca.api modules a file imports, anywhere in it (inside functions and TYPE_CHECKING too)."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("usmca.api"):
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("usmca.api"))
    return out


def _graph() -> dict[str, set[str]]:
    mods = {f"usmca.api.{p.stem}": p for p in API.glob("*.py") if p.stem != "__init__"}
    return {m: {d for d in _imports(p) if d in mods and d != m} for m, p in mods.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        stack.append(m)
        for d in sorted(graph[m]):
            if state.get(d) == 1:
                return stack[stack.index(d) :] + [d]
            if d not in state:
                found = visit(d)
                if found:
                    return found
        stack.pop()
        state[m] = 2
        return None

    for m in sorted(graph):
        if m not in state:
            found = visit(m)
            if found:
                return found
    return None


def test_no_import_cycle_among_api_modules() -> None:
    graph = _graph()
    assert {"usmca.api.app", "usmca.api.service", "usmca.api.routes", "usmca.api.pages"} <= set(graph)
    assert _cycle(graph) is None, _cycle(graph)


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_app_only_assembles() -> None:
    graph = _graph()
    assert not any("usmca.api.app" in deps for deps in graph.values()), "nothing imports the app module"
    app = (API / "app.py").read_text(encoding="utf-8")
    # no route is declared in app.py: they live in the routers
    for decorator in ("@app.get(", "@app.post(", "@router."):
        assert decorator not in app
    service = (API / "service.py").read_text(encoding="utf-8")
    assert "fastapi" not in service  # the service knows no web framework
