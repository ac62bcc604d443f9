"""Reading rules/: every file found, parsed strictly and checked on its own (schema, rule text).

A file's kind comes from where it lives (:data:`KINDS`). Each file is read by
:func:`macros.rules.yamlsource.read` (duplicate keys, line numbers), checked against
its schema (:mod:`macros.rules.schemas`) and its every string through
:func:`macros.rules.ruletext.text_problems`. Nothing here looks at another file: the
checks across files are :mod:`macros.rules.checker`'s.
"""
from __future__ import annotations

import functools
import multiprocessing
import os
import re
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from macros.rules import yamlsource
from macros.rules.model import REPO
from macros.rules.ruletext import text_problems
from macros.rules.schemas import schema_problems
from macros.rules.yamlsource import Document, Problem

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


def shown(path: Path) -> str:
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
        shown_as = shown(path)
        if rel.startswith("schema/") or rel == "moved-ids.yaml":   # moved-ids.yaml: read by check_published
            continue
        kind = kind_of(rel)
        if kind is None:
            problems.append(Problem(shown_as, 1, "", "is not a known kind of rule file (see the layout in rules/README.md)",
                                    "rules/timescales/dudley.yaml"))
            continue
        jobs.append((path, rel, shown_as, kind))
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
    # A value the reader refused (a number that is not a plain whole number) is reported once,
    # there, not again by the schema.
    problems += [p for p in schema_problems(doc, kind) if p.path not in doc.refused]
    problems += text_problems(doc, kind)
    return rel, kind, doc, problems


def _text_of(path: Path) -> str:
    return path.read_bytes().decode("utf-8").replace("\r\n", "\n")
