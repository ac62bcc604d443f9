"""The ``procedures`` command line (CPython only; never shipped to the browser).

Each subcommand is a module here with ``main(argv) -> exit status``; the engines it
calls are the same ``tools`` functions the pages run in Pyodide, over the same
bundle, which ``cli/bundle.py`` loads from rules/ through ``macros``.
"""
