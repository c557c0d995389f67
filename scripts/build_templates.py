"""Build the packaged Word templates in templates/ (run once; the .docx files are committed).

Each is an ordinary Word document with jinja2 tags (docxtpl): a secretary may
open it in Word or LibreOffice, put it on the commission's letterhead and save a
copy into the config folder (`sopcli doc --where` says where); that copy wins.
"""

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

OUT = Path(__file__).resolve().parent.parent / "templates"


def base(title: str) -> Document:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(14)
    head = doc.add_paragraph("Комиссия по делам несовершеннолетних и защите их прав {{ commission }}")
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph("{{ today }} № ____________")
    t = doc.add_paragraph(title)
    t.alignment = WD_ALIGN_PARAGRAPH.CENTER
    t.runs[0].bold = True
    return doc


def sign(doc: Document) -> None:
    doc.add_paragraph("")
    doc.add_paragraph("Председатель комиссии ____________ / ____________ /")
    doc.add_paragraph("Ответственный секретарь ____________ / ____________ /")


def program_letter() -> None:
    doc = base("О направлении индивидуальной программы социальной реабилитации")
    doc.add_paragraph("{{ plan.executors }}")
    doc.add_paragraph(
        "Направляем для исполнения индивидуальную программу социальной реабилитации "
        "{{ case.subject_genitive }}, находящихся в социально опасном положении (дело № {{ case.id }}), "
        "утверждённую постановлением комиссии от {{ plan.approved_on }} № {{ plan.resolution }} "
        "(версия {{ plan.version }}).")
    doc.add_paragraph("Мероприятия, сроки и исполнители:")
    doc.add_paragraph("{% for m in plan.measures %}{{ m.seq }}. {{ m.title }} — {{ m.executor }}, "
                      "срок: {{ m.due }}.\n{% endfor %}")
    doc.add_paragraph("Отчёты об исполнении мероприятий просим направлять куратору случая "
                      "{{ case.curator }} в установленные сроки (004 §5.5).")
    sign(doc)
    doc.save(OUT / "program-letter.docx")


def arrival_request() -> None:
    doc = base("Запрос сведений о проведённой работе")
    doc.add_paragraph("В комиссию по делам несовершеннолетних и защите их прав: {{ previous_place }}")
    doc.add_paragraph(
        "{{ signal.received }} стало известно о прибытии на территорию {{ commission }} семьи "
        "(несовершеннолетнего), находящейся в социально опасном положении: "
        "{% for p in persons %}{{ p.name }}{% if p.birth_date %}, {{ p.birth_date }} г. р.{% endif %}"
        "{% if not loop.last %}; {% endif %}{% endfor %}.")
    doc.add_paragraph(
        "В соответствии с п. 2.5.1(г) методических рекомендаций просим в течение трёх календарных дней "
        "направить сведения о проведённой индивидуальной профилактической работе: основания постановки "
        "на учёт, индивидуальную программу, промежуточные итоги.")
    sign(doc)
    doc.save(OUT / "arrival-request.docx")


def move_info() -> None:
    doc = base("Информация о смене места жительства")
    doc.add_paragraph("В комиссию по делам несовершеннолетних и защите их прав по новому месту жительства: "
                      "{{ move.place }}")
    doc.add_paragraph(
        "Сообщаем, что семья (несовершеннолетний), находящаяся в социально опасном положении "
        "(постановление от {{ case.recognized_on }} № {{ case.resolution }}), сменила место жительства: "
        "{% for p in persons %}{{ p.name }}{% if p.birth_date %}, {{ p.birth_date }} г. р.{% endif %}"
        "{% if not loop.last %}; {% endif %}{% endfor %}. О переезде стало известно {{ move.day }}.")
    doc.add_paragraph("Направляем (000 §2; 001 §2.5.1(б)): {{ move.documents }}.")
    sign(doc)
    doc.save(OUT / "move-info.docx")


def closure_notice() -> None:
    doc = base("Уведомление о прекращении индивидуальной профилактической работы")
    doc.add_paragraph("{% for p in parents %}{{ p.name }}{% if not loop.last %}, {% endif %}{% endfor %}")
    doc.add_paragraph("Адрес: {{ address }}")
    doc.add_paragraph(
        "Уведомляем, что постановлением комиссии от {{ case.closed_on }} № {{ case.close_resolution }} "
        "индивидуальная профилактическая работа с семьёй (несовершеннолетним) прекращена. "
        "Основание: {{ case.close_ground }} (004 §6).")
    sign(doc)
    doc.save(OUT / "closure-notice.docx")


def resolution(kind: str, title: str, body: str) -> None:
    doc = base(title)
    doc.add_paragraph("Комиссия, рассмотрев материалы дела № {{ case.id }} в отношении: "
                      "{% for p in persons %}{{ p.name }}{% if p.birth_date %}, {{ p.birth_date }} г. р.{% endif %}"
                      "{% if not loop.last %}; {% endif %}{% endfor %},")
    doc.add_paragraph("ПОСТАНОВИЛА:")
    doc.add_paragraph(body)
    sign(doc)
    doc.save(OUT / f"{kind}.docx")


if __name__ == "__main__":
    OUT.mkdir(exist_ok=True)
    program_letter()
    arrival_request()
    move_info()
    closure_notice()
    resolution("resolution-recognition", "ПОСТАНОВЛЕНИЕ о признании находящимися в социально опасном положении",
               "1. Признать {{ case.subject_accusative }} находящимися в социально опасном положении "
               "(заключение проверки от {{ check.concluded_on }}, уровень опасности: {{ check.level }}).\n"
               "2. Назначить куратором случая {{ case.curator }}.\n"
               "3. Органам системы профилактики в 14-дневный срок внести предложения в индивидуальную "
               "программу (004 §5.3).")
    resolution("resolution-closure", "ПОСТАНОВЛЕНИЕ о прекращении индивидуальной профилактической работы",
               "1. Прекратить индивидуальную профилактическую работу. Основание: {{ case.close_ground }}.\n"
               "2. Оценка результатов программы: {{ case.outcome }}.\n"
               "3. Направить копии постановления и уведомить несовершеннолетнего и родителей в течение "
               "10 рабочих дней (004 §6.5).")
