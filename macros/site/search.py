"""The site's search index: Pagefind over the built pages, shaped by the area and the glossary.

Each page is shaped as it is built (``on_post_page``, macros/hooks.py); Pagefind indexes
the site once it is written (``write_search_index``). The choice of engine and its
numbers are in bench/bench_search.py; ``extra.search_engine`` in mkdocs.yml is ``pagefind``
(the site's own box, docs/overrides/partials/search.html) or ``lunr`` (Material's built-in
search, kept only so the benchmark can measure it side by side).

What the index holds, page by page (the HTML a reader gets is changed only by attributes and
one hidden, ``aria-hidden`` line per section that a screen reader never reads):

* only the article (``data-pagefind-body``), never the navigation, the calculators' forms,
  the heading pilcrows (``.headerlink``), the paragraph anchors or the citations
  (``.proc-cite``), so snippets carry neither "¶" nor a citation run into the text;
* whether the page is a procedure (``data-pagefind-meta="kind"``): the box ranks the
  procedures' sections above the calculators, timescale tables and glossary;
* the page's area as metadata (``data-pagefind-meta="area"``), from the URL's first path
  segment (every generated page lives under ``/<area>/``); other pages are "All areas";
* per section (the text between one heading with an id and the next), the area's name and
  the glossary both ways: a section that writes "LADO" is also found by "Local Authority
  Designated Officer", and one that writes "female genital mutilation" by "FGM". The
  area's own glossary is used with the national one (every area inherits national).

* the page's kind (``data-pagefind-meta="kind"``, :func:`page_kind`): ``procedure``, ``contacts``
  (an area's contact cards), ``glossary``, ``tables`` (the timescale tables, the comparison, the
  calculators, flow charts and threshold checkers: they repeat every "N working days" of the rules)
  or ``other``. The box weighs each kind against what the query asks (docs/javascripts/search.mjs);
* per paragraph (:func:`mark_paragraphs`), what it states, so the paragraph that says it is the
  result: a paragraph (a procedure's ``.proc-block``) that states a timescale ("within 15 working
  days", "3 months"), a definition ("is defined as", "the definition of", a quoted term followed by
  "if" or "means") or a contact (a telephone link, "Telephone:"), and every contact card
  (``.contact-card``), is weighted ``data-pagefind-weight`` :data:`STATED_WEIGHT` and given one
  hidden line of the words practitioners use for that kind of statement (:data:`STATES`):
  "timescale", "definition", "who to call · phone number". The words are the kind's, never a
  query's answer.

Example: the Peterborough section ``pbo-allegations-against-staff`` gets the hidden line
"Peterborough · Local Authority Designated Officer"; a search for "LADO" or for the words
finds it. Paragraph 4.26 ("must be completed within 35 working days") gets weight 1.3 and the
hidden words "timescale · time limit · deadline".
"""
from __future__ import annotations

import functools
import html
import json
import math
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from macros.rules import output

# Things in the article that are not procedure text.
EXCLUDE = [".headerlink", "[data-calculator]", ".proc-anchor", ".proc-cite", "form", ".calc-hint", ".calc-error-message",
           ".search-skip", "script", "style"]
HEADING = re.compile(r'<h([1-6])\s+id="([^"]+)"')
ARTICLE = '<article class="md-content__inner md-typeset">'
# Set by the build (macros/deployment/build_info.py) when it runs Pagefind itself after MkDocs exits.
DEFERRED = "PROCEDURES_SEARCH_INDEX_AFTER_BUILD"
TAG = re.compile(r"<[^>]+>")


def glossary_pairs(terms: list[dict]) -> list[tuple[str, str]]:
    """(short, long) pairs from glossary entries, both forms as a reader types them.

    "CAF (Common Assessment Framework)" -> ("CAF", "Common Assessment Framework");
    "s47 / Section 47" -> ("s47", "Section 47"); "LADO" with meaning "Local Authority
    Designated Officer (3.19)." -> ("LADO", "Local Authority Designated Officer"). A term the
    document does not expand ("Not expanded in the document ...") gives no pair.
    """
    pairs = []
    for t in terms:
        term, meaning = t["term"].strip(), " ".join(str(t.get("meaning", "")).split())
        m = re.fullmatch(r"(.+?)\s*\((.+)\)", term)
        if m:
            a, b = m.group(1).strip(), m.group(2).strip()
            pairs.append((b, a) if len(b) < len(a) else (a, b))
            continue
        if " / " in term:
            a, b = (s.strip() for s in term.split(" / ", 1))
            pairs.append((a, b) if len(a) < len(b) else (b, a))
            continue
        if re.fullmatch(r"[A-Za-z&]{2,8}s?", term) and sum(c.isupper() for c in term) >= 2:
            if meaning.lower().startswith(("not expanded", "not described")):
                continue
            long = re.split(r"[.:;,(]", meaning, maxsplit=1)[0].strip()
            if long and long.lower() != term.lower() and len(long.split()) <= 8:
                pairs.append((term, long))
    return pairs


