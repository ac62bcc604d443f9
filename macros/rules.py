"""Load and validate rules/: every problem at once, each with file, line, key and a valid example.

Three passes, so that one mistake does not hide the others:

1. each file is parsed strictly (duplicate keys are errors, see ``yamlsource``);
2. each file is checked against the JSON Schema of its kind (``rules/schema/``,
   the same schemas editors use while a procedure owner types);
3. the files are checked against each other: unique ids, references to events,
   steps, documents, sections, contacts and flag groups that exist, macros in
   text that name real timescales and contacts.

``load_rules()`` returns a :class:`Rules` or raises :class:`RulesInvalid`
listing every problem. It never lets a Python traceback reach a procedure owner.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import jsonschema

from tools.layers import chain

from . import yamlsource
from .yamlsource import Document, Problem, format_path

REPO = Path(__file__).resolve().parent.parent
RULES = REPO / "rules"

# Which schema a file uses, by where it lives under rules/.
KINDS = [
    (re.compile(r"^areas\.yaml$"), "areas"),
    (re.compile(r"^events\.yaml$"), "events"),
    (re.compile(r"^procedures/[a-z0-9-]+/[a-z0-9-]+\.yaml$"), "procedure"),
    (re.compile(r"^timescales/[a-z0-9-]+\.yaml$"), "timescales"),
    (re.compile(r"^contacts/[a-z0-9-]+\.yaml$"), "contacts"),
    (re.compile(r"^thresholds/[a-z0-9-]+\.yaml$"), "thresholds"),
    (re.compile(r"^glossary/[a-z0-9-]+\.yaml$"), "glossary"),
    (re.compile(r"^calendar/[a-z0-9-]+\.yaml$"), "calendar"),
]

# The macros a rule text may use, and what each one names.
MACRO = re.compile(r"\{\{\s*(?P<name>[a-z_]+)\s*\((?P<args>[^)]*)\)\s*\}\}")
TS_FORMS = ("full", "amount", "words", "unit", "every", "every_amount", "every_words")


class RulesInvalid(Exception):
    """rules/ has problems; ``problems`` lists them all."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in rules/")

    def report(self) -> str:
        lines = [str(p) for p in self.problems]
        noun = "problem" if len(self.problems) == 1 else "problems"
        lines.append(f"\nrules/ has {len(self.problems)} {noun}; the site was not built. "
                     "See rules/README.md for the shape of each file.")
        return "\n".join(lines)


@dataclass
class Rules:
    """Everything in rules/, validated and indexed. Plain data, no behaviour."""

    root: Path
    areas: dict = field(default_factory=dict)          # id -> area
    documents: dict = field(default_factory=dict)      # id -> document (+ "area")
    events: dict = field(default_factory=dict)         # id -> event
    steps: dict = field(default_factory=dict)          # id -> step
    procedures: dict = field(default_factory=dict)     # area -> [procedure], by order
    parts: dict = field(default_factory=dict)          # area -> [part], by order (areas with parts only)
    anchors: dict = field(default_factory=dict)        # section/block id -> Anchor
    timescales: dict = field(default_factory=dict)     # area -> [timescale]
    contacts: dict = field(default_factory=dict)       # area -> [contact]
    thresholds: dict = field(default_factory=dict)     # area -> thresholds
    glossary: dict = field(default_factory=dict)       # area -> [term]
    calendar: dict = field(default_factory=dict)

    def timescale(self, ts_id: str) -> dict:
        return self._by_id("timescales")[ts_id]

    def contact(self, contact_id: str) -> dict:
        return self._by_id("contacts")[contact_id]

    def _by_id(self, kind: str) -> dict:
        cache = self.__dict__.setdefault("_index", {})
        if kind not in cache:
            cache[kind] = {item["id"]: item for items in getattr(self, kind).values() for item in items}
        return cache[kind]

    def lineage(self, area: str) -> list[str]:
        """``coventry`` -> ``["coventry", "national"]`` (:func:`tools.layers.chain`)."""
        return chain(self.areas, area)


@dataclass
class Anchor:
    """A place on the site a link or a citation can point to."""

    id: str
    area: str
    page: str            # procedure id
    title: str           # heading, or "Paragraph 3.23"
    cite: str            # the document's own number or heading
    document: str
    kind: str            # section | paragraph | box | ...

    @property
    def url(self) -> str:
        """Site-relative address, e.g. ``peterborough/referrals/#pbo-3-23``."""
        return f"{self.area}/{self.page}/#{self.id}"


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


