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

import datetime as dt
import functools
import json
import multiprocessing
import os
import re
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import jsonschema

from tools.layers import chain

from . import ruletext, yamlsource
from .ruletext import MACRO, macro_args
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

__all__ = ["MACRO", "macro_args", "load_rules", "procedure_texts", "Rules", "RulesInvalid"]

# The largest amount each unit may have, and why: a bigger one is a typo (an extra digit),
# never a rule in the source documents (the longest is the 26-week care proceedings limit).
MAX_AMOUNT = {
    "working_days": 260,   # a year of working days (52 weeks x 5)
    "days": 366,           # a (leap) year
    "weeks": 104,          # two years
    "months": 36,          # three years
    "hours": 168,          # a week: anything longer is written in days in the sources
}
ROOT_AREA = "national"
IMMEDIATE = "immediate-protection"
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


@dataclass(slots=True)   # one per section and paragraph: 150,000 in a 2,000-procedure manual
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


# From this many rule files on, they are read by a pool of processes, one per core: parsing and
# schema-checking a file depends on no other, and was half of a 2,000-procedure build's loading
# (bench/bench_scale.py). Below it, starting the processes costs more than it saves.
POOL_FROM_FILES = 200


def read_all(root: Path) -> tuple[dict, list[Problem]]:
    """Parse and schema-check every rule file. Returns {relative path: (kind, Document)}."""
    docs, problems, jobs = {}, [], []
    for path in sorted(root.rglob("*.y*ml")):
        rel = path.relative_to(root).as_posix()
        shown = _shown(path)
        if rel.startswith("schema/") or rel == "moved-ids.yaml":   # moved-ids.yaml: read by check_published
            continue
        kind = kind_of(rel)
        if kind is None:
            problems.append(Problem(shown, 1, "", "is not a known kind of rule file (see the layout in rules/README.md)",
                                    "rules/timescales/dudley.yaml"))
            continue
        jobs.append((path, rel, shown, kind))
    for rel, kind, doc, found in _map(_read_one, jobs):
        problems += found
        if doc is not None:
            docs[rel] = (kind, doc)
    return docs, problems


