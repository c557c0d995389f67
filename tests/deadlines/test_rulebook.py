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
    assert len(ids) >= 50
    # the design's "Regional plan of measures (002)" section states its one obligation in prose, without an id
    assert ids == {r.id for r in load_rulebook().rules if r.section != "regional"}
    assert {r.id for r in load_rulebook().rules if r.section == "regional"} == {"rp.measure"}


def test_every_rule_cites_a_source_document():
    for rule in load_rulebook().rules:
        assert re.match(r"(000|001|003|004) |002$", rule.source), rule.id
        assert rule.title and rule.who and rule.to


def test_004_over_001_in_mari_el():
    book = load_rulebook()
    mari = {r.id for r in book.for_set("mari-el")}
    fed = {r.id for r in book.for_set("federal")}
    assert "me.program.send" in mari and "fed.plan.send" not in mari
    assert "fed.plan.send" in fed and not any(i.startswith("me.") for i in fed)
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
sets = ["mari-el"]
"""


def test_a_valid_minimal_rulebook_loads():
    assert parse_rulebook(GOOD).get("x.one").term.code == "3wd"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('term = "3wd"', 'term = "3 попугая"'), "x.one"),
        (('written = "в течение 3 рабочих дней"', 'written = "в течение 5 рабочих дней"'), "x.one"),
        (('sets = ["mari-el"]', 'sets = ["moscow"]'), "x.one"),
        (('term = "3wd"', 'term = "with:x.none"'), "x.none"),
        (('section = "signal"', 'section = "misc"'), "x.one"),
    ],
)
def test_a_wrong_rule_is_refused_by_name(change, message):
    with pytest.raises(RulebookError) as err:
        parse_rulebook(GOOD.replace(*change))
    assert message in err.value.message


def test_duplicate_ids_are_refused():
    with pytest.raises(RulebookError, match="дважды"):
        parse_rulebook(GOOD + GOOD)
