"""A term of one subject done by the other's step (issue 29 §3), through the CLI on both engines.

A region's rule opened by a signal may be fulfilled by a step on its case (the recognition, the programme),
and a case's rule by a step on a signal that joins the case. Matched on one subject only, such a term sat
overdue for six months and then counted «не исполнено» in the scorecard.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ok, runner

CHILD = "Орлов Иван Петрович, 01.01.2012"
ADD = ["signal", "add", "--problem", "пропуски", "--channel", "письменно", "--no-threat", "--child", CHILD,
       "--source", "ПДН", "--json"]
REGION = '''[[set]]
id = "xr"
title = "Порядок региона поверх 001"
extends = ["federal"]

[[rule]]
id = "xr.review"
section = "signal"
title = "Предварительно рассмотреть сведения на заседании комиссии"
who = "КДН"
to = "КДН"
term = "15d"
written = "не позднее чем в течение пятнадцати календарных дней со дня их регистрации"
source = "Порядок региона, п. 19"
sets = ["xr"]
opens = ["signal.registered"]
fulfils = ["case.recognized", "plan.approved"]

[[rule]]
id = "xr.new.info"
section = "work"
title = "Учесть новые сведения органов в работе по делу"
who = "КДН"
to = "КДН"
term = "1m"
written = "в течение месяца"
source = "Порядок региона, п. 25"
sets = ["xr"]
opens = ["case.recognized"]
fulfils = ["signal.attached"]
'''


@pytest.fixture
def xr(reg_env, tmp_path: Path):
    run = runner(reg_env)
    own = tmp_path / "xr.toml"
    own.write_text(REGION, "utf-8")
    ok(run("init", "--new", "--rules", str(own)))
    return run


def _rule(doc: dict, rule: str, key: str = "obligations") -> dict:
    return next(o for o in doc[key] if o["rule"] == rule)


def test_a_signals_term_is_done_by_its_cases_step_and_a_cases_by_a_signal_joining_it(xr):
    first = ok(xr(*ADD, "--received", "02.11.2026 10:00")).json()
    assert _rule(first, "xr.review")["due"] == "2026-11-17"
    ok(xr("check", "1", "--concluded", "05.11.2026", "--level", "высокий", "--outcome", "СОП"))
    rec = ok(xr("recognize", "1", "--date", "10.11.2026", "--resolution", "7-п", "--curator", "Петрова А.В.",
                "--json")).json()
    assert _rule(rec, "xr.review", "fulfilled")["late"] is False  # the signal's term, done by the case's step
    assert _rule(rec, "xr.new.info")["due"] == "2026-12-10"
    # a later signal joins the case: its own review is owed, and the case's term is done by its arrival
    later = ok(xr(*ADD, "--received", "16.11.2026 10:00", "--to-case", "1")).json()
    assert "xr.new.info" in {o["rule"] for o in later["fulfilled"]}
    review = _rule(later, "xr.review")
    assert review["status"] == "open" and review["due"] == "2026-12-01"
    ok(xr("plan", "add", "1", "--measure", "Беседа с семьёй", "--executor", "ПДН", "--due", "20.12.2026"))
    approved = ok(xr("plan", "approve", "1", "--date", "20.11.2026", "--resolution", "8-п", "--json")).json()
    assert _rule(approved, "xr.review", "fulfilled")["signal"] == 2  # the joined signal's, by the case's approval
    digest = ok(xr("deadlines", "--as-of", "07.12.2026 09:00", "--json")).json()
    assert not {"xr.review", "xr.new.info"} & {o["rule"] for o in digest["obligations"]}
