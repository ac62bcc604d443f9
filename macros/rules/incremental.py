"""The check after a save (preview on save): only the changed files read again, the rest reused.

:func:`macros.rules.load_rules` reads, parses and schema-checks every file under rules/
(on a 2,000-procedure manual, most of its time), then runs the checks across files.
:class:`Incremental` keeps the last good state in memory, each file's parsed
:class:`~macros.rules.yamlsource.Document` with its problems and its modification time
and size, and :meth:`Incremental.check` then:

1. reads again only the files whose time or size changed, the new ones (and forgets
   the deleted ones): the same strict reading, schema and rule-text checks as
   ``load_rules`` (:func:`macros.rules.reading._read_one`);
2. checks each changed procedure file's own text for typed numbers (the answer for the
   others is the last check's: it depends on their text only);
3. runs the checks across files (:class:`macros.rules.checker.Checker`) on the whole set
   of parsed documents, the new and the reused ones. A paragraph's edit can break any
   of them (an id claimed twice, a timescale whose source paragraph was deleted, a
   published id that vanished), and they build the indexes the pages are made from, so
   they are all run: they cost a fraction of the reading.

The result is the one ``load_rules`` gives for the same files: the same :class:`Rules`, or
:class:`RulesInvalid` with the same problems (``tests/test_preview_fast.py`` compares
them). A file that does not read at all (not UTF-8, not YAML) is reported alone, as
``load_rules`` reports it.
"""
from __future__ import annotations

from pathlib import Path

from macros.rules.checker import Checker
from macros.rules.model import Rules, RulesInvalid
from macros.rules.reading import _map, _read_one, kind_of, shown
from macros.rules.yamlsource import UNREADABLE, Problem


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


class Incremental:
    """rules/ checked again after a save, reading only what changed since the last check."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.read: dict[str, tuple] = {}      # relative path -> (stamp, kind, Document or None, problems)
        self.files_read = 0                   # how many files the last check read (the rest were reused)
        self.own: dict[str, list] = {}        # each procedure file's own problems (typed numbers), reused

    def _files(self) -> dict[str, Path]:
        out = {}
        for path in sorted(self.root.rglob("*.y*ml")):
            rel = path.relative_to(self.root).as_posix()
            if not (rel.startswith("schema/") or rel == "moved-ids.yaml"):   # as reading.read_all
                out[rel] = path
        return out

    def check(self) -> Rules:
        """The rules as they are now (raises :class:`RulesInvalid`, every problem listed)."""
        files = self._files()
        for gone in set(self.read) - set(files):
            del self.read[gone]
        self.files_read = 0
        changed = set()
        problems: list[Problem] = []
        jobs, stamps = [], {}
        for rel, path in files.items():
            stamps[rel] = stamp = _stamp(path)
            cached = self.read.get(rel)
            if cached is not None and cached[0] == stamp:
                continue
            kind = kind_of(rel)
            self.files_read += 1
            changed.add(rel)
            if kind is None:
                found = [Problem(shown(path), 1, "", "is not a known kind of rule file (see the layout in rules/README.md)",
                                 "rules/timescales/dudley.yaml")]
                self.read[rel] = (stamp, None, None, found)
                continue
            jobs.append((path, rel, shown(path), kind))
        for rel, kind, doc, found in _map(_read_one, jobs):    # the first check: a pool, as load_rules
            self.read[rel] = (stamps[rel], kind, doc, found)
        docs = {}
        for rel in files:                                       # in load_rules' order
            _stamp_, kind, doc, found = self.read[rel]
            problems += found
            if doc is not None:
                docs[rel] = (kind, doc)
        unreadable = {p.file for p in problems if p.message.startswith(UNREADABLE)}
        if unreadable:
            raise RulesInvalid(list({str(p): p for p in problems if p.file in unreadable}.values()))
        reuse = {rel: found for rel, found in self.own.items() if rel not in changed}
        checker = Checker(self.root, docs, reuse)
        rules = checker.run()
        self.own = {**reuse, **checker.own}
        problems += checker.problems
        problems = list({str(p): p for p in problems}.values())
        if problems:
            raise RulesInvalid(problems)
        return rules
