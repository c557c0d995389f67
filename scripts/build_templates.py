"""Build the packaged Word templates in templates/ (run once; the .docx files are committed).

Each is an ordinary Word document with jinja2 tags (docxtpl): a secretary may
open it in Word or LibreOffice, put it on the commission's letterhead and save a
copy into the config folder (`sopcli doc --where` says where); that copy wins.

Page and type as Russian office papers have them (ГОСТ Р 7.0.97-2016): A4,
margins 3 cm left, 1.5 cm right, 2 cm top and bottom; Times New Roman 14,
single spacing, paragraphs justified with a 1.25 cm first-line indent; pages
numbered in the footer. `{%p … %}` tags stand alone in their paragraph: docxtpl
drops that paragraph, so each member or criterion gets a paragraph of its own.
"""

from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

OUT = Path(__file__).resolve().parent.parent / "templates"
TEXT_WIDTH = Cm(21 - 3 - 1.5)


def page_number(footer: Any) -> None:
    """A PAGE field, centred: LibreOffice and Word fill it in on every page."""
    par = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    par.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    par._p.append(field)


def base_document() -> Document:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(14)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), "Times New Roman")
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "ru-RU")
    style.element.get_or_add_rPr().append(lang)
    style.paragraph_format.space_after = Pt(0)
    style.paragraph_format.line_spacing = 1.0
    style.paragraph_format.widow_control = True  # no paragraph's first or last line alone on a page
    for section in doc.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin, section.right_margin = Cm(3), Cm(1.5)
        section.top_margin = section.bottom_margin = Cm(2)
        section.footer_distance = Cm(1)
        page_number(section.footer)
    return doc


def centre(doc: Document, text: str, bold: bool = True, before: int = 0, after: int = 0) -> None:
    """A centred line; a heading («УСТАНОВИЛА:», a title) is kept on the page of the text it heads."""
    par = doc.add_paragraph()
    par.alignment = WD_ALIGN_PARAGRAPH.CENTER
    par.paragraph_format.space_before = Pt(before)
    par.paragraph_format.space_after = Pt(after)
    par.paragraph_format.keep_with_next = True
    par.add_run(text).bold = bold


def body(doc: Document, text: str, indent: bool = True) -> None:
    par = doc.add_paragraph(text)
    par.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if indent:
        par.paragraph_format.first_line_indent = Cm(1.25)


def tag(doc: Document, text: str) -> None:
    """A `{%p … %}` paragraph: docxtpl removes it when rendering."""
    doc.add_paragraph(text)


def spread(doc: Document, left: str, right: str, before: int = 0) -> None:
    """`left` at the margin, `right` flush with the right margin (date and number; position and name)."""
    par = doc.add_paragraph(f"{left}\t{right}")
    par.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    par.paragraph_format.space_before = Pt(before)


def letter(title: str) -> Document:
    doc = base_document()
    centre(doc, "Комиссия по делам несовершеннолетних и защите их прав {{ commission }}", bold=False)
    spread(doc, "{{ today }}", "№ ____________", before=12)
    centre(doc, title, before=12, after=12)
    return doc


def keep_last(doc: Document) -> None:
    """The paragraph above stays on the page of what follows (signatures never alone on a page)."""
    doc.paragraphs[-1].paragraph_format.keep_with_next = True


def sign(doc: Document) -> None:
    keep_last(doc)
    spread(doc, "{{ sign.chair.position }}", "____________ {{ sign.chair.name }}", before=24)
    keep_last(doc)
    spread(doc, "{{ sign.secretary.position }}", "____________ {{ sign.secretary.name }}", before=12)


def program_letter() -> None:
    doc = letter("О направлении индивидуальной программы социальной реабилитации")
    body(doc, "{{ plan.executors }}", indent=False)
    body(doc,
         "Направляем для исполнения индивидуальную программу социальной реабилитации "
         "{{ case.subject_genitive }}, {{ subject.being_gent }} в социально опасном положении (дело № {{ case.id }}), "
         "утверждённую постановлением комиссии от {{ plan.approved_on }} № {{ plan.resolution }} "
         "(версия {{ plan.version }}).")
    body(doc, "Мероприятия, сроки и исполнители:")
    tag(doc, "{%p for m in plan.measures %}")  # a paragraph each: a justified line never stretched to the margin
    body(doc, "{{ m.seq }}. {{ m.title }} — {{ m.executor }}, срок: {{ m.due }}.")
    tag(doc, "{%p endfor %}")
    body(doc, "Отчёты об исполнении мероприятий просим направлять куратору случая "
              "{{ curator.datv }} в установленные сроки{% if basis.reports %} ({{ basis.reports }}){% endif %}.")
    sign(doc)
    doc.save(OUT / "program-letter.docx")


