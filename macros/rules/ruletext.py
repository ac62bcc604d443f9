"""Rule text is data, never code: the one place that decides what a string from rules/ may hold.

Every string of every rule file reaches a page only through this module, twice over:

1. **Refused when loaded** (:func:`problems`, run by the loader on every string, so
   ``procedures check``, ``make check`` and the build all refuse the same things):

   - a ``{{ ... }}``, ``{% ... %}`` or ``{# ... #}`` that is not one of the documented
     macros (rules/README.md) written with quoted ids and whole numbers only;
     macros are rendered only in a block's ``text`` and its ``who`` actions, so
     anywhere else (titles, cites, labels, notes, contacts, glossary, flags) any
     ``{{``, ``{%`` or ``{#`` is refused;
   - raw HTML: a tag (``<script>``, ``<img ...>``, ``</p>``), a comment (``<!--``)
     or an event-handler attribute (``onerror=``); rule text is Markdown only;
   - a link whose target uses a scheme other than http, https, mailto or tel
     (``[x](javascript:...)``, ``data:``, ``vbscript:``), however it is spelt:
     entities are decoded first (``java&#115;cript:``, ``d&#97;ta:``), and reference
     definitions are found wherever Markdown reads them (in a block quote, ``> [x]: ...``,
     or indented in a list item), so the check agrees with the allow-list the build
     applies to the HTML (:func:`url_allowed`, used by ``macros.site.sanitize``);
   - an image from anywhere but the site itself (``![](https://other.example/p.png)``,
     ``//other.example``): images may only use a relative path;
   - in a one-line field (every field but :data:`MULTILINE`: titles, names, labels,
     terms, addresses...), a line break; in any field, a control character or a
     bidirectional override or isolate (U+202A-U+202E, U+2066-U+2069), which reorders
     how the text reads (a phone number shown backwards).

2. **Escaped when rendered** (:func:`markdown`, used by page generation and by the
   page macros): even if the loader were bypassed, ``<`` becomes ``&lt;`` (no live
   tag), ``{`` and ``}`` become ``&#123;``/``&#125;`` (Jinja sees no delimiter), and
   a macro call is re-emitted from its parsed arguments only when its name is a
   documented macro, so nothing from rules/ reaches Python objects.

>>> [m for m, _ in problems("Within {{ ts('x') }}", macros=True)]
[]
>>> [m for m, _ in problems("{{ cycler.__init__.__globals__ }}", macros=True)][0][:40]
"a '{{ ... }}', '{% ... %}' or '{# ... #}"
>>> markdown("<script>{{ 7*7 }}</script>")
'&lt;script&gt;&#123;&#123; 7*7 &#125;&#125;&lt;/script&gt;'
>>> markdown("Within {{ ts('national-icpc', 'words') }} days", macros=True)
"Within {{ ts('national-icpc', 'words') }} days"
"""
from __future__ import annotations

import html as _html
import re

from macros.rules.yamlsource import Document, Problem, format_path

# The macros a rule text may use (rules/README.md), and their argument shape.
MACRO = re.compile(r"\{\{\s*(?P<name>[a-z_]+)\s*\((?P<args>[^)]*)\)\s*\}\}")
MACRO_NAMES = ("ts", "contact", "phone", "address", "email", "link", "flags", "grid")
_ARG = re.compile(r"^[^'\"{}<>\\%#\[\]()]{1,200}$")  # an id, a form or a link's words: no quotes, brackets, braces

_JINJA = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")
_TAG = re.compile(r"<\s*/?\s*[A-Za-z][A-Za-z0-9:-]*(?=[\s/>]|$)|<!|<\?")
_HANDLER = re.compile(r"\bon[a-z]{3,}\s*=", re.IGNORECASE)
_INLINE_TARGET = re.compile(r"(!?)\[[^\]]*\]\(\s*<?([^)\s>]*)")
# A reference definition wherever Markdown finds one: after any run of block-quote marks,
# list markers and indentation.
_REF_TARGET = re.compile(r"^(?:[ \t>]|[-*+][ \t]|[0-9]{1,9}[.)][ \t])*\[([^\]\n]+)\]:[ \t]*<?([^\s>]*)", re.MULTILINE)
_REF_IMAGE = re.compile(r"!\[([^\]\n]*)\](?:\[([^\]\n]*)\])?")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_URL_CONTROL = re.compile(r"[\x00-\x1f\x7f\\]")
SAFE_SCHEMES = ("http", "https", "mailto", "tel")
# Fields that may run over several lines (a paragraph's text, its who actions, notes...).
MULTILINE = frozenset({"text", "actions", "notes", "note", "explanation", "meaning", "reading", "description",
                       "summary", "quote", "reason", "date_note", "level_note", "status_note"})
