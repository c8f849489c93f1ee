"""The one YAML loader: safe, within limits, every refusal naming its line and column.

Every YAML document aiom reads goes through `load`: the policy (its drafts come from
the page, the API and `aiom policy`), the maturity model, the obligations pack and the
import mappings (uploaded ones too). It is PyYAML's SafeLoader (no Python objects, no
tags but the standard ones), so a hostile document costs little and answers 4xx.

Checked before parsing: the document's length. While composing (before any Python object
is built): how deep the nodes nest and how many aliases (`*name`) it uses. Before
constructing: how many nodes the document stands for once every alias is expanded (the
"billion laughs": nine lines of anchors that expand to a billion strings) and whether an
alias refers to a node that contains it. Each refusal is the caller's error (a
`DocumentError` or anything built from a list of problems) with one problem,
"line L, column C: ..." where there is a place, else "(document): ...".
"""

from collections.abc import Callable
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

from aiom.core.documents import DocumentError

Refusal = Callable[[list[str]], Exception]

MAX_CHARS = 500_000  # the shipped documents are under 16,000
MAX_DEPTH = 32  # the shipped policy nests 6 deep
MAX_ALIASES = 200
MAX_NODES = 200_000  # after expanding aliases; the shipped policy has about 1,100


class _YamlError(DocumentError):
    """A refusal on its way out of the loader, turned into the caller's error by `load`."""


def _at(mark: Any) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else "(yaml)"


class _LimitedLoader(yaml.SafeLoader):
    """SafeLoader that refuses deep nesting and many aliases while it composes."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = 0
        self.aliases = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise _YamlError(
                    [f"{_at(event.start_mark)}: more than {MAX_ALIASES} aliases (*name)"]
                )
            return super().compose_node(parent, index)
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise _YamlError(
                    [f"{_at(event.start_mark)}: nested more than {MAX_DEPTH} levels deep"]
                )
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def expanded_size(root: Node) -> int:
    """How many nodes `root` stands for with every alias expanded (shared nodes counted each
    time they are reached). _YamlError when aliases nest it deeper than MAX_DEPTH or an
    alias refers to a node that contains it. Never recurses deeper than MAX_DEPTH."""
    seen: dict[int, tuple[int, int]] = {}  # id -> (size, height)
    open_nodes: set[int] = set()

    def walk(node: Node, level: int) -> tuple[int, int]:
        key = id(node)
        if level > MAX_DEPTH:
            where = _at(node.start_mark)
            raise _YamlError([f"{where}: nested more than {MAX_DEPTH} levels deep (with aliases)"])
        if key in open_nodes:
            raise _YamlError([f"{_at(node.start_mark)}: an alias refers to a node containing it"])
        size, height = seen.get(key) or (0, 0)
        if not size:
            open_nodes.add(key)
            size, height = 1, 1
            for child in _children(node):
                child_size, child_height = walk(child, level + 1)
                size, height = size + child_size, max(height, child_height + 1)
                if size > MAX_NODES:  # stop counting early: 10**9 nodes need not be summed
                    break
            open_nodes.discard(key)
            seen[key] = (size, height)
        if level + height - 1 > MAX_DEPTH:
            where = _at(node.start_mark)
            raise _YamlError([f"{where}: nested more than {MAX_DEPTH} levels deep (with aliases)"])
        return size, height

    return walk(root, 1)[0]


def load(text: str, *, what: str = "a document", error: Refusal = DocumentError) -> Any:
    """The document's data, or `error([problem])` naming the limit it breaks or the YAML
    error and where; `what` names the document in a refusal ("a policy may have ...")."""
    try:
        return _load(text, what)
    except _YamlError as exc:
        raise error(exc.problems) from exc


def _load(text: str, what: str) -> Any:
    if len(text) > MAX_CHARS:
        raise _YamlError(
            [f"(document): {len(text):,} characters; {what} may have at most {MAX_CHARS:,}"]
        )
    loader = _LimitedLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if expanded_size(node) > MAX_NODES:
            raise _YamlError(
                [
                    f"(document): more than {MAX_NODES:,} values once its aliases are "
                    f"expanded; {what} may not expand that far"
                ]
            )
        try:
            return loader.construct_document(node)
        except (ValueError, TypeError, AttributeError, OverflowError) as exc:
            # PyYAML's constructors let some malformed values through as plain errors: an
            # int of 5,000 digits, a date "2001-13-45", `!!timestamp 'x'`, `!!float 'x'`
            raise _YamlError([f"(document): a value YAML cannot read ({exc})"]) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or exc
        raise _YamlError([f"{_at(mark)}: not valid YAML ({problem})"]) from exc
    finally:
        loader.dispose()