def arrival_request() -> None:
    doc = letter("Запрос сведений о проведённой работе")
    body(doc, "В комиссию по делам несовершеннолетних и защите их прав: {{ previous_place }}", indent=False)
    body(doc,
         "{{ signal.received }} стало известно о прибытии на территорию {{ commission }} семьи "
         "(несовершеннолетнего), находящейся в социально опасном положении: {{ persons_line }}")
    body(doc,
         "В соответствии с п. 2.5.1(г) методических рекомендаций просим в течение трёх календарных дней "
         "направить сведения о проведённой индивидуальной профилактической работе: основания постановки "
         "на учёт, индивидуальную программу, промежуточные итоги.")
    sign(doc)
    doc.save(OUT / "arrival-request.docx")


def addressee(doc: Document, text: str) -> None:
    """The addressee's block, right of centre, as ГОСТ Р 7.0.97 places it."""
    to = doc.add_paragraph(text)
    to.paragraph_format.left_indent = Cm(9)
    to.paragraph_format.space_before = Pt(12)


def move_info() -> None:
    doc = base_document()
    centre(doc, "Комиссия по делам несовершеннолетних и защите их прав {{ commission }}", bold=False)
    spread(doc, "{{ today }}", "№ ____________", before=12)
    addressee(doc, "{% if move.addressee %}{{ move.addressee }}{% else %}В комиссию по делам несовершеннолетних и "
                   "защите их прав _______________________________{% endif %}")
    centre(doc, "Информация о смене места жительства", before=12, after=12)
    body(doc,
         "Сообщаем, что {{ subject.moved }} в социально опасном положении "
         "(постановление от {{ case.recognized_on }} № {{ case.resolution }}), сменил{{ subject.moved_ending }} "
         "место жительства: {{ persons_line }} Новое место жительства: {{ move.place }}. О переезде стало известно "
         "{{ move.day }}.")
    body(doc, "{% if basis.sent %}В соответствии с {{ basis.sent }} направляем{% else %}Направляем{% endif %}: "
              "{{ move.documents }}.")
    sign(doc)
    doc.save(OUT / "move-info.docx")


def closure_notice() -> None:
    doc = base_document()
    centre(doc, "Комиссия по делам несовершеннолетних и защите их прав {{ commission }}", bold=False)
    spread(doc, "{{ today }}", "№ ____________", before=12)
    tag(doc, "{%p for p in addressees %}")
    addressee(doc, "{{ p.datv }}")
    tag(doc, "{%p endfor %}")
    addressee(doc, "{% if address %}{{ address }}{% endif %}")
    centre(doc, "Уведомление о прекращении индивидуальной профилактической работы", before=12, after=12)
    body(doc,
         "Уведомляем, что постановлением комиссии от {{ case.closed_on }} № {{ case.close_resolution }} "
         "{{ subject.released }} и индивидуальная профилактическая работа {{ subject.ablt }} прекращена. "
         "Основание: {{ case.close_ground }}.")
    body(doc, "{% if basis.sent %}Уведомление направляется в соответствии с {{ basis.sent }}.{% endif %}")
    sign(doc)
    doc.save(OUT / "closure-notice.docx")


def resolution_head(title: str) -> Document:
    doc = base_document()
    centre(doc, "КОМИССИЯ ПО ДЕЛАМ НЕСОВЕРШЕННОЛЕТНИХ И ЗАЩИТЕ ИХ ПРАВ")
    centre(doc, "{{ commission }}")
    centre(doc, "ПОСТАНОВЛЕНИЕ", before=12)
    spread(doc, "{{ resolution.date }}", "№ {{ resolution.no }}", before=12)
    centre(doc, title, before=12, after=12)
    return doc


def whom(doc: Document) -> None:
    """The children and the parents, one a paragraph, in the genitive «в отношении …»."""
    tag(doc, "{%p for p in persons %}")
    body(doc, "{{ p.minor_gent }} {{ p.gent }}{% if p.birth_date %}, {{ p.birth_date }} г. р.{% endif %};")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if parents %}")
    body(doc, "{{ subject.parents_head }}:")  # one parent: «родителя (законного представителя)»
    tag(doc, "{%p for p in parents %}")
    body(doc, "{{ p.gent }}{% if p.relation %} ({{ p.relation }}){% endif %}"
              "{% if p.birth_date %}, {{ p.birth_date }} г. р.{% endif %};")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    body(doc, "{% if address %}{{ subject.living }} по адресу: {{ address }},{% endif %}")


