"""The XLSX papers' measure (issue 31 §3): Arial's advance widths, lines wrapped as the clients wrap them."""

from __future__ import annotations

from pathlib import Path

import pytest

from sopcli.render.xlsx_paper import breaks, capacity, lines, longest_word, text_width, units_for, words

FONTS = Path("/usr/share/fonts/truetype/liberation")


def test_the_committed_widths_are_the_fonts() -> None:
    """render/xlsx_glyphs is what scripts/glyph_widths.py reads from Liberation Sans today."""
    if not (FONTS / "LiberationSans-Regular.ttf").exists():
        pytest.skip("fonts-liberation is not installed (tests/office.sh installs it)")
    import importlib.util

    from sopcli.render import xlsx_glyphs

    spec = importlib.util.spec_from_file_location("glyph_widths", Path(__file__).parents[2] / "scripts" /
                                                  "glyph_widths.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    units, regular = script.advances(FONTS / "LiberationSans-Regular.ttf")
    _, bold = script.advances(FONTS / "LiberationSans-Bold.ttf")
    assert units == xlsx_glyphs.UNITS
    assert [regular[c] for c in xlsx_glyphs.CHARS] == list(xlsx_glyphs.REGULAR)
    assert [bold[c] for c in xlsx_glyphs.CHARS] == list(xlsx_glyphs.BOLD)


def test_widths_are_arials() -> None:
    assert text_width("0") == pytest.approx(1139 / 2048 * 10)  # Arial's digit: 0.556 em
    assert text_width("ш", bold=True) > text_width("ш") > text_width("i")
    assert text_width("☺") == text_width("\u2603")  # a glyph the table lacks counts as the widest


TEXT = ("Проведение социально-реабилитационных мероприятий с семьей, находящейся в социально опасном положении, "
        "в течение программы ежемесячно; 14-дневный срок")


@pytest.mark.parametrize("width", [8, 12, 18, 30, 60])
def test_each_line_fits_and_breaks_at_a_space_or_after_a_hyphen(width: float) -> None:
    line = capacity(width)
    start = 0
    for end, nxt in breaks(TEXT, line):
        assert text_width(TEXT[start:end]) <= line.points
        at_space = nxt == end + 1 and (end == len(TEXT) or TEXT[end] == " ")
        if not at_space and TEXT[end - 1] != "-":  # inside a word: only one wider than the line
            word = TEXT[TEXT.rfind(" ", 0, end) + 1:].split(" ")[0]
            assert text_width(word) > line.points, (width, word)
        start = nxt
    assert lines(TEXT, line) == len(breaks(TEXT, line))


def test_a_column_as_wide_as_its_longest_word_breaks_no_word() -> None:
    width = units_for(longest_word(TEXT))
    line = capacity(width)
    assert all(s == e + 1 or TEXT[e - 1] == "-" for e, s in breaks(TEXT, line))  # never inside a word
    assert "социально-" in words(TEXT) and "реабилитационных" in words(TEXT) and "14-дневный" not in words(TEXT)
