"""The threshold engine (tools/thresholds.py): YAML cases on the real rules, unit tests on
small hand-made bundles, and properties.

Importable and runnable inside Pyodide (no numpy, no subprocess; pyyaml is there). The
real rules are loaded with ``macros.state.load_bundle()``; inside Pyodide (where macros/
cannot load rules/) the bundle JSON is read from ``$PROCEDURES_BUNDLE_JSON``, and the
real-rule tests are skipped with that reason when it is not set.

The real-rule tests run for every area of the rules tree (tests/areas.py): the YAML cases of
tests/cases/thresholds/<area>.yaml, which every area must have (a missing file fails, naming it),
and the checks every area's rules must pass whatever they say.
"""
from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

import pytest
import yaml
from areas import case_file, case_files, each_area, per_area
from bundles import real_bundle, world

from tools import threshold_answer
from tools import thresholds as th
from tools.thresholds import RulesProblem, ThresholdError, UnknownArea, UnknownItem, check, list_items

IN_PYODIDE = sys.platform == "emscripten"
SEVERITY = {p: n for n, p in enumerate(threshold_answer.PATHWAYS)}


# -- the real rules ---------------------------------------------------------------------------------
def _case_files():
    return case_files("thresholds")


def _cases():
    out = []
    for path in _case_files():
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            out.append(pytest.param(data["area"], case, id=f"{path.stem}: {case['name']}"))
    return out


@per_area
@pytest.mark.parametrize("area, case", _cases())
def test_each_yaml_case_gives_the_pathway_it_names(area, case):
    bundle = real_bundle()
    expect = case["expect"]
    if "error" in expect:
        with pytest.raises(ThresholdError, match=expect["error"]):
            check(bundle, area, indicators=case.get("indicators", []), flags=case.get("flags", []))
        return
    result = check(bundle, area, indicators=case.get("indicators", []), flags=case.get("flags", []))
    if "level" in expect:
        assert result["level"] == expect["level"]
    assert result["pathway"] == expect["pathway"]
    if "rule" in expect:
        assert result["rule"] == expect["rule"]
    if "rules" in expect:
        assert result["rules"] == expect["rules"]
    if "reasons" in expect:
        assert [r["id"] for r in result["reasons"]] == expect["reasons"]
    if "contacts" in expect:
        assert [c["id"] for c in result["contacts"]] == expect["contacts"]
    numbers = [p["number"] for c in result["contacts"] for p in c.get("phones", [])]
    for number in expect.get("phones", []):
        assert number in numbers
    # Every result is explained and cited, whatever the case.
    assert result["reasons"] and all(r["text"] and r["source"]["url"] for r in result["reasons"])
    assert result["reasons"][-1]["kind"] == "rule"
    assert result["disclaimer"] in result["summary"]


def test_every_case_file_names_a_real_area_and_its_cases_have_sentence_names():
    bundle = real_bundle()
    for path in _case_files():
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert data["area"] == path.stem and data["area"] in bundle["areas"], path
        names = [c["name"] for c in data["cases"]]
        assert len(names) == len(set(names)), f"{path.name}: two cases have the same name"
        for n in names:
            assert n[0].isupper() and n.endswith("."), f"{path.name}: not a full sentence: {n!r}"


@each_area
def test_every_area_has_its_threshold_cases(area):
    data = yaml.safe_load(case_file("thresholds", area).read_text(encoding="utf-8"))
    assert data["area"] == area and data["cases"], f"{case_file('thresholds', area)} holds no case"


@each_area
def test_every_decision_rule_of_the_area_is_exercised_by_a_case(area):
    """A procedure owner who adds a rule adds a case for it (tests/cases/thresholds/<area>.yaml)."""
    bundle = real_bundle()
    data = yaml.safe_load(case_file("thresholds", area).read_text(encoding="utf-8"))
    decided = set()
    for case in data["cases"]:
        if "error" in case["expect"]:
            continue
        decided.update(check(bundle, area, case.get("indicators", []), case.get("flags", []))["rules"])
    # a final `otherwise` is reached only with nothing selected in an area without a grid, and
    # nothing selected is refused (NothingSelected): it stays as a safety net
    missing = [rule["id"] for rule in bundle["thresholds"].get(area, {}).get("rules", [])
               if rule["id"] not in decided and rule["when"] != {"otherwise": True}]
    assert not missing, f"{area}: rules no case decides (add cases to {case_file('thresholds', area)}): {missing}"