def recognition() -> None:
    doc = resolution_head("О признании {{ subject.title_gent }} {{ subject.being_ablt }} в социально опасном положении")
    body(doc, "Комиссия по делам несовершеннолетних и защите их прав {{ commission }}, рассмотрев материалы "
              "дела № {{ case.id }}{% if check.concluded_on %} и заключение по итогам проверки от "
              "{{ check.concluded_on }}{% endif %} в отношении:")
    whom(doc)
    centre(doc, "УСТАНОВИЛА:", before=6, after=6)
    body(doc, "Выявлены основания (критерии) отнесения к находящимся в социально опасном положении "
              "(приложение № 2 к Порядку):{% if not criteria %} ____________________.{% endif %}")
    tag(doc, "{%p for c in criteria %}")
    body(doc, "— {{ c }};")
    tag(doc, "{%p endfor %}")
    body(doc, "Уровень опасности: {{ check.level or '____________' }}.")
    body(doc, "На основании изложенного, руководствуясь статьёй 11 Федерального закона от 24.06.1999 № 120-ФЗ "
              "«Об основах системы профилактики безнадзорности и правонарушений несовершеннолетних»"
              "{% if basis.recognized %}, {{ basis.recognized }}{% endif %}, комиссия")
    centre(doc, "ПОСТАНОВИЛА:", before=6, after=6)
    body(doc, "1. Признать {{ subject.being_ablt }} в социально опасном положении {{ subject.accs }}.")
    body(doc, "2. Организовать индивидуальную профилактическую работу на срок до "
              "{% if case.until %}{{ case.until }}.{% else %}«___»\u00a0____________\u00a020___\u00a0г.{% endif %}")
    body(doc, "3. Назначить куратором случая {{ curator.accs }}{{ '' if curator.accs.endswith('.') else '.' }}")
    body(doc, "4. Утвердить состав межведомственной рабочей группы:{% if not members %} ____________________."
              "{% endif %}")
    tag(doc, "{%p for m in members %}")
    body(doc, "— {{ m }};")
    tag(doc, "{%p endfor %}")
    body(doc, "5. Куратору случая {{ curator.datv }} оформить учётную карту семьи и несовершеннолетнего "
              "(приложение № 3 к Порядку), в 14-дневный срок разработать индивидуальную программу "
              "социальной реабилитации (приложение № 4 к Порядку) и направить её на утверждение в комиссию.")
    body(doc, "6. Органам и учреждениям системы профилактики, входящим в рабочую группу, в 14-дневный срок "
              "направить куратору случая предложения в индивидуальную программу (приложение № 5 к Порядку).")
    sign(doc)
    doc.save(OUT / "resolution-recognition.docx")


def closure() -> None:
    doc = resolution_head("О прекращении индивидуальной профилактической работы")
    body(doc, "Комиссия по делам несовершеннолетних и защите их прав {{ commission }}, рассмотрев материалы "
              "дела № {{ case.id }} (постановление о признании {{ subject.title_gent }} {{ subject.being_ablt }} "
              "в социально опасном положении "
              "от {{ case.recognized_on }} № {{ case.resolution }}) в отношении:")
    whom(doc)
    centre(doc, "УСТАНОВИЛА:", before=6, after=6)
    body(doc, "Индивидуальная профилактическая работа проводилась с {{ case.recognized_on }}"
              "{% if case.closed_on %} по {{ case.closed_on }}{% endif %}. Основание прекращения: "
              "{{ case.close_ground or '____________________' }}.")
    body(doc, "Оценка результатов индивидуальной программы социальной реабилитации: "
              "{{ case.outcome or '____________________' }}{% if case.results %}; достигнуто: {{ case.results }}"
              "{% endif %}.")
    body(doc, "На основании изложенного, руководствуясь статьёй 11 Федерального закона от 24.06.1999 № 120-ФЗ "
              "«Об основах системы профилактики безнадзорности и правонарушений несовершеннолетних»"
              "{% if basis.closed %}, {{ basis.closed }}{% endif %}, комиссия")
    centre(doc, "ПОСТАНОВИЛА:", before=6, after=6)
    body(doc, "1. Признать {{ subject.accs }} {{ subject.lost_ablt }} статус {{ subject.being_gent }} в социально "
              "опасном положении.")
    body(doc, "2. Прекратить индивидуальную профилактическую работу {{ subject.ablt }}.")
    body(doc, "3. Направить копию постановления в органы и учреждения системы профилактики в течение "
              "10 рабочих дней.")
    body(doc, "4. Уведомить о принятом решении {{ subject.notify }}.")
    sign(doc)
    doc.save(OUT / "resolution-closure.docx")


# the reminder's tables: (title, width in cm, the row's field); the overdue table has the days column
REMINDER_COLUMNS = [("Дело (сигнал), несовершеннолетний", 4.2,
                     "{{ o.where }}{% if o.child %}, {{ o.child }}{% endif %}"),
                    ("Что должно быть сделано", 4.2, "{{ o.title }}"), ("Срок", 2.4, "{{ o.due }}"),
                    ("Основание", 3.2, "{{ o.source }}")]  # «п. 5.5 Порядка (Республика Марий Эл, 2019 г.)»
