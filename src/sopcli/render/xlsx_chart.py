"""Native charts for the hand-written XLSX writer: DrawingML parts that reference the sheet's cells.

Why native (issue 15): a commission meeting wants the scorecard as a picture, and
a picture pasted as an image goes stale the moment someone corrects a number. A
DrawingML chart (`xl/charts/chartN.xml`, drawn through `xl/drawings/drawingN.xml`)
names its data by cell ranges, so Excel and LibreOffice draw it from the
cells and redraw it when a cell is edited. The cached values written beside each
range are what a reader that does not recalculate shows (openpyxl, previews); a
value that is not a number (an anonymised «<3») is left out of the cache, so it
charts as a gap rather than as a guessable bar.

Why a sheet of its own: a chart below a table of any length may fall across a
page break; on its own sheet it is sized to the printable area of one A4 page
(landscape for a few categories, portrait for many) and the page is set to fit
on one sheet of paper.

Colours are chosen for their greys as much as their hues: green, amber, red and
dark red print as four distinct greys on a black-and-white printer, and every
bar has a thin black outline so adjacent segments stay apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sopcli.render.xlsx_paper import ESCAPE, col

EMU_PER_CM = 360_000
# the printable area of an A4 page with the list writer's margins (sheet_tail: 0.4" sides, 0.5"/0.6" top/bottom,
# the footer inside the bottom margin), less a little slack for LibreOffice's own rounding
LANDSCAPE_CM = (26.0, 16.5)
PORTRAIT_CM = (18.5, 24.5)
MANY = 16  # categories above which a horizontal bar chart is laid out on a portrait page


@dataclass
class Series:
    """One series: its name in the legend and the column (0-based) of the data rows that holds its values."""

    name: str
    column: int
    colour: str = "4472C4"  # RRGGBB


@dataclass
class Chart:
    """A bar chart of a sheet's data rows, drawn on a sheet of its own.

    `kind` "bar" draws horizontal bars (categories down the left, long labels fit), "column" vertical ones;
    `stacked` puts a category's series end to end (parts of a whole), otherwise side by side (a comparison).
    `first` and `count` choose the data rows charted (0-based among the sheet's data rows; count None = all).
    """

    title: str
    categories: int  # the column (0-based) of the category labels
    series: list[Series]
    kind: str = "bar"
    stacked: bool = False
    first: int = 0
    count: int | None = None
    labels: bool = False  # the value printed on each bar
    sheet: str = "Диаграмма"  # the tab the chart is drawn on
    anchor: str = "A1"  # the chart's top left cell on its sheet
    # set by the writer: the data rows of the source sheet, as sheet rows (1-based), and the values charted
    rows: tuple[int, int] = (0, -1)
    values: list[list[Any]] = field(default_factory=list)

    def wanted(self, index: int) -> bool:
        """Whether the data row `index` (0-based) is charted: the writer collects only those rows' values."""
        return index >= self.first and (self.count is None or index < self.first + self.count)

    @property
    def columns(self) -> list[int]:
        return [self.categories, *(s.column for s in self.series)]


def _x(text: str) -> str:
    return text.translate(ESCAPE)


def ref(sheet: str, column: int, first: int, last: int) -> str:
    """An absolute range on `sheet`, its name always quoted ('' for a quote): 'Сведения за год'!$C$6:$C$11."""
    quoted = sheet.replace("'", "''")
    return f"'{quoted}'!${col(column)}${first}:${col(column)}${last}"


def size_cm(chart: Chart) -> tuple[float, float, bool]:
    """Width, height and whether the page is landscape: a few categories across a landscape page,
    many down a portrait one (each bar keeps a readable thickness)."""
    n = max(1, len(chart.values))
    if chart.kind == "bar" and n > MANY:
        return PORTRAIT_CM[0], PORTRAIT_CM[1], False
    return LANDSCAPE_CM[0], LANDSCAPE_CM[1], True


def _rich(text: str, size: int, bold: bool) -> str:
    b = ' b="1"' if bold else ' b="0"'
    return (f'<c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="{size}"{b}/></a:pPr>'
            f'<a:r><a:rPr lang="ru-RU" sz="{size}"{b}/><a:t>{_x(text)}</a:t></a:r></a:p></c:rich></c:tx>')


def _text_props(size: int) -> str:
    return (f'<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="{size}"/></a:pPr>'
            '<a:endParaRPr lang="ru-RU"/></a:p></c:txPr>')


def _number(v: Any) -> str | None:
    if isinstance(v, bool) or not isinstance(v, int | float):
        return None
    return f"{v:g}" if isinstance(v, float) else str(v)


def chart_xml(chart: Chart, sheet: str) -> str:
    """The chart part: the bars, their ranges on `sheet` (the data sheet's tab as written), axes and legend."""
    first, last = chart.rows
    n = len(chart.values)
    cats = "".join(f'<c:pt idx="{i}"><c:v>{_x(str(row[0] if row[0] is not None else ""))}</c:v></c:pt>'
                   for i, row in enumerate(chart.values))
    cat = (f'<c:cat><c:strRef><c:f>{_x(ref(sheet, chart.categories, first, last))}</c:f>'
           f'<c:strCache><c:ptCount val="{n}"/>{cats}</c:strCache></c:strRef></c:cat>')
    series = []
    for i, s in enumerate(chart.series):
        points = "".join(f'<c:pt idx="{k}"><c:v>{v}</c:v></c:pt>' for k, row in enumerate(chart.values)
                         if (v := _number(row[i + 1])) is not None)
        series.append(
            f'<c:ser><c:idx val="{i}"/><c:order val="{i}"/><c:tx><c:v>{_x(s.name)}</c:v></c:tx>'
            f'<c:spPr><a:solidFill><a:srgbClr val="{s.colour}"/></a:solidFill>'
            '<a:ln w="6350"><a:solidFill><a:srgbClr val="000000"/></a:solidFill></a:ln></c:spPr>'
            f'<c:invertIfNegative val="0"/>{cat}'
            f'<c:val><c:numRef><c:f>{_x(ref(sheet, s.column, first, last))}</c:f><c:numCache>'
            f'<c:formatCode>General</c:formatCode><c:ptCount val="{n}"/>{points}</c:numCache></c:numRef></c:val>'
            '</c:ser>')
    labels = ('<c:dLbls><c:numFmt formatCode="0" sourceLinked="0"/><c:spPr><a:noFill/><a:ln><a:noFill/></a:ln>'
              f'</c:spPr>{_text_props(900)}<c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/>'
              '<c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/></c:dLbls>'
              if chart.labels else "")
    horizontal = chart.kind == "bar"
    # a horizontal chart lists its categories top down, as the table does; the value axis then sits at the bottom
    order = "maxMin" if horizontal else "minMax"
    cat_pos, val_pos = ("l", "b") if horizontal else ("b", "l")
    grey = '<c:spPr><a:ln w="6350"><a:solidFill><a:srgbClr val="BFBFBF"/></a:solidFill></a:ln></c:spPr>'
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<c:lang val="ru-RU"/><c:roundedCorners val="0"/><c:chart>'
        f'<c:title>{_rich(chart.title, 1300, True)}<c:overlay val="0"/></c:title>'
        '<c:autoTitleDeleted val="0"/><c:plotArea><c:layout/>'
        f'<c:barChart><c:barDir val="{chart.kind}"/>'
        f'<c:grouping val="{"stacked" if chart.stacked else "clustered"}"/><c:varyColors val="0"/>'
        f'{"".join(series)}{labels}<c:gapWidth val="{60 if chart.stacked else 80}"/>'
        f'<c:overlap val="{100 if chart.stacked else 0}"/><c:axId val="1001"/><c:axId val="1002"/></c:barChart>'
        f'<c:catAx><c:axId val="1001"/><c:scaling><c:orientation val="{order}"/></c:scaling><c:delete val="0"/>'
        f'<c:axPos val="{cat_pos}"/><c:numFmt formatCode="General" sourceLinked="0"/>'
        '<c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
        f'{_text_props(1000)}<c:crossAx val="1002"/><c:crosses val="autoZero"/><c:auto val="1"/>'
        '<c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>'
        f'<c:valAx><c:axId val="1002"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/>'
        f'<c:axPos val="{val_pos}"/><c:majorGridlines>{grey}</c:majorGridlines>'
        '<c:numFmt formatCode="0" sourceLinked="0"/><c:majorTickMark val="out"/><c:minorTickMark val="none"/>'
        f'<c:tickLblPos val="nextTo"/>{_text_props(1000)}<c:crossAx val="1001"/>'
        f'<c:crosses val="{"max" if horizontal else "autoZero"}"/><c:crossBetween val="between"/></c:valAx>'
        '</c:plotArea><c:legend><c:legendPos val="b"/><c:overlay val="0"/>'
        f'{_text_props(1000)}</c:legend><c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>'
        '<c:spPr><a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill><a:ln><a:noFill/></a:ln></c:spPr>'
        '</c:chartSpace>')


