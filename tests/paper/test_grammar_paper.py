"""The grammar of the papers (issue 31 §4), read from the DOCX and from the printed page.

A registry built through the CLI as a secretary would: the municipality typed in the nominative, a
family with one parent «Кравец Светлана Олеговна» and a girl «Черных Анна Олеговна», a curator given
with initials «Иванова Е.В.», a chair's position typed in lower case; a boy «Кравец Олег Петрович»
recognised alone; an arrival. Each paper is read back and the forms a secretary would correct with a pen
are asked for by name.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from docx import Document

from tests.paper import demo
from tests.paper.pdf import convert, missing_office, pages, squeeze

MUNICIPALITY = "городской округ «Город Йошкар-Ола»"
GENITIVE = "городского округа «Город Йошкар-Ола»"
PAPERS = {"recognition": ["resolution-recognition", "1"], "letter": ["program-letter", "1"],
          "alone": ["resolution-recognition", "2"], "closure": ["resolution-closure", "2"],
          "arrival": ["arrival-request", "3"]}


@pytest.fixture(scope="module")
def papers(tmp_path_factory) -> dict[str, Path]:
    home = tmp_path_factory.mktemp("grammar")
    (home / "data").mkdir()
    sop = demo.cli(demo.environment(home), str(home / "data" / "registry.db"))
    sop("init", "--new", "--rules", "mari-el", "--municipality", MUNICIPALITY)
    sop("signer", "set", "председатель", "--position", "председатель кдн и зп", "--name", "А.А. Смирнова")
    sop("signal", "add", "--received", "03.03.2025 11:00", "--source", "ПДН", "--child",
        "Черных Анна Олеговна, 12.04.2012", "--parent", "Кравец Светлана Олеговна", "--address",
        "г. Йошкар-Ола, ул. Мира, д. 1, кв. 2", "--problem", "Безнадзорность", "--no-threat")
    sop("check", "1", "--concluded", "05.03.2025", "--level", "high", "--outcome", "sop", "--criterion", "2")
    sop("recognize", "1", "--date", "12.03.2025", "--resolution", "9-п", "--curator", "Иванова Е.В.",
        "--until", "12.09.2025")
    sop("plan", "add", "1", "--measure", "Профилактическая беседа", "--executor", "Орган внутренних дел (ПДН)",
        "--due", "15.04.2025")
    sop("plan", "approve", "1", "--date", "24.03.2025", "--resolution", "12-п")
    sop("signal", "add", "--received", "04.03.2025 10:00", "--source", "ПДН", "--child",
        "Кравец Олег Петрович, 01.02.2011", "--address", "ул. Панфилова, д. 7", "--problem", "Пропуски уроков",
        "--no-threat")
    sop("check", "2", "--concluded", "06.03.2025", "--level", "medium", "--outcome", "sop")
    sop("recognize", "2", "--date", "13.03.2025", "--resolution", "10-п", "--curator", "Петров И.И.")
    sop("close", "2", "--date", "10.10.2025", "--resolution", "41-п", "--ground", "eliminated")
    sop("transfer", "in", "--learned", "02.02.2025 11:00", "--from", "КДН и ЗП г. Чебоксары",
        "--child", "Ленин Олег Ильич, 05.05.2012", "--child", "Ленина Ольга Ильинична, 06.06.2014")
    out = {}
    for name, args in PAPERS.items():
        out[name] = home / f"{name}.docx"
        sop("doc", *args, "-o", str(out[name]))
    out["story"] = sop("case", "show", "1", "--json")
    return out


def text(path: Path) -> str:
    """The paragraphs' words; no-break spaces (a number kept with its word, «г.\u00a0Казани») read as spaces."""
    return "\n".join(p.text for p in Document(str(path)).paragraphs).replace("\u00a0", " ")