@each_area
def test_in_every_area_the_immediate_danger_question_is_asked_first_and_overrides_everything(area):
    bundle = real_bundle()
    items = list_items(bundle, area)
    assert items["flags"] and items["flags"][0]["id"] == "wt-immediate-danger"
    everything = check(bundle, area, indicators=[i["id"] for i in items["indicators"]],
                       flags=[f["id"] for f in items["flags"]])
    assert everything["pathway"] == "immediate-protection"
    assert everything["contacts"][0]["phones"][0]["number"] == "999"
    assert everything["next_steps"][0]["text"].endswith("call the police on 999 now.")


@each_area
def test_in_every_area_each_red_flag_on_its_own_decides_its_own_pathway(area):
    bundle = real_bundle()
    wrong = []
    for f in list_items(bundle, area)["flags"]:
        r = check(bundle, area, flags=[f["id"]])
        expected = "child-protection" if f.get("escalates_to") else f["pathway"]
        if r["pathway"] != expected:
            wrong.append(f"{f['id']} ({expected}) -> {r['pathway']} by {r['rule']}")
        assert [x["id"] for x in r["reasons"]][0] == f["id"]
    assert not wrong, "\n".join(wrong)


@each_area
def test_in_every_area_nothing_selected_is_refused_and_every_item_has_a_citation(area):
    bundle = real_bundle()
    with pytest.raises(th.NothingSelected, match="Select at least one concern"):
        check(bundle, area)
    with pytest.raises(UnknownItem, match="empty flag id"):
        check(bundle, area, flags=[""])
    items = list_items(bundle, area)
    for item in items["indicators"] + items["flags"]:
        assert item["source"]["url"] and item["source"]["section"], item["id"]


def test_the_summary_names_the_source_documents_with_their_date_and_status():
    r = check(real_bundle(), "coventry", ["cov-l2-health-low-level-self"])
    assert [d["id"] for d in r["documents"]] == ["coventry-thresholds-2013", "wt2015-ch1"]
    assert "The rules come from: Coventry Thresholds 2013 " \
           "(January 2013, historical); Working Together 2015, ch. 1 (March 2015, superseded)." in r["summary"]
    assert "Level 2, Health: Low level self-harm" in r["summary"]


def test_every_coventry_indicator_and_flag_in_the_source_is_selectable():
    bundle = real_bundle()
    items = list_items(bundle, "coventry")
    own = bundle["thresholds"]["coventry"]
    assert [i["id"] for i in items["indicators"]] == [i["id"] for i in own["indicators"]]
    national = {f["id"] for f in bundle["thresholds"]["national"]["flags"]} - {
        h["flag"] for h in own.get("hides", [])}
    assert {f["id"] for f in items["flags"]} == {f["id"] for f in own["flags"]} | national


def test_coventry_rules_are_ordered_by_severity_so_adding_a_concern_never_lowers_the_pathway():
    """Coventry's rules run from the most to the least serious pathway, so the checker is
    monotonic there: selecting more never suggests a lesser pathway (checked on a sweep)."""
    bundle = real_bundle()
    items = list_items(bundle, "coventry")
    inds = [i["id"] for i in items["indicators"]]
    flags = [f["id"] for f in items["flags"]]
    picks = inds[::17] + flags[::5]
    for n, extra in enumerate(picks):
        base_i = inds[n * 7 % len(inds):][:n % 3]
        base_f = flags[n * 3 % len(flags):][:n % 2]
        if not base_i and not base_f:
            continue
        before = check(bundle, "coventry", base_i, base_f)
        after = check(bundle, "coventry", base_i + ([extra] if extra in inds else []),
                      base_f + ([extra] if extra in flags else []))
        assert SEVERITY[after["pathway"]] >= SEVERITY[before["pathway"]], (base_i, base_f, extra)


