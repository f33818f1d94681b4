"""YAML claims files, read with limits: no anchors or aliases, bounded depth and size, no duplicate keys.

Imported only when a YAML document is read (`usmca.claims.document` names these on first use): a
check of prose never pays for PyYAML's import. The limits are `usmca.claims.document`'s
MAX_YAML_DEPTH and MAX_YAML_NODES (see its docstring and docs/claims.md, "Input documents").
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.events import AliasEvent, MappingStartEvent, ScalarEvent, SequenceStartEvent
from yaml.nodes import MappingNode, Node, ScalarNode

from usmca.claims.document import MAX_YAML_DEPTH, MAX_YAML_NODES, InputError

# -------------------------------------------------------------------------------------- YAML
LINE_KEY = "__line__"


class _SafeComposer(Composer):
    """The composer with limits: no anchors or aliases, at most MAX_YAML_DEPTH levels, at most
    MAX_YAML_NODES nodes (the composer is recursive: the depth limit keeps it far from Python's)."""

    yaml_depth = 0
    yaml_nodes = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()  # type: ignore[attr-defined]
        at = f"line {_line(event.start_mark)}"
        if isinstance(event, AliasEvent):
            raise _Refused(f"{at}: YAML aliases (*{event.anchor}) are not accepted; write the value out")
        if isinstance(event, ScalarEvent | SequenceStartEvent | MappingStartEvent) and event.anchor is not None:
            raise _Refused(f"{at}: YAML anchors (&{event.anchor}) are not accepted; write the value out")
        self.yaml_nodes += 1
        if self.yaml_nodes > MAX_YAML_NODES:
            raise _Refused(f"{at}: more than {MAX_YAML_NODES:,} YAML nodes; split the claims into several files")
        self.yaml_depth += 1
        try:
            if self.yaml_depth > MAX_YAML_DEPTH:
                raise _Refused(f"{at}: YAML nested deeper than {MAX_YAML_DEPTH} levels")
            return super().compose_node(parent, index)  # type: ignore[no-any-return]
        finally:
            self.yaml_depth -= 1


class _Refused(yaml.YAMLError):
    pass


class _SafeScanner(yaml.scanner.Scanner):
    """The scanner with the depth limit on flow collections ([ and {): without it, thousands of
    opening brackets cost a time quadratic in their number before the composer sees the first one."""

    def fetch_flow_collection_start(self, TokenClass: Any) -> None:  # noqa: N803 (PyYAML's name)
        if self.flow_level >= MAX_YAML_DEPTH:  # type: ignore[attr-defined]
            mark = self.get_mark()  # type: ignore[attr-defined]
            raise _Refused(f"line {_line(mark)}: YAML nested deeper than {MAX_YAML_DEPTH} levels")
        super().fetch_flow_collection_start(TokenClass)  # type: ignore[misc]


def _line(mark: Any) -> int | str:
    return mark.line + 1 if mark is not None else "?"


class _SafeConstructor(SafeConstructor):
    def construct_object(self, node: Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, OverflowError) as e:  # a date 2025-13-45, an int of 5,000 digits
            what = str(e).split(";")[0][:120]
            raise _Refused(f"line {_line(node.start_mark)}: this value cannot be read ({what})") from e

    def construct_mapping(self, node: Node, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, MappingNode):
            raise ConstructorError(
                None, None, f"expected a mapping node, but found {type(node).__name__}", node.start_mark
            )
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=False)
            try:
                hash(key)
            except TypeError:
                continue
            line = key_node.start_mark.line + 1
            if key in seen:
                shown = repr(key) if len(repr(key)) <= 80 else repr(key)[:77] + "..."
                raise _Refused(f"line {line}: duplicate key {shown} (first at line {seen[key]}): give each key once")
            seen[key] = line
        return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return,arg-type]


def _construct_line_mapping(loader: Any, node: MappingNode) -> dict[str, Any]:
    m: dict[str, Any] = {str(k): v for k, v in loader.construct_mapping(node, deep=True).items()}
    m[LINE_KEY] = node.start_mark.line + 1
    return m


class SafeLineLoader(
    yaml.reader.Reader,
    _SafeScanner,
    yaml.parser.Parser,
    _SafeComposer,
    _SafeConstructor,
    yaml.resolver.Resolver,
):
    """yaml.SafeLoader with the limits of `_SafeComposer`, refused duplicate keys, and the line of every
    mapping under the key "__line__"."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        _SafeScanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        _SafeComposer.__init__(self)
        _SafeConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)


SafeLineLoader.add_constructor(  # type: ignore[type-var]  # the stubs know only yaml's own loaders
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_line_mapping
)


def load_yaml_safely(data: str, name: str) -> Any:
    """Parse one YAML document; every mapping gets its line as "__line__" (for error messages).

    InputError naming the file and line for: invalid YAML, an anchor or alias (refused: they make
    "billion laughs" bombs), nesting deeper than MAX_YAML_DEPTH, more than MAX_YAML_NODES nodes, a key
    given twice in one mapping (both lines named), a value that cannot be built (a date 2025-13-45,
    an integer of thousands of digits).
    """
    loader = SafeLineLoader(data)
    try:
        return loader.get_single_data()
    except _Refused as e:
        raise InputError(f"{name}, {e}") from e
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        what = " ".join(str(x) for x in (getattr(e, "context", None), getattr(e, "problem", None)) if x)
        raise InputError(f"{name}{where}: not valid YAML: {what or e}") from e
    except (ValueError, TypeError, OverflowError, RecursionError) as e:
        raise InputError(f"{name}: a YAML value cannot be read ({type(e).__name__}: {str(e)[:200]})") from e
    finally:
        loader.dispose()


def strip_lines(x: Any) -> Any:
    """A loaded YAML value without the "__line__" keys."""
    if isinstance(x, dict):
        return {k: strip_lines(v) for k, v in x.items() if k != LINE_KEY}
    if isinstance(x, list):
        return [strip_lines(v) for v in x]
    return x
