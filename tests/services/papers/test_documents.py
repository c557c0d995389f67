"""Documents rendered from the Word templates and read back as text; `--sent` alone fulfils a term."""

from __future__ import annotations

import os
import stat

from docx import Document
from docx.enum.section import WD_ORIENT

from tests.commands.test_refusals import snapshot
from tests.conftest import ok


def text_of(path) -> str:
    """The paragraphs' words; no-break spaces (a number kept with its word, «г.\u00a0Казани») read as spaces."""
    return "\n".join(p.text for p in Document(str(path)).paragraphs).replace("\u00a0", " ")


def raw_text(path) -> str:
    """The paragraphs as written, no-break spaces and all."""
    return "\n".join(p.text for p in Document(str(path)).paragraphs)


A4 = (21.0, 29.7)


def pages_of_doc(d) -> list[tuple[float, float]]:
    return [(round(s.page_width.cm, 1), round(s.page_height.cm, 1)) for s in d.sections]


def pages_of(path) -> list[tuple[float, float]]:
    return pages_of_doc(Document(str(path)))


def numbered(path) -> bool:
    """A PAGE field in the footer: Word and LibreOffice number every page."""
    return all('instr="PAGE"' in s.footer._element.xml for s in Document(str(path)).sections)


def test_the_resolutions_name_everyone_in_the_case_the_sentence_needs(sopr, tmp_path):
    ok(sopr("init", "--new", "--municipality", "г. Йошкар-Ола"))
    ok(sopr("signal", "add", "--no-threat", "--received", "03.03.2025 10:00", "--source", "ПДН",
            "--child", "Петров Иван Сергеевич, 10.02.2010", "--child", "Петрова Мария Сергеевна, 01.06.2014",
            "--parent", "Петрова-Водкина Анна Ивановна", "--parent", "Петров Сергей Петрович",
            "--address", "ул. Мира, 1", "--problem", "Безнадзорность"))
    ok(sopr("check", "1", "--concluded", "05.03.2025", "--level", "high", "--outcome", "sop",
            "--criterion", "1", "--criterion", "7"))
    ok(sopr("recognize", "1", "--date", "12.03.2025", "--resolution", "9/3", "--curator", "Иванова Елена Викторовна",
            "--member", "police", "--member", "social", "--until", "12.09.2025"))
    rec = tmp_path / "rec.docx"
    ok(sopr("doc", "resolution-recognition", "1", "-o", str(rec)))
    lines = text_of(rec).split("\n")
    body = "\n".join(lines)
    assert pages_of(rec) == [A4] and numbered(rec)
    assert "12.03.2025\t№ 9/3" in lines and "№ ____" not in body  # the registry's number and date
    assert "О признании семьи и несовершеннолетних находящимися в социально опасном положении" in body
    assert "несовершеннолетнего Петрова Ивана Сергеевича, 10.02.2010 г. р.;" in lines
    assert "несовершеннолетней Петровой Марии Сергеевны, 01.06.2014 г. р.;" in lines
    assert "Петровой-Водкиной Анны Ивановны;" in lines and "Петрова Сергея Петровича;" in lines
    assert ("1. Признать находящимися в социально опасном положении семью Петровой-Водкиной Анны Ивановны и "
            "Петрова Сергея Петровича, а также несовершеннолетних Петрова Ивана Сергеевича и Петрову Марию "
            "Сергеевну.") in lines
    assert "3. Назначить куратором случая Иванову Елену Викторовну." in lines
    assert "5. Куратору случая Ивановой Елене Викторовне оформить" in body  # the dative where the sentence asks
    assert "— Орган внутренних дел (ПДН);" in lines and "— Орган социальной защиты населения;" in lines
    assert ("— Семья, в которой родители (законные представители) уклоняются от воспитания и содержания детей "
            "и/или от защиты их прав и законных интересов;") in lines
    assert sum(line.startswith("— Семья") for line in lines) == 2 and "Уровень опасности: высокий." in lines
    assert "на срок до 12.09.2025" in body and "{{" not in body and "{%" not in body

    draft = tmp_path / "close-draft.docx"
    ok(sopr("doc", "resolution-closure", "1", "-o", str(draft)))
    lines = raw_text(draft).split("\n")
    assert "«___»\u00a0____________\u00a020___\u00a0г.\t№ ____" in lines  # not closed yet: blanks, never wrapped
    assert "от 12.03.2025 № 9/3" in lines[5]
    ok(sopr("close", "1", "--date", "20.11.2025", "--resolution", "77", "--ground", "improved",
            "--outcome", "full"))
    closed = tmp_path / "close.docx"
    ok(sopr("doc", "resolution-closure", "1", "-o", str(closed)))
    body = text_of(closed)
    assert "20.11.2025\t№ 77" in body.split("\n") and "№ ____" not in body and pages_of(closed) == [A4]
    # 004 §6: what the commission found, then the status lost and the work ended (issue 31 §5)
    assert "УСТАНОВИЛА:" in body and "Основание прекращения: улучшение положения в семье." in body
    assert "Оценка результатов индивидуальной программы социальной реабилитации: достигнута полная реабилитация." \
        in body
    assert ("1. Признать семью Петровой-Водкиной Анны Ивановны и Петрова Сергея Петровича, а также "
            "несовершеннолетних Петрова Ивана Сергеевича и Петрову Марию Сергеевну утратившими статус находящихся "
            "в социально опасном положении.") in body
    assert ("2. Прекратить индивидуальную профилактическую работу с семьёй Петровой-Водкиной Анны Ивановны и "
            "Петрова Сергея Петровича, а также с несовершеннолетними Петровым Иваном Сергеевичем и Петровой "
            "Марией Сергеевной.") in body
    assert "4. Уведомить о принятом решении несовершеннолетних и родителей." in body
    notice = tmp_path / "notice.docx"
    ok(sopr("doc", "closure-notice", "1", "-o", str(notice)))
    lines = text_of(notice).split("\n")
    # 004 §6.5: the minors are told as well as the parents
    assert {"Петровой-Водкиной Анне Ивановне", "Петрову Сергею Петровичу", "Петрову Ивану Сергеевичу",
            "Петровой Марии Сергеевне"} <= set(lines)
    assert pages_of(notice) == [A4] and numbered(notice)


