"""One import, start to finish: read the source, split it, find timescales and contacts, write the draft area.

:func:`import_document` is the whole job; :class:`Imported` is what it found, written
into rules/ by :func:`write_area` exactly where a hand-made area lives:

- ``areas.yaml``: a new entry (appended as text, so the file's comments stay), with
  ``draft: true``, status ``unverified`` and the document's date left ``null``;
- ``procedures/<area>/<page>.yaml``: one file per page, ``draft: true``; a number the
  import leaves typed (no macro can write it) is listed in its block's ``typed:``;
- ``timescales/<area>.yaml`` and ``contacts/<area>.yaml``: every candidate with
  ``draft: true`` and its sentence in ``notes``;
- ``thresholds/<area>.yaml`` when the document has levels of need;
- ``sources/<area>-<name>.txt``: the document as the text the pages were made from (the
  faithfulness check reads it), and the original file beside it when it was not text.

An area id, prefix or file that already exists is refused before anything is written.
"""
from __future__ import annotations

import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from macros.importer.contacts import ContactFinder
from macros.importer.levels import find_levels
from macros.importer.reading import Unit, read_units
from macros.importer.structure import Page, build_pages, slug, walk_blocks
from macros.importer.timescales import Finder
from macros.rules.checks.typed import typed_numbers

ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


class ImportRefused(ValueError):
    """The import would overwrite or clash with rules/; the message says what to change."""


@dataclass
class Imported:
    area: str
    name: str
    prefix: str
    source: Path
    title: str
    pages: list[Page]
    timescales: list = field(default_factory=list)
    contacts: list = field(default_factory=list)
    levels: dict | None = None
    notes: list = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    seconds: float = 0.0


def import_document(source: Path, area: str, name: str, prefix: str | None, events: dict, steps: dict,
                    inherited: list | None = None) -> Imported:
    """``inherited``: the timescales the new area inherits (the root area's; see :class:`Finder`)."""
    started = time.perf_counter()
    prefix = prefix or area[:3]
    for what, value in (("--area", area), ("--prefix", prefix)):
        if not ID.match(value):
            raise ImportRefused(f"{what} '{value}' must be lower case letters, digits and hyphens, starting "
                                f"with a letter (example: {what} {'barnsley' if what == '--area' else 'bar'})")
    units, notes = read_units(source)
    if not units:
        raise ImportRefused(f"{source}: no text found to import")
    pages, split_notes, title = build_pages(units, prefix, name)
    finder = Finder(area, events, steps, inherited)
    finder.read(units)
    contacts = ContactFinder(area)
    for page in pages:
        for section, block in list(walk_blocks(page.sections)):
            block.text = clean(block.id, block.text, notes)
            if not block.text.strip():
                section.blocks.remove(block)
                continue
            block.text = finder.in_block(block.id, block.text, finder.subject_at(block.line), section.title)
            block.text = contacts.in_block(block.id, section.title, block.text)
    edits = finder.merge_clashes()
    for page in pages:
        for _section, block in walk_blocks(page.sections):
            for where, old, new in edits:
                if where == block.id:
                    block.text = block.text.replace(old, new, 1)
    renamed = finder.tidy_ids()
    for page in pages:
        for _section, block in walk_blocks(page.sections):
            for old, new in renamed.items():
                block.text = block.text.replace(f"'{old}'", f"'{new}'")
    for page in pages:
        for _section, block in walk_blocks(page.sections):
            block.typed = [{"words": words, "why": f"Draft (import): this {kind} was left as the source types it "
                            "(see the import report); write it with its macro, or keep it and say why"}
                           for kind, words in dict.fromkeys(typed_numbers(block.text))]
    levels = find_levels(pages, prefix)
    imported = Imported(area, name, prefix, source, title or name, pages, finder.candidates, contacts.contacts,
                        levels, notes + split_notes + finder.kept_typed, units)
    imported.seconds = time.perf_counter() - started
    return imported


