"""Each rule file against the JSON Schema of its kind (``rules/schema/``), in words an owner can act on.

The same schemas editors use while a procedure owner types (the first line of every
rule file links its schema). A schema error becomes a :class:`Problem` with the file,
the line, the key and, where the schema has ``examples``, a valid example.
"""
from __future__ import annotations

import json
from functools import cache

import jsonschema

from macros.rules.model import RULES
from macros.rules.yamlsource import Document, Problem, format_path


@cache
def schema(kind: str) -> dict:
    return json.loads((RULES / "schema" / f"{kind}.schema.json").read_text())


def _example(schema_node: dict, key: str | None) -> str:
    """A valid example for an error message, from the schema's ``examples``."""
    node = schema_node
    if "examples" in node:
        value = node["examples"][0]
        return f"{key}: {json.dumps(value, ensure_ascii=False)}" if key else json.dumps(value, ensure_ascii=False)
    return ""


@cache
def _validator(kind: str) -> jsonschema.Draft202012Validator:
    """One validator per kind of file, made once (a 2,000-procedure manual has 2,000 files)."""
    return jsonschema.Draft202012Validator(schema(kind), format_checker=jsonschema.FormatChecker())


def schema_problems(doc: Document, kind: str) -> list[Problem]:
    try:
        root_schema = schema(kind)
    except (OSError, ValueError) as exc:
        return [Problem(doc.file, 1, "", f"cannot read the schema for {kind} files: {exc}", f"rules/schema/{kind}.schema.json")]
    validator = _validator(kind)
    problems = []
    for err in sorted(validator.iter_errors(doc.data), key=lambda e: list(map(str, e.absolute_path))):
        path = tuple(err.absolute_path)
        key = path[-1] if path and isinstance(path[-1], str) else None
        message, example = _describe(err, root_schema, key)
        problems.append(Problem(doc.file, doc.line(path), format_path(path), message, example))
    return problems


def _describe(err: jsonschema.ValidationError, root_schema: dict, key: str | None) -> tuple[str, str]:
    """Turn a jsonschema error into words a procedure owner can act on."""
    v = err.validator
    if v == "additionalProperties":
        allowed = sorted(err.schema.get("properties", {}))
        extra = sorted(set(err.instance) - set(allowed))
        return (f"unknown key{'s' if len(extra) > 1 else ''} {', '.join(repr(k) for k in extra)}; "
                f"allowed keys: {', '.join(allowed)}", "")
    if v == "required":
        missing = err.message.split("'")[1]
        sub = err.schema.get("properties", {}).get(missing, {})
        return f"missing required key '{missing}'", _example(sub, missing)
    if v == "enum":
        choices = ", ".join(str(c) for c in err.validator_value)
        return f"{err.instance!r} is not one of {choices}", _example(err.schema, key)
    if v == "format" and err.validator_value == "date":
        return f"{err.instance!r} is not a real date (YYYY-MM-DD)", _example(err.schema, key)
    if v == "const":
        return f"{json.dumps(err.instance)} must be {json.dumps(err.validator_value)}", _example(err.schema, key)
    if v == "pattern":
        return f"{err.instance!r} does not have the expected form", _example(err.schema, key)
    if v == "type":
        return f"{err.instance!r} should be {err.validator_value}", _example(err.schema, key)
    if v == "anyOf" and err.schema.get("anyOf") == [{"required": ["text"]}, {"required": ["who"]}]:
        return "a block needs 'text' or 'who'", "text: |\n      The paragraph, word for word."
    if v == "dependentRequired":
        return err.message.replace("is a dependency of", "is required with"), ""
    return err.message, _example(err.schema, key)


