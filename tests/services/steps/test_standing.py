"""Obligations the calendar opens (quarterly bank list and reconciliation, yearly figures), once per period."""

from __future__ import annotations

from datetime import date


def test_init_opens_the_periods_obligations_once_and_done_does_not_reopen_them(sopr):
    again = sopr("init", "--new", "--json")
    assert again.code == 0 and again.json()["standing_opened"] == []  # the first init (fixture) opened them
    today = date.today()
    r = sopr("deadlines", "--as-of", today.strftime("%d.%m.%Y"), "--known-now", "--within", "500", "--json")
    standing = [o for o in r.json()["obligations"] if o["case"] is None and o["signal"] is None]
    assert sorted({o["rule"] for o in standing}) == ["fed.stat.annual", "me.bank.q", "me.reconcile.q"]
    # the reconciliation is "с каждым органом": one per agency of the directory, the commission itself aside
    reconcile = [o["to"] for o in standing if o["rule"] == "me.reconcile.q"]
    assert len(reconcile) == 11 and "Прокуратура" in reconcile and "КДН и ЗП" not in reconcile
    # the yearly figures are each agency's own: one per active agency of the directory, owned by it (issue 28)
    annual = [o for o in standing if o["rule"] == "fed.stat.annual"]
    assert sorted(o["who"] for o in annual) == sorted(reconcile)
    assert {o["owner_kind"] for o in annual} == {"agency"} and len({o["owner_agency"] for o in annual}) == 11
    for o in standing:
        assert date.fromisoformat(o["due"]) >= today  # never born overdue
    bank = next(o for o in standing if o["rule"] == "me.bank.q")
    done = sopr("deadlines", "done", str(bank["id"]), "--date", today.strftime("%d.%m.%Y"), "--json")
    assert done.code == 0 and done.json()["obligations"] == []  # the next quarter comes from the calendar
    assert sopr("agency", "add", "Центр «Семья»").code == 0
    assert sopr("agency", "list").code == 0  # the next write opens the new agency's reconciliation, once
    sopr("deadlines", "done", "--rule", "fed.stat.annual", "--case", "1", "--date", "01.01.2026")  # a refused write
    r = sopr("deadlines", "--as-of", today.strftime("%d.%m.%Y"), "--known-now", "--within", "500", "--json")
    # an obligation is its rule, its owner and its addressee: the yearly figures are one per agency (issue 28)
    rules = [(o["rule"], o["who"], o["to"]) for o in r.json()["obligations"]
             if o["case"] is None and o["signal"] is None]
    assert [rule for rule, _, _ in rules].count("me.bank.q") == 0 and len(rules) == len(set(rules))
    assert [to for rule, _, to in rules if rule == "me.reconcile.q"].count("Центр «Семья»") == 1
    assert [who for rule, who, _ in rules if rule == "fed.stat.annual"].count("Центр «Семья»") == 1


def test_the_smolensk_set_opens_the_graduates_analysis(sop, reg_env):
    r = sop("init", "--new", "--rules", "smolensk", "--json")
    assert r.code == 0, r.err
    assert "sm.grads.analysis" in [o["rule"] for o in r.json()["standing_opened"]]
    assert "me.bank.q" not in [o["rule"] for o in r.json()["standing_opened"]]


def test_a_new_time_zone_does_not_open_the_periods_again(sopr):
    def standing() -> list:
        r = sopr("deadlines", "--as-of", date.today().strftime("%d.%m.%Y"), "--known-now", "--within", "500", "--json")
        return sorted((o["rule"], o["to"]) for o in r.json()["obligations"] if o["case"] is None and not o["signal"])

    before = standing()
    assert sopr("init", "--new", "--tz", "Asia/Yekaterinburg").code == 0
    assert sopr("agency", "list").code == 0  # a write
    assert standing() == before
    text = sopr("deadlines", "--as-of", date.today().strftime("%d.%m.%Y"), "--known-now", "--within", "500").out
    assert "; реестр" in text and "None" not in text


def test_a_months_period_starts_on_its_first_day_and_the_next_one_after_december_is_january():
    from sopcli.services.steps.standing import next_period, period_start

    assert period_start("month", date(2026, 12, 7)) == date(2026, 12, 1)
    assert next_period("month", date(2026, 12, 1)) == date(2027, 1, 1)
    assert next_period("month", date(2027, 1, 1)) == date(2027, 2, 1)
    # the quarter and the year as before
    assert period_start("quarter", date(2026, 12, 7)) == date(2026, 10, 1)
    assert next_period("quarter", date(2026, 10, 1)) == date(2027, 1, 1)
    assert (period_start("year", date(2026, 12, 7)), next_period("year", date(2026, 1, 1))) == (
        date(2026, 1, 1), date(2027, 1, 1))
