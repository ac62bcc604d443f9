"""Read a YAML rule file strictly, remembering the line of every value.

PyYAML silently keeps the last of two duplicate keys and forgets where a value
came from. Procedure owners need both: a duplicate key is an error (one of the two
values would be lost), and every later error must say which line to fix. So we
compose the node tree ourselves and build plain Python values from it, recording
``positions[(key, index, ...)] = line``.

Dates stay strings ("2026-12-25"): JSON Schema checks them with ``format: date``,
which also rejects impossible dates such as 2026-02-30 that PyYAML would crash on.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


@dataclass
class Problem:
    """One thing wrong in a rule file, with everything needed to fix it."""

    file: str
    line: int
    path: str
    message: str
    example: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}"
        text = f"{where} {self.path}: {self.message}" if self.path else f"{where} {self.message}"
        if self.example:
            text += f"\n    valid example: {self.example}"
        return text


@dataclass
class Document:
    """A parsed rule file: its data and the line of every key path."""

    file: str
    data: object
    positions: dict = field(default_factory=dict)

    def line(self, path: tuple) -> int:
        """The line of ``path``, or of its nearest parent that has one."""
        path = tuple(path)
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), 1)


def format_path(path) -> str:
    """``("timescales", 3, "unit")`` -> ``timescales[3].unit``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


class _Builder:
    def __init__(self, file: str):
        self.file = file
        self.positions: dict = {}
        self.problems: list[Problem] = []
        self._scalar = yaml.SafeLoader("")  # only used to resolve scalar values

    def build(self, node, path=()):
        self.positions[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            out = {}
            for key_node, value_node in node.value:
                key = self.build_scalar(key_node)
                if not isinstance(key, str):
                    key = str(key)
                if key in out:
                    self.problems.append(Problem(
                        self.file, key_node.start_mark.line + 1, format_path(path + (key,)),
                        f"duplicate key '{key}' (first on line {self.positions[path + (key,)]}); "
                        "YAML would silently keep only the last one",
                        "give each key once per block"))
                    continue
                self.positions[path + (key,)] = key_node.start_mark.line + 1
                out[key] = self.build(value_node, path + (key,))
                self.positions[path + (key,)] = key_node.start_mark.line + 1
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, path + (i,)) for i, child in enumerate(node.value)]
        return self.build_scalar(node)

    def build_scalar(self, node):
        if node.tag == TIMESTAMP_TAG:
            return node.value  # keep dates as text, see module docstring
        if isinstance(node, yaml.ScalarNode):
            return self._scalar.construct_object(node, deep=True)
        raise yaml.constructor.ConstructorError(None, None, "complex keys are not allowed", node.start_mark)


def read(text: str, file: str) -> tuple[Document | None, list[Problem]]:
    """Parse ``text`` (the contents of ``file``); return the document and any problems."""
    try:
        node = yaml.compose(text, Loader=Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        return None, [Problem(file, line, "", f"not valid YAML: {exc.problem or exc}",
                              "indent with spaces; quote text containing ': ' or starting with { [ * & ! % @ `")]
    if node is None:
        return None, [Problem(file, 1, "", "the file is empty", "see rules/README.md for the shape of this file")]
    builder = _Builder(file)
    try:
        data = builder.build(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return None, [Problem(file, mark.line + 1 if mark else 1, "", f"not valid YAML: {exc}")]
    return Document(file, data, builder.positions), builder.problems
