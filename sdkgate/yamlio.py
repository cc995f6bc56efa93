"""YAML loading that remembers line numbers, so validation errors can point at the line."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import InputError


class Located(dict):
    """A mapping that knows the line of each key (1-based) and its own line."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LocatedList(list):
    line: int = 0
    item_lines: list


MAX_YAML_DEPTH = 64            # nesting of a manifest / scenario / suppressions file
MAX_YAML_BYTES = 8 << 20       # one YAML input file
MAX_YAML_NODES = 1_000_000     # nodes once aliases are expanded (a "billion laughs" file is refused)


class _Loader(yaml.SafeLoader):
    """SafeLoader whose (recursive) composer refuses nesting beyond MAX_YAML_DEPTH before recursing."""

    _depth = 0

    def compose_node(self, parent, index):
        self._depth += 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                mark = self.peek_event().start_mark
                raise InputError(None, f"line {mark.line + 1}, column {mark.column + 1}",
                                 f"nested deeper than {MAX_YAML_DEPTH} levels")
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        sizes = self.__dict__.setdefault("_sizes", {})
        if id(node) not in sizes:                   # an alias returns a node already sized
            if isinstance(node, yaml.SequenceNode):
                n = 1 + sum(sizes.get(id(c), 1) for c in node.value)
            elif isinstance(node, yaml.MappingNode):
                n = 1 + sum(sizes.get(id(k), 1) + sizes.get(id(v), 1) for k, v in node.value)
            else:
                n = 1
            sizes[id(node)] = n
            if n > MAX_YAML_NODES:
                raise InputError(None, f"line {node.start_mark.line + 1}",
                                 f"expands to more than {MAX_YAML_NODES} values through aliases")
        return node


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Located:
    loader.flatten_mapping(node)
    out = Located()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in out:
            raise InputError(None, f"line {key_node.start_mark.line + 1}", f"duplicate key {key!r}")
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = key_node.start_mark.line + 1
    return out


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LocatedList:
    out = LocatedList(loader.construct_object(child, deep=True) for child in node.value)
    out.line = node.start_mark.line + 1
    out.item_lines = [child.start_mark.line + 1 for child in node.value]
    return out


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def load_yaml(path: str | Path) -> Any:
    """Parse a YAML file; any syntax problem becomes an InputError naming file and line."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_YAML_BYTES:
            raise InputError(str(path), None, f"larger than {MAX_YAML_BYTES} bytes (the limit for a YAML input)")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(str(path), None, "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), None, f"cannot read: {exc}") from None
    return loads_yaml(text, str(path))


def loads_yaml(text: str, name: str) -> Any:
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - SafeLoader subclass
    except InputError as exc:
        raise InputError(name, exc.place, exc.problem) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        place = f"line {mark.line + 1}, column {mark.column + 1}" if mark else None
        raise InputError(name, place, f"invalid YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise InputError(name, None, f"invalid YAML: {exc}") from None


def line(obj: Any, key: str | None = None) -> str:
    """'line N' for a located mapping (optionally the line of one of its keys)."""
    if isinstance(obj, Located):
        return f"line {obj.line_of(key) if key else obj.line}"
    if isinstance(obj, LocatedList):
        return f"line {obj.line}"
    return ""


def package_data(name: str) -> Any:
    """Parse one of the package's own data tables (sdkgate/data/NAME) with the fast C loader."""
    from importlib import resources
    text = resources.files("sdkgate.data").joinpath(name).read_text("utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - safe loader