# -- unit tests on hand-made bundles ----------------------------------------------------------------
def src(i: str) -> dict:
    return {"document": "Doc", "document_id": "doc", "section": i, "id": i, "url": f"x/#{i}", "title": i}


def rule(rid: str, when: dict, pathway: str, **kw) -> dict:
    return {"id": rid, "when": when, "pathway": pathway, "explanation": f"because {rid}", "source": src(rid),
            "next_steps": kw.get("next_steps", []), "contacts": kw.get("contacts", [])}


def ind(iid: str, level: int, domain="developmental-needs", dimension="Health") -> dict:
    return {"id": iid, "level": level, "domain": domain, "dimension": dimension, "text": f"text of {iid}",
            "source": src(iid)}


def flag(fid: str, group: str, pathway: str) -> dict:
    return {"id": fid, "group": group, "pathway": pathway, "text": f"text of {fid}", "level_note": "",
            "includes": [], "source": src(fid)}


def bundle_with(rules: list, indicators=(), groups=(), flags=()) -> dict:
    """The example bundle with shire's rules, indicators and flags replaced."""
    b = world()
    s = b["thresholds"]["shire"]
    s["rules"] = list(rules)
    if indicators:
        s["indicators"] = list(indicators)
    if groups:
        s["flag_groups"] = list(groups)
    if flags:
        s["flags"] = list(flags)
    return b


GRID = [ind("a1", 1), ind("a2", 2), ind("b2", 2, "parenting-capacity", "Basic Care"),
        ind("a3", 3), ind("b3", 3, "family-environment", "Housing"), ind("c3", 3), ind("a4", 4)]


def pathway(b, i=(), f=()):
    return check(b, "shire", indicators=list(i), flags=list(f))["pathway"]


def test_first_matching_rule_wins_even_when_a_later_rule_is_more_serious():
    b = bundle_with([rule("r-eh", {"level_at_least": 2}, "early-help"),
                     rule("r-cin", {"level_at_least": 3}, "child-in-need"),
                     rule("r-u", {"otherwise": True}, "universal")], indicators=GRID)
    assert pathway(b, ["a3"]) == "early-help"
    assert pathway(b, ["a1"]) == "universal"


def test_level_at_least_compares_the_highest_selected_level_and_its_boundary():
    b = bundle_with([rule("r3", {"level_at_least": 3}, "child-in-need"),
                     rule("r-u", {"otherwise": True}, "universal")], indicators=GRID)
    assert pathway(b, ["a2", "b2"]) == "universal"      # 2 < 3, however many
    assert pathway(b, ["a3"]) == "child-in-need"        # 3 >= 3
    assert pathway(b, ["a4", "a1"]) == "child-in-need"  # 4 >= 3
    r = check(b, "shire", ["a1", "a3", "a4"])
    assert [x["id"] for x in r["reasons"]] == ["a3", "a4", "r3"]   # the indicators at level 3 or above


def test_count_at_level_counts_indicators_at_exactly_that_level():
    b = bundle_with([rule("r-combo", {"count_at_level": {"level": 3, "at_least": 2}}, "child-in-need"),
                     rule("r-u", {"otherwise": True}, "universal")], indicators=GRID)
    assert pathway(b, ["a3"]) == "universal"             # one is not two
    assert pathway(b, ["a3", "a4"]) == "universal"       # a level 4 is not at level 3
    assert pathway(b, ["a3", "b3"]) == "child-in-need"   # boundary: exactly two
    r = check(b, "shire", ["a2", "a3", "b3", "c3"])
    assert [x["id"] for x in r["reasons"]] == ["a3", "b3", "c3", "r-combo"]


def test_any_flag_matches_the_flag_pathway_not_its_group_pathway():
    groups = [{"id": "g-ref", "title": "Referral", "pathway": "child-in-need", "source": src("g")}]
    flags = [flag("f-cin", "g-ref", "child-in-need"), flag("f-cp", "g-ref", "child-protection")]
    b = bundle_with([rule("r-cp", {"any_flag": "child-protection"}, "child-protection"),
                     rule("r-cin", {"any_flag": "child-in-need"}, "child-in-need"),
                     rule("r-u", {"otherwise": True}, "universal")], groups=groups, flags=flags)
    assert pathway(b, f=["f-cin"]) == "child-in-need"
    assert pathway(b, f=["f-cp"]) == "child-protection"
    r = check(b, "shire", flags=["f-cin", "f-cp"])
    assert [x["id"] for x in r["reasons"]] == ["f-cp", "r-cp"]


