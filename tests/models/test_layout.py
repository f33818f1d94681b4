"""The models import one way: io <- backends (the only dispatcher) <- mrio; no cycle, no package import."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
PACKAGES = {"usmca.models", "usmca.models.mrio"}


def _graph() -> dict[str, set[str]]:
    mods = {}
    for p in (SRC / "usmca" / "models").rglob("*.py"):
        name = ".".join(p.relative_to(SRC).with_suffix("").parts).removesuffix(".__init__")
        mods[name] = p
    out: dict[str, set[str]] = {}
    for name, p in mods.items():
        deps = set()
        for node in ast.parse(p.read_text()).body:  # module-level imports only (lazy ones are allowed)
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("usmca.models"):
                for a in node.names:
                    sub = f"{node.module}.{a.name}"
                    deps.add(sub if sub in mods else node.module)
            elif isinstance(node, ast.Import):
                deps |= {a.name for a in node.names if a.name.startswith("usmca.models")}
        out[name] = deps
    return out


def test_no_module_imports_its_package_or_forms_a_cycle() -> None:
    g = _graph()
    for name, deps in g.items():
        if name not in PACKAGES:
            assert not (deps & PACKAGES), f"{name} imports a package __init__: {deps & PACKAGES}"
    inner = {k: {d for d in v if d not in PACKAGES} for k, v in g.items() if k not in PACKAGES}
    state: dict[str, int] = {}

    def visit(n: str, path: list[str]) -> None:
        state[n] = 1
        for d in inner.get(n, ()):
            assert state.get(d) != 1, f"import cycle: {' -> '.join([*path, n, d])}"
            if d not in state:
                visit(d, [*path, n])
        state[n] = 2

    for n in inner:
        if n not in state:
            visit(n, [])


def test_io_knows_no_backend_and_backends_dispatch() -> None:
    g = _graph()
    assert "usmca.models.backends" not in g["usmca.models.io"]
    assert "usmca.models.io" in g["usmca.models.backends"]
    assert not any(d.startswith("usmca.models.mrio") for d in g["usmca.models.io"] | g["usmca.models.backends"])
