"""Build-time code, in rooms by job (each package's docstring says what it holds and may import):

- ``macros.rules``: reading and checking rules/ (where a thing is checked);
- ``macros.site``: the pages built from the rules (where a thing is rendered);
- ``macros.browser``: the bundle and runtime the calculators run on (what ships to the browser);
- ``macros.deployment``: the build, the server configs and the dev server (how it is served);
- ``macros.importer``: a partnership's document turned into a draft area (``procedures import``).

At the top, thin: ``hooks.py`` (the MkDocs hooks), ``main.py`` (the mkdocs-macros entry:
registers the page macros of ``macros.site.pagemacros``) and ``state.py`` (the build's one
cache of loaded rules and bundle). Arrows point one way: rules <- browser <- site <-
deployment <- hooks/main; nothing here imports ``cli``.
"""