def test_any_flag_in_matches_groups_and_no_flag_excludes_a_pathway():
    groups = [{"id": "g1", "title": "One", "pathway": "early-help", "source": src("g1")},
              {"id": "g2", "title": "Two", "pathway": "child-protection", "source": src("g2")}]
    flags = [flag("f1", "g1", "early-help"), flag("f2", "g2", "child-protection")]
    b = bundle_with([rule("r-g1-only", {"any_flag_in": ["g1"], "no_flag": "child-protection"}, "early-help"),
                     rule("r-any", {"any_flag_in": ["g1", "g2"]}, "child-in-need"),
                     rule("r-u", {"otherwise": True}, "universal")], groups=groups, flags=flags)
    assert check(b, "shire", flags=["f1"])["rule"] == "r-g1-only"
    assert check(b, "shire", flags=["f1", "f2"])["rule"] == "r-any"    # no_flag fails, so the next rule
    assert check(b, "shire", flags=["f2"])["rule"] == "r-any"
    with pytest.raises(th.NothingSelected):
        check(b, "shire")


def test_every_condition_of_a_rule_must_hold():
    b = bundle_with([rule("r-both", {"level_at_least": 2, "any_flag": "child-protection"}, "child-protection"),
                     rule("r-u", {"otherwise": True}, "universal")], indicators=GRID)
    assert pathway(b, ["a2"]) == "universal"
    assert pathway(b, f=["sh-flag-fgm"]) == "universal"
    r = check(b, "shire", ["a1", "a2"], ["sh-flag-fgm"])
    assert r["pathway"] == "child-protection"
    assert [x["id"] for x in r["reasons"]] == ["sh-flag-fgm", "a2", "r-both"]


def test_immediate_rules_are_evaluated_before_the_area_rules_wherever_the_area_puts_its_own():
    b = bundle_with([rule("r-cp", {"any_flag": "child-protection"}, "child-protection"),
                     rule("r-imm", {"any_flag": "immediate-protection"}, "immediate-protection",
                          contacts=["shire-door"]),
                     rule("r-u", {"otherwise": True}, "universal")])
    r = check(b, "shire", flags=["sh-flag-fgm", "wt-immediate-danger"])
    assert r["pathway"] == "immediate-protection"
    assert r["rules"] == ["r-imm", "wt-rule-immediate"]
    assert [c["id"] for c in r["contacts"]] == ["emergency-999", "shire-door"]
    assert r["next_steps"][0].get("emergency") is True and "999" in r["next_steps"][0]["text"]


def test_an_area_without_an_immediate_rule_still_gets_the_national_one():
    b = bundle_with([rule("r-u", {"otherwise": True}, "universal")])
    r = check(b, "shire", flags=["wt-immediate-danger"])
    assert (r["pathway"], r["rules"], r["layer"]) == ("immediate-protection", ["wt-rule-immediate"], "national")


def test_an_area_asks_the_immediate_question_first_then_its_own_flags_then_the_national_ones():
    b = world()
    flags = [(f["id"], f["layer"]) for f in list_items(b, "shire")["flags"]]
    assert flags == [("wt-immediate-danger", "national"), ("sh-flag-fgm", "shire"), ("wt-harm-suspected", "national")]
    e = th.effective_rules(b, "shire")
    assert [g["id"] for g in e["flag_groups"]] == ["wt-immediate", "sh-s47", "wt-harm"]