@functools.cache
def _phrase(phrase: str, abbreviation: bool) -> re.Pattern:
    # Compiled once per term: a site's glossaries hold more terms than re's own cache (512).
    return re.compile(r"(?<![\w])" + re.escape(phrase) + r"(?![\w])", 0 if abbreviation else re.I)


def _mentions(text: str, phrase: str, abbreviation: bool) -> bool:
    return _phrase(phrase, abbreviation).search(text) is not None


def expansions(text: str, pairs: list[tuple[str, str]]) -> list[str]:
    """The other form of every glossary term the text mentions in one form only.

    Each section is checked against every term of its glossaries (hundreds, on a regional
    manual), so a plain substring test comes first: a term the text does not contain as
    a substring is not mentioned, and only the rest are matched as whole words."""
    out = []
    lowered = text.lower()
    for short, long in pairs:
        has_short = short in text and _mentions(text, short, True)
        has_long = long.lower() in lowered and _mentions(text, long, False)
        if has_short and not has_long:
            out.append(long)
        elif has_long and not has_short:
            out.append(short)
    return list(dict.fromkeys(out))


# -- what a paragraph states ---------------------------------------------------------------------
_NUMBER = (r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|"
           r"twenty-four|thirty|forty-five)")
STATES = {
    "timescale": (re.compile(rf"\b{_NUMBER}\s+(?:working\s+|calendar\s+|clear\s+)?(?:days?|weeks?|months?|hours?)\b",
                             re.I), "timescale · time limit · deadline"),
    "definition": (re.compile(r"\b(?:is|are) defined as\b|\bdefinition of\b|\bdefined in\b|\bis defined\b"
                              r"|[\"“][^\"”]{2,40}[\"”]\s*(?:if|means|is|when)\b", re.I),
                   "definition · meaning · defined"),
    "contact": (re.compile(r'href="tel:|\bTelephone\s*:|\bTel\s*:|\bPhone\s*:', re.I),
                "contact · who to call · phone number · telephone"),
}
STATED_WEIGHT = 1.3
BLOCK = re.compile(r'<div class="(?:proc-block[^"]*|contact-card)"[^>]*>')
DIV = re.compile(r"<div\b|</div>")


def _block_end(body: str, start: int) -> int:
    """Where the ``<div>`` opening at ``start`` closes (the index of its ``</div>``)."""
    depth = 0
    for m in DIV.finditer(body, start):
        depth += 1 if m.group(0) == "<div" else -1
        if depth == 0:
            return m.start()
    return len(body)


def states(block_html: str) -> list[str]:
    """What a paragraph (or contact card) states: some of "timescale", "definition", "contact".

    >>> states('<p>must be completed within 35 working days</p>')
    ['timescale']
    >>> states('<div class="contact-card"><p>Telephone: <a href="tel:+4412">012</a></p></div>')
    ['contact']
    """
    text = html.unescape(TAG.sub(" ", block_html))
    found = [k for k, (pattern, _) in STATES.items() if k != "contact" and pattern.search(text)]
    if 'class="contact-card"' in block_html[:40] or STATES["contact"][0].search(block_html):
        found.append("contact")
    return found


def mark_paragraphs(body: str) -> str:
    """Each top-level paragraph or contact card that states a timescale, definition or contact:
    weighted :data:`STATED_WEIGHT` for Pagefind, with the kind's words on one hidden line inside it."""
    out, last = [], 0
    for m in BLOCK.finditer(body):
        if m.start() < last:          # inside a block already marked
            continue
        end = _block_end(body, m.start())
        block = body[m.start():end]
        found = states(block)
        if found:
            words = " · ".join(STATES[k][1] for k in found)
            opening = m.group(0)[:-1] + f' data-pagefind-weight="{STATED_WEIGHT}">'
            block = (opening + block[len(m.group(0)):]
                     + f'<span class="search-terms" hidden aria-hidden="true">{html.escape(words)}</span>')
        out.append(body[last:m.start()] + block)
        last = end
    return "".join(out) + body[last:]


