"""The rulebook: every row of RULEBOOK.md, with its citation, validated at load."""

import os
import re
from pathlib import Path

import pytest

from sopcli.deadlines import RulebookError, load_rulebook, parse_rulebook

DESIGN = Path(__file__).resolve().parents[3] / "shared" / "design" / "RULEBOOK.md"


def design_ids() -> set[str]:
    text = DESIGN.read_text("utf-8")
    return set(re.findall(r"^\| ((?:fed|me|sm|sc|plan|age)\.[\w.]+) \|", text, re.M))


def test_every_rule_of_the_design_rulebook_is_in_the_package():
    if not DESIGN.exists():
        if os.environ.get("CI"):
            pytest.fail("CI runs with ../shared beside the checkout, but RULEBOOK.md is missing")
        pytest.skip("../shared/design is not beside the checkout")
    ids = design_ids()
    assert len(ids) >= 55
    # the design rulebook is a floor: the package holds every rule of it, and may hold more
    missing = ids - {r.id for r in load_rulebook().rules}
    assert not missing, f"rules of RULEBOOK.md missing from the package: {sorted(missing)}"
    # the design's "Regional plan of measures (002)" section states its one obligation in prose, without an id
    assert {r.id for r in load_rulebook().rules if r.section == "regional"} == {"rp.measure"}


def test_the_emergency_rules_cite_their_sub_clauses():
    book = load_rulebook()
    assert book.get("me.guard.removal.act").source == "004 §7.1(3)(а)"
    assert book.get("me.police.social").source == "004 §7.2(3)(г)"
    assert all(r.source != "004 §7" for r in book.rules)


def test_every_rule_is_opened_by_a_step_or_the_calendar():
    from sopcli.deadlines.events import EVENTS

    for rule in load_rulebook().rules:
        assert rule.opens or rule.standing, rule.id
        assert set(rule.opens) | set(rule.fulfils) <= set(EVENTS), rule.id


def test_every_signal_on_the_federal_set_opens_a_term_until_its_check():
    book = load_rulebook()
    opened = {r.id for r in book.for_event("federal", "signal.registered")}
    assert "fed.inform.immediate" in opened
    assert "fed.inform.immediate" in book.fulfilled_by("check.concluded")


def test_every_rule_cites_a_source_document():
    for rule in load_rulebook().rules:
        assert re.match(r"(000|001|003|004) |002$", rule.source), rule.id
        assert rule.source.split()[0] in load_rulebook().documents, rule.id  # a paper can cite it in words
        assert rule.title and rule.who and rule.to


def test_004_over_001_in_mari_el():
    book = load_rulebook()
    mari = {r.id for r in book.for_set("mari-el")}
    fed = {r.id for r in book.for_set("federal")}
    assert "me.program.send" in mari and "fed.plan.send" not in mari
    assert "fed.plan.send" in fed and not any(i.startswith("me.") for i in fed)
    # every regional set extends federal: 001 applies in every region
    for name in ("mari-el", "smolensk", "school"):
        assert book.sets[name].extends == ("federal",)
        assert "fed.inform.immediate" in {r.id for r in book.for_set(name)}
    assert {r.id for r in book.for_set("school")} >= {"sc.enter", "sc.transfer", "age.18"}
    assert "sm.grads.analysis" in {r.id for r in book.for_set("smolensk")}


GOOD = """
[[rule]]
id = "x.one"
section = "signal"
title = "t"
who = "a"
to = "b"
term = "3wd"
written = "в течение 3 рабочих дней"
source = "004 §4.4"
sets = ["one"]
opens = ["signal.phone"]
"""
SETS = """
[[set]]
id = "one"
title = "Один"
extends = []
"""


def test_a_valid_minimal_rulebook_loads():
    book = parse_rulebook(SETS + GOOD)
    assert book.get("x.one").term.code == "3wd"
    assert [r.id for r in book.for_event("one", "signal.phone")] == ["x.one"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('term = "3wd"', 'term = "3 попугая"'), "x.one"),
        (('written = "в течение 3 рабочих дней"', 'written = "в течение 5 рабочих дней"'), "x.one"),
        (('sets = ["one"]', 'sets = ["moscow"]'), "x.one"),
        (('opens = ["signal.phone"]', 'opens = ["signal.fone"]'), "signal.phone"),
        (('opens = ["signal.phone"]', 'opens = []'), "не открывает ни один шаг"),
        (('opens = ["signal.phone"]', 'opens = ["signal.phone"]\nfulfils = ["check.done"]'), "check.done"),
        (('extends = []', 'extends = ["moscow"]'), "moscow"),
        (('term = "3wd"', 'term = "with:x.none"'), "x.none"),
        (('section = "signal"', 'section = "misc"'), "x.one"),
    ],
)
def test_a_wrong_rule_is_refused_by_name(change, message):
    with pytest.raises(RulebookError) as err:
        parse_rulebook((SETS + GOOD).replace(*change))
    assert message in err.value.message
    assert "строка" in err.value.message  # a refusal names the line of the file


