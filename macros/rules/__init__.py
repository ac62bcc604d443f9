"""Reading and checking rules/: the one door from the YAML files to everything built from them.

Job: turn the files under ``rules/`` into a validated :class:`Rules` (plain, indexed data)
or a :class:`RulesInvalid` listing every problem, each with file, line, key and a valid
example, never a traceback. Where a thing is checked:

==========================  ===============================================================
``yamlsource.py``           one YAML file read strictly, with the line of every value
``schemas.py``              a file against the JSON Schema of its kind (``rules/schema/``)
``ruletext.py``             what a string from rules/ may hold (macros, Markdown, links)
``reading.py``              every file found, parsed and checked on its own
``checker.py``              the checks across files, and :func:`load_rules`
``checks/<kind>.py``        one module per kind of file: areas, events, procedures,
                            timescales, contacts, thresholds, glossary, calendar, moved ids,
                            macros in text
``model.py``                :class:`Rules`, :class:`Anchor`, :class:`RulesInvalid`, shared limits
``published_ids.py``        the ids partners may link to (rules/published-ids.txt)
``moves.py``                moved ids and renamed pages (rules/moved-ids.yaml) resolved
``text.py``                 how rule values read in a sentence (amounts, phone links)
``faithful.py``             the site against its source documents (``procedures faithful``)
``calendar_refresh.py``     the bank holidays refreshed from a GOV.UK file on disk
==========================  ===============================================================

May import: the standard library, PyYAML, jsonschema and ``tools`` (the engines' shared
helpers). Never ``macros.site``, ``macros.browser``, ``macros.deployment`` or ``cli``
(tests/test_architecture.py holds the arrows).
"""
from macros.rules.checker import load_rules
from macros.rules.model import RULES, Anchor, Rules, RulesInvalid

__all__ = ["RULES", "Anchor", "Rules", "RulesInvalid", "load_rules"]