def page_kind(area: str | None, rel: tuple[str, ...], procedures: set[str]) -> str:
    """The kind of a page (``rel``: its path in site/, split at "/") for the box's weights."""
    if area and len(rel) == 3 and rel[1] in procedures:
        return "procedure"
    if area and rel[1:] == ("contacts", "index.html"):
        return "contacts"
    if rel[0] == "glossary":
        return "glossary"
    if rel[0] in ("calculators", "compare") or (area and rel[1] in ("timescales", "flow-chart", "threshold-checker")):
        return "tables"
    return "other"


def shape_page(page_html: str, area_name: str, pairs: list[tuple[str, str]], kind: str = "procedure") -> str:
    """Mark the article for Pagefind, weigh the paragraphs that state something (procedures and
    contact cards) and add each section's hidden area and glossary line."""
    start = page_html.find(ARTICLE)
    if start < 0:
        return page_html
    end = page_html.find("</article>", start)
    body = page_html[start + len(ARTICLE):end]
    if kind in ("procedure", "contacts"):
        body = mark_paragraphs(body)
    cuts = [m.start() for m in HEADING.finditer(body)] + [len(body)]
    pieces, last = [], 0
    for cut in cuts:
        segment = body[last:cut]
        words = html.unescape(TAG.sub(" ", segment))
        extra = [area_name, *expansions(words, pairs)] if segment.strip() else []
        line = (f'<span class="search-terms" hidden aria-hidden="true">{html.escape(" · ".join(extra))}</span>'
                if extra else "")
        pieces.append(segment + line)
        last = cut
    meta = (f'<span hidden aria-hidden="true" data-pagefind-meta="area">{html.escape(area_name)}</span>'
            f'<span hidden aria-hidden="true" data-pagefind-meta="kind">{kind}</span>')
    article = f'<article class="md-content__inner md-typeset" data-pagefind-body>{meta}'
    return page_html[:start] + article + "".join(pieces) + page_html[end:]


def page_shaper(rules):
    """``shape(dest_uri, html)``: the page as Pagefind should index it (see the module
    docstring), called by the build on each page's HTML before it is written
    (``on_post_page``), so no page is read back and written again after the build.

    ``dest_uri`` is the page's file in site/ (``peterborough/referrals/index.html``); the
    404 page and "Print this area" (which repeats the procedures) are never results."""
    names = {aid: a["name"] for aid, a in rules.areas.items()}
    national = glossary_pairs(rules.glossary.get("national", []))
    per_area = {aid: glossary_pairs(rules.glossary.get(aid, [])) + (national if aid != "national" else [])
                for aid in names}
    procedures = {aid: {p["id"] for p in rules.procedures.get(aid, [])} for aid in names}
    everything = [p for aid in names for p in glossary_pairs(rules.glossary.get(aid, []))]

    def shape(dest_uri: str, text: str) -> str:
        rel = tuple(dest_uri.split("/"))
        if rel[0] in ("assets", "pagefind", "search") or rel[-1] == "404.html" or rel[1:] == ("print", "index.html"):
            return text
        area = rel[0] if len(rel) > 1 and rel[0] in names else None
        kind = page_kind(area, rel, procedures[area] if area else set())
        return shape_page(text, names[area] if area else "All areas", per_area[area] if area else everything, kind)
    return shape


# -- the index, in shards ---------------------------------------------------------------------
# Pagefind's indexer holds the whole index in memory until it writes it: 1.23-1.33 GB on the
# 2,203-page site of bench/bench_scale.py --procedures 2000, whatever the size of the HTML,
# against 118 MB for one 206-page area. So the pages are indexed in shards of at most
# SHARD_PAGES pages, one Pagefind run after another (each run is multithreaded already;
# one at a time keeps the peak to one shard's), and the box merges them in the browser
# (Pagefind's ``mergeIndex``, docs/javascripts/search.mjs). Measured on that site (2 cores,
# load average 3): seven shards of at most 276 pages peak at 146 MB in 8.1 s (11.1 CPU s),
# one run at 1.23 GB in 12.0 s (13.5 CPU s); bench/bench_search.py's one area of 2,000
# procedures (longer pages): 189 MB against 1.43 GB.
SHARD_PAGES = "PROCEDURES_SEARCH_SHARD_PAGES"
DEFAULT_SHARD_PAGES = 300
MANIFEST = "shards.json"
BODY = b"data-pagefind-body"
# A further shard needs only its index: the box loads Pagefind's script, worker and
# WebAssembly from the first shard (site/pagefind/) and shares them with every merged one.
SHARD_RUNTIME = ("pagefind.js", "pagefind-worker.js", "wasm.*.pagefind")


