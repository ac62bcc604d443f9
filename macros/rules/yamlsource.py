"""Read a YAML rule file strictly, remembering the line of every value.

PyYAML silently keeps the last of two duplicate keys and forgets where a value
came from. Procedure owners need both: a duplicate key is an error (one of the two
values would be lost), and every later error must say which line to fix. So we
compose the node tree ourselves and build plain Python values from it, recording
``positions[(key, index, ...)] = line``.

Dates stay strings ("2026-12-25"): JSON Schema checks them with ``format: date``,
which also rejects impossible dates such as 2026-02-30 that PyYAML would crash on.

Scalars are read strictly, as YAML 1.2 would or not at all (PyYAML reads YAML 1.1):

- a number must be a plain decimal integer (``45``, ``-3``, ``0``): YAML 1.1's
  sexagesimal ``1:30`` (read as 90), hexadecimal ``0x7``, octal ``07``/``0o7``,
  ``1_000``, ``+5`` and every float (``45.0``, ``1e3``, ``.inf``) are refused with the
  line, never silently converted ("45.0 working days" on a page, a calculator broken);
- ``yes``/``no``/``on``/``off`` are text, as in YAML 1.2 (only ``true``/``false`` are
  booleans);
- text is normalised to Unicode NFC ("Café" typed with a combining accent and with
  the precomposed letter is one word), so duplicate checks compare what readers see;
- Windows line ends (CRLF) are read as plain line ends.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
INT_TAG, FLOAT_TAG, BOOL_TAG = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool"
_DECIMAL = re.compile(r"-?(0|[1-9][0-9]*)")
_YAML12_BOOL = frozenset({"true", "True", "TRUE", "false", "False", "FALSE"})
# The messages of a file that could not be read at all (the checks across files then wait for it).
UNREADABLE = ("not valid YAML", "the file is UTF-16", "the file starts with a byte-order mark", "the file holds a NUL",
              "byte ", "YAML anchors and aliases", "nested more than", "the file is empty")
MAX_DIGITS = 18           # beyond any amount, order or count; the checks of each kind set the real ranges
MAX_DEPTH = 20        # the deepest real rule file nests 9 levels; deeper is a mistake or an attack
_OPEN = (yaml.BlockMappingStartToken, yaml.BlockSequenceStartToken, yaml.FlowMappingStartToken,
         yaml.FlowSequenceStartToken)
_CLOSE = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)


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
    """A parsed rule file: its data and the line of every key path.

    The lines are worked out only when a problem needs one (``line``): from ``text``,
    parsed again. A valid manual never needs them, and recording them for every value
    took a third of the time and memory of reading a 2,000-procedure manual. ``text`` is
    given as a function returning the file's text (it is read again from disk), so no
    file's text is held either."""

    file: str
    data: object
    positions: dict | None = None
    text: object = None     # () -> the file's text, when ``positions`` is left to be worked out
    refused: set = frozenset()   # key paths (formatted) whose value the reader refused already

    def line(self, path: tuple) -> int:
        """The line of ``path``, or of its nearest parent that has one."""
        if self.positions is None:
            self.positions = _positions(self.text(), self.file) if self.text else {}
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
    """Plain values from a composed node tree. Duplicate keys are problems; with
    ``record``, the line of every key path is kept in ``positions``."""

    def __init__(self, file: str, record: bool = True):
        self.file = file
        self.record = record
        self.positions: dict = {}
        self.problems: list[Problem] = []
        self.refused: set[str] = set()      # key paths whose value was refused here (not to be reported again)
        self._scalar = yaml.SafeLoader("")  # only used to resolve scalar values

    def build(self, node, path=()):
        if self.record:
            self.positions[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            out = {}
            for key_node, value_node in node.value:
                key = self.build_scalar(key_node)
                if not isinstance(key, str):
                    key = str(key)
                if key in out:
                    first = next(k.start_mark.line + 1 for k, _ in node.value if str(self.build_scalar(k)) == key)
                    self.problems.append(Problem(
                        self.file, key_node.start_mark.line + 1, format_path(path + (key,)),
                        f"duplicate key '{key}' (first on line {first}); "
                        "YAML would silently keep only the last one",
                        "give each key once per block"))
                    continue
                out[key] = self.build(value_node, path + (key,))
                if self.record:
                    self.positions[path + (key,)] = key_node.start_mark.line + 1
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, path + (i,)) for i, child in enumerate(node.value)]
        return self.build_scalar(node, path)

    def build_scalar(self, node, path=None):
        if node.tag == TIMESTAMP_TAG:
            return node.value  # keep dates as text, see module docstring
        if node.tag == BOOL_TAG and node.value not in _YAML12_BOOL:
            return node.value  # yes/no/on/off: text, as YAML 1.2 reads it
        if node.tag in (INT_TAG, FLOAT_TAG) and path is not None:
            if node.tag == INT_TAG and _DECIMAL.fullmatch(node.value) and len(node.value.lstrip("-")) <= MAX_DIGITS:
                return int(node.value)
            whole = node.tag == FLOAT_TAG and re.fullmatch(r"-?[0-9]+\.0*", node.value)
            self.problems.append(Problem(
                self.file, node.start_mark.line + 1, format_path(path),
                f"{node.value!r} is not a whole number written in digits"
                + (" (amounts, orders and counts are whole numbers)" if node.tag == FLOAT_TAG else
                   f" (YAML 1.1 would read it as {self._scalar.construct_object(node, deep=True)!r})"
                   if not _DECIMAL.fullmatch(node.value) else f" of at most {MAX_DIGITS} digits"),
                f"{path[-1] if path and isinstance(path[-1], str) else 'amount'}: "
                + (node.value.split(".")[0] if whole else "15" if path and path[-1] == "amount" else "1")))
            self.refused.add(format_path(path))
            return node.value
        if isinstance(node, yaml.ScalarNode):
            value = self._scalar.construct_object(node, deep=True)
            return unicodedata.normalize("NFC", value) if isinstance(value, str) else value
        raise yaml.constructor.ConstructorError(None, None, "complex keys are not allowed", node.start_mark)


