"""The one renderer of the calculators' HTML: Jinja templates in ``macros/site/templates/``.

``render("pages/deadline-form.html", **data)`` renders a page-level template;
``component("date-input", **params)`` calls one component's macro (the folder
``macros/site/templates/components/date-input/`` holds ``template.html`` with the macro
``date_input``, a ``README.md`` of its parameters and an ``example.yaml``).

Autoescaping is on (every value is text unless the template marks it otherwise) and
an undefined name is an error (``StrictUndefined``), so a missing value fails the build
instead of leaving a gap on the page. The Python callers only prepare plain data.
"""
from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from macros.rules import ruletext

TEMPLATES = Path(__file__).resolve().parent / "templates"
COMPONENTS = TEMPLATES / "components"

ENV = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined,
                  trim_blocks=True, lstrip_blocks=True)
# Text from rules/ in a template whose output reaches mkdocs-macros: every special character
# escaped, braces included (``macros.rules.ruletext.html``), so Jinja sees no delimiter.
ENV.filters["rule"] = lambda text: Markup(ruletext.html(str(text)))


def tidy(html: str) -> str:
    """Drop the templates' indentation and empty lines (never inside the output's text:
    the calculators' HTML has no ``<pre>`` or ``<textarea>``). Raw HTML in a Markdown page
    must not contain a blank line or a line indented like a code block."""
    return "\n".join(line.strip() for line in html.splitlines() if line.strip())


def render(name: str, **context) -> str:
    """A page-level template (``pages/...``), tidied: HTML for a Markdown page."""
    return tidy(ENV.get_template(name).render(**context))


def render_markdown(name: str, **context) -> str:
    """A template whose output is Markdown (blank lines and indentation kept as written)."""
    return ENV.get_template(name).render(**context)


def render_text(name: str, **context) -> str:
    """A template rendered as written (the Atom feed, XML): autoescaped, not tidied."""
    return ENV.get_template(name).render(**context)


def macro_name(component_name: str) -> str:
    """``"error-summary"`` -> ``"error_summary"``: the macro inside the component's template."""
    return component_name.replace("-", "_")


def component(component_name: str, /, **params) -> Markup:
    """Call one component's macro with ``params`` (what ``example.yaml`` holds)."""
    module = ENV.get_template(f"components/{component_name}/template.html").module
    return getattr(module, macro_name(component_name))(**params)


def component_names() -> list[str]:
    return sorted(p.name for p in COMPONENTS.iterdir() if (p / "template.html").is_file())