def test_a_national_concern_in_an_area_is_decided_by_the_national_rules_even_where_the_area_would_route_it_lower():
    b = bundle_with([rule("r-imm", {"any_flag": "immediate-protection"}, "immediate-protection"),
                     rule("r-u", {"otherwise": True}, "universal")])
    r = check(b, "shire", flags=["wt-harm-suspected"])
    assert (r["pathway"], r["rules"], r["layer"]) == ("child-protection", ["wt-rule-cp"], "national")
    assert [(x["id"], x["inherited"]) for x in r["reasons"]] == [("wt-harm-suspected", True), ("wt-rule-cp", True)]
    # The area's own concern still goes by the area's rules.
    assert check(b, "shire", flags=["sh-flag-fgm"])["rule"] == "r-u"


def test_with_local_and_national_concerns_ticked_the_more_urgent_answer_is_given():
    b = world()
    r = check(b, "shire", indicators=["sh-l3-housing"], flags=["wt-harm-suspected"])
    assert (r["pathway"], r["rules"], r["level"]) == ("child-protection", ["wt-rule-cp"], 3)
    r = check(b, "shire", indicators=["sh-l2-school"], flags=["wt-immediate-danger", "wt-harm-suspected"])
    assert r["pathway"] == "immediate-protection"


def test_when_the_area_and_the_national_rules_give_the_same_pathway_both_explain_it_the_area_first():
    b = world()
    n = b["thresholds"]["national"]
    n["flag_groups"].append({"id": "wt-eh", "title": "Early help", "pathway": "early-help", "source": src("wt-5")})
    n["flags"].append(flag("wt-eh-carer", "wt-eh", "early-help"))
    n["rules"].insert(2, rule("wt-rule-eh", {"any_flag": "early-help"}, "early-help"))
    r = check(b, "shire", indicators=["sh-l2-school"], flags=["wt-eh-carer"])
    assert (r["pathway"], r["rules"]) == ("early-help", ["sh-rule-level-2", "wt-rule-eh"])
    assert [x["id"] for x in r["reasons"]] == ["sh-l2-school", "wt-eh-carer", "sh-rule-level-2", "wt-rule-eh"]


def test_an_area_hides_a_national_concern_only_with_its_reason_and_never_the_immediate_question():
    b = world()
    b["thresholds"]["shire"]["hides"] = [
        {"flag": "wt-harm-suspected", "reason": "Shire's own list holds it.", "source": src("sh-47")},
        {"flag": "wt-immediate-danger", "reason": "never hidden", "source": src("sh-47")}]
    e = th.effective_rules(b, "shire")
    assert [f["id"] for f in e["flags"]] == ["wt-immediate-danger", "sh-flag-fgm"]
    assert [g["id"] for g in e["flag_groups"]] == ["wt-immediate", "sh-s47"]
    assert [h["flag"] for h in e["hidden"]] == ["wt-harm-suspected"]
    with pytest.raises(UnknownItem, match=r"'wt-harm-suspected' \(Reasonable cause to suspect significant harm\) is "
                                          r"national guidance that Shire does not ask: Shire's own list holds it\."):
        check(b, "shire", flags=["wt-harm-suspected"])


def test_an_area_with_no_thresholds_of_its_own_uses_the_national_flags_and_rules():
    b = world()
    assert [f["id"] for f in list_items(b, "vale")["flags"]] == ["wt-immediate-danger", "wt-harm-suspected"]
    r = check(b, "vale", flags=["wt-harm-suspected"])
    assert (r["pathway"], r["rule"], r["layer"]) == ("child-protection", "wt-rule-cp", "national")


def test_an_area_with_flags_but_no_rules_is_decided_by_the_national_rules():
    b = world()
    b["thresholds"]["shire"]["rules"] = []
    r = check(b, "shire", flags=["sh-flag-fgm"])
    assert (r["pathway"], r["rule"]) == ("child-protection", "wt-rule-cp")
    assert check(b, "shire", ["sh-l3-housing"])["rule"] == "wt-rule-otherwise"


def test_level_is_the_highest_selected_indicator_and_flags_never_change_it():
    b = bundle_with([rule("r-u", {"otherwise": True}, "universal")], indicators=GRID)
    assert check(b, "shire", flags=["sh-flag-fgm"])["level"] is None
    assert check(b, "shire", ["a1", "a3", "b2"])["level"] == 3


