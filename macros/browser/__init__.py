"""What ships to the browser: the rules bundle and the Pyodide runtime the calculators run in.

======================  ===================================================================
``bundle.py``           rules/ exported as the one JSON dict the engines in ``tools/`` read
``pyodide_assets.py``   the runtime written into the built site: Pyodide from the npm
                        package (checked against ``pyodide-sha256.txt``), the ``tools/``
                        zip, the bundle, the memory snapshot
``pyodide_snapshot.mjs`` the Node script that takes the snapshot at build time
======================  ===================================================================

May import: ``macros.rules`` and ``tools``. Never ``macros.site``, ``macros.deployment``
or ``cli``.
"""