def _schema_problems(doc: Document, kind: str) -> list[Problem]:
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


def _shown(path: Path) -> str:
    """The path as the user should read it: relative to the project when inside it."""
    try:
        return path.resolve().relative_to(REPO).as_posix()
    except ValueError:
        return str(path)


def kind_of(rel: str) -> str | None:
    for pattern, kind in KINDS:
        if pattern.match(rel):
            return kind
    return None


def read_all(root: Path) -> tuple[dict, list[Problem]]:
    """Parse and schema-check every rule file. Returns {relative path: (kind, Document)}."""
    docs, problems = {}, []
    for path in sorted(root.rglob("*.y*ml")):
        rel = path.relative_to(root).as_posix()
        shown = _shown(path)
        if rel.startswith("schema/"):
            continue
        kind = kind_of(rel)
        if kind is None:
            problems.append(Problem(shown, 1, "", "is not a known kind of rule file (see the layout in rules/README.md)",
                                    "rules/timescales/dudley.yaml"))
            continue
        text = path.read_text(encoding="utf-8")
        doc, found = yamlsource.read(text, shown)
        problems += found
        if doc is None:
            continue
        want = f"$schema={'../' * rel.count('/')}schema/{kind}.schema.json"
        first = text.split("\n", 1)[0]
        if not (first.startswith("# yaml-language-server: $schema=") and first.endswith(f"schema/{kind}.schema.json")):
            problems.append(Problem(shown, 1, "", "the first line must link the file's schema (for editors)",
                                    f"# yaml-language-server: {want}"))
        if not isinstance(doc.data, dict):
            problems.append(Problem(shown, 1, "", "the file must be a mapping of keys", ""))
            continue
        problems += _schema_problems(doc, kind)
        docs[rel] = (kind, doc)
    return docs, problems