def test_letters_notices_and_resolutions(sopr, reg_env, tmp_path):
    ok(sopr("init", "--new", "--municipality", "г. Йошкар-Ола"))
    ok(sopr("signal", "add", "--no-threat", "--received", "03.03.2025 10:00", "--source", "ПДН", "--child",
            "Сидоров Пётр Ильич, 10.02.2010", "--parent", "Сидорова Алёна Петровна", "--address", "ул. Мира, 1",
            "--problem", "Безнадзорность"))
    ok(sopr("check", "1", "--concluded", "05.03.2025", "--level", "high", "--outcome", "sop"))
    ok(sopr("recognize", "1", "--date", "12.03.2025", "--resolution", "9", "--curator", "Петрова Анна Викторовна"))
    rec = tmp_path / "rec.docx"
    ok(sopr("doc", "resolution-recognition", "1", "-o", str(rec)))
    body = text_of(rec)
    assert "несовершеннолетнего Сидорова Петра Ильича, 10.02.2010 г. р.;" in body and "опасности: высокий" in body
    assert "прав г. Йошкар-Олы" in body and "{{" not in body and "{%" not in body  # the municipality declined
    assert stat.S_IMODE(os.stat(rec).st_mode) == 0o600

    ok(sopr("plan", "add", "1", "--measure", "Беседа", "--executor", "Орган внутренних дел (ПДН)",
            "--due", "15.04.2025"))
    ok(sopr("plan", "add", "1", "--measure", "Пособие", "--executor", "Орган социальной защиты населения",
            "--due", "1m"))
    ok(sopr("plan", "approve", "1", "--date", "24.03.2025", "--resolution", "12"))
    letter = tmp_path / "letter.docx"
    before = snapshot(reg_env["SOPCLI_DB"])
    ok(sopr("doc", "program-letter", "1", "-o", str(letter)))
    assert snapshot(reg_env["SOPCLI_DB"]) == before  # generating alone fulfils nothing
    body = text_of(letter)
    assert "от 24.03.2025 № 12" in body and "1. Беседа — Орган внутренних дел (ПДН), срок: 15.04.2025." in body
    assert "2. Пособие — Орган социальной защиты населения, срок: 24.04.2025." in body
    assert "куратору случая Петровой Анне Викторовне" in body and pages_of(letter) == [A4]
    sent = ok(sopr("doc", "program-letter", "1", "-o", str(letter), "--sent", "01.04.2025", "--json")).json()
    assert [(o["rule"], o["late"], o["late_working_days"]) for o in sent["fulfilled"]] == [
        ("me.program.send", True, 1)]  # due Mon 31.03.2025 (3-5 days, 29.03 a Saturday), sent Tue 01.04
    again = sopr("doc", "program-letter", "1", "-o", str(tmp_path / "again.docx"), "--sent", "01.04.2025")
    assert again.code == 2 and "отметить нечего" in again.err
    assert not (tmp_path / "again.docx").exists()  # a refused step leaves no document behind

    ok(sopr("transfer", "out", "1", "--learned", "01.12.2025", "--to", "г. Казань, ул. Баумана, д. 12",
            "--commission", "КДН и ЗП Вахитовского района г. Казани"))
    move = tmp_path / "move.docx"
    ok(sopr("doc", "move-info", "1", "-o", str(move), "--sent", "03.12.2025"))
    body = text_of(move)
    lines = body.split("\n")
    assert "г. Казань" in body and "01.12.2025" in body and "индивидуальная программа (версия 1" in body
    # issue 31 §5: the letter goes to the new municipality's commission, not to the family's flat; it cites the
    # federal clause in words, and a Mari El registry never cites Smolensk's algorithm (000)
    assert lines[2] == "КДН и ЗП Вахитовского района г. Казани"
    assert "Новое место жительства: г. Казань, ул. Баумана, д. 12." in body
    assert "В соответствии с подп.\u00a0«б» п.\u00a02.5.1 Методических рекомендаций" in raw_text(move)
    assert "Алгоритм" not in body and "Смоленск" not in body and "§" not in body
    assert pages_of(move) == [A4] and numbered(move)
    refused = sopr("doc", "closure-notice", "1", "-o", str(tmp_path / "n.docx"))
    assert refused.code == 2 and "не закрыто" in refused.err and not (tmp_path / "n.docx").exists()
    ok(sopr("transfer", "confirm", "1", "--date", "15.12.2025", "--resolution", "40"))
    notice = tmp_path / "notice.docx"
    ok(sopr("doc", "closure-notice", "1", "-o", str(notice), "--sent", "16.12.2025"))
    body = text_of(notice)
    assert "Сидоровой Алёне Петровне" in body and "от 15.12.2025 № 40" in body and "переезд" in body
    show = ok(sopr("case", "show", "1", "--json")).json()
    status = {o["rule"]: o["status"] for o in show["obligations"]}
    assert status["fed.move.forward"] == "fulfilled" and status["me.close.send"] == "fulfilled"