# The characters no field may hold, as (first, last, what): rules/README.md lists them from here.
FORBIDDEN_CHARACTERS = (
    ("\x00", "\x08", "control characters"), ("\x0b", "\x1f", "control characters"),
    ("\x7f", "\x9f", "DEL and the C1 control characters"),
    ("\u202a", "\u202e", "bidirectional embeddings and overrides: U+202E shows a phone number backwards"),
    ("\u2066", "\u2069", "bidirectional isolates"), ("\u2028", "\u2029", "the line and paragraph separators"),
)
_CONTROL = re.compile("[" + "".join(f"{re.escape(a)}-{re.escape(b)}" for a, b, _ in FORBIDDEN_CHARACTERS) + "]")
INTERNAL_LINK_EXAMPLE = "{{ link('cov-10') }} (or {{ link('cov-10', 'the referral pathway') }})"
LINK_EXAMPLE = "[the guidance](https://www.gov.uk/government/publications/working-together-to-safeguard-children--2)"


def url_allowed(value: str, attribute: str = "href") -> bool:
    """The one URL rule of the site (``macros.site.sanitize`` applies it to the HTML): an
    ``href`` may be a relative path or use http, https, mailto or tel; an ``src`` (an image)
    only a relative path. Never a network-path reference (``//other.example``), a backslash
    or a control character. ``value`` has its entities decoded already.

    >>> url_allowed("../referrals/#pbo-3-2"), url_allowed("tel:+441384000000"), url_allowed("javascript:x")
    (True, True, False)
    >>> url_allowed("//other.example/p.png", "src"), url_allowed("images/p.png", "src")
    (False, True)
    """
    url = value.strip(" \t\n\r\f")
    if _URL_CONTROL.search(url) or url.startswith("//"):
        return False
    scheme = _SCHEME.match(url)
    if scheme is None:
        return True
    return attribute == "href" and scheme.group(1).lower() in SAFE_SCHEMES


def _decoded(target: str) -> str:
    """A Markdown link target as the browser will read it: entities decoded (the browser does),
    Markdown's backslash escapes undone, spaces and control characters inside dropped (browsers
    drop tabs and newlines from URLs)."""
    text = _html.unescape(_html.unescape(target))
    text = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)
    return re.sub(r"[\s\x00-\x1f]", "", text)

MARKDOWN_EXAMPLE = "write Markdown only: **bold**, [a link](https://www.gov.uk/), {{ link('wt-52') }}"


def macro_args(raw: str) -> list:
    """Parse macro arguments: quoted strings and whole numbers only.

    >>> macro_args("'national-icpc', 'words'")
    ['national-icpc', 'words']
    >>> macro_args("'coventry-ras', 2")
    ['coventry-ras', 2]
    >>> macro_args("x.__class__")
    Traceback (most recent call last):
    ValueError: x.__class__
    """
    out = []
    for part in [p.strip() for p in raw.split(",") if p.strip()]:
        if len(part) >= 2 and part[0] == part[-1] and part[0] in "'\"" and _ARG.match(part[1:-1]):
            out.append(part[1:-1])
        elif part.isdigit() and len(part) <= 3:
            out.append(int(part))
        else:
            raise ValueError(part)
    return out


def problems(text: str, macros: bool = False) -> list[tuple[str, str]]:
    """``(message, valid example)`` for everything in ``text`` a rule file may not hold.

    ``macros`` says whether this field is one where macros are rendered (a block's
    text and who actions); the macros' arguments are checked against rules/ by the
    loader, not here."""
    out = []
    stripped = MACRO.sub(lambda m: "" if macros and m.group("name") in MACRO_NAMES and _parses(m) else m.group(0), text)
    if _JINJA.search(stripped):
        if macros:
            out.append(("a '{{ ... }}', '{% ... %}' or '{# ... #}' that is not one of the macros in rules/README.md "
                        "(rule text is data, never code)", "{{ ts('national-icpc') }}"))
        else:
            out.append(("'{{', '{%' and '{#' are not allowed here: macros are rendered only in a block's text and "
                        "who actions (rule text is data, never code)", "write the words or the number from the source"))
    if _TAG.search(text):
        out.append((f"raw HTML ({_TAG.search(text).group(0).strip()!r}...) is not allowed in rule text", MARKDOWN_EXAMPLE))
    elif _HANDLER.search(text):
        out.append((f"an event-handler attribute ({_HANDLER.search(text).group(0)!r}) is not allowed in rule text",
                    MARKDOWN_EXAMPLE))
    refs = {label.strip().lower(): target for label, target in _REF_TARGET.findall(text)}
    images = {(label or alt).strip().lower() for alt, label in _REF_IMAGE.findall(text)}
    targets = [(bang == "!", target) for bang, target in _INLINE_TARGET.findall(text)]
    targets += [(label in images, target) for label, target in refs.items()]
    for image, target in targets:
        bare = _decoded(target)
        if image and not url_allowed(bare, "src"):
            out.append((f"image '{target[:40]}' is not allowed: images may only come from the site itself "
                        "(the site requests nothing from any other host)", "write a link to the page instead: "
                        + LINK_EXAMPLE))
        elif not url_allowed(bare, "href"):
            out.append((f"link target '{target[:40]}' is not allowed: links may use http, https, mailto or tel only",
                        LINK_EXAMPLE))
        elif not image and _SCHEME.match(bare) is None:
            # A typed address inside the site ('#cov-10', '../referrals/') is right only for the page it
            # was typed on and the folder the site was built for: it breaks when the paragraph moves, the
            # site is served from a sub-folder or the page is quoted elsewhere. The link macro resolves
            # the id (and follows moved ids) wherever the text is rendered.
            out.append((f"link target '{target[:40]}' types an address inside this site: it breaks when the "
                        "paragraph moves or the site is served from a folder", INTERNAL_LINK_EXAMPLE if macros
                        else "name the paragraph in words (see paragraph 3.2), or link it from a block's text "
                        "with " + INTERNAL_LINK_EXAMPLE))
    return out


