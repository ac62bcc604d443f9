"""Generated pages reach MkDocs as final Markdown: their macro calls rendered here, in Python.

mkdocs-macros compiles every page it renders as a Jinja template (about a tenth of a
build at 500 procedures). A generated page (macros/site/pages.py) holds no Jinja but the macro
calls page generation wrote itself and the validated calls of rule text
(``macros.rules.ruletext.markdown`` re-emits them from their parsed arguments): a name and
literal arguments, ``{{ name('a', 'b', 2) }}``. :func:`render` calls the same macro
functions mkdocs-macros registered (``macros/site/pagemacros.py``, registered by macros/main.py), with the page they
are for, and marks the page ``render_macros: false`` so mkdocs-macros leaves it alone.
The HTML is the same as when mkdocs-macros rendered the page; hand-written docs/ pages
still go through mkdocs-macros.

Anything else that Jinja would have read (a ``{%``, a ``{#`` or a call that is not a
registered macro with literal arguments) stops the build, naming the page: it can only
come from a change to page generation, never from rules/ (whose text is escaped).

>>> render("---\\ntitle: x\\n---\\n# {{ double('ab') }}\\n", {"double": lambda s: s * 2}, "a.md")
'---\\ntitle: x\\nrender_macros: false\\n---\\n# abab'
"""
from __future__ import annotations

import ast
import re
from contextlib import contextmanager
from types import SimpleNamespace

CALL = re.compile(r"\{\{\s*([A-Za-z_]\w*)\s*\(((?:[^()'\"]|'[^']*'|\"[^\"]*\")*)\)\s*\}\}")
JINJA = re.compile(r"\{\{|\{%|\{#")


class PrerenderError(ValueError):
    pass


def render(markdown: str, macros: dict, path: str) -> str:
    """``markdown`` with every ``{{ macro(literals) }}`` replaced by the macro's result.

    Like Jinja, the result loses one trailing newline (Jinja's ``keep_trailing_newline``
    is off), so the Markdown is byte for byte what mkdocs-macros would have produced."""
    text = render_fragment(markdown, macros, path)
    if text.endswith("\n"):
        text = text[:-1]
    return _skip_macros(text)


def render_fragment(markdown: str, macros: dict, path: str) -> str:
    """A piece of a page (a block's Markdown, ``macros.site.blocks``) with its macro calls rendered.

    >>> render_fragment("Within {{ double('ab') }}.", {"double": lambda s: s * 2}, "a.md")
    'Within abab.'
    """
    def call(m: re.Match) -> str:
        name = m.group(1)
        if name not in macros:
            raise PrerenderError(f"{path}: {{{{ {name}(...) }}}} is not a registered macro")
        try:
            args = ast.literal_eval("(" + m.group(2) + ",)") if m.group(2).strip() else ()
        except (ValueError, SyntaxError):
            raise PrerenderError(f"{path}: the arguments of {m.group(0)!r} are not literals") from None
        return str(macros[name](*args))

    out, pos = [], 0
    for m in CALL.finditer(markdown):
        between = markdown[pos:m.start()]
        if JINJA.search(between):
            raise PrerenderError(f"{path}: Jinja syntax other than a macro call: {between[JINJA.search(between).start():][:60]!r}")
        out.append(between)
        out.append(call(m))
        pos = m.end()
    rest = markdown[pos:]
    if JINJA.search(rest):
        raise PrerenderError(f"{path}: Jinja syntax other than a macro call: {rest[JINJA.search(rest).start():][:60]!r}")
    out.append(rest)
    return "".join(out)


def _skip_macros(text: str) -> str:
    """Add ``render_macros: false`` to the page's front matter (every generated page has one)."""
    if not text.startswith("---\n"):
        raise PrerenderError("a generated page without front matter")
    end = text.index("\n---\n", 3)
    return text[:end] + "\nrender_macros: false" + text[end:]


@contextmanager
def for_page(plugin, page):
    """mkdocs-macros' macros see ``page`` as the page being rendered (``env.page``): they
    read ``page.file.src_uri`` and ``page.url`` to write relative links."""
    previous = getattr(plugin, "_page", None)
    plugin._page = page
    try:
        yield
    finally:
        if previous is None:
            del plugin._page
        else:
            plugin._page = previous


def render_pages(plugin, pages: dict[str, str], url_of) -> dict[str, str]:
    """Every generated page rendered with mkdocs-macros' registered macros (``plugin.macros``).

    ``url_of(path)`` is the page's built address (``coventry/referrals/``); each call sees a
    stand-in page with the two attributes the macros read, as it would have seen the real one."""
    out = {}
    for path, markdown in pages.items():
        stand_in = SimpleNamespace(file=SimpleNamespace(src_uri=path, src_path=path), url=url_of(path))
        with for_page(plugin, stand_in):
            out[path] = render(markdown, plugin.macros, path)
    return out
