"""Drive the site's real search box in Chromium (Playwright) and read the first results.

Shared by tests/browser/test_search.py and bench/bench_search.py. Works with both engines the
site has measured: the site's own Pagefind box (``#site-search``) and Material's built-in lunr
box (``[data-md-component=search-query]``). The box is opened with the keyboard ("/"), as a
practitioner would, and the query is typed key by key.

A result is ``{"href", "id", "section", "area", "text"}``: ``id`` is the URL fragment (the
paragraph the result lands on, or the section when no paragraph of it matched; "" for a page
row), ``section`` the section it is in, and ``area`` the first path segment of the URL (every
generated page lives under /<area>/). ``text`` is what the result shows; the area must be named
in it. A query whose ``expect`` names sections counts a result in that section; one whose
``kind`` is ``paragraph`` counts only the paragraph (or contact) itself.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import yaml

AREA_NAMES: dict[str, str] = {}


def area_names(repo) -> dict[str, str]:
    """Area id -> the name a result must show ("national" -> "England (national guidance)")."""
    if not AREA_NAMES:
        data = yaml.safe_load((repo / "rules" / "areas.yaml").read_text(encoding="utf-8"))
        AREA_NAMES.update({a["id"]: a["name"] for a in data["areas"]})
    return AREA_NAMES


def engine(page) -> str:
    return "pagefind" if page.locator("#site-search").count() else "lunr"


def open_box(page) -> None:
    page.keyboard.press("/")


def read_results(page, query: str, n: int = 3, timeout_ms: int = 15000, typed: bool = True) -> list[dict]:
    """Type ``query`` into the open box (key by key, or pasted: ``typed=False``); the first ``n`` results shown."""
    if engine(page) == "pagefind":
        box = page.locator("#site-search-input")
        box.fill("")
        page.evaluate("document.getElementById('site-search-results').dataset.query = ''")
        box.press_sequentially(query, delay=5) if typed else box.fill(query)
        page.wait_for_function("q => document.getElementById('site-search-results').dataset.query === q",
                               arg=query, timeout=timeout_ms)
        links = page.locator("#site-search-results > li > a")
    else:
        box = page.locator("[data-md-component=search-query]")
        box.fill("")
        box.press_sequentially(query, delay=5) if typed else box.fill(query)
        page.wait_for_function(
            """() => { const m = document.querySelector('.md-search-result__meta');
                       return m && !/Initializing|Type to start/i.test(m.textContent); }""",
            timeout=timeout_ms)
        page.wait_for_timeout(150)   # the list is re-rendered after the count
        links = page.locator(".md-search-result__list a.md-search-result__link:not(details:not([open]) a)")
    out = []
    for i in range(min(n, links.count())):
        a = links.nth(i)
        href = a.get_attribute("href") or ""
        parts = urlsplit(href)
        path = [p for p in parts.path.split("/") if p and p not in ("..", ".")]
        section = a.get_attribute("data-section") or parts.fragment
        out.append({"href": href, "id": parts.fragment, "section": section, "area": path[0] if path else "",
                    "text": re.sub(r"\s+", " ", a.inner_text()).strip()})
    return out


def score(results_by_query: list[tuple[dict, list[dict]]]) -> dict:
    """Top-3 hits, page rows and results not naming their area, over the query set."""
    hits = page_rows = unnamed = total = 0
    failed = []
    for case, results in results_by_query:
        exact = case.get("kind") == "paragraph"
        ok = any(r["id"] in case["expect"] or (not exact and r.get("section", r["id"]) in case["expect"])
                 for r in results[:3])
        hits += ok
        if not ok:
            failed.append((case["query"], [r["id"] or r["href"] for r in results[:3]]))
        for r in results[:3]:
            total += 1
            page_rows += r["id"] == ""
            name = AREA_NAMES.get(r["area"])
            name = name or "All areas"
            unnamed += not (name and name.split(" (")[0].lower() in r["text"].lower())
    return {"queries": len(results_by_query), "hits": hits, "score": hits / max(1, len(results_by_query)),
            "results": total, "page_rows": page_rows, "unnamed": unnamed, "failed": failed}