def test_a_region_file_extends_the_packaged_book():
    from sopcli.deadlines.rulebook import own_set, rulebook_with

    own = SETS.replace('extends = []', 'extends = ["federal"]') + GOOD
    book = rulebook_with(own)
    assert own_set(book) == "one"
    ids = {r.id for r in book.for_set("one")}
    assert "x.one" in ids and "fed.inform.immediate" in ids and "me.check" not in ids
    with pytest.raises(RulebookError, match="строка 7"):  # the rule's [[rule]] line in the region's file
        rulebook_with(own.replace('term = "3wd"', 'term = "3 попугая"'))
    with pytest.raises(RulebookError, match="уже есть"):
        rulebook_with(own.replace('id = "x.one"', 'id = "me.check"'))


def test_duplicate_ids_are_refused():
    with pytest.raises(RulebookError, match="уже есть"):
        parse_rulebook(SETS + GOOD + GOOD)


def test_the_help_lists_the_sets_of_the_data():
    from sopcli.deadlines.rulebook import set_names

    assert set_names() == list(load_rulebook().sets)


def test_the_validated_rulebook_is_kept_and_a_damaged_cache_is_rebuilt(tmp_path, monkeypatch):
    from sopcli.deadlines import rulebook

    monkeypatch.setenv("SOPCLI_CACHE_DIR", str(tmp_path))
    rulebook.load_rulebook.cache_clear()
    try:
        first = rulebook.load_rulebook()
        (kept,) = tmp_path.glob("rulebook-*.json")
        assert kept.stat().st_mode & 0o777 == 0o600
        rulebook.load_rulebook.cache_clear()
        again = rulebook.load_rulebook()  # from the cache: the same rules, terms and events
        assert [(r.id, r.term, r.opens, r.fulfils, r.sets) for r in again.rules] == \
               [(r.id, r.term, r.opens, r.fulfils, r.sets) for r in first.rules]
        kept.write_text('{"rule": [{"id": 1}]}', "utf-8")  # damaged: rebuilt from the packaged text
        rulebook.load_rulebook.cache_clear()
        assert len(rulebook.load_rulebook().rules) == len(first.rules)
    finally:
        rulebook.load_rulebook.cache_clear()


def test_the_packaged_before_terms_count_back_from_dates_ahead():
    """Issue 29 §6: the packaged «before» rules (-6m, -1m, -10d) load; each is opened only by an event dated
    ahead, and the same rule on an event of now is refused by its line."""
    from sopcli.deadlines.events import EVENTS
    from sopcli.deadlines.terms import Kind

    before = {r.id: r.opens for r in load_rulebook().rules if r.term.kind is Kind.BEFORE}
    assert before == {"fed.colony.release": ("release.colony",), "fed.suvu.release": ("release.suvu",),
                      "fed.suvu.early": ("release.suvu-early",)}
    assert all(EVENTS[e].ahead for events in before.values() for e in events)
    back = (SETS + GOOD).replace('term = "3wd"\nwritten = "в течение 3 рабочих дней"', 'term = "-3wd"')
    with pytest.raises(RulebookError, match=r"строка 7: правило x\.one: .* \(signal\.phone\) наступает сейчас"):
        parse_rulebook(back)
    assert parse_rulebook(back.replace("signal.phone", "case.child")).get("x.one").term.code == "-3wd"


def test_the_rules_closed_by_hand_are_kept_beside_the_cache(tmp_path, monkeypatch):
    """The digest's «closed only by hand» (issue 32 §6): the packaged rulebook's answer is kept beside its cache, read
    from there the next morning, and rebuilt when the kept file is damaged."""
    from sopcli.deadlines import rulebook

    monkeypatch.setenv("SOPCLI_CACHE_DIR", str(tmp_path))
    rulebook.load_rulebook.cache_clear()
    rulebook.rulebook_with.cache_clear()
    try:
        expected = frozenset(r.id for r in rulebook.load_rulebook().rules if not r.fulfils)
        assert expected and rulebook.by_hand_rules("") == expected
        (kept,) = tmp_path.glob("rulebook-*.by-hand.json")
        assert kept.stat().st_mode & 0o777 == 0o600
        kept.write_text('["fed.kept"]', "utf-8")  # read from the kept file, not built again
        assert rulebook.by_hand_rules("") == {"fed.kept"}
        for damaged in ("[1, 2]", "{not json", '{"a": 1}'):
            kept.write_text(damaged, "utf-8")
            assert rulebook.by_hand_rules("") == expected
        assert rulebook.by_hand_rules("") == expected and kept.read_text("utf-8").startswith('["')
    finally:
        rulebook.load_rulebook.cache_clear()
        rulebook.rulebook_with.cache_clear()