def test_the_answer_does_not_depend_on_the_order_or_repetition_of_the_selection():
    b = bundle_with(world()["thresholds"]["shire"]["rules"], indicators=GRID)
    one = check(b, "shire", ["a3", "a2", "a3"], ["sh-flag-fgm", "sh-flag-fgm"])
    two = check(b, "shire", ["a2", "a3"], ["sh-flag-fgm"])
    assert one == two
    assert [i["id"] for i in one["selected"]["indicators"]] == ["a2", "a3"]   # the document's order


def test_a_single_id_given_as_a_string_is_one_id():
    b = world()
    assert check(b, "shire", indicators="sh-l2-school")["level"] == 2


def test_check_does_not_change_the_bundle_and_its_result_is_json():
    b = world()
    before = copy.deepcopy(b)
    r = check(b, "shire", ["sh-l3-housing"], ["wt-immediate-danger"])
    r["contacts"][0]["name"] = "changed"
    r["next_steps"][0]["text"] = "changed"
    assert b == before
    assert json.loads(json.dumps(r)) == r


def test_unknown_area_names_the_valid_areas():
    with pytest.raises(UnknownArea, match=r"Unknown area 'shyre': choose one of national, fenshire, shire, vale\."):
        check(world(), "shyre")
    with pytest.raises(UnknownArea):
        list_items(world(), "shyre")


def test_unknown_indicator_among_few_names_every_valid_one():
    with pytest.raises(UnknownItem) as e:
        check(world(), "shire", ["nope"])
    assert str(e.value) == "Unknown indicator 'nope' for Shire. Shire has 2 indicators: sh-l2-school, sh-l3-housing."


def test_unknown_item_among_many_names_the_count_and_close_matches():
    many = [ind(f"sh-l2-item-{n:02d}", 2) for n in range(40)] + [ind("sh-l3-self-harm", 3)]
    b = bundle_with(world()["thresholds"]["shire"]["rules"], indicators=many)
    with pytest.raises(UnknownItem) as e:
        check(b, "shire", ["sh-l2-iten-07"])
    msg = str(e.value)
    assert "Shire has 41 indicators; list them with procedures thresholds --area shire --list." in msg
    assert "Did you mean 'sh-l2-item-07'" in msg
    assert msg.count("sh-l2-item") <= 3      # a few close matches, not all 41
    with pytest.raises(UnknownItem, match="Did you mean 'sh-l3-self-harm'"):
        check(b, "shire", ["self-harm"])


def test_every_unknown_id_is_reported_at_once():
    with pytest.raises(UnknownItem) as e:
        check(world(), "shire", ["x1", "sh-l2-school"], ["x2"])
    assert "Unknown indicator 'x1'" in str(e.value) and "Unknown flag 'x2'" in str(e.value)


def test_an_indicator_given_as_a_flag_says_which_it_is():
    with pytest.raises(UnknownItem, match=r"'sh-l2-school' is not a flag but one of Shire's indicators: select it as an indicator"):
        check(world(), "shire", flags=["sh-l2-school"])


def test_a_non_string_id_is_an_error():
    with pytest.raises(ThresholdError, match="must be strings"):
        check(world(), "shire", [3])


def test_rules_without_a_final_otherwise_that_match_nothing_are_a_rules_problem():
    b = bundle_with([rule("r3", {"level_at_least": 3}, "child-in-need")], indicators=GRID)
    with pytest.raises(RulesProblem, match="otherwise: true"):
        check(b, "shire", ["a1"])


def test_an_unknown_condition_or_contact_is_a_rules_problem():
    b = bundle_with([rule("r-x", {"level_between": 2}, "early-help")])
    with pytest.raises(RulesProblem, match="unknown condition 'level_between'"):
        check(b, "shire", flags=["sh-flag-fgm"])
    b = bundle_with([rule("r-u", {"otherwise": True}, "universal", contacts=["nobody"])])
    with pytest.raises(RulesProblem, match="unknown contact 'nobody'"):
        check(b, "shire", flags=["sh-flag-fgm"])


def test_an_area_and_its_parents_with_no_rules_is_a_rules_problem():
    b = world()
    b["thresholds"] = {}
    with pytest.raises(RulesProblem, match="no decision rules"):
        check(b, "vale")
    assert list_items(b, "vale") == {"indicators": [], "flags": []}