REMINDER_DAYS = ("Дней просрочки (рабочих)", 2.3, "{{ o.days }}")
# 16.3 cm and indented by the cells' 0.19 cm padding: the borders stay inside the 16.5 cm of text
REMINDER_INDENT = 108  # twips


def _cell(cell: Any, text: str, width: float, bold: bool = False) -> None:
    cell.width = Cm(width)
    par = cell.paragraphs[0]
    par.paragraph_format.first_line_indent = Cm(0)
    run = par.add_run(text)
    run.font.size = Pt(10 if bold else 11)
    run.bold = bold


def reminder_table(doc: Document, rows: str, days: bool) -> None:
    """Header (repeated on every page), a `{%tr for %}` row, the row, a `{%tr endfor %}` row."""
    columns = REMINDER_COLUMNS + ([REMINDER_DAYS] if days else [])
    if not days:  # the same text width: the "what" column takes the days column's place
        columns = [(t, w + (REMINDER_DAYS[1] if i == 1 else 0), f) for i, (t, w, f) in enumerate(columns)]
    table = doc.add_table(rows=4, cols=len(columns))
    table.style = "Table Grid"
    table.autofit = False
    indent = OxmlElement("w:tblInd")
    indent.set(qn("w:w"), str(REMINDER_INDENT))
    indent.set(qn("w:type"), "dxa")
    table._tbl.tblPr.append(indent)
    head = table.rows[0]
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    head._tr.get_or_add_trPr().append(repeat)
    for row in (head, table.rows[2]):  # a row is never cut across two pages («Ершов» here, «Р. В.» there)
        whole = OxmlElement("w:cantSplit")
        whole.set(qn("w:val"), "true")
        row._tr.get_or_add_trPr().append(whole)
    for i, (title, width, field) in enumerate(columns):
        table.columns[i].width = Cm(width)  # the grid: LibreOffice lays the table out by it, not by the cells
        _cell(head.cells[i], title, width, bold=True)
        _cell(table.rows[1].cells[i], f"{{%tr for o in {rows} %}}" if i == 0 else "", width)
        _cell(table.rows[2].cells[i], field, width)
        _cell(table.rows[3].cells[i], "{%tr endfor %}" if i == 0 else "", width)


def lead(doc: Document, text: str) -> None:
    """The line before a table, set apart from the text above it."""
    par = doc.add_paragraph(text)
    par.paragraph_format.first_line_indent = Cm(1.25)
    par.paragraph_format.space_before = Pt(6)
    par.paragraph_format.space_after = Pt(3)


def reminder() -> None:
    """An outgoing letter to one agency: its overdue terms, then those coming within the window."""
    doc = base_document()
    centre(doc, "Комиссия по делам несовершеннолетних и защите их прав {{ commission }}")
    spread(doc, "{{ today }}", "№ ____________", before=12)
    to = doc.add_paragraph("{{ agency.name }}")
    to.paragraph_format.left_indent = Cm(9)
    to.paragraph_format.space_before = Pt(12)
    centre(doc, "О сроках исполнения обязанностей", before=12, after=12)
    body(doc,
         "Комиссия по делам несовершеннолетних и защите их прав {{ commission }} в соответствии со статьёй 11 "
         "Федерального закона от 24.06.1999 № 120-ФЗ «Об основах системы профилактики безнадзорности и "
         "правонарушений несовершеннолетних» напоминает о сроках исполнения обязанностей, возложенных на Ваше "
         "ведомство в ходе индивидуальной профилактической работы с несовершеннолетними и семьями, "
         "находящимися в социально опасном положении.")
    tag(doc, "{%p if late %}")
    lead(doc, "По состоянию на {{ today }} не исполнены в установленный срок:")
    reminder_table(doc, "late", days=True)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if soon %}")
    lead(doc, "Срок исполнения наступает в ближайшие {{ within }} дн.:")
    reminder_table(doc, "soon", days=False)
    tag(doc, "{%p endif %}")
    body(doc,
         "Просим принять меры к исполнению указанных обязанностей и проинформировать комиссию о результатах "
         "с указанием номера дела (сигнала), даты и реквизитов документа, подтверждающего исполнение. "
         "Если обязанность уже исполнена, просим сообщить об этом в комиссию.")
    keep_last(doc)
    spread(doc, "{{ sign.signer.position }}", "____________ {{ sign.signer.name }}", before=18)
    keep_last(doc)
    executor = doc.add_paragraph("Исп.: {{ executor }}")
    executor.paragraph_format.space_before = Pt(12)
    executor.runs[0].font.size = Pt(10)
    doc.save(OUT / "reminder.docx")


if __name__ == "__main__":
    OUT.mkdir(exist_ok=True)
    program_letter()
    arrival_request()
    move_info()
    closure_notice()
    recognition()
    closure()
    reminder()