class _Checker:
    """Cross-file checks. Collects problems; builds the Rules indexes as it goes."""

    def __init__(self, root: Path, docs: dict):
        self.rules = Rules(root=root)
        self.docs = docs
        self.problems: list[Problem] = []
        self.ids: dict[str, tuple] = {}   # global namespace for anchors, timescales, contacts, flags...

    def problem(self, doc: Document, path: tuple, message: str, example: str = ""):
        self.problems.append(Problem(doc.file, doc.line(path), format_path(path), message, example))

    def claim(self, doc: Document, path: tuple, ident: str, what: str) -> bool:
        """Register a site-wide unique id; report the first place it was used."""
        if ident in self.ids:
            other_doc, other_path = self.ids[ident]
            self.problem(doc, path, f"duplicate id '{ident}' ({what}); already used at "
                                    f"{other_doc.file}:{other_doc.line(other_path)}",
                         "ids are unique across the whole site: add the area prefix or a number")
            return False
        self.ids[ident] = (doc, path)
        return True

    def of_kind(self, kind: str):
        return [(rel, doc) for rel, (k, doc) in self.docs.items() if k == kind]

    def guarded(self, check, *args):
        """Run a cross-check; a file that failed its schema may lack keys, and its
        schema problems are already reported, so a KeyError here is not news."""
        try:
            check(*args)
        except (KeyError, TypeError, AttributeError, IndexError):
            pass

    def run(self) -> Rules:
        r = self.rules
        self.guarded(self.load_areas)
        self.guarded(self.load_events)
        for _rel, doc in self.of_kind("calendar"):
            r.calendar = doc.data
            self.guarded(self.check_calendar, doc)
        for rel, doc in sorted(self.of_kind("procedure")):
            self.guarded(self.load_procedure, rel, doc)
        for kind, target in [("timescales", r.timescales), ("contacts", r.contacts),
                             ("thresholds", r.thresholds), ("glossary", r.glossary)]:
            for rel, doc in self.of_kind(kind):
                area = self.area_file(rel, doc)
                if area:
                    key = {"glossary": "terms"}.get(kind, kind)
                    target[area] = doc.data if kind == "thresholds" else doc.data.get(key, [])
        for area_procs in r.procedures.values():
            area_procs.sort(key=lambda p: (p["order"], p["id"]))
        for check in (self.check_timescales, self.check_contacts, self.check_thresholds,
                      self.check_glossary, self.check_texts):
            self.guarded(check)
        if not r.calendar:
            self.problems.append(Problem("rules/calendar/", 1, "", "no calendar file: the deadline calculator needs bank holidays",
                                         "rules/calendar/england-and-wales.yaml"))
        return r

    # -- areas, events, calendar ---------------------------------------------------------
    def load_areas(self):
        found = self.of_kind("areas")
        if not found:
            self.problems.append(Problem("rules/areas.yaml", 1, "", "missing: the site needs its list of areas", ""))
            return
        _, doc = found[0]
        prefixes = {}
        for i, area in enumerate(doc.data.get("areas", [])):
            if not isinstance(area, dict) or "id" not in area:
                continue
            if area["id"] in self.rules.areas:
                self.problem(doc, ("areas", i, "id"), f"duplicate area '{area['id']}'")
                continue
            self.rules.areas[area["id"]] = area
            if area.get("prefix") in prefixes:
                self.problem(doc, ("areas", i, "prefix"), f"prefix '{area['prefix']}' is also {prefixes[area['prefix']]}'s")
            prefixes[area.get("prefix")] = area["id"]
            for j, d in enumerate(area.get("documents", [])):
                if self.claim(doc, ("areas", i, "documents", j, "id"), d["id"], "document"):
                    self.rules.documents[d["id"]] = {**d, "area": area["id"]}
            self.load_parts(doc, i, area)
        for i, area in enumerate(doc.data.get("areas", [])):
            parent = area.get("inherits") if isinstance(area, dict) else None
            if parent is not None and parent not in self.rules.areas:
                self.problem(doc, ("areas", i, "inherits"), f"unknown area '{parent}'; areas: {', '.join(self.rules.areas)}",
                             "inherits: national")
        self.areas_doc = doc

    def load_parts(self, doc: Document, i: int, area: dict):
        """An area's parts (optional): unique ids, kept by ``order`` then id.

        A part id names the overview page ``<area>/parts/<id>/``, so two parts of one
        area cannot share it; parts of different areas may (``part-1`` in each)."""
        if "parts" not in area:
            return
        seen = set()
        for j, part in enumerate(area["parts"]):
            if part["id"] in seen:
                self.problem(doc, ("areas", i, "parts", j, "id"), f"duplicate part '{part['id']}' in area '{area['id']}'",
                             f"id: {part['id']}-2")
            seen.add(part["id"])
        self.rules.parts[area["id"]] = sorted(area["parts"], key=lambda p: (p["order"], p["id"]))

    def check_parts(self, rel: str, doc: Document, area: str, data: dict):
        """A procedure names its part exactly when its area has parts."""
        parts = self.rules.parts.get(area)
        part = data.get("part")
        if parts is None:
            if part is not None:
                self.problem(doc, ("part",), f"area '{area}' has no parts, so a procedure names none; "
                             "remove part:, or declare the area's parts in rules/areas.yaml",
                             "parts:\n  - id: referral-and-assessment\n    title: \"Part 1: Referral and assessment\"\n    order: 1")
            return
        ids = [p["id"] for p in parts]
        if part is None:
            self.problem(doc, ("order",), f"area '{area}' groups its procedures into parts: this procedure must name one "
                         f"({', '.join(ids)})", f"part: {ids[0]}")
        elif part not in ids:
            self.problem(doc, ("part",), f"unknown part '{part}' for area '{area}'; parts: {', '.join(ids)}",
                         f"part: {ids[0]}")

    def load_events(self):
        found = self.of_kind("events")
        if not found:
            self.problems.append(Problem("rules/events.yaml", 1, "", "missing: events and steps are needed", ""))
            return
        _, doc = found[0]
        for key, target in (("events", self.rules.events), ("steps", self.rules.steps)):
            for i, item in enumerate(doc.data.get(key, [])):
                if item["id"] in target:
                    self.problem(doc, (key, i, "id"), f"duplicate {key[:-1]} '{item['id']}'")
                target[item["id"]] = item

    def check_calendar(self, doc: Document):
        data = doc.data
        dates = [h["date"] for h in data.get("holidays", [])]
        if dates != sorted(dates):
            self.problem(doc, ("holidays",), "holidays must be in date order", "")
        if len(set(dates)) != len(dates):
            self.problem(doc, ("holidays",), "a date is listed twice", "")
        lo, hi = data.get("covers_from", ""), data.get("covers_to", "")
        for i, d in enumerate(dates):
            if not lo <= d <= hi:
                self.problem(doc, ("holidays", i, "date"), f"{d} is outside covers_from..covers_to ({lo}..{hi})")

    def area_file(self, rel: str, doc: Document) -> str | None:
        stem = rel.rsplit("/", 1)[1][:-5]
        if stem not in self.rules.areas:
            self.problem(doc, (), f"file name '{stem}' is not an area; areas: {', '.join(self.rules.areas)}",
                         f"rules/{rel.split('/')[0]}/dudley.yaml")
            return None
        if doc.data.get("area") != stem:
            self.problem(doc, ("area",), f"area '{doc.data.get('area')}' does not match the file name '{stem}'", f"area: {stem}")
            return None
        return stem

    # -- procedures ----------------------------------------------------------------------
    def load_procedure(self, rel: str, doc: Document):
        area = rel.split("/")[1]
        data = doc.data
        if area not in self.rules.areas:
            self.problem(doc, (), f"folder '{area}' is not an area; areas: {', '.join(self.rules.areas)}")
            return
        if rel.rsplit("/", 1)[1][:-5] != data.get("id"):
            self.problem(doc, ("id",), f"page id '{data.get('id')}' must match the file name", f"id: {rel.rsplit('/', 1)[1][:-5]}")
        document = data.get("document")
        if document not in self.rules.documents:
            self.problem(doc, ("document",), f"unknown document '{document}'; documents: {', '.join(self.rules.documents)}",
                         f"document: {self.rules.areas[area]['documents'][0]['id']}")
        if "start_event" in data and data["start_event"] not in self.rules.events:
            self.problem(doc, ("start_event",), f"unknown event '{data['start_event']}'; events: {', '.join(self.rules.events)}",
                         "start_event: referral")
        self.check_parts(rel, doc, area, data)
        prefix = self.rules.areas[area]["prefix"] + "-"
        data["area"] = area
        self.rules.procedures.setdefault(area, []).append(data)

        def walk(sections, path, inherited_doc):
            for i, s in enumerate(sections):
                spath = path + (i,)
                sdoc = s.get("document", inherited_doc)
                self.anchor(doc, spath, s, area, data, "section", s.get("title", ""), sdoc, prefix)
                for j, b in enumerate(s.get("blocks", [])):
                    bpath = spath + ("blocks", j)
                    kind = b.get("kind", "paragraph")
                    title = b.get("title") or f"{kind.capitalize()} {b.get('cite', '')}".strip()
                    self.anchor(doc, bpath, b, area, data, kind, title, b.get("document", sdoc), prefix)
                walk(s.get("sections", []), spath + ("sections",), sdoc)

        walk(data.get("sections", []), ("sections",), document)

    def anchor(self, doc, path, item, area, page, kind, title, document, prefix):
        ident = item.get("id")
        if not ident:
            return
        if not ident.startswith(prefix):
            self.problem(doc, path + ("id",), f"id '{ident}' must start with this area's prefix '{prefix}'",
                         f"id: {prefix}{ident}")
        if document not in self.rules.documents:
            self.problem(doc, path + ("document",), f"unknown document '{document}'", "document: wt2015-ch1")
        if self.claim(doc, path + ("id",), ident, kind):
            self.rules.anchors[ident] = Anchor(ident, area, page.get("id", ""), title, item.get("cite", ""), document, kind)

    # -- references ------------------------------------------------------------------------
    def source(self, doc, path, ident, area=None, what="source"):
        """A reference to a section or block; optionally it must belong to ``area``."""
        anchor = self.rules.anchors.get(ident)
        if anchor is None:
            near = [a for a in self.rules.anchors if area and a.startswith(self.rules.areas[area]["prefix"] + "-")][:3]
            self.problem(doc, path, f"'{ident}' is not a section or block id of any procedure page",
                         f"{what}: {near[0] if near else 'wt-52'}")
            return None
        if area and anchor.area not in self.rules.lineage(area):
            self.problem(doc, path, f"'{ident}' belongs to {anchor.area}, not {area}")
        return anchor

    def check_timescales(self):
        for _rel, doc in self.of_kind("timescales"):
            self.guarded(self._check_timescales_file, doc)

    def _check_timescales_file(self, doc):
        area = doc.data.get("area")
        if area not in self.rules.areas:
            return
        steps_seen = {}
        for i, ts in enumerate(doc.data.get("timescales", [])):
            p = ("timescales", i)
            self.claim(doc, p + ("id",), ts["id"], "timescale")
            if not ts["id"].startswith(area + "-"):
                self.problem(doc, p + ("id",), f"timescale id must start with '{area}-'", f"id: {area}-{ts['id']}")
            if ts["event"] not in self.rules.events:
                self.problem(doc, p + ("event",), f"unknown event '{ts['event']}'; events: {', '.join(self.rules.events)}",
                             "event: referral")
            if ts["step"] not in self.rules.steps:
                self.problem(doc, p + ("step",), f"unknown step '{ts['step']}'; add it to rules/events.yaml or use one of: "
                             f"{', '.join(self.rules.steps)}", "step: icpc-held")
            key = (ts["step"], ts["event"], ts["direction"])
            if key in steps_seen:
                self.problem(doc, p + ("step",), f"step '{ts['step']}' from '{ts['event']}' is already timed by "
                             f"{steps_seen[key]}: one rule per step and event", "")
            steps_seen[key] = ts["id"]
            self.source(doc, p + ("source",), ts["source"], area)
            for j, alt in enumerate(ts.get("alternatives", [])):
                self.source(doc, p + ("alternatives", j, "source"), alt["source"], area)
            if ts.get("recurrence") and ts["recurrence"]["unit"] == "hours":
                self.problem(doc, p + ("recurrence", "unit"), "a recurrence in hours is not supported",
                             "recurrence: {every: 6, unit: weeks}")

    def check_contacts(self):
        for _rel, doc in self.of_kind("contacts"):
            self.guarded(self._check_contacts_file, doc)

    def _check_contacts_file(self, doc):
        area = doc.data.get("area")
        for i, c in enumerate(doc.data.get("contacts", [])):
            p = ("contacts", i)
            self.claim(doc, p + ("id",), c["id"], "contact")
            if area and not c["id"].startswith(area + "-"):
                self.problem(doc, p + ("id",), f"contact id must start with '{area}-'", f"id: {area}-{c['id']}")
            self.source(doc, p + ("source",), c["source"], area)

    def check_thresholds(self):
        contacts = {c["id"] for cs in self.rules.contacts.values() for c in cs}
        for _rel, doc in self.of_kind("thresholds"):
            self.guarded(self._check_thresholds_file, doc, contacts)

    def _check_thresholds_file(self, doc, contacts):
        data, area = doc.data, doc.data.get("area")
        if area not in self.rules.areas:
            return
        groups = {}
        for i, g in enumerate(data.get("flag_groups", [])):
            self.claim(doc, ("flag_groups", i, "id"), g["id"], "flag group")
            groups[g["id"]] = g
            self.source(doc, ("flag_groups", i, "source"), g["source"], area)
        for key in ("indicators", "flags"):
            for i, item in enumerate(data.get(key, [])):
                self.claim(doc, (key, i, "id"), item["id"], key[:-1])
                self.source(doc, (key, i, "source"), item["source"], area)
                if key == "flags" and item["group"] not in groups:
                    self.problem(doc, (key, i, "group"), f"unknown flag group '{item['group']}'; groups: {', '.join(groups)}",
                                 f"group: {next(iter(groups), 'cov-s47-indicated')}")
        for i, lv in enumerate(data.get("levels", [])):
            self.source(doc, ("levels", i, "source"), lv["source"], area)
        for i, rule in enumerate(data.get("rules", [])):
            p = ("rules", i)
            self.claim(doc, p + ("id",), rule["id"], "rule")
            self.source(doc, p + ("source",), rule["source"], area)
            for g in rule["when"].get("any_flag_in", []):
                if g not in groups:
                    self.problem(doc, p + ("when", "any_flag_in"), f"unknown flag group '{g}'")
            for j, step in enumerate(rule.get("next_steps", [])):
                if "section" in step:
                    self.source(doc, p + ("next_steps", j, "section"), step["section"], area, "section")
            for j, c in enumerate(rule.get("contacts", [])):
                if c not in contacts:
                    self.problem(doc, p + ("contacts", j), f"unknown contact '{c}'", f"- {next(iter(sorted(contacts)), 'coventry-ras')}")
        rules = data.get("rules", [])
        if rules and rules[0]["when"] != {"any_flag": "immediate-protection"}:
            self.problem(doc, ("rules", 0, "when"), "the first rule must be the immediate-protection question",
                         "when: {any_flag: immediate-protection}")
        if rules and rules[-1]["when"] != {"otherwise": True}:
            self.problem(doc, ("rules", len(rules) - 1, "when"), "the last rule must match anything left",
                         "when: {otherwise: true}")

    def check_glossary(self):
        for _rel, doc in self.of_kind("glossary"):
            self.guarded(self._check_glossary_file, doc)

    def _check_glossary_file(self, doc):
        seen = {}
        area = doc.data.get("area")
        for i, t in enumerate(doc.data.get("terms", [])):
            if t["id"] in seen:
                self.problem(doc, ("terms", i, "id"), f"duplicate term id '{t['id']}' (also item {seen[t['id']]})")
            seen[t["id"]] = i
            if "source" in t:
                self.source(doc, ("terms", i, "source"), t["source"], area)

