"""Terms a person's decision opens (issue 29 §5), through the CLI on both engines.

188-ПП п. 20 (Sverdlovsk): «…при необходимости в течение трех рабочих дней формирует запросы о
предоставлении дополнительной информации». Hung on a step's event such a term opened for every signal;
with no event it could not be said. Now the rule is `on_request` and `deadlines open` opens it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ok, refused, runner

HEAD = '''[[set]]
id = "sv"
title = "Свердловская область: 188-ПП поверх 001"
extends = ["federal"]

'''
RULE = '''[[rule]]
id = "sv.request"
section = "signal"
title = "Сформировать запросы о предоставлении дополнительной информации"
who = "КДН"
to = "органы системы профилактики"
term = "3wd"
written = "при необходимости в течение трех рабочих дней формирует запросы о предоставлении дополнительной информации"
source = "188-ПП п. 20"
sets = ["sv"]
'''
ADD = ["signal", "add", "--problem", "пропуски", "--channel", "письменно", "--no-threat", "--child",
       "Орлов Иван Петрович, 01.01.2012", "--source", "ПДН", "--received", "02.11.2026 10:00"]


@pytest.fixture
def sv(reg_env, tmp_path: Path):
    run = runner(reg_env)
    own = tmp_path / "sv.toml"
    own.write_text(HEAD + RULE + "on_request = true\n", "utf-8")
    ok(run("init", "--new", "--rules", str(own)))
    return run


def test_a_decided_term_hung_on_a_step_is_refused_at_load(sop, tmp_path: Path):
    every = tmp_path / "every.toml"
    every.write_text(HEAD + RULE + 'opens = ["signal.registered"]\n', "utf-8")
    refused(sop("rules", "check", str(every)), "строка 6", "«при необходимости»", "on_request = true")
    both = tmp_path / "both.toml"
    both.write_text(HEAD + RULE + 'on_request = true\nopens = ["signal.registered"]\n', "utf-8")
    refused(sop("rules", "check", str(both)), "уберите opens")


def test_a_decision_opens_the_term_counted_owned_audited_and_explained(sv):
    ok(sv(*ADD))
    signal = ok(sv("signal", "show", "1", "--json")).json()
    assert "sv.request" not in {o["rule"] for o in signal["obligations"]}  # not opened for every signal
    doc = ok(sv("deadlines", "open", "sv.request", "--signal", "1", "--date", "03.11.2026",
                "--reason", "решение председателя КДН", "--json")).json()
    [ob] = doc["obligations"]
    # three working days from Tuesday 03.11.2026: 04.11 is the Day of National Unity, so 05, 06 and 09.11
    assert (ob["rule"], ob["due"], ob["owner_kind"]) == ("sv.request", "2026-11-09", "commission")
    why = ok(sv("deadlines", "explain", str(ob["id"]))).out
    assert "188-ПП п. 20" in why and "при необходимости" in why and "04.11.2026" in why
    trail = ok(sv("audit", "list", "--entity", "obligation", "--id", str(ob["id"]), "--json")).json()
    assert any("решение председателя КДН" in str(e) for e in trail["entries"])
    refused(sv("deadlines", "open", "sv.request", "--signal", "1", "--date", "03.11.2026"), "уже открыт")
    digest = ok(sv("deadlines", "--as-of", "10.11.2026 09:00", "--known-now", "--json")).json()
    assert [o["overdue"] for o in digest["obligations"] if o["rule"] == "sv.request"] == [True]
    ok(sv("deadlines", "done", str(ob["id"]), "--date", "06.11.2026"))


def test_what_a_decision_cannot_open_is_refused_and_nothing_written(sv):
    ok(sv(*ADD))
    before = ok(sv("deadlines", "--within", "365", "--json")).json()["obligations"]
    refused(sv("deadlines", "open", "fed.threat", "--signal", "1", "--date", "03.11.2026"), "sopcli signal add")
    refused(sv("deadlines", "open", "sv.requets", "--signal", "1", "--date", "03.11.2026"), "sv.request")
    refused(sv("deadlines", "open", "sv.request", "--date", "03.11.2026"), "--signal")
    refused(sv("deadlines", "open", "sv.request", "--signal", "1", "--date", "03.11.2099"), "в будущем")
    refused(sv("deadlines", "open", "sv.request", "--signal", "9", "--date", "03.11.2026"), "№9")
    assert ok(sv("deadlines", "--within", "365", "--json")).json()["obligations"] == before


def test_a_request_that_sets_its_own_date_is_kept_with_the_date_it_set(reg_env, tmp_path: Path):
    """«дополнительно по запросу» (Perm № 7, прил. 13 п. 3): the term is the one the request sets."""
    run = runner(reg_env)
    own = tmp_path / "pk.toml"
    own.write_text(HEAD.replace('id = "sv"', 'id = "pk"') + '''[[rule]]
id = "pk.on-request"
section = "work"
title = "Дополнительно информировать о выполнении мероприятий ИП по запросу"
who = "орган-исполнитель"
to = "КДН"
term = "own"
written = "а также дополнительно по запросу"
source = "Постановление КДН и ЗП Пермского края № 7, прил. 13 п. 3"
sets = ["pk"]
on_request = true
''', "utf-8")
    ok(run("init", "--new", "--rules", str(own)))
    ok(run(*ADD))
    ask = ["deadlines", "open", "pk.on-request", "--signal", "1", "--date", "05.11.2026", "--agency", "ПДН"]
    refused(run(*ask), "--due")
    refused(run(*ask, "--due", "01.11.2026"), "раньше самого запроса")
    doc = ok(run(*ask, "--due", "14.11.2026", "--json")).json()  # a Saturday: the next working day (art. 193)
    [ob] = doc["obligations"]
    assert (ob["due"], ob["owner_kind"]) == ("2026-11-16", "agency")
    refused(run("deadlines", "open", "sc.council", "--signal", "1", "--date", "05.11.2026"), "не входит в свод")
