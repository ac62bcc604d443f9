"""Contacts (rules/contacts/<area>.yaml): ids unique with the area prefix, each cited.

Each function takes the :class:`macros.rules.checker.Checker` (``ck``) and reports through it.
"""
from __future__ import annotations


def check_contacts(ck):
    for _rel, doc in ck.of_kind("contacts"):
        ck.guarded(_check_contacts_file, ck, doc)


def _check_contacts_file(ck, doc):
    area = doc.data.get("area")
    for i, c in enumerate(doc.data.get("contacts", [])):
        p = ("contacts", i)
        ck.claim(doc, p + ("id",), c["id"], "contact")
        if area and not c["id"].startswith(area + "-"):
            ck.problem(doc, p + ("id",), f"contact id must start with '{area}-'", f"id: {area}-{c['id']}")
        ck.source(doc, p + ("source",), c["source"], area)