AUTOLINK = re.compile(r"<(?:https?://|mailto:|www\.)[^>\s]+>")
TAG = re.compile(r"</?[A-Za-z][^<>]*>")
EMPTY_LINK = re.compile(r"\[([^\]]+)\]\((?:#[^)]*)?\)")


def clean(block_id: str, text: str, notes: list) -> str:
    """What rule text may not hold, taken out so that the page still reads as the source:
    a bare web address in angle brackets ("<http://...>") is left out and reported (put it
    in the contacts' ``web:`` by hand); HTML tags left in a converted table become spaces;
    a link to nothing ("[Children Act 2004](#)") keeps its words; ``{{``, ``{%`` and ``{#``
    lose their braces' meaning (a space between them). Everything taken out is reported."""
    for m in AUTOLINK.finditer(text):
        notes.append(f"{block_id}: left out the web address {m.group(0)}: add it to the contact it belongs to "
                     "(contacts/<area>.yaml, web:) by hand")
    out = AUTOLINK.sub("", text)
    if TAG.search(out):
        notes.append(f"{block_id}: HTML tags in the text (a table flattened in conversion?) replaced by spaces: "
                     "check the block's layout")
        out = _untag(out)
    out = EMPTY_LINK.sub(r"\1", out)
    for pair in ("{{", "{%", "{#"):
        out = out.replace(pair, pair[0] + " " + pair[1])
    return "\n".join(line.rstrip() for line in out.split("\n")).strip("\n")


def _untag(text: str) -> str:
    return "\n".join(" ".join(TAG.sub(" ", line).split()) if TAG.search(line) else line for line in text.split("\n"))


def page_id(title: str, taken: set) -> str:
    base = slug(re.sub(r"^(section|part|chapter|appendix)\s+\w+\s*:?\s*", "", title, flags=re.I) or title, 6)
    ident, n = base, 2
    while ident in taken:
        ident, n = f"{base}-{n}", n + 1
    taken.add(ident)
    return ident


def section_data(s) -> dict:
    out = {"id": s.id, "title": s.title, "cite": s.cite}
    if s.blocks:
        out["blocks"] = [{"id": b.id, "cite": b.cite, **({"kind": b.kind} if b.kind else {}),
                          **({"title": b.title} if b.title else {}),
                          **({"typed": b.typed} if b.typed else {}), "text": b.text.rstrip() + "\n"}
                         for b in s.blocks]
    if s.sections:
        out["sections"] = [section_data(c) for c in s.sections]
    return out


def prune(sections: list) -> list:
    """A section with neither blocks nor sub-sections is dropped (its heading is its own
    child's title, e.g. "1.0" followed at once by "1.1"): the schema needs content."""
    out = []
    for s in sections:
        s.sections = prune(s.sections)
        if s.blocks or s.sections:
            out.append(s)
    return out


class _Literal(str):
    pass


def _literal(dumper, value):
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(str, _literal)


