"""Deployment: how the built site is made, served and pinned.

======================  ===================================================================
``build_info.py``       the atomic build (``make build``) and what a build records
``headers.py``          the one list of HTTP headers, MIME types and caching the site needs
``server_configs.py``   the shipped nginx, Apache and IIS configs, generated from that list
``serve.py``            the dev server (``make serve``) with the intranet's headers
``lockfiles.py``        the dependency groups of pyproject.toml as lock-file inputs
======================  ===================================================================

May import: ``macros.site`` (the search index step of a build), ``macros.rules``,
``macros.browser`` and ``tools``. Never ``cli``.
"""