def character_problems(text: str, one_line: bool) -> list[tuple[str, str]]:
    """A control character or a bidirectional override/isolate anywhere; a line break in a
    one-line field (a title, a name, a label: the whole text on one line).

    >>> character_problems("Call 0121\\u202e 496 0000", one_line=True)[0][0][:45]
    'a bidirectional override or control character'
    >>> character_problems("Referrals\\n## Injected", one_line=True)[0][0][:36]
    'a line break in a one-line field: it'
    """
    out = []
    bad = _CONTROL.search(text)
    if bad:
        out.append((f"a bidirectional override or control character (U+{ord(bad.group(0)):04X}) is not allowed: it "
                    "changes how the text reads or prints", "type the text again without it"))
    if one_line and "\n" in text.rstrip("\n") or one_line and text.endswith("\n"):
        out.append(("a line break in a one-line field: it would start a new heading, list or link on every page "
                    "that shows it", "title: Referrals and assessment   (all on one line, or quoted)"))
    if "\t" in text and one_line:
        out.append(("a tab in a one-line field", "use a space"))
    if one_line and _LINK_SYNTAX.search(text):
        # A name or title is printed in headings, the navigation and the front of every page of its
        # area: Markdown link syntax there (``[a](``) would turn the words after it into a link.
        out.append(("Markdown link syntax ('](', '![' or '[x]:') in a one-line field: a name, title or label is "
                    "plain text", "name: Dudley Safeguarding Children Partnership   (no brackets around words)"))
    return out


# ``[words](``, ``![`` or a reference definition ``[x]:``: a link or an image in Markdown.
_LINK_SYNTAX = re.compile(r"\]\s*\(|!\[|\[[^\]]*\]\s*:")


def _parses(m: re.Match) -> bool:
    try:
        macro_args(m.group("args"))
        return True
    except ValueError:
        return False


def escape(text: str) -> str:
    """``<``, ``>``, ``{`` and ``}`` as entities: no tag and no template delimiter survives."""
    return text.replace("<", "&lt;").replace(">", "&gt;").replace("{", "&#123;").replace("}", "&#125;")


def markdown(text: str, macros: bool = False) -> str:
    """``text`` as Markdown that no template engine or browser can run (see the module docstring).

    Block quotes (``>`` at a line's start) are kept; every other ``>`` is escaped."""
    out, pos = [], 0
    for m in MACRO.finditer(text) if macros else ():
        out.append(escape(text[pos:m.start()]))
        try:
            args = macro_args(m.group("args"))
        except ValueError:
            args = None
        if m.group("name") in MACRO_NAMES and args is not None:
            out.append("{{ " + m.group("name") + "(" + ", ".join(repr(a) for a in args) + ") }}")
        else:
            out.append(escape(m.group(0)))
        pos = m.end()
    out.append(escape(text[pos:]))
    result = "".join(out)
    return re.sub(r"^(\s*)&gt;", r"\1>", result, flags=re.MULTILINE)


def html(text: str) -> str:
    """``text`` for an HTML attribute or element: every special character escaped."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
            .replace("{", "&#123;").replace("}", "&#125;"))


# -- every string of a file ----------------------------------------------------------------
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
    """Every string of the file through :func:`problems`: macros only
    where they are rendered, no other template syntax, no raw HTML, no unsafe link."""
    macro_paths = {p for p, _ in procedure_texts(doc.data)} if kind == "procedure" else set()
    out = []
    for path, text in strings(doc.data):
        key = next((p for p in reversed(path) if isinstance(p, str)), "")
        found = problems(text, macros=path in macro_paths) + character_problems(text, one_line=key not in MULTILINE)
        for message, example in found:
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
