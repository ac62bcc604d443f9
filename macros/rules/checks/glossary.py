"""Glossary (rules/glossary/<area>.yaml): one meaning per term and id, cited.

Each function takes the :class:`macros.rules.checker.Checker` (``ck``) and reports through it.
"""
from __future__ import annotations


def check_glossary(ck):
    for _rel, doc in ck.of_kind("glossary"):
        ck.guarded(_check_glossary_file, ck, doc)


def _check_glossary_file(ck, doc):
    seen, terms = {}, {}
    area = doc.data.get("area")
    for i, t in enumerate(doc.data.get("terms", [])):
        if t["id"] in seen:
            ck.problem(doc, ("terms", i, "id"), f"duplicate term id '{t['id']}' (also item {seen[t['id']]})")
        seen[t["id"]] = i
        word = " ".join(t["term"].lower().split())
        if word in terms:
            ck.problem(doc, ("terms", i, "term"), f"the term '{t['term']}' is already defined on line "
                         f"{doc.line(('terms', terms[word]))}: one meaning per term", "")
        terms.setdefault(word, i)
        if "source" in t:
            ck.source(doc, ("terms", i, "source"), t["source"], area)
