"""The checks across files, and :func:`load_rules`: every problem at once, each with file, line, key and a valid example.

Three passes, so that one mistake does not hide the others:

1. each file is parsed strictly (duplicate keys are errors, see ``yamlsource``);
2. each file is checked against the JSON Schema of its kind (``rules/schema/``,
   the same schemas editors use while a procedure owner types) and its text through
   ``ruletext`` (both in :mod:`macros.rules.reading`);
3. the files are checked against each other, one module per kind of file in
   :mod:`macros.rules.checks`: unique ids, references to events, steps, documents,
   sections, contacts and flag groups that exist, macros in text that name real
   timescales and contacts.

:class:`Checker` is what those modules share: the problems found so far, the site-wide
id namespace, the files by kind, and the Rules indexes built as they go.
``load_rules()`` returns a :class:`Rules` or raises :class:`RulesInvalid` listing every
problem. It never lets a Python traceback reach a procedure owner.
"""
from __future__ import annotations

from pathlib import Path

from macros.rules.checks import (
    areas,
    calendar,
    contacts,
    drafts,
    events,
    glossary,
    moved_ids,
    procedures,
    texts,
    thresholds,
    timescales,
    typed,
)
from macros.rules.model import RULES, Rules, RulesInvalid
from macros.rules.reading import read_all
from macros.rules.yamlsource import UNREADABLE, Document, Problem, format_path


class Checker:
    """Cross-file checks. Collects problems; builds the Rules indexes as it goes."""

    def __init__(self, root: Path, docs: dict, reuse: dict | None = None):
        self.rules = Rules(root=root)
        self.docs = docs
        # The problems a procedure file's own text has (its typed numbers), by file: ``own`` as
        # found now; ``reuse`` as found by the last check for the files that did not change since
        # (``macros.rules.incremental``, the preview's check after a save).
        self.reuse, self.own = reuse or {}, {}
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
        self.guarded(areas.load_areas, self)
        self.guarded(events.load_events, self)
        for _rel, doc in self.of_kind("calendar"):
            r.calendar = doc.data
            self.guarded(calendar.check_calendar, self, doc)
        for rel, doc in sorted(self.of_kind("procedure")):
            self.guarded(procedures.load_procedure, self, rel, doc)
        for kind, target in [("timescales", r.timescales), ("contacts", r.contacts),
                             ("thresholds", r.thresholds), ("glossary", r.glossary)]:
            for rel, doc in self.of_kind(kind):
                area = self.area_file(rel, doc)
                if area:
                    key = {"glossary": "terms"}.get(kind, kind)
                    target[area] = doc.data if kind == "thresholds" else doc.data.get(key, [])
        for area_procs in r.procedures.values():
            area_procs.sort(key=lambda p: (p["order"], p["id"]))
        for check in (timescales.check_timescales, contacts.check_contacts, thresholds.check_thresholds,
                      glossary.check_glossary, texts.check_texts):
            self.guarded(check, self)
        for rel, doc in self.of_kind("procedure"):     # what each file's own text holds (typed numbers)
            if rel in self.reuse:
                self.problems += self.reuse[rel]
                continue
            before = len(self.problems)
            self.guarded(typed.check_typed_file, self, doc)
            self.own[rel] = self.problems[before:]
        for check in (areas.check_lineage, thresholds.check_immediate,
                      areas.check_sources, moved_ids.check_published, events.check_met_by_sources,
                      drafts.collect_drafts):
            self.guarded(check, self)
        if not r.calendar:
            self.problems.append(Problem("rules/calendar/", 1, "", "no calendar file: the deadline calculator needs bank holidays",
                                         "rules/calendar/england-and-wales.yaml"))
        return r

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


def load_rules(root: Path | str = RULES) -> Rules:
    """Load, validate and index rules/. Raises RulesInvalid with every problem found."""
    root = Path(root)
    docs, problems = read_all(root)
    unreadable = {p.file for p in problems if p.message.startswith(UNREADABLE)}
    if unreadable:
        # A file that could not be read at all (not YAML, not UTF-8): every check across files
        # would report what it defines as missing elsewhere (one tab, a hundred knock-on
        # problems). Its own problem is reported alone; the rest follow once it reads.
        raise RulesInvalid(list({str(p): p for p in problems if p.file in unreadable}.values()))
    checker = Checker(root, docs)
    rules = checker.run()
    problems += checker.problems
    problems = list({str(p): p for p in problems}.values())  # a macro used twice in one text is one problem
    if problems:
        raise RulesInvalid(problems)
    return rules
