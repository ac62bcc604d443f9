"""No concern an area's document lists as a child-protection trigger is routed lower.

Walks every indicator and red flag of every area of the rules tree (tests/areas.py). Where an item shares its
wording with one of the area's child-protection triggers (section 47 indicated, strategy
meeting must be held, significant harm), ticking the item alone must give the
child-protection pathway (it is linked with ``escalates_to``), or the item must carry a
recorded, cited ``routes_lower`` reason, reviewed by hand against the source text.

"Shares its wording": two or more distinctive words in common (words used by only a few
items of the area, compared on their first six letters, so "trafficked" meets
"trafficking"), or every word of the item found in the trigger.
"""
from __future__ import annotations

import re

import pytest
from areas import each_area, each_local_area
from bundles import real_bundle

from tools.thresholds import check, list_items

_STOP = set("a an the of or and to in is are be by for with who whose where which that has have been being "
            "on at as from their there child children childs concern concerns about any when other may risk "
            "some".split())
DELAYING = ("common assessment has been completed", "complete a caf", "whether a caf is appropriate",
            "complete a common assessment", "completing a common assessment first")


def stems(text: str) -> set[str]:
    return {w[:6] for w in re.findall(r"[a-z]+", text.lower().replace("'", "")) if w not in _STOP and len(w) > 3}


def shared_wording(bundle: dict, area: str):
    """``(item, trigger, shared stems)`` for every lower item that shares wording with a trigger."""
    items = list_items(bundle, area)
    everything = items["indicators"] + items["flags"]
    df: dict[str, int] = {}
    for it in everything:
        for s in stems(it["text"]):
            df[s] = df.get(s, 0) + 1
    rare = {s for s, n in df.items() if n <= max(3, len(everything) // 40)}
    triggers = [f for f in items["flags"] if f["pathway"] == "child-protection"]
    lower = items["indicators"] + [f for f in items["flags"]
                                   if f["pathway"] not in ("child-protection", "immediate-protection")]
    for it in lower:
        mine = stems(it["text"]) & rare
        for trig in triggers:
            shared = mine & stems(trig["text"])
            if len(shared) >= 2 or (shared and stems(it["text"]) <= stems(trig["text"])):
                yield it, trig, shared


@each_area
def test_a_concern_that_shares_its_wording_with_a_child_protection_trigger_is_never_routed_lower_without_a_cited_reason(area):
    bundle = real_bundle()
    wrong = []
    for item, trigger, shared in shared_wording(bundle, area):
        kind = "indicators" if "level" in item else "flags"
        pathway = check(bundle, area, **{kind: [item["id"]]})["pathway"]
        lower = item.get("routes_lower") or {}
        if pathway not in ("child-protection", "immediate-protection") and not (
                lower.get("reason") and lower.get("source", {}).get("url")):
            wrong.append(f"{item['id']} ({item['text'][:50]!r}) -> {pathway}, shares {sorted(shared)} with "
                         f"{trigger['id']} ({trigger['text'][:50]!r}): link it (escalates_to) or record routes_lower")
    assert not wrong, "\n".join(wrong)


@each_area
def test_every_linked_item_gives_child_protection_and_the_result_quotes_the_list_that_decided_it(area):
    bundle = real_bundle()
    items = list_items(bundle, area)
    for kind in ("indicators", "flags"):
        for item in items[kind]:
            if not item.get("escalates_to"):
                continue
            r = check(bundle, area, **{kind: [item["id"]]})
            assert r["pathway"] == "child-protection", item["id"]
            link = next(x for x in r["reasons"] if x["kind"] == "link")
            assert item["escalates_to"]["quote"] in link["text"] and link["source"]["url"]
            assert [d["id"] for d in r["decided_by"]] == [item["escalates_to"]["trigger"]]


@each_area
def test_no_child_protection_or_immediate_result_tells_anyone_to_complete_a_common_assessment_first(area):
    bundle = real_bundle()
    items = list_items(bundle, area)
    for kind in ("indicators", "flags"):
        for item in items[kind]:
            r = check(bundle, area, **{kind: [item["id"]]})
            if r["pathway"] in ("child-protection", "immediate-protection"):
                for step in r["next_steps"]:
                    text = step["text"].lower()
                    assert not any(d in text for d in DELAYING) or "rather than" in text, (item["id"], step["text"])


def test_coventry_level_4_fgm_gives_child_protection_because_the_document_lists_fgm_among_strategy_meeting_concerns():
    r = check(real_bundle(), "coventry", indicators=["cov-l4-health-concern-about-female"])
    assert r["pathway"] == "child-protection" and r["level"] == 4
    assert r["decided_by"][0]["list"] == "Strategy meetings must be held in the following circumstances"
    assert r["decided_by"][0]["quote"] == "Concerns about female genital mutilation"
    assert not any("common assessment has been completed" in s["text"] for s in r["next_steps"])


RANK = {p: n for n, p in enumerate(("universal", "early-help", "child-in-need", "child-protection",
                                    "immediate-protection"))}


def _own_items(bundle: dict, area: str) -> list[tuple[str, dict]]:
    items = list_items(bundle, area)
    return ([("indicators", i) for i in items["indicators"]]
            + [("flags", f) for f in items["flags"] if f["layer"] == area])


@each_local_area
def test_every_national_concern_offered_in_an_area_is_labelled_national_and_routes_as_the_national_rules_do(area):
    bundle = real_bundle()
    national = [f for f in list_items(bundle, area)["flags"] if f["layer"] == "national"]
    assert national[0]["id"] == "wt-immediate-danger"
    hidden = {h["flag"] for h in bundle["thresholds"][area].get("hides", [])}
    offered = {f["id"] for f in national}
    assert offered | hidden == {f["id"] for f in bundle["thresholds"]["national"]["flags"]}
    for f in national:
        here, there = check(bundle, area, flags=[f["id"]]), check(bundle, "national", flags=[f["id"]])
        assert here["pathway"] == there["pathway"], f["id"]
        assert here["reasons"][0]["id"] == f["id"] and here["reasons"][0]["inherited"] is True


@each_local_area
def test_ticking_a_national_concern_with_any_concern_of_the_area_never_lowers_either_answer(area):
    bundle = real_bundle()
    national = [f["id"] for f in list_items(bundle, area)["flags"]
                if f["layer"] == "national" and f["pathway"] != "immediate-protection"]
    alone = {fid: RANK[check(bundle, area, flags=[fid])["pathway"]] for fid in national}
    wrong = []
    for kind, item in _own_items(bundle, area):
        mine = RANK[check(bundle, area, **{kind: [item["id"]]})["pathway"]]
        for fid in national:
            sel = {kind: [item["id"]]}
            sel["flags"] = sel.get("flags", []) + [fid]
            both = check(bundle, area, **sel)["pathway"]
            if RANK[both] < max(mine, alone[fid]):
                wrong.append(f"{item['id']} + {fid} -> {both}")
    assert not wrong, "\n".join(wrong[:20])


@each_local_area
def test_a_hidden_national_concern_is_refused_with_the_area_reason_and_cited(area):
    bundle = real_bundle()
    for h in bundle["thresholds"][area].get("hides", []):
        assert h["source"]["url"] and h["reason"]
        with pytest.raises(Exception, match="does not ask: " + re.escape(h["reason"][:40])):
            check(bundle, area, flags=[h["flag"]])
