"""Render the first page of two forms and the charts' pages, as LibreOffice prints them, to PNG for the README.

Usage: .venv/bin/python scripts/paper_pictures.py [OUTDIR]     (default: docs/)

Builds the demo registry of tests/paper/demo.py in a temporary folder (through the CLI, about a
minute), exports App. 2 (the check's conclusion), App. 4 (the programme), the scorecard and the
year's figures, writes the letter about a move and the closure resolution, converts them with one
`soffice --headless` call and renders at 80 dpi with pdftoppm
page 1 of each form and the last page of each export with a chart (the chart's own sheet, issue 15).
Needs soffice and poppler-utils (test.sh installs them); re-run it whenever a layout changes.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests/paper is the demo's home; this script runs without pytest

from tests.paper import demo  # noqa: E402
from tests.paper.pdf import convert, office, pages  # noqa: E402

PICTURES = {"conclusion": "app2-conclusion.png", "program": "app4-program.png",
            # issue 31: a letter and a resolution as they print, the first page of each
            "move-info": "letter-move.png", "resolution-closure": "resolution-closure.png"}
CHART_PICTURES = {"scorecard": "scorecard-chart.png", "stat": "stat-chart.png"}  # the chart is the last page
DPI = 80


def main(out: Path) -> None:
    """Write docs/app2-conclusion.png, docs/app4-program.png and the two charts (see the module's docstring)."""
    if office() is None or shutil.which("pdftoppm") is None:
        sys.exit("Нужны LibreOffice (soffice) и poppler-utils (pdftoppm): их ставит ./test.sh.")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="sopcli-paper-") as tmp:
        home = Path(tmp)
        files = demo.papers(demo.build(home, with_complex=False), home / "out", set(PICTURES) | set(CHART_PICTURES))
        pdfs = convert(files, home / "pdf", home / "lo")
        for name, picture in {**PICTURES, **CHART_PICTURES}.items():
            stem = home / name
            page = str(len(pages(pdfs[name]))) if name in CHART_PICTURES else "1"
            subprocess.run(["pdftoppm", "-png", "-r", str(DPI), "-f", page, "-l", page, "-singlefile",
                            str(pdfs[name]), str(stem)], check=True)
            shutil.copyfile(stem.with_suffix(".png"), out / picture)
            print(out / picture)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs")
