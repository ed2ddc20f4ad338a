"""Reading a framework file within fixed bounds, before anything is built from it.

A framework document is small: the largest built-in is 31 kB, about 1,500 values, nested 9
levels deep. An upload may be anything, so each reader refuses a file past these bounds
with a code naming the bound (``frameworks/codes.py`` words it):

- ``MAX_DOCUMENT_BYTES``: the file's size.
- ``MAX_DEPTH``: how deeply lists and mappings nest.
- ``MAX_ALIASES``: YAML aliases (``*name``, which repeat an ``&name`` anchor). Built-in
  files use a few to repeat a label.
- ``MAX_VALUES``: how many values the document holds once every alias is expanded.

YAML is read in two steps. The composer builds the node graph, in which an alias is one
more reference to the anchored node, so a "billion laughs" file (nine aliases of nine
aliases of ...) stays a few dozen nodes; the graph is measured (depth and expanded size,
each shared node measured once) and only then turned into Python values. Nothing is
expanded before it is known to be small. Pure: no Django.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

MAX_DOCUMENT_BYTES = 1_000_000
MAX_DEPTH = 20
MAX_ALIASES = 200
MAX_VALUES = 100_000


class TooBig(ValueError):
    """The file passes one of the bounds: ``code`` names which, ``params`` its limit."""

    def __init__(self, code: str, **params: int):
        self.code = code
        self.params = params
        super().__init__(f"{code} {params}")


def check_size(data: str | bytes) -> None:
    size = len(data.encode("utf-8")) if isinstance(data, str) else len(data)
    if size > MAX_DOCUMENT_BYTES:
        raise TooBig("file.too_large", kb=MAX_DOCUMENT_BYTES // 1000)


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader, counting aliases and nesting while it composes the graph."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self.depth = 0
        self.aliases = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise TooBig("file.too_many_aliases", limit=MAX_ALIASES)
            return super().compose_node(parent, index)
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise TooBig("file.too_deep", limit=MAX_DEPTH)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def measure_graph(root: yaml.Node) -> int:
    """The number of values ``root`` expands to, refusing one deeper than ``MAX_DEPTH`` or
    larger than ``MAX_VALUES`` (or an alias inside its own anchor, which never ends).

    Each node is measured once and remembered (its expanded size and height), so an alias
    costs a look-up however much it would expand to; recursion stops at ``MAX_DEPTH``."""
    measured: dict[int, tuple[int, int]] = {}
    open_nodes: set[int] = set()

    def visit(node: yaml.Node, depth: int) -> tuple[int, int]:
        if depth > MAX_DEPTH:
            raise TooBig("file.too_deep", limit=MAX_DEPTH)
        key = id(node)
        if key in measured:
            size, height = measured[key]
            if depth + height - 1 > MAX_DEPTH:
                raise TooBig("file.too_deep", limit=MAX_DEPTH)
            return size, height
        if key in open_nodes:
            raise TooBig("file.too_many_values", limit=MAX_VALUES)
        open_nodes.add(key)
        size, height = 1, 1
        for child in _children(node):
            child_size, child_height = visit(child, depth + 1)
            size += child_size
            height = max(height, child_height + 1)
            if size > MAX_VALUES:
                raise TooBig("file.too_many_values", limit=MAX_VALUES)
        open_nodes.discard(key)
        measured[key] = (size, height)
        return size, height

    return visit(root, 1)[0]


def load_yaml(text: str) -> Any:
    """The YAML document's value, or ``TooBig`` before anything large is built."""
    check_size(text)
    loader = _BoundedLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None
        measure_graph(root)
        return loader.construct_document(root)
    finally:
        loader.dispose()


def measure_value(value: Any) -> int:
    """The number of values in parsed JSON, refusing past ``MAX_DEPTH`` or ``MAX_VALUES``
    (without recursion, so no nesting can exhaust the stack)."""
    size = 0
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise TooBig("file.too_deep", limit=MAX_DEPTH)
        size += 1
        if size > MAX_VALUES:
            raise TooBig("file.too_many_values", limit=MAX_VALUES)
        if isinstance(item, dict):
            pending.extend((part, depth + 1) for pair in item.items() for part in pair)
        elif isinstance(item, list):
            pending.extend((child, depth + 1) for child in item)
    return size


def load_json(text: str) -> Any:
    """The JSON document's value, or ``TooBig``. JSON has no aliases, so its size bounds
    what it builds; nesting too deep for the parser's stack is refused as too deep."""
    check_size(text)
    try:
        value = json.loads(text)
    except RecursionError:
        raise TooBig("file.too_deep", limit=MAX_DEPTH) from None
    measure_value(value)
    return value