def _positions(text: str, file: str) -> dict:
    """The line of every key path of ``text`` (which parsed before: ``read`` checked it)."""
    builder = _Builder(file)
    try:
        builder.build(yaml.compose(text, Loader=Loader))
    except (yaml.YAMLError, ValueError, OverflowError, RecursionError, AttributeError):
        return {}
    return builder.positions


def decode(raw: bytes, file: str) -> tuple[str | None, list[Problem]]:
    """The text of a rule file, which must be UTF-8 without a byte-order mark and without NUL
    (Windows line ends, CRLF, are accepted and read as plain line ends).

    Each refusal names the line: a UTF-16 file (its byte-order mark or a NUL after
    every character), a UTF-8 byte-order mark (some editors add one), a NUL byte, a
    byte that is not UTF-8 (a file saved as Windows-1252: "\x92" for a curly quote)."""
    save = "save the file as UTF-8 (in VS Code: 'Save with Encoding', UTF-8)"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(raw) > 1 and raw[1:2] == b"\x00" and raw[0:1] != b"\x00"):
        return None, [Problem(file, 1, "", "the file is UTF-16, not UTF-8", save)]
    if raw.startswith(b"\xef\xbb\xbf"):
        return None, [Problem(file, 1, "", "the file starts with a byte-order mark (BOM); rule files are UTF-8 without one",
                              save + " without BOM")]
    if b"\x00" in raw:
        line = raw[:raw.index(b"\x00")].count(b"\n") + 1
        return None, [Problem(file, line, "", "the file holds a NUL byte (it is not a text file, or was saved as UTF-16)", save)]
    try:
        return raw.decode("utf-8").replace("\r\n", "\n"), []
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        return None, [Problem(file, line, "", f"byte {raw[exc.start]:#04x} is not UTF-8 (the file was saved in another "
                                              "encoding, e.g. Windows-1252)", save)]


def _structure_problems(text: str, file: str) -> list[Problem]:
    """Anchors and aliases are refused (an alias bomb of a few hundred bytes expands to
    gigabytes; rule files have no use for them), and nesting deeper than MAX_DEPTH."""
    depth = 0
    try:
        for tok in yaml.scan(text, Loader=Loader):
            if isinstance(tok, (yaml.AliasToken, yaml.AnchorToken)):
                sign = "*" if isinstance(tok, yaml.AliasToken) else "&"
                return [Problem(file, tok.start_mark.line + 1, "",
                                f"YAML anchors and aliases ('{sign}{tok.value}') are not allowed in rule files: "
                                "write each value out in full", "repeat the value instead of '&name' / '*name'")]
            if isinstance(tok, _OPEN):
                depth += 1
                if depth > MAX_DEPTH:
                    return [Problem(file, tok.start_mark.line + 1, "",
                                    f"nested more than {MAX_DEPTH} levels deep; see rules/README.md for the shape of this file")]
            elif isinstance(tok, _CLOSE):
                depth -= 1
    except yaml.YAMLError:
        return []  # compose reports it with its line
    return []


def read(text: str, file: str, reread=None) -> tuple[Document | None, list[Problem]]:
    """Parse ``text`` (the contents of ``file``); return the document and any problems.

    With ``reread`` (a function returning the file's text again), the lines of the
    document's values are worked out only if a later check needs one (``Document.line``);
    otherwise they are recorded now."""
    refused = _structure_problems(text, file)
    if refused:
        return None, refused
    try:
        node = yaml.compose(text, Loader=Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        return None, [Problem(file, line, "", f"not valid YAML: {exc.problem or exc}",
                              "indent with spaces; quote text containing ': ' or starting with { [ * & ! % @ `")]
    except yaml.reader.ReaderError as exc:     # a character YAML does not allow in a file (DEL, C1 controls)
        line = text[:exc.position].count("\n") + 1
        return None, [Problem(file, line, "", f"not valid YAML: the character U+{exc.character:04X} is not allowed "
                                              "in a rule file (a control character)", "type the text again without it")]
    if node is None:
        return None, [Problem(file, 1, "", "the file is empty", "see rules/README.md for the shape of this file")]
    builder = _Builder(file, record=reread is None)
    try:
        data = builder.build(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return None, [Problem(file, mark.line + 1 if mark else 1, "", f"not valid YAML: {getattr(exc, 'problem', None) or exc}")]
    except (ValueError, OverflowError, RecursionError) as exc:  # e.g. a number too large to build
        return None, [Problem(file, 1, "", f"not valid YAML: {exc}")]
    doc = Document(file, data, builder.positions) if reread is None else Document(file, data, None, reread)
    doc.refused = builder.refused
    return doc, builder.problems
