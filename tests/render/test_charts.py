"""The chart parts of the hand-written XLSX writer, and the terminal's bars, as plain functions.

The XML is parsed (well-formed, the right elements), a sheet name with Cyrillic, spaces, a quote and an
ampersand is referenced as Excel writes it, and a workbook written by `write_xlsx` opens in openpyxl
with the chart on its own sheet.
"""

from __future__ import annotations

import re
import zipfile
from xml.etree import ElementTree as ET

from openpyxl import load_workbook

from sopcli.render.bars import KINDS, bar, legend, segments, timeliness_bars
from sopcli.render.xlsx import Column, Sheet, write_xlsx
from sopcli.render.xlsx_chart import Chart, Series, chart_xml, drawing_xml, ref, size_cm

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"


def chart(values: list[list], **kw) -> Chart:
    c = Chart("Сроки по органам", 1, [Series("в срок", 2, "70AD47"), Series("просрочено", 3, "7A0C0C")], **kw)
    c.values = values
    c.rows = (5, 4 + len(values))
    return c


def test_range_quotes_the_sheet_name_as_excel_does():
    assert ref("Своевременность", 1, 5, 9) == "'Своевременность'!$B$5:$B$9"
    assert ref("Отчёт ПДН'ов", 27, 6, 6) == "'Отчёт ПДН''ов'!$AB$6:$AB$6"


def test_chart_xml_is_well_formed_and_names_its_ranges():
    c = chart([["ПДН & опека", 3, 1], ["Школа <5>", 0, "<3"]], stacked=True)
    root = ET.fromstring(chart_xml(c, "Лист «А» & Б"))
    assert root.find(f".//{C}barDir").get("val") == "bar"
    assert root.find(f".//{C}grouping").get("val") == "stacked"
    formulas = [f.text for f in root.iter(f"{C}f")]
    assert formulas == ["'Лист «А» & Б'!$B$5:$B$6", "'Лист «А» & Б'!$C$5:$C$6",
                        "'Лист «А» & Б'!$B$5:$B$6", "'Лист «А» & Б'!$D$5:$D$6"]
    names = [s.find(f"{C}tx/{C}v").text for s in root.iter(f"{C}ser")]
    assert names == ["в срок", "просрочено"]
    cats = [p.find(f"{C}v").text for p in root.find(f".//{C}strCache").iter(f"{C}pt")]
    assert cats == ["ПДН & опека", "Школа <5>"]
    # «<3» (anonymised) is not a number: left out of the cache, a gap in the picture
    overdue = list(root.iter(f"{C}numCache"))[1]
    assert [(p.get("idx"), p.find(f"{C}v").text) for p in overdue.iter(f"{C}pt")] == [("0", "1")]
    assert overdue.find(f"{C}ptCount").get("val") == "2"
    title = "".join(t.text for t in root.find(f"{C}chart/{C}title").iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/main}t"))
    assert title == "Сроки по органам"


def test_clustered_chart_has_no_overlap_and_column_kind_has_categories_below():
    root = ET.fromstring(chart_xml(chart([["а", 1, 2]], kind="column"), "Лист"))
    assert root.find(f".//{C}grouping").get("val") == "clustered"
    assert root.find(f".//{C}overlap").get("val") == "0"
    assert root.find(f".//{C}catAx/{C}axPos").get("val") == "b"


def test_drawing_fits_a_page_landscape_for_a_few_portrait_for_many():
    few, many = chart([["а", 1, 1]] * 5), chart([["а", 1, 1]] * 30)
    assert size_cm(few)[2] is True and size_cm(many)[2] is False
    xdr = "{http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing}"
    ext = ET.fromstring(drawing_xml(many, 1)).find(f".//{xdr}ext")
    assert int(ext.get("cx")) <= 19 * 360_000 and int(ext.get("cy")) <= 25.5 * 360_000  # A4 portrait's inside


def test_workbook_with_a_chart_opens_in_openpyxl(tmp_path):
    rows = [[1, "Орган внутренних дел (ПДН)", 4, 2], [2, "Опека", 0, 1], [3, "Школа", 7, 0]]
    sheet = Sheet("Отчёт 'ПДН'", "Сроки", [Column("№"), Column("Орган"), Column("В срок"), Column("Просрочено")],
                  rows, chart=Chart("Сроки", 1, [Series("в срок", 2), Series("просрочено", 3)], count=2))
    path = tmp_path / "chart.xlsx"
    write_xlsx(path, [sheet])
    wb = load_workbook(path)
    assert wb.sheetnames == ["Отчёт 'ПДН'", "Диаграмма"]
    (c,) = wb["Диаграмма"]._charts
    assert [s.val.numRef.f for s in c.series] == ["'Отчёт ''ПДН'''!$C$3:$C$4", "'Отчёт ''ПДН'''!$D$3:$D$4"]
    ws = wb["Отчёт 'ПДН'"]
    assert [ws.cell(r, 3).value for r in (3, 4)] == [4, 0]  # the rows charted: the first two (count=2)
    with zipfile.ZipFile(path) as z:
        types = z.read("[Content_Types].xml").decode()
        assert "/xl/charts/chart1.xml" in types and "/xl/drawings/drawing1.xml" in types
        for name in z.namelist():
            if name.endswith((".xml", ".rels")):
                ET.fromstring(z.read(name))  # every part well-formed


def test_a_sheet_without_data_rows_gets_no_chart(tmp_path):
    sheet = Sheet("Пусто", "Сроки", [Column("Орган"), Column("В срок")], [],
                  chart=Chart("Сроки", 0, [Series("в срок", 1)]))
    path = tmp_path / "empty.xlsx"
    write_xlsx(path, [sheet])
    assert load_workbook(path).sheetnames == ["Пусто"]


# ---- the terminal's bars
def counts(**kw) -> dict:
    return {"on_time": 0, "late": 0, "lapsed": 0, "overdue": 0, "pending": 0, **kw}


def test_a_bar_is_proportional_and_keeps_every_kind_that_is_not_zero():
    assert dict(segments(counts(on_time=10, overdue=10), 2.0)) == {
        "on_time": 20, "late": 0, "lapsed": 0, "overdue": 20, "pending": 0}
    # one overdue among a hundred still shows
    assert dict(segments(counts(on_time=99, overdue=1), 0.3))["overdue"] == 1
    chars = {key: ch for key, _, ch, _ in KINDS}
    assert bar(counts(on_time=2, late=1, overdue=1), 1.0) == chars["on_time"] * 2 + chars["late"] + chars["overdue"]


def test_bars_scale_to_the_busiest_agency_and_end_with_a_russian_legend():
    rows = [{"who": "ПДН", "due": 20, **counts(on_time=10, late=5, overdue=5)},
            {"who": "Опека", "due": 5, **counts(on_time=5)}]
    text = timeliness_bars(rows, 40)
    lines = text.splitlines()
    assert len(re.findall("[\u2580-\u259f]", lines[0])) == 40 and lines[0].endswith(" 20")
    assert len(re.findall("[\u2580-\u259f]", lines[1])) == 10 and lines[1].endswith(" 5")
    assert lines[-1].strip() == legend().strip()
    assert all(word in lines[-1] for word in ("в срок", "с опозданием", "не исполнено", "просрочено", "ждут"))
    assert "\x1b" not in text  # the colours come only from the style given (typer.style on a terminal)


def test_colours_are_applied_per_segment():
    shown = bar(counts(on_time=1, overdue=1), 1.0, lambda text, colour: f"<{colour}>{text}")
    assert shown == "<green>▓<red>█"


def test_no_terms_no_bars():
    assert timeliness_bars([], 40) == ""
