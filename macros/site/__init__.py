"""The site: every page built from rules/, and what shapes it.

Job: from a validated :class:`macros.rules.Rules` to the pages MkDocs renders. Where a
thing is rendered:

======================  ===================================================================
``pages.py``            the generated pages: a plain function from Rules to {path: Markdown}
``blocks.py``           a procedure's paragraphs, rendered to HTML once each
``prerender.py``        generated pages' macro calls rendered in Python
``markdown_worker.py``  a second process converting the blocks' Markdown
``pagemacros.py``       the page macros (``ts()``, ``contact()``, ``link()`` ...) as plain functions
``render.py``           the one Jinja renderer; templates in ``templates/`` (GOV.UK components)
``forms.py``            the deadline calculator's form
``threshold_page.py``   an area's threshold checker page, readable without JavaScript
``flowchart.py``        flow charts as static SVG
``changes.py``          what's changed, the Atom feed, overdue reviews
``abbreviations.py``    the glossary's abbreviations marked up in text
``search.py``           the Pagefind index, shaped by area and glossary
======================  ===================================================================

May import: ``macros.rules``, ``macros.browser`` (the bundle's citations), ``tools`` and
the site's libraries (MkDocs, Markdown, Jinja). Never ``macros.deployment`` or ``cli``.
"""