# -- macros in text ------------------------------------------------------------------------
    def check_texts(self):
        timescales = {t["id"] for ts in self.rules.timescales.values() for t in ts}
        contacts = {c["id"]: c for cs in self.rules.contacts.values() for c in cs}
        groups = {g["id"] for th in self.rules.thresholds.values() for g in th.get("flag_groups", [])}
        for _rel, doc in self.of_kind("procedure"):
            for path, text in procedure_texts(doc.data):
                self.check_text(doc, path, text, timescales, contacts, groups)

    def check_text(self, doc, path, text, timescales, contacts, groups):
        if "{#" in text or "{%" in text:
            self.problem(doc, path, "'{#' and '{%' are not allowed in text (they start a template comment or tag)",
                         "write '{ #' or reword")
        stripped = MACRO.sub("", text)
        if "{{" in stripped or "}}" in stripped:
            self.problem(doc, path, "a '{{ ... }}' that is not one of the macros in rules/README.md",
                         "{{ ts('national-icpc') }}")
        for m in MACRO.finditer(text):
            name = m.group("name")
            try:
                args = macro_args(m.group("args"))
            except ValueError:
                self.problem(doc, path, f"cannot read the arguments of {m.group(0)}", "{{ ts('national-icpc', 'words') }}")
                continue
            first = args[0] if args else None
            if name == "ts":
                if first not in timescales:
                    self.problem(doc, path, f"{m.group(0)}: unknown timescale '{first}'", "{{ ts('national-icpc') }}")
                if len(args) > 1 and args[1] not in TS_FORMS:
                    self.problem(doc, path, f"{m.group(0)}: form '{args[1]}' is not one of {', '.join(TS_FORMS)}",
                                 "{{ ts('national-icpc', 'words') }}")
            elif name in ("contact", "phone", "address", "email"):
                if first not in contacts:
                    self.problem(doc, path, f"{m.group(0)}: unknown contact '{first}'", "{{ contact('coventry-ras') }}")
            elif name == "link":
                if first not in self.rules.anchors:
                    self.problem(doc, path, f"{m.group(0)}: unknown section '{first}'", "{{ link('wt-52') }}")
            elif name == "flags":
                if first not in groups:
                    self.problem(doc, path, f"{m.group(0)}: unknown flag group '{first}'", "{{ flags('cov-s47-indicated') }}")
            elif name == "grid":
                if first not in self.rules.thresholds or len(args) < 2:
                    self.problem(doc, path, f"{m.group(0)}: needs an area with thresholds and a level", "{{ grid('coventry', 2) }}")
            else:
                self.problem(doc, path, f"{m.group(0)}: unknown macro '{name}'", "{{ ts('national-icpc') }}")


