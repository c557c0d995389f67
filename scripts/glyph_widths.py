"""Write src/sopcli/render/xlsx_glyphs.py: the advance widths of Liberation Sans Regular and Bold.

Usage: .venv/bin/python scripts/glyph_widths.py [FONT_DIR]   (default: /usr/share/fonts/truetype/liberation)

Why a table: the XLSX papers name Arial, which Excel has everywhere and LibreOffice prints as
Liberation Sans (the same advance widths by design). A row's height and a column's width are
computed by the writer from the text (render/xlsx_paper), so it must measure a text as the office
client will; the user's machine may lack the font, so the widths are read here once from the TTF
(its `cmap` and `hmtx` tables, plain struct reads, no font library) and committed as data. Re-run it
only to add characters to CHARS.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "src" / "sopcli" / "render" / "xlsx_glyphs.py"
# printable ASCII, Latin-1 punctuation (« » § nbsp), Cyrillic with Ё/ё, dashes and quotes, ellipsis, №
CHARS = "".join(chr(c) for c in [*range(0x20, 0x7F), *range(0xA0, 0xAD), *range(0xAE, 0xC0), *range(0x401, 0x460),
                                 *range(0x2010, 0x2027), 0x2116])


def _tables(font: bytes) -> dict[str, tuple[int, int]]:
    count = struct.unpack(">H", font[4:6])[0]
    out = {}
    for i in range(count):
        tag, _, offset, length = struct.unpack(">4sIII", font[12 + 16 * i: 28 + 16 * i])
        out[tag.decode()] = (offset, length)
    return out


def _cmap(font: bytes, at: int) -> dict[int, int]:
    """Code point → glyph id from the Unicode BMP subtable (format 4)."""
    n = struct.unpack(">H", font[at + 2: at + 4])[0]
    for i in range(n):
        platform, encoding, offset = struct.unpack(">HHI", font[at + 4 + 8 * i: at + 12 + 8 * i])
        sub = at + offset
        if (platform, encoding) in ((3, 1), (0, 3)) and struct.unpack(">H", font[sub: sub + 2])[0] == 4:
            break
    else:
        raise ValueError("no format 4 Unicode cmap")
    segs = struct.unpack(">H", font[sub + 6: sub + 8])[0] // 2
    ends = struct.unpack(f">{segs}H", font[sub + 14: sub + 14 + 2 * segs])
    base = sub + 16 + 2 * segs
    starts = struct.unpack(f">{segs}H", font[base: base + 2 * segs])
    deltas = struct.unpack(f">{segs}h", font[base + 2 * segs: base + 4 * segs])
    range_at = base + 4 * segs
    offsets = struct.unpack(f">{segs}H", font[range_at: range_at + 2 * segs])
    glyphs = {}
    for s in range(segs):
        for c in range(starts[s], ends[s] + 1):
            if offsets[s] == 0:
                g = (c + deltas[s]) & 0xFFFF
            else:
                where = range_at + 2 * s + offsets[s] + 2 * (c - starts[s])
                g = struct.unpack(">H", font[where: where + 2])[0]
                g = (g + deltas[s]) & 0xFFFF if g else 0
            glyphs[c] = g
    return glyphs


def advances(path: Path) -> tuple[int, dict[str, int]]:
    """The font's units per em and each of CHARS' advance width in those units (absent characters left out)."""
    font = path.read_bytes()
    t = _tables(font)
    units = struct.unpack(">H", font[t["head"][0] + 18: t["head"][0] + 20])[0]
    metrics = struct.unpack(">H", font[t["hhea"][0] + 34: t["hhea"][0] + 36])[0]
    hmtx = t["hmtx"][0]
    glyphs = _cmap(font, t["cmap"][0])
    out = {}
    for ch in CHARS:
        g = glyphs.get(ord(ch), 0)
        if g:
            g = min(g, metrics - 1)  # glyphs past the last metric share its advance
            out[ch] = struct.unpack(">H", font[hmtx + 4 * g: hmtx + 4 * g + 2])[0]
    return units, out


def main(fonts: Path) -> None:
    units, regular = advances(fonts / "LiberationSans-Regular.ttf")
    bold_units, bold = advances(fonts / "LiberationSans-Bold.ttf")
    assert units == bold_units
    chars = "".join(ch for ch in CHARS if ch in regular and ch in bold)
    body = [
        '"""Advance widths of Liberation Sans (= Arial) Regular and Bold, written by scripts/glyph_widths.py.',
        "",
        "Do not edit: re-run the script. Widths are in font units, UNITS to the em; a character missing here",
        'is measured as WIDEST (render/xlsx_paper.text_width)."""',
        "",
        f"UNITS = {units}",
        "CHARS = (",
        *(f"    {chars[i:i + 48]!r}" for i in range(0, len(chars), 48)),
        ")",
        "REGULAR = (",
    ]
    for rows, name in ((regular, "REGULAR"), (bold, "BOLD")):
        if name == "BOLD":
            body.append("BOLD = (")
        values = [str(rows[ch]) for ch in chars]
        for i in range(0, len(values), 16):
            body.append("    " + ", ".join(values[i:i + 16]) + ",")
        body.append(")")
    body.append(f"WIDEST = {max(max(regular.values()), max(bold.values()))}")
    TARGET.write_text("\n".join(body) + "\n", encoding="utf-8")
    print(f"{TARGET.relative_to(ROOT)}: {len(chars)} characters")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/usr/share/fonts/truetype/liberation"))
