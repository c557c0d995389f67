"""Obligations the calendar opens (quarterly bank list and reconciliation, yearly figures), once per period."""

from __future__ import annotations

from datetime import date


def test_init_opens_the_periods_obligations_once_and_done_does_not_reopen_them(sopr):
    again = sopr("init", "--json")
    assert again.code == 0 and again.json()["standing_opened"] == []  # the first init (fixture) opened them
    today = date.today()
    r = sopr("deadlines", "--as-of", today.strftime("%d.%m.%Y"), "--within", "500", "--json")
    standing = [o for o in r.json()["obligations"] if o["case"] is None and o["signal"] is None]
    assert sorted(o["rule"] for o in standing) == ["fed.stat.annual", "me.bank.q", "me.reconcile.q"]
    for o in standing:
        assert date.fromisoformat(o["due"]) >= today  # never born overdue
    bank = next(o for o in standing if o["rule"] == "me.bank.q")
    done = sopr("deadlines", "done", str(bank["id"]), "--date", today.strftime("%d.%m.%Y"), "--json")
    assert done.code == 0 and done.json()["obligations"] == []  # the next quarter comes from the calendar
    assert sopr("agency", "add", "Центр «Семья»").code == 0  # any write: still no duplicate
    r = sopr("deadlines", "--as-of", today.strftime("%d.%m.%Y"), "--within", "500", "--json")
    rules = [o["rule"] for o in r.json()["obligations"] if o["case"] is None and o["signal"] is None]
    assert sorted(rules) == ["fed.stat.annual", "me.reconcile.q"]


def test_the_smolensk_set_opens_the_graduates_analysis(sop, reg_env):
    r = sop("init", "--rules", "smolensk", "--json")
    assert r.code == 0, r.err
    assert "sm.grads.analysis" in [o["rule"] for o in r.json()["standing_opened"]]
    assert "me.bank.q" not in [o["rule"] for o in r.json()["standing_opened"]]