def dump(header: str, data) -> str:
    return header + yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def planned_files(imp: Imported, rules: Path) -> dict[Path, str]:
    """Every file the import writes, with its text (nothing is written yet)."""
    doc_id = f"{imp.area}-{slug(imp.name, 3)}"
    stem = f"{imp.area}-{slug(imp.source.stem, 5)}"
    files: dict[Path, str] = {}
    taken: set = set()
    for order, page in enumerate(imp.pages, 1):
        page.sections = prune(page.sections)
        if not page.sections:
            continue
        pid = page_id(page.title if len(imp.pages) > 1 else imp.title, taken)
        data = {"id": pid, "title": page.title if len(imp.pages) > 1 else imp.title, "document": doc_id,
                "order": order, "draft": True, "sections": [section_data(s) for s in page.sections]}
        files[rules / "procedures" / imp.area / f"{pid}.yaml"] = dump(
            "# yaml-language-server: $schema=../../schema/procedure.schema.json\n"
            f"# Imported from {imp.source.name} by `procedures import`: a draft until reviewed\n"
            "# (rules/README.md, \"Add your partnership\"). Delete `draft: true` once checked.\n", data)
    files[rules / "timescales" / f"{imp.area}.yaml"] = dump(
        "# yaml-language-server: $schema=../schema/timescales.schema.json\n"
        "# Timescale candidates found by `procedures import`: check each against its sentence (notes),\n"
        "# the event, step and direction especially, then delete its `draft: true`.\n",
        {"area": imp.area, "timescales": [c.rule() for c in imp.timescales]})
    files[rules / "contacts" / f"{imp.area}.yaml"] = dump(
        "# yaml-language-server: $schema=../schema/contacts.schema.json\n"
        "# Contacts found by `procedures import`: check names and numbers, then delete `draft: true`.\n",
        {"area": imp.area, "contacts": [c.rule() for c in imp.contacts]})
    if imp.levels:
        files[rules / "thresholds" / f"{imp.area}.yaml"] = dump(
            "# yaml-language-server: $schema=../schema/thresholds.schema.json\n"
            "# Levels of need found by `procedures import`: check the domain and dimension of each\n"
            "# indicator, then delete `draft: true`.\n", {"area": imp.area, "draft": True, **imp.levels})
    text_name = f"{stem}.txt"
    files[rules / "sources" / text_name] = source_as_text(imp)
    entry = {"id": imp.area, "name": imp.name, "prefix": imp.prefix, "inherits": "national", "draft": True,
             "documents": [{"id": doc_id, "short": imp.name, "title": imp.title, "publisher": imp.name,
                            "date": None, "date_note": "Date not yet checked (imported).", "status": "unverified",
                            "status_note": "Imported; check the partnership's own site for the current version.",
                            "source_file": text_name}], "closure_days": []}
    block = yaml.dump([entry], Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    areas = (rules / "areas.yaml").read_text(encoding="utf-8")
    files[rules / "areas.yaml"] = areas.rstrip("\n") + "\n\n" + "\n".join(
        ("  " + line) if line else line for line in block.splitlines()) + "\n"
    return files


def source_as_text(imp: Imported) -> str:
    if imp.source.suffix.lower() in (".txt", ".md"):
        return imp.source.read_text(encoding="utf-8-sig")
    out = []
    for u in imp.units:
        if u.kind == "heading":
            out.append("#" * max(u.level, 1) + " " + u.text)
        elif u.kind == "item":
            out.append("    " * u.level + "- " + u.text)
        else:
            out.append(u.text)
    return "\n\n".join(out) + "\n"


def write_area(imp: Imported, rules: Path) -> list[Path]:
    """Write the draft area; refuse (writing nothing) if it would clash with what exists."""
    areas = yaml.safe_load((rules / "areas.yaml").read_text(encoding="utf-8")) or {}
    for a in areas.get("areas", []):
        if a.get("id") == imp.area:
            raise ImportRefused(f"rules/areas.yaml already has an area '{imp.area}': choose another --area, "
                                f"or delete that area's files first")
        if a.get("prefix") == imp.prefix:
            raise ImportRefused(f"prefix '{imp.prefix}' is already used by area '{a.get('id')}': give --prefix")
    files = planned_files(imp, rules)
    clash = [p for p in files if p.exists() and p.name != "areas.yaml"]
    if clash or (rules / "procedures" / imp.area).exists():
        raise ImportRefused(f"{clash[0] if clash else rules / 'procedures' / imp.area} already exists: "
                            "nothing was written")
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    if imp.source.suffix.lower() not in (".txt", ".md"):
        shutil.copyfile(imp.source, rules / "sources" / f"{imp.area}-{slug(imp.source.stem, 5)}{imp.source.suffix.lower()}")
    return sorted(files)
