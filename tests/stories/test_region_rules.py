"""Issue 29 §6–7 through the CLI: a region's own rule file as a secretary writes it and reads it back.

- a «before» term (`-10wd`, «не позднее чем за … до») counts back from its event's date: it is refused at
  load unless every event that opens it lies ahead (a release, a graduation, an 18th birthday);
- `deadlines explain N` gives a region's own rule, its clause and its quote, as for a packaged one;
- an unknown event in `opens` is answered with a typo's event of the same subject, or that subject's events,
  or where the list is (`sopcli rules events`) — never with an event of another meaning.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import ok, runner

SET = '''[[set]]
id = "kazan"
title = "г. Казань: постановление КДН № 5 поверх 001"
extends = ["federal"]
'''
CHECK = '''
[[rule]]
id = "kz.check"
section = "signal"
title = "Проверить информацию и составить заключение"
who = "КДН"
to = "КДН"
term = "10wd"
written = "в течение 10 (десяти) рабочих дней"
source = "Постановление КДН г. Казани № 5, п. 3"
sets = ["kazan"]
opens = ["signal.registered"]
fulfils = ["check.concluded"]
'''
NOTICE = '''
[[rule]]
id = "kz.notice"
section = "movement"
title = "Сообщить в КДН о предстоящем освобождении"
who = "воспитательная колония"
to = "КДН"
term = "-10wd"
written = "не позднее чем за 10 рабочих дней до освобождения"
source = "Постановление КДН г. Казани № 5, п. 7"
sets = ["kazan"]
opens = ["release.colony"]
'''
NOTICE_LINE = 6  # the [[rule]] line of NOTICE right after SET


def refused_line(r, *words: str) -> str:
    """Exit 2 and one Russian line holding every word."""
    assert r.code == 2, (r.code, r.out, r.err)
    line = r.err.strip()
    assert "\n" not in line, line
    for w in words:
        assert w in line, (w, line)
    return line


@pytest.fixture
def fed(reg_env):
    """A registry made by a bare `init`, and the school that sends its signals."""
    run = runner(reg_env)
    ok(run("init", "--new"))
    ok(run("agency", "add", "МБОУ СОШ № 5", "--kind", "образование"))
    return run


def own_file(tmp_path: Path, text: str) -> str:
    path = tmp_path / "kazan.toml"
    path.write_text(text, "utf-8")
    return str(path)


def signal(run):
    return ok(run("signal", "add", "--no-threat",
                  "--received", "23.11.2026 10:00", "--source", "МБОУ СОШ № 5", "--child",
                  "Орлов Иван Петрович, 01.03.2012", "--problem", "Не посещает школу", "--json")).json()


def test_a_before_term_counted_back_from_a_signals_registration_is_refused_naming_the_line(fed, tmp_path: Path):
    # today `-10wd` from the signal's registration fell due two weeks before the signal itself
    bad = own_file(tmp_path, SET + NOTICE.replace('opens = ["release.colony"]', 'opens = ["signal.registered"]'))
    line = refused_line(fed("rules", "check", bad), f"свод региона, строка {NOTICE_LINE}: правило kz.notice",
                        "«не позднее чем за 10 рабочих дней до даты» считается назад от даты события",
                        "«сигнал зарегистрирован в журнале» (signal.registered) наступает сейчас, а не в будущем",
                        "срок пришёлся бы до самого события", "release.colony")
    assert refused_line(fed("init", "--new", "--rules", bad)).endswith(line.removeprefix("Ошибка: "))
    assert ok(fed("rules", "--json")).json()["registry_set"] == "federal"  # nothing written
    # one anchor ahead and one not: still refused, by the one that is not
    both = own_file(tmp_path, SET + NOTICE.replace('opens = ["release.colony"]',
                                                   'opens = ["release.colony", "check.concluded"]'))
    refused_line(fed("rules", "check", both), "(check.concluded) наступает сейчас")
    # a standing rule has no event at all: nothing to count back from
    standing = own_file(tmp_path, SET + NOTICE.replace('opens = ["release.colony"]', 'standing = "year"'))
    refused_line(fed("rules", "check", standing), "правило kz.notice", "standing = «year»",
                 "даты впереди, от которой считать назад, у него нет")
    # a term "with" a packaged «before» rule is that rule's term: the same refusal
    alike = SET + NOTICE.replace('term = "-10wd"\nwritten = "не позднее чем за 10 рабочих дней до освобождения"',
                                 'term = "with:fed.colony.release"').replace('"release.colony"', '"signal.phone"')
    refused_line(fed("rules", "check", own_file(tmp_path, alike)), "(как у правила fed.colony.release)",
                 "(signal.phone) наступает сейчас")


def test_a_region_rule_is_explained_with_its_clause_and_quote_and_a_before_term_counts_back_from_a_release(
        fed, tmp_path: Path):
    own = own_file(tmp_path, SET + CHECK + NOTICE)
    assert "своих правил 2" in ok(fed("rules", "check", own)).out
    ok(fed("init", "--new", "--rules", own))
    sig = signal(fed)
    check = next(o for o in sig["obligations"] if o["rule"] == "kz.check")
    out = ok(fed("deadlines", "explain", str(check["id"]))).out
    assert "Правило kz.check: Проверить информацию и составить заключение — КДН → КДН " \
           "(Постановление КДН г. Казани № 5, п. 3)" in out
    assert "В источнике: «в течение 10 (десяти) рабочих дней»" in out
    assert "Истекает: 07.12.2026 (пн), до 24:00" in out  # 10 working days from Monday 23.11.2026
    assert "больше нет в своде" not in out
    doc = ok(fed("deadlines", "explain", str(check["id"]), "--json")).json()
    assert {k: doc["rule_info"][k] for k in ("id", "source", "written", "term")} == {
        "id": "kz.check", "source": "Постановление КДН г. Казани № 5, п. 3",
        "written": "в течение 10 (десяти) рабочих дней", "term": "10wd"}
    assert doc["term"]["due"] == "2026-12-07"
    # `calendar due --rule` knows the registry's own rule too
    assert ok(fed("calendar", "due", "23.11.2026 10:00", "--rule", "kz.check", "--json")).json()["due"] == "2026-12-07"
    # the anonymised digest titles a term by its rule's words: the region's rule's own, not a blank
    paper = tmp_path / "digest.xlsx"
    ok(fed("export", "digest", "--anonymize", "--as-of", "10.12.2026", "-o", str(paper)))
    rows = list(load_workbook(paper).active.iter_rows(values_only=True))
    # a citation with no [[document]] prints as the region wrote it, its numbers kept with their words
    assert ("Проверить информацию и составить заключение", "Постановление КДН г. Казани № 5, п. 3") in {
        (row[2], row[6].replace("\u00a0", " ") if isinstance(row[6], str) else row[6]) for row in rows}

    ok(fed("check", str(sig["id"]), "--concluded", "24.11.2026", "--level", "high", "--outcome", "sop"))
    ok(fed("recognize", str(sig["id"]), "--date", "25.11.2026", "--resolution", "7-п", "--curator",
           "Петрова Анна Викторовна"))
    released = ok(fed("release", "1", "--kind", "colony", "--date", "15.12.2026", "--json")).json()
    notice = next(o for o in released["obligations"] if o["rule"] == "kz.notice")
    # ten working days back from Tuesday 15.12.2026: 14, 11, 10, 9, 8, 7, 4, 3, 2, 1 December
    assert notice["due"] == "2026-12-01"
    out = ok(fed("deadlines", "explain", str(notice["id"]))).out
    assert "Опорная дата: 15.12.2026" in out and "(Постановление КДН г. Казани № 5, п. 7)" in out
    assert "В источнике: «не позднее чем за 10 рабочих дней до освобождения»" in out

    # the registry back on the packaged set: a rule really gone is said to be gone, with the stored date
    ok(fed("init", "--new", "--rules", "federal"))
    gone = ok(fed("deadlines", "explain", str(check["id"]), "--json")).json()
    assert gone["rule_info"] is None
    assert gone["term"]["explanation"] == ["Правила kz.check больше нет в своде сроков: срок не пересчитать, "
                                           "в реестре — хранимая дата."]


@pytest.mark.parametrize(("event", "said", "not_said"), [
    # «high» is a level, not an event; check.sop is another outcome: the check's events are listed instead
    ("check.high", "события «check.…»: check.concluded, check.critical, check.departmental, check.sop, "
                   "check.not-confirmed (с шагами: sopcli rules events)", "возможно"),
    # no step emits an AIS's registration, and a signal's registration is not it
    ("ais.registered", "событий вида «ais.…» нет ни у одного шага — список событий: sopcli rules events",
     "signal.registered"),
    ("check.critcal", "(возможно, check.critical)", "check.sop"),
    ("signal.registred", "(возможно, signal.registered)", "signal.received"),
])
def test_an_unknown_event_is_answered_within_its_subject_or_not_at_all(sop, tmp_path: Path, event, said,
                                                                        not_said):
    bad = own_file(tmp_path, SET + CHECK.replace('opens = ["signal.registered"]', f'opens = ["{event}"]'))
    line = refused_line(sop("rules", "check", bad), "строка 6: правило kz.check",
                        f"opens — событие «{event}» не порождает ни один шаг", said)
    assert not_said not in line


def test_rules_events_lists_every_event_with_its_step_and_whether_it_lies_ahead(sop):
    from sopcli.deadlines.events import EVENTS

    listed = ok(sop("rules", "events", "--json")).json()["events"]
    assert [e["code"] for e in listed] == list(EVENTS)
    by_code = {e["code"]: e for e in listed}
    assert by_code["release.colony"] == {
        "code": "release.colony", "label": "дата освобождения из воспитательной колонии (срок более 6 месяцев)",
        "step": "sopcli release --kind colony", "ahead": True, "repeatable": False}
    assert {c for c, e in by_code.items() if e["ahead"]} == {"release.colony", "release.suvu",
                                                            "release.suvu-early", "case.child"}
    out = ok(sop("rules", "events")).out
    assert "signal.registered" in out and "sopcli signal add" in out