def _cell(anchor: str) -> tuple[int, int]:
    """"B3" → (1, 2): the 0-based column and row a drawing anchor names."""
    letters = "".join(ch for ch in anchor if ch.isalpha()).upper()
    c = 0
    for ch in letters:
        c = c * 26 + ord(ch) - 64
    return c - 1, int(anchor[len(letters):]) - 1


def drawing_xml(chart: Chart, number: int) -> str:
    """The drawing part: the chart's frame at its anchor cell, sized for the page (size_cm)."""
    column, row = _cell(chart.anchor)
    w, h, _ = size_cm(chart)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        f'<xdr:oneCellAnchor><xdr:from><xdr:col>{column}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{row}</xdr:row>'
        f'<xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:ext cx="{round(w * EMU_PER_CM)}" cy="{round(h * EMU_PER_CM)}"/>'
        f'<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="{number + 1}" '
        f'name="Диаграмма {number}"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>'
        '<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm><a:graphic>'
        '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
        '<c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rId1"/>'
        '</a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/></xdr:oneCellAnchor></xdr:wsDr>')


REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def rels_xml(kind: str, target: str) -> str:
    """A part's relationships holding one target: a sheet's drawing, or a drawing's chart."""
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/{kind}" Target="{target}"/></Relationships>')


def chart_sheet_xml(chart: Chart) -> str:
    """The sheet the chart is drawn on: no cells, A4 fitted to one page, numbered like the tables."""
    from sopcli.render.xlsx_paper import sheet_head, sheet_tail

    _, _, landscape = size_cm(chart)
    return sheet_head([10.0] * 12) + sheet_tail([], landscape, pages_tall=1, drawing=True)
