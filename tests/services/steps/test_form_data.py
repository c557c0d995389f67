"""The registry holds what the forms ask for (issue 14 §2): typed through the CLI, read back, refused cleanly.

Each option is written through the real CLI on both engines and read back through
`--json` (codes) and the text output (Russian words); every refusal exits 2 with
one Russian line and leaves every table exactly as it was.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import create_engine

from sopcli.services.trust.backup import tables
from tests.conftest import ok, runner
from tests.services.trust.test_commissions import pg_url, shared  # noqa: F401 - the shared registry's fixtures

CHILD = "Орлов Иван Петрович, 01.01.2012"
PARENT = "Орлова Анна Сергеевна"


def refused(r, *words: str):
    assert r.code == 2, (r.code, r.out, r.err)
    line = r.err.strip()
    assert line.startswith("Ошибка:") and "\n" not in line, r.err
    for w in words:
        assert w in line, line
    return line


def dump(url: str) -> dict[str, list[tuple]]:
    """Every row of every table: a refusal must leave them all as they were."""
    engine = create_engine(url if "://" in url else f"sqlite:///{url}")
    with engine.connect() as conn:
        out = {t.name: sorted(map(tuple, conn.execute(t.select())), key=lambda row: repr(row[0])) for t in tables()}
    engine.dispose()
    return out


def audit(sop, entity: str) -> list[dict]:
    return ok(sop("audit", "list", "--entity", entity, "--json")).json()["entries"]


@pytest.fixture
def checked(sopr):
    """A signal with a child and a parent (persons 1 and 2), not yet checked."""
    ok(sopr("agency", "add", "Школа № 1", "--kind", "образование"))  # its source, in the directory (issue 28)
    ok(sopr("signal", "add", "--no-threat",
            "--received", "10.03.2025 09:00", "--source", "Школа № 1", "--problem", "Пропуски",
            "--child", CHILD, "--parent", PARENT))
    return sopr


@pytest.fixture
def case(checked):
    ok(checked("check", "1", "--concluded", "12.03.2025", "--level", "low", "--outcome", "sop"))
    ok(checked("recognize", "1", "--date", "13.03.2025", "--resolution", "5", "--curator", "Иванова Е.В."))
    return checked


# -- people -------------------------------------------------------------------------------------------------
def test_person_set_writes_occupation_birth_date_and_relation(checked):
    sop = checked
    doc = ok(sop("person", "set", "2", "--occupation", "ООО «Ромашка», продавец", "--born", "01.02.1985",
                 "--relation", "Мать", "--json")).json()["person"]
    assert (doc["occupation"], doc["birth_date"]) == ("ООО «Ромашка», продавец", "1985-02-01")
    assert [s["relation"] for s in doc["signals"]] == ["мать"]  # a known word in its usual spelling
    ok(sop("person", "set", "1", "--occupation", "школа № 5, 7 «Б» класс", "--extra-education", "секция бокса",
           "--relation", "сын", "--signal", "1"))
    shown = ok(sop("person", "show", "1")).out
    assert "школа № 5, 7 «Б» класс" in shown and "секция бокса" in shown and "ребёнок, сын" in shown
    listed = ok(sop("person", "list")).out
    assert "Орлова Анна Сергеевна, 01.02.1985, мать, ООО «Ромашка», продавец" in listed
    rows = {p["id"]: p for p in ok(sop("person", "list", "--json")).json()["persons"]}
    assert rows[1]["relations"] == ["сын"] and rows[2]["occupation"] == "ООО «Ромашка», продавец"
    # another word is kept as typed; a changed relation is audited with the old and the new one
    ok(sop("person", "set", "2", "--relation", "тётя по отцу"))
    assert ok(sop("person", "show", "2", "--json")).json()["signals"][0]["relation"] == "тётя по отцу"
    last = audit(sop, "person")[-1]["detail"]
    assert last == {"relation:1": {"было": "мать", "стало": "тётя по отцу"}}


def test_a_child_birth_date_through_person_set_opens_age_18(case):
    sop = case
    ok(sop("signal", "add", "--no-threat", "--received", "11.03.2025 09:00", "--source", "ПДН", "--problem", "Драка",
           "--child", "Сидоров Олег Ильич", "--to-case", "1"))
    doc = ok(sop("person", "set", "3", "--born", "05.06.2013", "--json")).json()
    assert [o["rule"] for o in doc["obligations"]] == ["age.18"] and doc["obligations"][0]["due"] == "2031-06-05"
    refused(sop("person", "set", "3", "--born", "05.06.2013"), "уже записана")


def test_person_set_refusals_write_nothing(checked, reg_env):
    sop = checked
    before = dump(reg_env["SOPCLI_DB"])
    refused(sop("person", "set", "2"), "Нечего записать")
    refused(sop("person", "set", "2", "--relation", "х" * 31), "не более 30")
    refused(sop("person", "set", "2", "--relation", "мать", "--signal", "7"), "не указано в сигнале №7")
    refused(sop("person", "set", "2", "--born", "01.01.2099"), "в будущем")
    refused(sop("person", "set", "9", "--occupation", "школа"), "Лица №9 нет")
    assert dump(reg_env["SOPCLI_DB"]) == before


# -- the check's App. 2 fields ------------------------------------------------------------------------------
def test_check_writes_the_app2_fields_in_words_and_codes(checked):
    sop = checked
    doc = ok(sop("check", "1", "--concluded", "12.03.2025", "--level", "low", "--outcome", "sop",
                 "--address-registered", "г. Йошкар-Ола, ул. Мира, 1", "--housing-kind", "общежитие",
                 "--area", "42,5", "--housing-state", "ветхое", "--sanitary", "неудовлетворительное",
                 "--living", "комната", "--living", "desk", "--income-by", "пенсия=12 000",
                 "--income-by", "ЛПХ=500", "--income-by", "заработная плата=25000", "--json")).json()
    assert doc["form"] == {
        "address_registered": "г. Йошкар-Ола, ул. Мира, 1", "address_actual": "", "housing_kind": "dorm",
        "housing_area": "42.5", "housing_state": "dilapidated", "sanitary": "bad", "living": ["room", "desk"],
        "income": {"salary": 25000, "pension": 12000, "farm": 500}}
    assert ok(sop("signal", "show", "1", "--json")).json()["check_form"] == doc["form"]
    shown = ok(sop("signal", "show", "1")).out
    assert "жильё: комната в общежитии, 42,5 кв. м, ветхое жильё, санитарное состояние неудовлетворительное" in shown
    assert "доход: заработная плата 25 000 руб.; пенсия 12 000 руб.; доход с лпх 500 руб." in shown
    # the old free-text options keep working for scripts
    ok(sop("check", "1", "--amend", "--housing", "две комнаты", "--income", "пенсия бабушки"))


def test_check_amend_fills_only_what_is_given_and_is_audited(checked, reg_env):
    sop = checked
    refused(sop("check", "1", "--amend", "--area", "40"), "заключения проверки ещё нет")
    ok(sop("check", "1", "--concluded", "12.03.2025", "--level", "low", "--outcome", "not-confirmed",
           "--area", "40.0", "--income-by", "пенсия=1"))
    doc = ok(sop("check", "1", "--amend", "--address-actual", "с. Сернур, ул. Школьная, 3", "--income-by",
                 "алименты=3 000", "--area", "41.5", "--json")).json()
    assert doc["form"]["income"] == {"pension": 1, "alimony": 3000}  # the pension stays
    assert doc["form"]["housing_area"] == "41.5" and doc["form"]["address_actual"].startswith("с. Сернур")
    assert doc["changed"] == ["address_actual", "housing_area", "income_alimony"]
    entry = audit(sop, "check")[-1]
    assert entry["action"] == "update" and entry["detail"]["income_alimony"] == {"было": None, "стало": 3000}
    assert entry["detail"]["housing_area"]["стало"] == "41.5"
    before = dump(reg_env["SOPCLI_DB"])
    refused(sop("check", "1", "--amend"), "Нечего изменить")
    refused(sop("check", "1", "--amend", "--level", "high"), "не меняются")
    refused(sop("check", "1", "--amend", "--area", "41,5", "--income-by", "пенсия=x"), "рубли и копейки")
    assert dump(reg_env["SOPCLI_DB"]) == before  # the valid --area of a refused command is not written either


@pytest.mark.parametrize(("args", "words"), [
    (["--housing-kind", "дворец"], ["вида жилья", "квартира (flat)", "комната в общежитии (dorm)"]),
    (["--area", "сорок"], ["Площадь"]), (["--area", "-3"], ["Площадь"]), (["--area", "0"], ["от 0,1"]),
    (["--area", "42,55"], ["одного знака"]),
    (["--income-by", "пенсия=-5"], ["рубли и копейки"]), (["--income-by", "пенсия=много"], ["рубли и копейки"]),
    (["--income-by", "пенсия=12,555"], ["рубли и копейки"]), (["--income-by", "пенсия=1.200,50"], ["рубли"]),
    (["--income-by", "пенсия"], ["ВИД=СУММА"]),
    (["--income-by", "клад=5"], ["вида дохода", "Пенсия (pension)"]),
    (["--income-by", "пенсия=5", "--income-by", "Пенсия=6"], ["дважды"]),
    (["--living", "бассейн"], ["условий жизни"]), (["--sanitary", "так себе"], ["удовлетворительное (ok)"]),
])
def test_check_form_refusals_write_nothing(checked, reg_env, args, words):
    before = dump(reg_env["SOPCLI_DB"])
    refused(checked("check", "1", "--concluded", "12.03.2025", "--level", "low", "--outcome", "sop", *args), *words)
    assert dump(reg_env["SOPCLI_DB"]) == before


# -- the case's App. 3 fields -------------------------------------------------------------------------------
def test_case_set_register_assign_read_back(case):
    sop = case
    doc = ok(sop("case", "set", "1", "--family-category", "многодетная", "--family-category", "Полная",
                 "--parents-profile", "некомпетентные", "--danger", "насилие", "--danger", "evasion", "--json")).json()
    assert doc["family_category"] == ["full", "large"] and doc["parents_profile"] == "incompetent"
    assert doc["danger_kinds"] == ["evasion", "violence"]
    ok(sop("case", "register", "1", "--agency", "ПДН", "--date", "01.03.2025", "--protocol", "12",
           "--reason", "ст. 5.35 КоАП"))
    again = ok(sop("case", "register", "1", "--agency", "пдн", "--date", "02.03.2025", "--protocol", "13",
                   "--json")).json()
    assert again["replaced"] is True
    ok(sop("case", "register", "1", "--agency", "соцзащита", "--date", "03.03.2025"))
    ok(sop("case", "assign", "1", "--kind", "ДОУ", "--text", "ДОУ № 3, тел. 45-67-89"))
    ok(sop("case", "assign", "1", "--kind", "поликлиника", "--text", "Поликлиника № 2, участок № 5"))
    ok(sop("case", "assign", "1", "--kind", "поликлиника", "--text", "Поликлиника № 1, участок № 7"))
    d = ok(sop("case", "show", "1", "--json")).json()["details"]
    assert d["registrations"] == [
        {"agency": "pdn", "registered_on": "2025-03-02", "protocol": "13", "reason": ""},  # replaced as a whole
        {"agency": "social", "registered_on": "2025-03-03", "protocol": "", "reason": ""}]
    assert d["assignments"] == [{"kind": "clinic", "text": "Поликлиника № 1, участок № 7"},
                                {"kind": "kindergarten", "text": "ДОУ № 3, тел. 45-67-89"}]
    shown = ok(sop("case", "show", "1")).out
    for line in ("Категория семьи: полная; многодетная семья", "Характеристика родителей: Педагогически "
                 "некомпетентные", "Вид опасности: Семья, в которой родители", "Учёт: ПДН — с 02.03.2025, "
                 "протокол № 13", "Учёт: Соц.защита — с 03.03.2025", "Закрепление (поликлиника): Поликлиника № 1"):
        assert line in shown, line
    trail = audit(sop, "case")
    assert trail[-1]["detail"] == {"assignment": "clinic", "было": "Поликлиника № 2, участок № 5",
                                  "стало": "Поликлиника № 1, участок № 7"}
    assert any(e["detail"].get("registration") == "pdn" and e["detail"].get("было", {}).get("protocol") == "12"
               for e in trail)


@pytest.mark.parametrize(("args", "words"), [
    (["set", "1", "--family-category", "неполная"], ["категории семьи", "многодетная семья (large)"]),
    (["set", "1", "--parents-profile", "хорошие"], ["благополучные (well)"]),
    (["set", "1", "--danger", "скука"], ["вида опасности", "насилие в семье (violence)"]),
    (["set", "1"], ["Нечего записать"]),
    (["set", "9", "--danger", "насилие"], ["Дела №9 нет"]),
    (["register", "1", "--agency", "КДН", "--date", "01.03.2025"], ["само дело"]),
    (["register", "1", "--agency", "прокуратура", "--date", "01.03.2025"], ["органа учёта", "ПДН (pdn)"]),
    (["register", "1", "--agency", "ПДН", "--date", "01.01.2099"], ["в будущем"]),
    (["register", "1", "--agency", "ПДН"], ["Не указано", "--date"]),  # stdin is not a terminal: no prompt
    (["assign", "1", "--kind", "больница", "--text", "№ 1"], ["закрепления", "поликлиника (clinic)"]),
    (["assign", "1", "--kind", "школа"], ["Не указано", "--text"]),
])
def test_case_refusals_write_nothing(case, reg_env, args, words):
    before = dump(reg_env["SOPCLI_DB"])
    refused(case("case", *args), *words)
    assert dump(reg_env["SOPCLI_DB"]) == before


# -- control and report -------------------------------------------------------------------------------------
def test_control_reasons_and_report_actual_date(case, reg_env):
    sop = case
    ok(sop("plan", "add", "1", "--measure", "Беседа", "--executor", "ПДН", "--due", "15.04.2025"))
    ok(sop("plan", "add", "1", "--measure", "Лагерь", "--executor", "ПДН", "--due", "15.04.2025"))
    ok(sop("plan", "approve", "1", "--date", "25.03.2025", "--resolution", "7"))
    m1, m2 = (m["id"] for m in ok(sop("plan", "show", "1", "--json")).json()["measures"])
    assert ok(sop("report", "1", str(m1), "--date", "01.04.2025", "--status", "выполнено", "--done-on",
                  "28.03.2025", "--json")).json()["done_on"] == "2025-03-28"
    before = dump(reg_env["SOPCLI_DB"])
    refused(sop("report", "1", str(m2), "--date", "01.04.2025", "--status", "частично", "--done-on", "02.04.2025"),
            "позже даты отчёта")
    refused(sop("report", "1", str(m2), "--date", "01.04.2025", "--status", "не выполнено", "--done-on",
                "28.03.2025"), "не указывается")
    assert dump(reg_env["SOPCLI_DB"]) == before
    assert ok(sop("report", "1", str(m2), "--date", "01.04.2025", "--status", "частично",
                  "--json")).json()["done_on"] == "2025-04-01"  # by default the report's date
    assert audit(sop, "report")[-1]["detail"]["done_on"] == "2025-04-01"
    doc = ok(sop("control", "1", "--date", "20.04.2025", "--decision", "продолжить", "--reasons",
                 "Семья не явилась на беседу", "--proposals", "Повторить беседу", "--json")).json()
    assert doc["note"] == "Причины неисполнения: Семья не явилась на беседу\nПредложения: Повторить беседу"
    d = ok(sop("case", "show", "1", "--json")).json()["details"]
    assert (d["nonexec_reasons"], d["proposals_note"]) == ("Семья не явилась на беседу", "Повторить беседу")
    assert "Причины неисполнения: Семья не явилась на беседу" in ok(sop("case", "show", "1")).out
    assert audit(sop, "case_event")[-1]["detail"]["proposals_note"] == {"было": "", "стало": "Повторить беседу"}


# -- signatories --------------------------------------------------------------------------------------------
def test_signer_set_and_list(sopr, reg_env):
    sop = sopr
    assert [s["name"] for s in ok(sop("signer", "list", "--json")).json()["signatories"]] == ["", "", "", ""]
    ok(sop("signer", "set", "председатель", "--position", "Председатель КДН и ЗП", "--name", "И.И. Иванова"))
    ok(sop("signer", "set", "secretary", "--position", "Ответственный секретарь", "--name", "О.О. Орлова"))
    doc = ok(sop("signer", "set", "chair", "--position", "Председатель КДН и ЗП", "--name", "П.П. Петрова",
                 "--json")).json()
    assert doc == {"role": "chair", "position": "Председатель КДН и ЗП", "name": "П.П. Петрова", "replaced": True}
    rows = ok(sop("signer", "list", "--json")).json()["signatories"]
    assert [(s["role"], s["name"]) for s in rows] == [("chair", "П.П. Петрова"), ("secretary", "О.О. Орлова"),
                                                      ("check-head", ""), ("card-head", "")]
    listed = ok(sop("signer", "list")).out
    assert "председатель комиссии: Председатель КДН и ЗП — П.П. Петрова" in listed
    assert "руководитель органа, проводившего проверку: не задан" in listed
    assert audit(sop, "signatory")[-1]["detail"]["было"] == {"name": "И.И. Иванова",
                                                            "position": "Председатель КДН и ЗП"}
    before = dump(reg_env["SOPCLI_DB"])
    refused(sop("signer", "set", "бухгалтер", "--position", "x", "--name", "Я"), "роли подписанта",
            "председатель комиссии (chair)")
    refused(sop("signer", "set", "chair", "--position", "x"), "Не указано", "--name")
    refused(sop("signer", "set", "chair", "--position", "x", "--name", "123"), "буквы")
    assert dump(reg_env["SOPCLI_DB"]) == before
    assert "signer" in ok(sop("--help")).out


# -- Excel's cell limit, refused at input -------------------------------------------------------------------
def test_a_text_longer_than_a_cell_is_refused_at_input(case, reg_env):
    sop = case
    before = dump(reg_env["SOPCLI_DB"])
    long = "а" * 32_768
    for args in (["control", "1", "--date", "20.04.2025", "--decision", "продолжить", "--proposals", long],
                 ["signal", "add", "--no-threat", "--received", "11.03.2025 09:00", "--source", "ПДН", "--child", CHILD,
                  "--problem", long],
                 ["plan", "add", "1", "--measure", "Беседа", "--executor", "ПДН", "--due", "15.04.2025",
                  "--content", long]):
        line = refused(sop(*args), "32 767", "сократите")
        assert "ааааа" not in line  # the text itself is never echoed (it may hold a name)
    assert dump(reg_env["SOPCLI_DB"]) == before
    # exactly 32,767 passes the input check (the field's own limit then speaks)
    refused(sop("case", "assign", "1", "--kind", "школа", "--text", "а" * 32_767), "не более 1000")


# -- backup, restore and the anonymised exports carry or hide the new data ------------------------------------
def test_backup_restore_carries_the_form_data(case, reg_env, tmp_path: Path):
    sop = case
    ok(sop("person", "set", "2", "--occupation", "ООО «Ромашка»", "--relation", "мать", "--born", "01.02.1985"))
    ok(sop("check", "1", "--amend", "--area", "42,5", "--income-by", "пенсия=12000", "--address-actual", "ул. Мира"))
    ok(sop("case", "register", "1", "--agency", "ПДН", "--date", "01.03.2025", "--protocol", "12"))
    ok(sop("case", "assign", "1", "--kind", "школа", "--text", "Школа № 5, 7 «Б»"))
    ok(sop("signer", "set", "chair", "--position", "Председатель", "--name", "И.И. Иванова"))
    before = dump(reg_env["SOPCLI_DB"])
    archive = tmp_path / "b.zip"
    ok(sop("backup", str(archive)))
    target = dict(reg_env, SOPCLI_DB=str(tmp_path / "fresh" / "restored.db"))  # restored on SQLite from either
    ok(runner(target)("restore", str(archive)))
    after = dump(target["SOPCLI_DB"])
    for table in ("person", "signal_person", "check_conclusion", "case_registration", "case_assignment",
                  "signatory", "sop_case"):
        assert after[table] == before[table], table
    assert ok(runner(target)("case", "show", "1", "--json")).json()["details"]["assignments"] == [
        {"kind": "school", "text": "Школа № 5, 7 «Б»"}]


def test_anonymised_exports_carry_no_form_personal_field(case, tmp_path: Path):
    sop = case
    ok(sop("person", "set", "2", "--occupation", "ООО Ромашка продавец", "--extra-education", "кружок Умелец"))
    ok(sop("check", "1", "--amend", "--address-actual", "ул. Приметная, 7", "--address-registered", "ул. Особая, 9"))
    ok(sop("case", "assign", "1", "--kind", "школа", "--text", "Школа Особенная № 5"))
    secrets = ("Ромашка", "Умелец", "Приметная", "Особая", "Особенная")
    for kind, *args in (("journal", "--year", "2025"), ("bank", "--all")):
        out = tmp_path / f"{kind}.xlsx"
        ok(sop("export", kind, *args, "--anonymize", "-o", str(out)))
        cells = " ".join(str(c) for ws in load_workbook(out).worksheets for row in ws.iter_rows(values_only=True)
                         for c in row if c is not None)
        assert not [s for s in secrets if s in cells], kind


def test_each_commission_of_a_shared_registry_has_its_own_signers(shared):  # noqa: F811 - the fixture
    _env, run, _roles = shared
    ok(run("--commission", "gorod-a", "signer", "set", "председатель", "--position", "Председатель КДН г. А",
           "--name", "А.А. Аверина"))
    ok(run("--commission", "gorod-b", "signer", "set", "председатель", "--position", "Председатель КДН г. Б",
           "--name", "Б.Б. Борисова"))
    for code, name in (("gorod-a", "А.А. Аверина"), ("gorod-b", "Б.Б. Борисова")):
        rows = ok(run("--commission", code, "signer", "list", "--json")).json()["signatories"]
        assert rows[0] == {"role": "chair", "position": rows[0]["position"], "name": name}
    refused(run("signer", "set", "chair", "--position", "x", "--name", "В.В. Петров"), "укажите комиссию")
