"""The timeliness table (001 §3.4) proven by hand (issue 28 §6): a month of work through the CLI, on both engines.

Three agencies, each named four ways across the story — the police by its abbreviation («ПДН»), its everyday
word («полиция») and its full name; the school by the commission's alias («школа 29») and its full name;
guardianship by «опека» and its full name — the commission itself and two curators. Each agency has terms
done on time, done late, open overdue and cancelled; one phone signal is given on time, one signal is sent
four days after the police found the facts (`--detected`), a citizen's signal owes no agency anything, and
one report is written after its term for a measure carried out before it (`--done-on`).

Every cell of `deadlines stats --json`, of `export scorecard` (read back from the XLSX) and every letter of
`remind --all` is compared with the table below, worked out by hand from the rulebook (Mari El 004 on the
federal 001) and the production calendar of November 2026: 4 November (Wed) is a holiday; no Saturday is
worked. The moment of the table is Friday 04.12.2026 18:00; the window is the terms due 01.10–04.12.2026.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import ok

POLICE = "Орган внутренних дел (ПДН)"
SCHOOL = "МБОУ «Средняя общеобразовательная школа № 29»"
GUARD = "Орган опеки и попечительства"
KDN = "КДН и ЗП г. Йошкар-Олы"
CURATOR_1 = f"куратор: Петрова А. В. ({GUARD})"
CURATOR_2 = "куратор: Сидорова Е. И."
AT = "04.12.2026 18:00"
WINDOW = ("--from", "01.10.2026", "--to", "04.12.2026")

#: who → (due, on time, late, median working days late, lapsed, overdue, pending), worked out by hand:
#: S: informing ×2, phone, written confirmation (done 05.11 ≤ 06.11), resources (11.11 ≤ 12.11), measure 4
#:    (27.11 = 27.11) on time; measure 5 late 2 (due 02.12, done 04.12: 03, 04); to-КДН (due 12.11) open;
#:    measure 9 (due 20.11) cancelled by the closure of case 2 on 25.11.
#: P: informing late 2 (due 31.10 09:00 = 24 h from the detection 30.10 09:00, received 03.11: 02, 03 —
#:    01.11 is a Sunday); signs of СОП late 1 (3 days from 30.10 → 02.11, received 03.11); to-КДН of case 2
#:    (due 19.11, done 18.11) and measure 1 (due 25.11, carried out 24.11, reported 27.11) on time; measure 2
#:    late 3 (due 26.11, done 01.12: 27.11, 30.11, 01.12); measure 3 (due 30.11) open; resources of case 2
#:    (due 19.11) cancelled on 25.11; measure 10 (due 30.11) cancelled before its term: not counted.
#: G: measure 7 on time (due 24.11, done 23.11), measure 6 (due 01.12) open, measure 8 (due 23.11) cancelled
#:    on 25.11. The curator who works there is a row of her own.
#: KDN: check of signal 1 (5 working days → 10.11, done 09.11) and both programme letters (due 23.11/24.11,
#:    sent 20.11) on time; check of signal 2 late 3 (due 11.11, done 16.11: 12, 13, 16); proposals of
#:    signal 1 late 3 (due 19.11, done 24.11: 20, 23, 24); the check of the citizen's signal 3 (due 12.11) and
#:    the resolution of case 1 (due 26.11) open; case 2's proposals and resolution cancelled before their terms.
#: Curators: the card and the programme fulfilled by the approval. The consent comes before the programme (004
#:    §4.7, `ends_by`): case 1's ends with the approval on 18.11 and, given 02.12, is late 10 (19, 20, 23–27,
#:    30.11, 01, 02.12); case 2's ends with the approval on 19.11 and, cancelled by the closure on 25.11, lapsed.
TABLE = {
    POLICE: (7, 2, 3, 2, 1, 1, 0),
    KDN: (7, 3, 2, 3, 0, 2, 0),
    SCHOOL: (9, 6, 1, 2, 1, 1, 0),
    GUARD: (3, 1, 0, None, 1, 1, 0),
    CURATOR_1: (3, 2, 1, 10, 0, 0, 0),
    CURATOR_2: (3, 2, 0, None, 1, 0, 0),
}
#: `export scorecard` counts the terms due in the year of its moment: case 2's closure notice (10 working days
#: from 25.11 → 09.12) joins the commission's row, not yet due
YEAR = {**TABLE, KDN: (8, 3, 2, 3, 0, 2, 1)}
#: the order of the table: the most missed first (late + lapsed + overdue), then by name
ORDER = [POLICE, KDN, SCHOOL, GUARD, CURATOR_1, CURATOR_2]


def _json(sopr, *args: str) -> dict:
    return ok(sopr(*args, "--json")).json()


def _ob(doc: dict, rule: str, *, state: str = "obligations") -> int:
    found = [o["id"] for o in doc[state] if o["rule"] == rule]
    assert len(found) == 1, (rule, doc[state])
    return found[0]


def _measure(sopr, case: int, text: str, executor: str, due: str) -> int:
    return _json(sopr, "plan", "add", str(case), "--measure", text, "--executor", executor, "--due", due)["measure"]


def _month(sopr) -> dict[str, int]:
    """The story; returns the ids of the terms the letters must carry."""
    ids: dict[str, int] = {}
    ok(sopr("init", "--new", "--municipality", "г. Йошкар-Олы"))
    ok(sopr("agency", "add", SCHOOL, "--kind", "образование"))
    ok(sopr("agency", "alias", "add", "школа 29", "--to", SCHOOL))

    s1 = _json(sopr, "signal", "add", "--received", "02.11.2026 10:00", "--source", "школа 29", "--channel",
               "phone", "--child", "Орлов Иван Петрович, 05.03.2014", "--problem", "не посещает школу",
               "--no-threat")
    assert s1["source"] == {"text": SCHOOL, "kind": "agency", "agency": s1["source"]["agency"]}
    assert {o["rule"]: o["who"] for o in s1["fulfilled"]} == {
        "fed.inform.immediate": SCHOOL, "fed.sop.signs": SCHOOL, "me.signal.phone": SCHOOL}
    assert all(o["late"] is False for o in s1["fulfilled"])  # the phone call was the informing, on time
    ok(sopr("deadlines", "done", str(_ob(s1, "me.signal.written")), "--date", "05.11.2026"))

    s2 = _json(sopr, "signal", "add", "--received", "03.11.2026 10:00", "--detected", "30.10.2026 09:00",
               "--source", "полиция", "--channel", "written", "--child", "Белов Артём Сергеевич, 11.07.2012",
               "--problem", "систематически не ночует дома", "--no-threat")
    late = {o["rule"]: (o["who"], o["late"], o["late_working_days"]) for o in s2["fulfilled"]}
    assert late == {"fed.inform.immediate": (POLICE, True, 2), "fed.sop.signs": (POLICE, True, 1)}

    s3 = _json(sopr, "signal", "add", "--received", "05.11.2026 12:00", "--source", "гражданка Кузнецова Н. П.",
               "--channel", "written", "--child", "Носов Глеб Андреевич, 01.09.2013", "--problem", "крики за стеной",
               "--no-threat")
    assert s3["source"]["kind"] == "citizen" and s3["fulfilled"] == []
    assert [(o["rule"], o["who"]) for o in s3["obligations"]] == [("me.check", KDN)]  # no agency owes anything
    ids["check 3"] = _ob(s3, "me.check")

    c1 = _json(sopr, "check", "1", "--concluded", "09.11.2026", "--level", "high", "--outcome", "sop",
               "--criterion", "1")
    ok(sopr("deadlines", "done", str(_ob(c1, "fed.resources")), "--date", "11.11.2026"))
    ids["to-kdn 1"] = _ob(c1, "fed.sop.to.kdn")
    ok(sopr("deadlines", "done", str(_ob(c1, "fed.proposals")), "--date", "24.11.2026"))
    c2 = _json(sopr, "check", "2", "--concluded", "16.11.2026", "--level", "high", "--outcome", "sop",
               "--criterion", "1")
    assert {o["rule"]: o["who"] for o in c2["obligations"]} == {
        "fed.sop.to.kdn": POLICE, "fed.resources": POLICE, "fed.proposals": KDN}
    ok(sopr("deadlines", "done", str(_ob(c2, "fed.sop.to.kdn")), "--date", "18.11.2026"))

    r1 = _json(sopr, "recognize", "1", "--date", "16.11.2026", "--resolution", "41-п", "--curator",
               "Петрова Анна Викторовна", "--curator-agency", "опека", "--member", "полиция", "--member", "опека",
               "--member", "школа 29")
    assert {o["rule"]: o["who"] for o in r1["obligations"] if o["rule"].startswith("me.c")} == {
        "me.card": CURATOR_1, "me.consent": CURATOR_1, "me.control.6m": KDN}
    ids["resolution 1"] = _ob(r1, "fed.resolution.send")
    m = {n: _measure(sopr, 1, f"Мероприятие {n}", ex, due) for n, ex, due in (
        (1, "ПДН", "25.11.2026"), (2, POLICE, "26.11.2026"), (3, "полиция", "30.11.2026"),
        (4, "школа 29", "27.11.2026"), (5, SCHOOL, "02.12.2026"), (6, "опека", "01.12.2026"),
        (7, GUARD, "24.11.2026"))}
    a1 = _json(sopr, "plan", "approve", "1", "--date", "18.11.2026", "--resolution", "43-п")
    assert {o["rule"] for o in a1["fulfilled"]} == {"me.card", "me.program"}
    owners = {o["title"].split(": ", 1)[1]: o["who"] for o in a1["obligations"] if o["rule"] == "plan.measure"}
    assert owners == {"Мероприятие 1": POLICE, "Мероприятие 2": POLICE, "Мероприятие 3": POLICE,
                      "Мероприятие 4": SCHOOL, "Мероприятие 5": SCHOOL, "Мероприятие 6": GUARD,
                      "Мероприятие 7": GUARD}
    ids["measure 3"] = next(o["id"] for o in a1["obligations"] if o["title"].endswith("Мероприятие 3"))
    ids["measure 6"] = next(o["id"] for o in a1["obligations"] if o["title"].endswith("Мероприятие 6"))
    ok(sopr("deadlines", "done", str(_ob(a1, "me.program.send")), "--date", "20.11.2026"))
    report = _json(sopr, "report", "1", str(m[1]), "--date", "27.11.2026", "--status", "выполнено", "--text",
                   "беседа проведена", "--done-on", "24.11.2026")
    assert [(o["late"], o["late_working_days"]) for o in report["fulfilled"]] == [(False, 0)]  # before its term
    for n, on in ((2, "01.12.2026"), (4, "27.11.2026"), (5, "04.12.2026"), (7, "23.11.2026")):
        ok(sopr("report", "1", str(m[n]), "--date", on, "--status", "выполнено", "--text", "сделано"))
    ok(sopr("consent", "1", "--given", "--on", "02.12.2026", "--by", "Орлова Мария Ивановна"))

    ok(sopr("recognize", "2", "--date", "17.11.2026", "--resolution", "42-п", "--curator", "Сидорова Елена Ивановна",
            "--member", "ПДН", "--member", GUARD, "--member", "школа 29"))
    for n, ex, due in ((8, "опека", "23.11.2026"), (9, "школа 29", "20.11.2026"), (10, "ПДН", "30.11.2026")):
        _measure(sopr, 2, f"Мероприятие {n}", ex, due)
    a2 = _json(sopr, "plan", "approve", "2", "--date", "19.11.2026", "--resolution", "44-п")
    ok(sopr("deadlines", "done", str(_ob(a2, "me.program.send")), "--date", "20.11.2026"))
    closed = _json(sopr, "close", "2", "--date", "25.11.2026", "--resolution", "52-п", "--ground", "eliminated")
    ids["closure notice 2"] = _ob(closed, "me.close.send")
    return ids


def _cells(rows: list[dict]) -> dict[str, tuple]:
    return {a["who"]: (a["due"], a["on_time"], a["late"], a["median_late_working_days"], a["lapsed"],
                       a["overdue"], a["pending"]) for a in rows}


def test_every_cell_of_the_timeliness_table_and_every_letter_is_the_hand_computed_one(sopr, tmp_path: Path):
    ids = _month(sopr)

    stats = _json(sopr, "deadlines", "stats", "--as-of", AT, "--known-now", *WINDOW)
    assert [a["who"] for a in stats["agencies"]] == ORDER
    assert _cells(stats["agencies"]) == TABLE
    assert {a["who"]: a["on_time_share"] for a in stats["agencies"]} == {
        POLICE: round(2 / 7, 3), KDN: round(3 / 7, 3), SCHOOL: round(6 / 9, 3), GUARD: round(1 / 3, 3),
        CURATOR_1: round(2 / 3, 3), CURATOR_2: round(2 / 3, 3)}

    from openpyxl import load_workbook

    out = tmp_path / "своевременность.xlsx"
    ok(sopr("export", "scorecard", "-o", str(out), "--as-of", AT, "--known-now"))
    ws = load_workbook(out, read_only=True).worksheets[0]
    rows = [r for r in ws.iter_rows(values_only=True) if r and isinstance(r[0], int)]
    assert [r[1] for r in rows] == ORDER
    # №, орган, сроков, в срок, с опозданием, медиана, снято без исполнения после срока, просрочено, ждут
    assert {r[1]: tuple(r[2:9]) for r in rows} == YEAR

    letters = _json(sopr, "remind", "--all", "--as-of", AT, "--known-now", "-o", str(tmp_path))
    assert {x["agency"]: x["obligations"] for x in letters["letters"]} == {
        POLICE: [ids["measure 3"]], SCHOOL: [ids["to-kdn 1"]], GUARD: [ids["measure 6"]]}
    assert {(s["who"], s["reason"]): s["count"] for s in letters["skipped"]} == {(KDN, "commission"): 3}
    assert all(Path(x["file"]).exists() for x in letters["letters"])
    every = [i for x in letters["letters"] for i in x["obligations"]]
    assert len(every) == len(set(every))  # a duty in exactly one letter
    kdn = _json(sopr, "deadlines", "--who", "комиссия", "--as-of", AT, "--known-now")
    assert sorted(o["id"] for o in kdn["obligations"]) == sorted(
        [ids["check 3"], ids["resolution 1"], ids["closure notice 2"]])
    for word in ("ПДН", "полиция", POLICE, "police"):
        police = _json(sopr, "deadlines", "--who", word, "--as-of", AT, "--known-now")
        assert [o["id"] for o in police["obligations"]] == [ids["measure 3"]], word