def shard_pages() -> int:
    """The most pages in one shard: ``PROCEDURES_SEARCH_SHARD_PAGES`` or 300.

    300 keeps one Pagefind run under 200 MB (measured 146-189 MB a shard of at most 300
    pages, above) and the real manual (59 HTML pages) in one index, as it always was. Smaller
    shards rank worse: Pagefind scores a page against its own shard's word counts."""
    raw = os.environ.get(SHARD_PAGES, "").strip()
    if not raw:
        return DEFAULT_SHARD_PAGES
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise RuntimeError(f"{SHARD_PAGES} must be a whole number of pages, 1 or more (for example 300), "
                           f"not {raw!r}")
    return value


def page_unit(rel: str) -> str:
    """The unit a shard never splits: the page's directory under its area.

    ``peterborough/referrals/index.html`` (and anything below ``peterborough/referrals/``)
    -> ``peterborough/referrals``; a page one level down or at the top is its own unit
    (``peterborough/index.html``, ``about/index.html``, ``index.html``), so one area of
    2,000 procedures still splits, between its procedures."""
    parts = rel.split("/")
    return "/".join(parts[:2]) if len(parts) > 2 else rel


def pack(pages: list[str], limit: int) -> list[list[str]]:
    """``pages`` (site-relative paths, in site order) in shards of at most ``limit`` pages.

    As few shards as ``limit`` allows, of about equal size (2,203 pages in shards of at most
    300: eight of about 276, not seven of 300 and one of 103): Pagefind scores a page against
    its own shard's word counts, so shards of like size keep scores from different shards
    comparable. Pages are taken in order and a shard is closed when the next unit
    (``page_unit``) would not fit; a unit is never split, so a unit of more than ``limit``
    pages (none on a generated site: a page directory holds one page) is a shard of its own.

    >>> pack(["a/x/index.html", "a/y/index.html", "a/y/sub/index.html", "b/index.html"], 2)
    [['a/x/index.html'], ['a/y/index.html', 'a/y/sub/index.html'], ['b/index.html']]
    """
    units: dict[str, list[str]] = {}
    for rel in pages:
        units.setdefault(page_unit(rel), []).append(rel)
    target = math.ceil(len(pages) / math.ceil(len(pages) / limit)) if pages else limit
    shards: list[list[str]] = []
    current: list[str] = []
    for members in units.values():
        if current and len(current) + len(members) > target:
            shards.append(current)
            current = []
        current.extend(members)
    if current:
        shards.append(current)
    return shards


def site_pages(site: Path) -> list[str]:
    """The HTML pages of the built site, site-relative, in site order (by path, folder by folder)."""
    found = [p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.is_file()]
    return sorted((rel for rel in found if not rel.startswith("pagefind/")), key=lambda rel: rel.split("/"))


def indexed_pages(site: Path, pages: list[str]) -> list[str]:
    """The pages Pagefind indexes: those marked ``data-pagefind-body`` (Pagefind's own rule once
    one page of a run is marked; or every page, if none is). A shard is given only these, so
    no shard holds only unmarked pages (Pagefind would then index their menus)."""
    marked = [rel for rel in pages if BODY in (site / rel).read_bytes()]
    return marked or pages


def _glob(pages: list[str]) -> str:
    """One Pagefind glob naming exactly ``pages`` (glob characters in a name escaped)."""
    return "{" + ",".join(re.sub(r"([\\*?$:<>()\[\]{},])", r"\\\1", rel) for rel in pages) + "}"


def _pagefind(binary: Path, site: Path, out: Path, pages: list[str] | None, label: str) -> None:
    """One Pagefind run over ``site`` into ``out``: every page (``pages`` None, the command the
    site always ran), or only ``pages``, named by a glob in a pagefind.json config file
    (a shard's glob can be longer than one command-line argument may be)."""
    args = [str(binary), "--site", str(site), "--output-path", str(out),
            *[a for sel in EXCLUDE for a in ("--exclude-selectors", sel)], "--force-language", "en", "--quiet"]
    with tempfile.TemporaryDirectory(prefix="pagefind-") as cwd:
        if pages is not None:
            (Path(cwd) / "pagefind.json").write_text(json.dumps({"glob": _glob(pages)}), encoding="utf-8")
        run = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
    if run.returncode:
        raise RuntimeError(f"pagefind failed{label}:\n{run.stdout}\n{run.stderr}")