def _map(function, jobs: list) -> list:
    """``[function(job) for job in jobs]``, in a pool of processes when there are many.

    The pool forks (the workers start with everything imported, nothing to pickle but the
    jobs and results), and only from a process with no other thread (``mkdocs serve``
    watches files in threads: its rebuilds read the files in turn); a pool that cannot
    start or breaks leaves the reading to this process."""
    workers = os.cpu_count() or 1
    if len(jobs) < POOL_FROM_FILES or workers < 2 or not _can_fork():
        return [function(job) for job in jobs]
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            return list(pool.map(function, jobs, chunksize=max(1, len(jobs) // (8 * workers))))
    except (OSError, BrokenProcessPool):
        return [function(job) for job in jobs]


def _can_fork() -> bool:
    return threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()


def _read_one(job: tuple) -> tuple[str, str, Document | None, list[Problem]]:
    """One rule file (path, relative path, shown name, kind): parsed, schema- and text-checked.
    Its lines are worked out again from the file only if a problem needs one."""
    path, rel, shown, kind = job
    text, problems = yamlsource.decode(path.read_bytes(), shown)
    if text is None:
        return rel, kind, None, problems
    doc, found = yamlsource.read(text, shown, reread=functools.partial(_text_of, path))
    problems += found
    if doc is None:
        return rel, kind, None, problems
    want = f"$schema={'../' * rel.count('/')}schema/{kind}.schema.json"
    first = text.split("\n", 1)[0]
    if not (first.startswith("# yaml-language-server: $schema=") and first.endswith(f"schema/{kind}.schema.json")):
        problems.append(Problem(shown, 1, "", "the first line must link the file's schema (for editors)",
                                f"# yaml-language-server: {want}"))
    if not isinstance(doc.data, dict):
        problems.append(Problem(shown, 1, "", "the file must be a mapping of keys", ""))
        return rel, kind, None, problems
    problems += _schema_problems(doc, kind)
    problems += text_problems(doc, kind)
    return rel, kind, doc, problems


def _text_of(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


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
                      self.check_glossary, self.check_texts, self.check_lineage, self.check_immediate,
                      self.check_sources, self.check_published):
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
            for j, c in enumerate(area.get("closure_days", [])):
                try:
                    day = dt.date.fromisoformat(c["date"])
                except (ValueError, TypeError):
                    continue  # the schema reports it
                if day.weekday() >= 5:
                    self.problem(doc, ("areas", i, "closure_days", j, "date"), f"{c['date']} is a {day:%A}: a closure "
                                 "day is a working day the office is shut, so never a weekend", "- {date: 2026-12-29, "
                                 "title: Council closure day}")
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
        self.guarded(self.check_met_by, doc)

    def check_met_by(self, doc: Document):
        """Every ``met_by`` of a step names an event of the vocabulary."""
        for i, step in enumerate(doc.data.get("steps", [])):
            for j, ev in enumerate(step.get("met_by") or []):
                if ev not in self.rules.events:
                    self.problem(doc, ("steps", i, "met_by", j),
                                 f"unknown event '{ev}' in met_by of step '{step['id']}'; events: "
                                 f"{', '.join(self.rules.events)}", "met_by: [icpc]")

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
            elif dt.date.fromisoformat(d).weekday() >= 5:
                self.problem(doc, ("holidays", i, "date"), f"{d} is a {dt.date.fromisoformat(d):%A}: a bank holiday "
                             "that falls at a weekend is listed on its substitute weekday", "- {date: 2026-12-28, "
                             "title: Boxing Day (substitute day)}")
        listed = set(dates)
        try:
            first, last = dt.date.fromisoformat(lo), dt.date.fromisoformat(hi)
        except ValueError:
            return
        missing = [(d, title) for year in range(first.year, last.year + 1) for d, title in regular_bank_holidays(year)
                   if first <= d <= last and d.isoformat() not in listed]
        for d, title in missing[:3]:
            self.problem(doc, ("covers_to",), f"the calendar covers {lo}..{hi} but does not list {title} {d.isoformat()}: "
                         "coverage cannot be stretched past the holidays listed (every covered year needs its "
                         "regular England and Wales bank holidays)",
                         "refresh from GOV.UK: procedures refresh-calendar bank-holidays.json")
        if len(missing) > 3:
            self.problem(doc, ("covers_to",), f"... and {len(missing) - 3} more regular bank holidays missing")

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

        first = len(self.rules.anchors)
        walk(data.get("sections", []), ("sections",), document)
        # This page's ids are the anchors the walk just added (dicts keep insertion order):
        # taken from the end, not by scanning every anchor of the manual for each page.
        own = set(list(self.rules.anchors)[first:]) if data.get("amendments") else set()
        self.guarded(self.check_amendments, doc, data, own)

    def check_amendments(self, doc: Document, data: dict, own: set[str]):
        """The page's amendments log and review dates (rules/README.md, "What's changed").

        Each amendment names sections of this page (``sections: [pbo-3-23]``, or ``[]`` for
        the whole page); the log is oldest first, with at most one ``first-published`` entry,
        first; a next review is never before the last one. Impossible dates (2026-02-30) are
        refused by the schema."""
        entries = data.get("amendments", [])
        for i, entry in enumerate(entries):
            for j, section in enumerate(entry.get("sections", [])):
                if section not in own:
                    sample = next(iter(sorted(own)), "pbo-3-23")
                    self.problem(doc, ("amendments", i, "sections", j), f"unknown section '{section}': an amendment "
                                 "names sections or blocks of this page", f"sections: [{sample}]")
            if i and entry["date"] < entries[i - 1]["date"]:
                self.problem(doc, ("amendments", i, "date"), f"{entry['date']} is before the entry above "
                             f"({entries[i - 1]['date']}): the log is oldest first", "add new entries at the end")
            if entry.get("kind") == "first-published" and i:
                self.problem(doc, ("amendments", i, "kind"), "only the first entry is the page's first publication",
                             "kind: amended")
        reviewed = data.get("reviewed")
        if reviewed and reviewed.get("next") is not None and reviewed["next"] <= reviewed["last"]:
            self.problem(doc, ("reviewed", "next"), f"next review {reviewed['next']} is not after the last review "
                         f"{reviewed['last']}", "reviewed: {last: 2026-11-30, next: 2027-11-30, by: Procedures group}")

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
            self.amount(doc, p, ts["amount"], ts["unit"])
            for j, alt in enumerate(ts.get("alternatives", [])):
                if "amount" in alt and "unit" in alt:
                    self.amount(doc, p + ("alternatives", j), alt["amount"], alt["unit"])
            if ts.get("recurrence"):
                self.amount(doc, p + ("recurrence",), ts["recurrence"]["every"], ts["recurrence"]["unit"], "every")
            if ts.get("recurrence") and ts["recurrence"]["unit"] == "hours":
                self.problem(doc, p + ("recurrence", "unit"), "a recurrence in hours is not supported",
                             "recurrence: {every: 6, unit: weeks}")

    def amount(self, doc, path, amount, unit, key="amount"):
        """An amount is a whole number from 1 to MAX_AMOUNT[unit] (see MAX_AMOUNT for why);
        0 only in days, which a source uses for "by the end of the same day"."""
        top = MAX_AMOUNT.get(unit)
        if top is None or not isinstance(amount, int) or isinstance(amount, bool):
            return  # the schema reports it
        low = 0 if unit == "days" and key == "amount" else 1   # 0 days: "by the end of the same day" (Coventry)
        if not low <= amount <= top:
            self.problem(doc, path + (key,), f"{amount} {unit} is outside {low}..{top}, the range for {unit} "
                         "(see MAX_AMOUNT in macros/rules.py for why)", f"{key}: 15")

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
        self.guarded(self.check_escalations, doc, groups)
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

    def check_escalations(self, doc, groups):
        """``escalates_to.trigger`` is a child-protection flag of the same file, cited, with
        its words quoted as the file holds them; ``routes_lower`` is cited."""
        data, area = doc.data, doc.data.get("area")
        flags = {f["id"]: f for f in data.get("flags", [])}
        cp = {fid: f for fid, f in flags.items()
              if f.get("pathway", groups.get(f["group"], {}).get("pathway")) == "child-protection"}
        for key in ("indicators", "flags"):
            for i, item in enumerate(data.get(key, [])):
                link = item.get("escalates_to")
                if link:
                    p = (key, i, "escalates_to")
                    if link["trigger"] not in cp:
                        self.problem(doc, p + ("trigger",), f"'{link['trigger']}' is not a child-protection flag of "
                                     f"{area}; child-protection flags: {', '.join(cp) or 'none'}",
                                     f"trigger: {next(iter(cp), 'cov-strat-female-genital-mutilation')}")
                    elif " ".join(link["quote"].split()) not in " ".join(cp[link["trigger"]]["text"].split()):
                        self.problem(doc, p + ("quote",), f"the quote is not in the text of '{link['trigger']}'",
                                     f"quote: {cp[link['trigger']]['text'][:60]}")
                    self.source(doc, p + ("source",), link["source"], area)
                if item.get("routes_lower"):
                    self.source(doc, (key, i, "routes_lower", "source"), item["routes_lower"]["source"], area)

    def check_glossary(self):
        for _rel, doc in self.of_kind("glossary"):
            self.guarded(self._check_glossary_file, doc)

    def _check_glossary_file(self, doc):
        seen, terms = {}, {}
        area = doc.data.get("area")
        for i, t in enumerate(doc.data.get("terms", [])):
            if t["id"] in seen:
                self.problem(doc, ("terms", i, "id"), f"duplicate term id '{t['id']}' (also item {seen[t['id']]})")
            seen[t["id"]] = i
            word = " ".join(t["term"].lower().split())
            if word in terms:
                self.problem(doc, ("terms", i, "term"), f"the term '{t['term']}' is already defined on line "
                             f"{doc.line(('terms', terms[word]))}: one meaning per term", "")
            terms.setdefault(word, i)
            if "source" in t:
                self.source(doc, ("terms", i, "source"), t["source"], area)

    # -- invariants ------------------------------------------------------------------------
    def check_lineage(self):
        """Every area's inheritance is a chain ending at national: no cycle, no other root."""
        doc = self.areas_doc
        for i, area in enumerate(doc.data.get("areas", [])):
            seen, here = [area["id"]], area
            while here.get("inherits") is not None:
                parent = here["inherits"]
                if parent in seen:
                    self.problem(doc, ("areas", i, "inherits"), f"area '{area['id']}' inherits from itself "
                                 f"({' -> '.join(seen + [parent])}): it would lose every national rule and the "
                                 "immediate-danger question", "inherits: national")
                    break
                if parent not in self.rules.areas:
                    break  # reported by load_areas
                seen.append(parent)
                here = self.rules.areas[parent]
            else:
                if seen[-1] != ROOT_AREA:
                    self.problem(doc, ("areas", i, "inherits"), f"area '{area['id']}' does not inherit from "
                                 f"{ROOT_AREA} (its chain ends at '{seen[-1]}')", "inherits: national")

    def check_immediate(self):
        """The national immediate-danger question is the first flag, alone in the first group,
        whose pathway is immediate protection; every area inherits it through its chain."""
        found = [doc for rel, doc in self.of_kind("thresholds") if doc.data.get("area") == ROOT_AREA]
        if not found:
            self.problems.append(Problem("rules/thresholds/national.yaml", 1, "", "missing: the national thresholds hold "
                                         "the immediate-danger question every area asks first", ""))
            return
        doc = found[0]
        groups, flags = doc.data.get("flag_groups", []), doc.data.get("flags", [])
        example = "flag_groups:\n  - {id: wt-immediate, title: Is the child in immediate danger?, pathway: immediate-protection, source: wt-52}"
        if not groups or groups[0].get("pathway") != IMMEDIATE:
            self.problem(doc, ("flag_groups", 0) if groups else ("flag_groups",),
                         f"the first flag group must be the immediate-danger question, with pathway {IMMEDIATE}", example)
            return
        first = groups[0]["id"]
        if not flags or flags[0].get("group") != first:
            self.problem(doc, ("flags", 0) if flags else ("flags",), f"the first flag must be the immediate-danger "
                         f"question, in group '{first}'", f"- {{id: wt-immediate-danger, group: {first}, text: ..., source: wt-52}}")
        others = [i for i, f in enumerate(flags) if f.get("group") == first and i > 0]
        for i in others:
            self.problem(doc, ("flags", i, "group"), f"the immediate-danger group '{first}' holds only its question; "
                         "put this flag in a group of its own", "")

    def check_sources(self):
        """Every document's ``source_file`` is in rules/sources/ (the text it is published from)."""
        folder = self.rules.root / "sources"
        if not folder.is_dir():
            folder = RULES / "sources"   # a test tree cites the real sources
        doc = getattr(self, "areas_doc", None)
        for i, area in enumerate(doc.data.get("areas", []) if doc else []):
            for j, d in enumerate(area.get("documents", [])):
                name = d.get("source_file")
                if name and not (folder / name).is_file():
                    self.problem(doc, ("areas", i, "documents", j, "source_file"), f"'{name}' is not in "
                                 f"{_shown(folder)}/", f"source_file: {next(iter(sorted(p.name for p in folder.glob('*.txt'))), '000_c3a8e56ffa9df0d9.txt')}")

    def check_published(self):
        """A published id (published-ids.txt) that disappears needs a record in moved-ids.yaml."""
        listed = self.rules.root / "published-ids.txt"
        if not listed.is_file():
            return
        from .published_ids import current_ids
        now = current_ids(self.rules)
        bare = {line.split(" ", 1)[1] for line in now}
        moved = self.moved_ids()
        for n, line in enumerate(listed.read_text(encoding="utf-8").splitlines(), 1):
            line = line.strip()
            if not line or line.startswith("#") or line in now:
                continue
            ident = line.split(" ", 1)[-1]
            target = moved.get(ident)
            if target is None:
                self.problems.append(Problem(_shown(listed), n, "", f"published id '{line}' is no longer in rules/: a "
                                             "partner's link would break. Restore it, or record the move in "
                                             "rules/moved-ids.yaml", f"- {{id: {ident}, moved_to: wt-52, date: 2026-12-01, "
                                             "reason: paragraph renumbered}"))
            elif target not in bare:
                self.problems.append(Problem(_shown(listed), n, "", f"published id '{ident}' moved to '{target}', "
                                             "which is not an id in rules/", ""))

    def moved_ids(self) -> dict:
        """rules/moved-ids.yaml: a list of ``{id, moved_to, date, reason}`` (see rules/README.md)."""
        path = self.rules.root / "moved-ids.yaml"
        if not path.is_file():
            return {}
        shown = _shown(path)
        text, found = yamlsource.decode(path.read_bytes(), shown)
        doc, more = yamlsource.read(text, shown) if text is not None else (None, [])
        self.problems.extend(found + more)
        out = {}
        entries = doc.data if doc and isinstance(doc.data, list) else []
        if doc and not isinstance(doc.data, list):
            self.problems.append(Problem(shown, 1, "", "must be a list of moves", "- {id: wt-3-1, moved_to: wt-3-2, "
                                         "date: 2026-12-01, reason: paragraph renumbered}"))
        for i, e in enumerate(entries):
            if not (isinstance(e, dict) and set(e) == {"id", "moved_to", "date", "reason"}
                    and all(isinstance(v, str) and v for v in e.values())):
                self.problem(doc, (i,), "each move has exactly the keys id, moved_to, date and reason",
                             "- {id: wt-3-1, moved_to: wt-3-2, date: 2026-12-01, reason: paragraph renumbered}")
                continue
            out[e["id"]] = e["moved_to"]
        return out

# -- macros in text ------------------------------------------------------------------------
    def check_texts(self):
        timescales = {t["id"] for ts in self.rules.timescales.values() for t in ts}
        contacts = {c["id"]: c for cs in self.rules.contacts.values() for c in cs}
        groups = {g["id"] for th in self.rules.thresholds.values() for g in th.get("flag_groups", [])}
        for _rel, doc in self.of_kind("procedure"):
            for path, text in procedure_texts(doc.data):
                self.check_text(doc, path, text, timescales, contacts, groups)

    def check_text(self, doc, path, text, timescales, contacts, groups):
        """Each macro's arguments, against rules/: everything the page macros would fail on.
        (Other template syntax, HTML and unsafe links are refused by ``text_problems``.)"""
        ts_by_id = {t["id"]: t for ts in self.rules.timescales.values() for t in ts}
        for m in MACRO.finditer(text):
            name, call = m.group("name"), m.group(0)
            try:
                args = macro_args(m.group("args"))
            except ValueError:
                self.problem(doc, path, f"cannot read the arguments of {call}: quoted ids and whole numbers only",
                             "{{ ts('national-icpc', 'words') }}")
                continue
            first = args[0] if args else None
            second = args[1] if len(args) > 1 else None
            if name == "ts":
                if first not in timescales:
                    self.problem(doc, path, f"{call}: unknown timescale '{first}'", "{{ ts('national-icpc') }}")
                elif second is not None and second not in TS_FORMS:
                    self.problem(doc, path, f"{call}: form '{second}' is not one of {', '.join(TS_FORMS)}",
                                 "{{ ts('national-icpc', 'words') }}")
                elif str(second).startswith("every") and not ts_by_id[first].get("recurrence"):
                    self.problem(doc, path, f"{call}: timescale '{first}' does not repeat (it has no recurrence)",
                                 f"{{{{ ts('{first}') }}}}")
                if len(args) > 2:
                    self.problem(doc, path, f"{call}: ts takes an id and a form", "{{ ts('national-icpc', 'words') }}")
            elif name in ("contact", "phone", "address", "email"):
                if first not in contacts:
                    self.problem(doc, path, f"{call}: unknown contact '{first}'", "{{ contact('coventry-ras') }}")
                    continue
                c = contacts[first]
                need = {"phone": "phones", "email": "emails", "address": "address"}.get(name)
                index = second if second is not None else 1
                if need and not c.get(need):
                    self.problem(doc, path, f"{call}: contact '{first}' has no {need}",
                                 f"{{{{ contact('{first}') }}}}")
                elif name in ("phone", "email") and (not isinstance(index, int) or not 1 <= index <= len(c[need])):
                    self.problem(doc, path, f"{call}: contact '{first}' has {len(c[need])} {need}",
                                 f"{{{{ {name}('{first}', 1) }}}}")
            elif name == "link":
                if first not in self.rules.anchors:
                    self.problem(doc, path, f"{call}: unknown section '{first}'", "{{ link('wt-52') }}")
            elif name == "flags":
                if first not in groups:
                    self.problem(doc, path, f"{call}: unknown flag group '{first}'", "{{ flags('cov-s47-indicated') }}")
            elif name == "grid":
                levels = {lv.get("level") for lv in self.rules.thresholds.get(first, {}).get("levels", [])} if isinstance(first, str) else set()
                if not levels or second not in levels:
                    self.problem(doc, path, f"{call}: needs an area with thresholds and one of its levels",
                                 "{{ grid('coventry', 2) }}")
            else:
                self.problem(doc, path, f"{call}: unknown macro '{name}'", "{{ ts('national-icpc') }}")


def regular_bank_holidays(year: int) -> list[tuple[dt.date, str]]:
    """The eight regular England and Wales bank holidays of ``year``, on the weekdays they are kept.

    New Year's Day, Christmas and Boxing Day falling at a weekend move to the next free
    weekdays; the royal moves are known: early May 2020 on 8 May (VE day), spring 2012
    on 4 June and 2022 on 2 June (Jubilees).

    >>> [d.isoformat() for d, _ in regular_bank_holidays(2021)][-2:]
    ['2021-12-27', '2021-12-28']
    >>> [d.isoformat() for d, _ in regular_bank_holidays(2026)][1:3]
    ['2026-04-03', '2026-04-06']
    """
    def weekday_on_or_after(d):
        while d.weekday() >= 5:
            d += dt.timedelta(days=1)
        return d

    def monday(d, step):          # first Monday on or after d (step 1) / on or before d (step -1)
        while d.weekday() != 0:
            d += dt.timedelta(days=step)
        return d
    easter = easter_sunday(year)
    christmas = weekday_on_or_after(dt.date(year, 12, 25))
    boxing = weekday_on_or_after(max(dt.date(year, 12, 26), christmas + dt.timedelta(days=1)))
    early_may = {2020: dt.date(2020, 5, 8)}.get(year, monday(dt.date(year, 5, 1), 1))
    spring = {2012: dt.date(2012, 6, 4), 2022: dt.date(2022, 6, 2)}.get(year, monday(dt.date(year, 5, 31), -1))
    return [(weekday_on_or_after(dt.date(year, 1, 1)), "New Year's Day"),
            (easter - dt.timedelta(days=2), "Good Friday"), (easter + dt.timedelta(days=1), "Easter Monday"),
            (early_may, "Early May bank holiday"), (spring, "Spring bank holiday"),
            (monday(dt.date(year, 8, 31), -1), "Summer bank holiday"),
            (christmas, "Christmas Day"), (boxing, "Boxing Day")]


def easter_sunday(year: int) -> dt.date:
    """Easter Sunday (Gregorian; the anonymous algorithm). ``easter_sunday(2026)`` -> 5 April 2026."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def strings(value, path=()):
    """Yield (path, text) for every string in a parsed file, keys excepted."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from strings(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from strings(v, path + (i,))


def text_problems(doc: Document, kind: str) -> list[Problem]:
    """Every string of the file through :func:`macros.ruletext.problems`: macros only
    where they are rendered, no other template syntax, no raw HTML, no unsafe link."""
    macro_paths = {p for p, _ in procedure_texts(doc.data)} if kind == "procedure" else set()
    out = []
    for path, text in strings(doc.data):
        for message, example in ruletext.problems(text, macros=path in macro_paths):
            out.append(Problem(doc.file, doc.line(path), format_path(path), message, example))
    return out


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