def test_the_result_has_the_contract_keys():
    r = check(world(), "shire", ["sh-l2-school"])
    for key in ("area", "level", "pathway", "pathway_label", "rule", "reasons", "next_steps", "contacts",
                "selected"):
        assert key in r
    assert set(r["selected"]) == {"indicators", "flags"}
    assert all({"text", "source"} <= set(x) for x in r["reasons"])
    assert r["pathway_label"] == "Early help"


def test_list_items_has_the_contract_keys():
    items = list_items(world(), "shire")
    assert set(items) == {"indicators", "flags"}
    assert all({"id", "text", "level", "domain", "dimension"} <= set(i) for i in items["indicators"])
    assert all({"id", "text", "pathway"} <= set(f) for f in items["flags"])


def test_the_summary_lists_the_concerns_pathway_and_reasons_and_nothing_else():
    r = check(world(), "shire", ["sh-l3-housing"], ["sh-flag-fgm"])
    s = r["summary"]
    assert s.startswith("Threshold checker (Shire): suggested pathway: Child protection")
    assert "- Female genital mutilation (Doc, sh-47)" in s
    assert "- Level 3, Housing: Homeless (Doc, sh-3)" in s
    assert "Why:\n- Section 47. (Doc, sh-47)" in s
    assert s.endswith(threshold_answer.DISCLAIMER)


def test_every_pathway_has_a_label_and_plain_words():
    assert set(threshold_answer.PATHWAY_LABELS) == set(threshold_answer.PATHWAYS) == set(threshold_answer.PATHWAY_WORDS)


def test_the_module_docstring_examples_hold():
    import doctest
    failures, tried = doctest.testmod(th, optionflags=doctest.ELLIPSIS, extraglobs={"world": world})
    assert tried > 5 and failures == 0


@pytest.mark.parametrize("module", [th, threshold_answer], ids=lambda m: m.__name__)
def test_the_engine_imports_only_the_standard_library(module):
    source = Path(module.__file__).read_text(encoding="utf-8")
    imports = {line.split()[1].split(".")[0] for line in source.splitlines()
               if line.startswith(("import ", "from ")) and not line.startswith(("from __future__", "from ."))}
    assert imports <= {"difflib"}, imports


# -- properties (hypothesis, when installed) --------------------------------------------------------
try:
    from hypothesis import assume, given, settings
    from hypothesis import strategies as st
except ImportError:   # inside Pyodide hypothesis is not installed
    given = None

if given is not None:
    EXAMPLE = bundle_with(world()["thresholds"]["shire"]["rules"], indicators=GRID)
    IDS_I = [i["id"] for i in GRID]
    IDS_F = ["wt-immediate-danger", "sh-flag-fgm"]

    @settings(max_examples=200, deadline=None)
    @given(st.lists(st.sampled_from(IDS_I)), st.lists(st.sampled_from(IDS_F)),
           st.sampled_from(IDS_I + IDS_F))
    def test_property_more_concerns_never_lower_the_pathway_when_rules_run_most_serious_first(i, f, extra):
        assume(i or f)
        before = check(EXAMPLE, "shire", i, f)
        after = check(EXAMPLE, "shire", i + [extra] * (extra in IDS_I), f + [extra] * (extra in IDS_F))
        assert SEVERITY[after["pathway"]] >= SEVERITY[before["pathway"]]
        assert (after["level"] or 0) >= (before["level"] or 0)

    @settings(max_examples=200, deadline=None)
    @given(st.lists(st.sampled_from(IDS_I)), st.lists(st.sampled_from(IDS_F)))
    def test_property_every_reason_was_selected_and_immediate_danger_always_wins(i, f):
        assume(i or f)
        r = check(EXAMPLE, "shire", i, f)
        for reason in r["reasons"]:
            assert reason["kind"] == "rule" or reason["id"] in i + f
        assert (r["pathway"] == "immediate-protection") == ("wt-immediate-danger" in f)
        assert r["level"] == (max(x["level"] for x in GRID if x["id"] in i) if i else None)