def test_the_recognition_agrees_with_one_parent_and_one_girl(papers):
    body = text(papers["recognition"])
    assert f"КОМИССИЯ ПО ДЕЛАМ НЕСОВЕРШЕННОЛЕТНИХ И ЗАЩИТЕ ИХ ПРАВ\n{GENITIVE}\n" in body  # the genitive
    assert f"Комиссия по делам несовершеннолетних и защите их прав {GENITIVE}, рассмотрев" in body
    assert "О признании семьи и несовершеннолетней находящимися в социально опасном положении" in body
    assert "несовершеннолетней Черных Анны Олеговны, 12.04.2012 г. р.;" in body  # Черных does not decline
    assert "\nродителя (законного представителя):\nКравец Светланы Олеговны" in body
    assert "родителей" not in body and "законных представителей" not in body
    assert "проживающих по адресу: г. Йошкар-Ола, ул. Мира, д. 1, кв. 2," in body  # two people live there
    assert "3. Назначить куратором случая Иванову Е. В." in body  # by the surname's ending, initials spaced
    assert "5. Куратору случая Ивановой Е. В. оформить" in body
    assert "находящимися в социально опасном положении семью Кравец Светланы Олеговны, а также " \
           "несовершеннолетнюю Черных Анну Олеговну." in body
    assert "г. р.." not in body and "Иванова Е.В." not in body


def test_a_boy_recognised_alone_is_one_person_and_keeps_his_surnames_letters(papers):
    body = text(papers["alone"])
    assert "О признании несовершеннолетнего находящимся в социально опасном положении" in body  # not «-имися»
    assert "1. Признать находящимся в социально опасном положении несовершеннолетнего Кравеца Олега " \
           "Петровича." in body
    assert "Кравца" not in body and "проживающего по адресу: ул. Панфилова, д. 7," in body
    assert "3. Назначить куратором случая Петрова И. И." in body
    assert "родител" not in body  # no parent named, no parents' heading
    closure = text(papers["closure"])
    assert "о признании несовершеннолетнего находящимся в социально опасном положении от 13.03.2025" in closure
    assert "Уведомить о принятом решении несовершеннолетнего." in closure and "Кравецем Олегом Петровичем" in closure
    # 004 §6.3: what the commission found, and the status lost, agreeing with one boy
    assert "УСТАНОВИЛА:" in closure and "Основание прекращения: устранение обстоятельств." in closure
    assert ("1. Признать несовершеннолетнего Кравеца Олега Петровича утратившим статус находящегося в социально "
            "опасном положении.") in closure


def test_the_letters_signature_prepositions_and_full_stops(papers):
    letter = text(papers["letter"])
    assert letter.startswith(f"Комиссия по делам несовершеннолетних и защите их прав {GENITIVE}\n")
    assert "Председатель КДН и ЗП\t____________ А.А. Смирнова" in letter  # typed «председатель кдн и зп»
    assert "семьи и несовершеннолетней, находящихся в социально опасном положении" in letter
    assert "куратору случая Ивановой Е. В. в установленные сроки" in letter
    arrival = text(papers["arrival"])
    assert f"о прибытии на территорию {GENITIVE} семьи" in arrival
    assert "Ленина Ольга Ильинична, 06.06.2014 г. р.\n" in arrival and "г. р.." not in arrival  # one full stop
    story = [e["event"] for e in papers["story"]["timeline"]]
    assert story[0] == "сигнал № 1/2025, источник: Орган внутренних дел (ПДН)"  # not «от ПДН»


def test_the_printed_page_reads_the_same(papers, tmp_path):
    why = missing_office()
    if why:
        if os.environ.get("CI"):
            pytest.fail(f"CI must check the papers in LibreOffice: {why}")
        pytest.skip(why)
    pdfs = convert([papers["recognition"], papers["letter"]], tmp_path / "pdf", tmp_path / "lo")
    recognition = squeeze(" ".join(p.text for p in pages(pdfs["recognition"])))
    for words in (GENITIVE, "родителя (законного представителя):", "Кравец Светланы Олеговны",
                  "Назначить куратором случая Иванову Е. В.", "несовершеннолетней Черных Анны Олеговны"):
        assert squeeze(words) in recognition, words
    assert squeeze("родителей") not in recognition and "г.р.." not in recognition
    letter = squeeze(" ".join(p.text for p in pages(pdfs["letter"])))
    assert squeeze("Председатель КДН и ЗП") in letter and squeeze(f"прав {GENITIVE}") in letter