def test_arrival_request_and_a_users_own_template(sopr, reg_env, tmp_path):
    arrived = ok(sopr("transfer", "in", "--learned", "02.02.2026 11:00", "--from", "КДН г. Чебоксары",
                      "--child", "Ленин Олег Ильич, 05.05.2012", "--json")).json()
    out = tmp_path / "req.docx"
    ok(sopr("doc", "arrival-request", str(arrived["id"]), "-o", str(out), "--sent", "03.02.2026"))
    body = text_of(out)
    assert "КДН г. Чебоксары" in body and "Ленин Олег Ильич, 05.05.2012 г. р." in body
    assert pages_of(out) == [A4] and numbered(out)

    own = ok(sopr("doc", "--where")).out.strip()
    os.makedirs(own, exist_ok=True)
    d = Document()  # python-docx's default: US Letter, like a template from an American Word
    d.add_paragraph("Наш бланк. Запрос в {{ previous_place }} от {{ today }}.")
    d.add_section()
    d.sections[1].orientation = WD_ORIENT.LANDSCAPE
    d.sections[1].page_width, d.sections[1].page_height = d.sections[1].page_height, d.sections[1].page_width
    assert pages_of_doc(d) == [(21.6, 27.9), (27.9, 21.6)]
    d.save(os.path.join(own, "arrival-request.docx"))
    ok(sopr("doc", "arrival-request", str(arrived["id"]), "-o", str(out)))
    assert text_of(out).startswith("Наш бланк. Запрос в КДН г. Чебоксары от ")
    assert pages_of(out) == [A4, A4[::-1]] and numbered(out)  # the paper forced to A4, its orientation kept

    broken = Document()
    broken.add_paragraph("{{ previous_place ")
    broken.save(os.path.join(own, "arrival-request.docx"))
    r = sopr("doc", "arrival-request", str(arrived["id"]), "-o", str(tmp_path / "x.docx"))
    assert r.code == 2 and "Шаблон" in r.err and not (tmp_path / "x.docx").exists()
    r = sopr("doc", "resolution-closure", "99", "-o", str(tmp_path / "x.docx"))
    assert r.code == 2 and "нет в реестре" in r.err
