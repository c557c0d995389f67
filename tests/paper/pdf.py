"""Papers as they print: convert with LibreOffice, read the PDF back with its boxes and ruling lines.

LibreOffice's start-up is most of the cost of a conversion, so `convert` takes every file at once
(one `soffice --headless --convert-to pdf` call) under a private user profile: a profile shared
with a running office, or with a parallel test worker, makes soffice exit without converting.
The readers return plain data (page size, words with boxes, horizontal rules), so a test states
what a person holding the sheet would notice: the paper size, the page number, a value cut short,
text running over its row's border.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

A4 = (595.28, 841.89)  # points
TOLERANCE = 2.0  # points: the size LibreOffice writes is rounded
SEGMENT = 1.5  # points: a filled rectangle this thin is a drawn line (LibreOffice draws borders both ways)


def office() -> str | None:
    """The LibreOffice binary on PATH, or None (test.sh installs it where it can)."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def missing_office() -> str | None:
    """Why LibreOffice cannot convert every paper here (None when it can): Calc for XLSX, Writer for .docx.

    Debian splits them into packages; soffice without libreoffice-writer says only "source file
    could not be loaded" for each .docx.
    """
    binary = office()
    if binary is None:
        return "LibreOffice (soffice) не установлен"
    program = Path(os.path.realpath(binary)).parent
    if not list(program.glob("libswlo.*")):
        return f"нет LibreOffice Writer (libreoffice-writer) в {program}"
    if not list(program.glob("libsclo.*")):
        return f"нет LibreOffice Calc (libreoffice-calc) в {program}"
    return None


def convert(files: list[Path], out: Path, profile: Path, timeout: int = 600) -> dict[str, Path]:
    """Convert `files` to PDF in `out` with ONE soffice call; return {file stem: pdf}.

    A file soffice could not open leaves no PDF; the caller sees that as a missing key rather than
    as an exception here, so one broken paper does not hide the others.
    """
    binary = office()
    if binary is None:
        raise FileNotFoundError("soffice")
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run([binary, "--headless", "--norestore", f"-env:UserInstallation={profile.resolve().as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(out), *map(str, files)],
                   capture_output=True, text=True, timeout=timeout, check=False)
    return {f.stem: out / f"{f.stem}.pdf" for f in files if (out / f"{f.stem}.pdf").exists()}


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float


@dataclass(frozen=True)
class Rule:
    """A horizontal segment: a table border, an underline, a signature line."""

    x0: float
    x1: float
    y: float


@dataclass
class Page:
    number: int
    width: float
    height: float
    words: list[Word] = field(default_factory=list)  # in the order they are drawn: a cell's lines stay together
    rules: list[Rule] = field(default_factory=list)
    shapes: list[tuple[float, float, float, float]] = field(default_factory=list)  # x0, top, x1, bottom of drawings

    def inside(self, margins: tuple[float, float, float, float], slack: float = 2.0) -> list:
        """The shapes (a chart's bars, axes, frame) outside the printable area: left, top, right, bottom margins."""
        left, top, right, bottom = margins
        return [s for s in self.shapes if s[0] < left - slack or s[1] < top - slack
                or s[2] > self.width - right + slack or s[3] > self.height - bottom + slack]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def pages(pdf: Path) -> list[Page]:
    """Every page of `pdf`: its size, its words with boxes (drawing order), its horizontal rules."""
    import pdfplumber

    result = []
    with pdfplumber.open(pdf) as doc:
        for i, p in enumerate(doc.pages, start=1):
            # x_tolerance 1 pt: a number right-aligned in its cell ends 2 pt before the next cell's text, and the
            # default 3 pt read the two as one word; the letters of a word are drawn edge to edge
            words = [Word(w["text"], w["x0"], w["x1"], w["top"], w["bottom"])
                     for w in p.extract_words(use_text_flow=True, keep_blank_chars=False, x_tolerance=1)]
            rules = [Rule(e["x0"], e["x1"], e["top"]) for e in p.lines if abs(e["top"] - e["bottom"]) < 0.5]
            for r in p.rects:  # a thin filled rectangle is a line; a cell's filled background has border edges
                if r["height"] < SEGMENT:
                    rules.append(Rule(r["x0"], r["x1"], (r["top"] + r["bottom"]) / 2))
                else:
                    rules += [Rule(r["x0"], r["x1"], r["top"]), Rule(r["x0"], r["x1"], r["bottom"])]
            shapes = [(float(o["x0"]), float(o["top"]), float(o["x1"]), float(o["bottom"]))
                      for o in (*p.rects, *p.curves, *p.lines)]
            result.append(Page(i, float(p.width), float(p.height), words, rules, shapes))
    return result


def is_a4(page: Page) -> bool:
    """595×842 pt within a couple of points, portrait or landscape."""
    size = sorted((page.width, page.height))
    return abs(size[0] - A4[0]) <= TOLERANCE and abs(size[1] - A4[1]) <= TOLERANCE


def squeeze(text: str) -> str:
    """Text compared as a reader sees it: no whitespace (a wrapped cell breaks a value over lines), ё as е."""
    return re.sub(r"\s+", "", text).replace("ё", "е").replace("Ё", "Е")


def page_numbered(page: Page, n: int, total: int, *, bare: bool = False) -> bool:
    """The footer (lower fifth of the page) reads «Страница n из N».

    `bare`: a letter's way (ГОСТ Р 7.0.97, a PAGE field): the number n alone in the top or bottom
    margin (outer tenth of the page) also counts.
    """
    footer = " ".join(w.text for w in page.words if w.top > page.height * 0.8)
    if f"Страница{n}из{total}" in squeeze(footer):
        return True
    margin = [w for w in page.words if w.bottom < page.height * 0.1 or w.top > page.height * 0.9]
    return bare and any(w.text == str(n) for w in margin)


def text_of(pdf: Path | list[Page]) -> str:
    """All the words of all pages, joined in drawing order (see `squeeze` to compare values)."""
    return "\n".join(p.text for p in (pages(pdf) if isinstance(pdf, Path) else pdf))


def crossing(page: Page, share: float = 0.2) -> list[Word]:
    """Words a horizontal rule runs through: text over its row's edge, or clipped by it.

    A rule crosses a word when it lies inside the word's box, away from its top and bottom by `share`
    of the box's height, and overlaps it in x. The box is the font's ascent to descent (Liberation Sans',
    Arial's metrics, reach above the capitals), so a border that only touches that margin is not
    a crossing; a rule through the glyphs is.
    """
    found = []
    for w in page.words:
        pad = (w.bottom - w.top) * share
        if any(w.top + pad < r.y < w.bottom - pad and r.x0 < w.x1 - 1 and r.x1 > w.x0 + 1 for r in page.rules):
            found.append(w)
    return found


def overlapping(page: Page, tolerance: float = 1.0) -> list[tuple[Word, Word]]:
    """Pairs of words drawn over one another: a second line of a cell that did not grow, over the next row."""
    words = sorted(page.words, key=lambda w: w.x0)
    pairs = []
    for i, a in enumerate(words):
        for b in words[i + 1:]:
            if b.x0 >= a.x1 - tolerance:
                break
            if min(a.bottom, b.bottom) - max(a.top, b.top) > tolerance:
                pairs.append((a, b))
    return pairs