def write_search_index(site: Path, repo: Path) -> None:
    """Run Pagefind (node_modules) over the built, shaped pages into site/pagefind/; drop lunr's index.

    The build (macros/deployment/build_info.py) runs this after MkDocs has exited, so the indexer's
    memory (the larger of the two) does not add to the page build's; ``mkdocs build`` on
    its own runs it at the end of the build (``on_post_build``).

    A site of more than ``shard_pages()`` HTML pages is indexed in shards (``pack``), one run
    at a time: shard 0 into site/pagefind/ (with Pagefind's script, worker and WebAssembly),
    shard N into site/pagefind/shard-N/ (index only). site/pagefind/shards.json lists the
    further shards for the box (``{"shards": [{"path": "shard-1/", "pages": 300}, ...]}``;
    an empty list when the site is one shard, so the box never asks for a missing file).
    A site that fits in one shard is indexed by the one command it always was."""
    found = [b for b in sorted((repo / "node_modules" / "@pagefind").glob("*/bin/pagefind*"))
             if not b.name.endswith(".sha256")]
    if not found:
        raise RuntimeError("Pagefind is missing: run `npm ci` (package.json pins pagefind 1.6.0)")
    binary = found[0].resolve()
    site = Path(site).resolve()
    limit = shard_pages()
    out = site / "pagefind"
    shutil.rmtree(out, ignore_errors=True)
    pages = site_pages(site)
    shards = pack(indexed_pages(site, pages), limit) if len(pages) > limit else []
    listed = []
    if len(shards) <= 1:
        _pagefind(binary, site, out, None, "")
        trim_pagefind(out)
    else:
        for number, shard in enumerate(shards):
            target = out if number == 0 else out / f"shard-{number}"
            _pagefind(binary, site, target, shard, f" on shard {number} (shards 0-{len(shards) - 1})")
            trim_pagefind(target)
            if number:
                for pattern in SHARD_RUNTIME:
                    for path in target.glob(pattern):
                        path.unlink()
                listed.append({"path": f"shard-{number}/", "pages": len(shard)})
    output.write_text(out, MANIFEST, json.dumps({"shards": listed}, indent=1) + "\n")
    # Material's lunr index is not used by the Pagefind box: not served to anyone.
    (site / "search" / "search_index.json").unlink(missing_ok=True)


# Pagefind's ready-made UIs: the site has its own box (docs/javascripts/search.mjs), so
# they are never loaded; they are dropped so the intranet copy holds only what it serves
# (and they name outside hosts in their credits).
UNUSED_PAGEFIND = ("pagefind-component-ui.css", "pagefind-component-ui.js", "pagefind-modular-ui.css",
                   "pagefind-modular-ui.js", "pagefind-ui.css", "pagefind-ui.js", "pagefind-highlight.js")
# Pagefind parses relative result URLs against a dummy absolute base and strips it again;
# no request is ever made to it. Rewritten to the loopback address so that the built
# files name no other host at all (a web team's scan finds none).
DUMMY_BASE = ("https://example.com", "https:\\/\\/example.com")
LOOPBACK_BASE = ("https://127.0.0.1", "https:\\/\\/127.0.0.1")


def trim_pagefind(out: Path) -> None:
    for name in UNUSED_PAGEFIND:
        (out / name).unlink(missing_ok=True)
    for name in ("pagefind.js", "pagefind-worker.js"):
        path = out / name
        if path.exists():
            text = path.read_text(encoding="utf-8")
            for dummy, loopback in zip(DUMMY_BASE, LOOPBACK_BASE, strict=True):
                text = text.replace(dummy, loopback)
            output.write_text(out, name, text)


def skip_lunr_index(plugins) -> None:
    """Material's search plugin stays (its header button and dialog hold the Pagefind box:
    docs/overrides/partials/search.html), but it no longer indexes every page for lunr, whose
    index nothing reads (macros/site/search.py deleted it after the build): its per-page and
    post-build handlers are taken out of this build's events."""
    search_plugin = plugins.get("material/search") or plugins.get("search")
    if search_plugin is None:
        return
    for event in ("page_context", "post_build"):
        plugins.events[event] = [m for m in plugins.events[event] if getattr(m, "__self__", None) is not search_plugin]
