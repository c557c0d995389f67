"""The XLSX writer on paper: exact times, numbered A4 pages, repeated headers, rows as tall as their text."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from sopcli.render.xlsx import Column, Sheet, write_xlsx

MOMENTS = [datetime(2026, 3, 2, 11, 0), datetime(2025, 12, 31, 23, 59), datetime(2026, 1, 1, 0, 0),
           datetime(2024, 2, 29, 9, 15, 30), datetime(2026, 7, 14, 16, 45, tzinfo=ZoneInfo("Europe/Moscow")),
           datetime(2026, 3, 2, 10, 59, 59, 999_000)]


def _book(tmp_path: Path, sheets: list[Sheet]) -> openpyxl.Workbook:
    path = tmp_path / "out.xlsx"
    write_xlsx(path, sheets)
    return openpyxl.load_workbook(path)


def _plain(rows: list[list], **kw) -> Sheet:
    return Sheet(name="Журнал", title="Журнал сигналов", rows=rows,
                 columns=[Column("№"), Column("Поступил", 18), Column("Текст", 30)], **kw)


def test_moments_read_back_to_the_second(tmp_path: Path) -> None:
    ws = _book(tmp_path, [_plain([[i, m, "x"] for i, m in enumerate(MOMENTS)])]).active
    got = [ws.cell(row=r, column=2).value for r in range(3, 3 + len(MOMENTS))]
    want = [m.replace(tzinfo=None) for m in MOMENTS[:-1]] + [datetime(2026, 3, 2, 11, 0)]  # .999 s rounds up
    assert got == want


def test_every_sheet_is_a4_numbered_and_repeats_its_header(tmp_path: Path) -> None:
    book = _book(tmp_path, [_plain([[1, date(2026, 1, 2), "a"]]),
                            _plain([[1, None, "b"]], subtitle="за 2026 год", numbers=["1", "2", "3"])])
    first, second = book.worksheets
    for ws in (first, second):
        assert ws.page_setup.paperSize == 9
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
    assert first.print_title_rows == "$2:$2"
    assert second["A3"].value == "№" and second["A4"].value == "1"  # title, subtitle, header, numbers
    assert second.print_title_rows == "$3:$4"


LONG = ("Семья находится в социально опасном положении: родители злоупотребляют спиртными напитками, "
        "не исполняют обязанности по воспитанию, обучению и содержанию несовершеннолетних детей. ")


def _height(ws, row: int) -> float:
    return ws.row_dimensions[row].height


def test_rows_grow_with_their_text_and_the_header_is_never_clipped(tmp_path: Path) -> None:
    sheet = Sheet(name="Банк", title="Списки несовершеннолетних", rows=[[1, "коротко", ""], [2, LONG, ""],
                                                                      [3, LONG * 3, "a\nb\nc\nd\ne\nf\ng\nh\ni\nj"]],
                  columns=[Column("№", 6), Column("Причина постановки на учет", 30),
                           Column("Вид деятельности несовершеннолетнего (образовательная организация, место работы)",
                                  14)])
    ws = _book(tmp_path, [sheet]).active
    short, one, three = _height(ws, 3), _height(ws, 4), _height(ws, 5)
    assert short < one < three
    assert three >= 20 * 10  # ten lines in the last column, three paragraphs in the second
    head = _height(ws, 2)
    assert head >= 5 * 12  # the 81-character header wraps to five lines or more
    # issue 31 §3: the 14-wide column is widened to hold «несовершеннолетнего» in bold whole (≈ 21 units)
    assert ws.column_dimensions["C"].width >= 21
    assert all(ws.row_dimensions[r].customHeight for r in (1, 2, 3, 4, 5))


def test_appendix_header_sits_right_above_the_title_and_signatures_close_the_sheet(tmp_path: Path) -> None:
    from sopcli.render.form import Signature

    appendix = "ПРИЛОЖЕНИЕ № 8\nк Порядку межведомственного взаимодействия органов и учреждений системы профилактики"
    sheet = _plain([[1, None, "b"]], appendix=appendix, numbers=["1", "2", "3"],
                   signatures=[Signature("Ответственный секретарь", "А.А. Смирнова"),
                               Signature("Председатель", "И.И. Иванов", "02.03.2026")])
    ws = _book(tmp_path, [sheet]).active
    right = [c for c in ws[1] if c.value]
    assert [c.value for c in right] == [appendix] and right[0].column > 1
    assert right[0].alignment.horizontal == "right" and right[0].alignment.wrap_text
    assert f"{right[0].coordinate}:C1" in {str(m) for m in ws.merged_cells.ranges}
    assert _height(ws, 1) >= 2 * 13
    assert ws["A2"].value == "Журнал сигналов" and ws["A2"].font.b and ws["A2"].alignment.horizontal == "center"
    assert ws.print_title_rows == "$3:$4"
    texts = [c.value for row in ws.iter_rows(min_row=6) for c in row if c.value]
    blank = "«___»\u00a0____________\u00a020__\u00a0г."  # issue 31 §3: «20__ г.» never wraps apart
    assert f"Ответственный секретарь   ______________   А.А. Смирнова      {blank}" in texts
    assert any(t.startswith("Председатель") and t.endswith("02.03.2026") for t in texts)


def test_a_text_over_the_cell_limit_goes_on_to_the_continuation_sheet(tmp_path: Path) -> None:
    text = " ".join(f"слово{i}" for i in range(6000))  # ≈ 48,000 characters
    assert len(text) > 40_000
    sheet = _plain([[1, None, "обычный"], [2, None, text]])
    book = _book(tmp_path, [sheet])
    ws, cont = book["Журнал"], book["Продолжение"]
    cell = ws["C4"].value
    assert len(cell) <= 32_767 and cell.endswith("(продолжение на листе «Продолжение», № 1)")
    assert _height(ws, 4) <= 409
    assert sheet.continued == 1
    assert any("Продолжение" in (c.value or "") for c in ws["A"][5:])  # the note under the table
    parts = [row for row in cont.iter_rows(min_row=3, values_only=True) if row[0] is not None]
    assert all(p[:4] == (1, "Журнал", 4, "Текст") for p in parts)
    shown = cell.rsplit("\n", 1)[0]
    joined = " ".join([shown, *(p[4] for p in parts)])
    assert joined == text  # nothing lost, nothing repeated, cut at words
    assert all(cont.row_dimensions[r].height <= 409 for r in range(3, 3 + len(parts)))


def _form():
    from sopcli.render.form import MARK, Form, Heading, Pairs, Para, Signature, Table

    return Form("Карта", [
        Para("ПРИЛОЖЕНИЕ № 3\nк Порядку межведомственного взаимодействия", align="right"),
        Para("КАРТА семьи", align="center", bold=True, size=12),
        Heading("1. Общие сведения"),
        Pairs([("Ф.И.О. несовершеннолетнего", "Петров Пётр Петрович"), ("Дата рождения", date(2012, 5, 3)),
               ("Жилищные условия", ""), ("Проблема", LONG * 4)], label_share=0.25, bold_labels={2}),
        Table(["Степень родства", "Ф.И.О.", "Дата рождения", "Отметка"], [15, 45, 15, 10],
              [["мать", "Петрова Мария Ивановна", date(1985, 1, 2), MARK],
               ["сын", "Петров Пётр Петрович", datetime(2026, 3, 2, 11, 0), ""]],
              numbers=["1", "2", "3", "4"], group_headers=[("Члены семьи", 2), ("Сведения", 2)]),
        Signature("Председатель комиссии", "И.И. Иванов"),
    ], notes=["Составлено по данным реестра."])


def test_a_form_is_laid_out_on_the_grid_with_merged_cells(tmp_path: Path) -> None:
    from sopcli.render.xlsx import write_forms

    path = tmp_path / "form.xlsx"
    form = _form()
    assert write_forms(path, [form, _form()]) == 2
    assert path.stat().st_mode & 0o777 == 0o600
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[0] == "Карта" and len(book.sheetnames) == 2
    ws = book.worksheets[0]
    merged = {str(m) for m in ws.merged_cells.ranges}
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "portrait"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0 and "&P" in ws.oddFooter.center.text
    assert ws["M1"].value.startswith("ПРИЛОЖЕНИЕ № 3") and ws["M1"].alignment.horizontal == "right"
    assert "M1:X1" in merged and _height(ws, 1) >= 2 * 13
    assert ws["A2"].value == "КАРТА семьи" and ws["A2"].font.b and ws["A2"].font.sz == 12 and "A2:X2" in merged
    assert ws["A4"].value == "1. Общие сведения" and ws["A4"].font.b  # a blank row before a heading
    assert (ws["A5"].value, ws["G5"].value) == ("Ф.И.О. несовершеннолетнего", "Петров Пётр Петрович")
    assert {"A5:F5", "G5:X5"} <= merged and ws["A5"].border.left.style == "thin"
    assert ws["G6"].value == datetime(2012, 5, 3) and ws["G6"].number_format == "dd.mm.yyyy"
    assert ws["A7"].font.b and not ws["A5"].font.b
    assert _height(ws, 8) > 4 * _height(ws, 5)  # the long problem wraps
    # the table: group header, header, numbers, rows; columns spanning whole grid columns in proportion
    # widths 15:45:15:10 of 24 grid columns → 5, 12, 4, 3 (one each first, the rest by largest remainder)
    assert (ws["A9"].value, ws["R9"].value) == ("Члены семьи", "Сведения") and {"A9:Q9", "R9:X9"} <= merged
    assert [ws[f"{c}10"].value for c in "AFRV"] == ["Степень родства", "Ф.И.О.", "Дата рождения", "Отметка"]
    assert {"A10:E10", "F10:Q10", "R10:U10", "V10:X10"} <= merged and ws["A10"].fill.fgColor.rgb == "FFF2F2F2"
    assert [ws[f"{c}11"].value for c in "AFRV"] == ["1", "2", "3", "4"]
    assert ws["V12"].value == "✓" and ws["V12"].alignment.horizontal == "center"
    assert ws["R13"].value == datetime(2026, 3, 2, 11, 0) and ws["R13"].number_format == "dd.mm.yyyy hh:mm"
    sign = [c.value for c in ws[15] if c.value]
    assert sign[0] == "Председатель комиссии" and "И.И. Иванов" in sign and sign[-1].startswith("«___»")
    assert [c.value for c in ws[16] if c.value] == ["(подпись)", "(расшифровка подписи)", "(дата)"]
    assert ws["A18"].value == "Составлено по данным реестра." and ws["A18"].font.i


def test_a_form_row_over_409_points_is_cut_and_continued(tmp_path: Path) -> None:
    from sopcli.render.form import Form, Pairs
    from sopcli.render.xlsx import write_forms

    text = "\n".join(f"{i}. мероприятие по сопровождению семьи" for i in range(1, 61))  # 60 lines: too tall
    form = Form("Программа", [Pairs([("Мероприятия", text)])])
    path = tmp_path / "form.xlsx"
    write_forms(path, [form])
    book = openpyxl.load_workbook(path)
    ws = book["Программа"]
    assert ws.row_dimensions[1].height <= 409 and ws["K1"].value.endswith("«Продолжение», № 1)")
    assert form.continued == 1 and "Продолжение" in form.notes[-1]
    rest = [r[4] for r in book["Продолжение"].iter_rows(min_row=3, values_only=True)]
    assert rest[0].startswith(text.split("\n")[len(ws["K1"].value.split("\n")) - 1])
    assert rest[-1].endswith("60. мероприятие по сопровождению семьи")


@pytest.mark.parametrize("widths", [[1], [5, 60, 8], [1] * 24, [0, 10], [3, 3, 3], [70, 1, 1, 1, 1]])
def test_table_columns_share_the_whole_grid(widths: list[float]) -> None:
    from sopcli.render.xlsx_form import GRID, spans

    got = spans(widths)
    assert sum(got) == GRID and min(got) >= 1 and len(got) == len(widths)
    assert got[widths.index(max(widths))] == max(got)