def procedure_texts(data):
    """Yield (path, text) for every text and who-action in a procedure."""
    def walk(sections, path):
        for i, s in enumerate(sections):
            for j, b in enumerate(s.get("blocks", [])):
                bp = path + (i, "blocks", j)
                if "text" in b:
                    yield bp + ("text",), b["text"]
                for k, w in enumerate(b.get("who", [])):
                    for n, action in enumerate(w.get("actions", [])):
                        yield bp + ("who", k, "actions", n), action
            yield from walk(s.get("sections", []), path + (i, "sections"))
    yield from walk(data.get("sections", []), ("sections",))


def macro_args(raw: str) -> list:
    """Parse macro arguments: quoted strings and integers only."""
    out = []
    for part in [p.strip() for p in raw.split(",") if p.strip()]:
        if len(part) >= 2 and part[0] == part[-1] and part[0] in "'\"":
            out.append(part[1:-1])
        elif part.isdigit():
            out.append(int(part))
        else:
            raise ValueError(part)
    return out


def load_rules(root: Path | str = RULES) -> Rules:
    """Load, validate and index rules/. Raises RulesInvalid with every problem found."""
    root = Path(root)
    docs, problems = read_all(root)
    checker = _Checker(root, docs)
    rules = checker.run()
    problems += checker.problems
    problems = list({str(p): p for p in problems}.values())  # a macro used twice in one text is one problem
    if problems:
        raise RulesInvalid(problems)
    return rules
