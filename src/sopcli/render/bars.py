"""Bars in the terminal for `deadlines stats` (issue 15): each agency's terms as one line of block characters.

Why in the terminal at all: the secretary reads the scorecard before a meeting, and
a column of numbers hides which agency is the problem; a bar per agency, its
length the terms it had and its segments how they went, shows it at a glance.
Only on a terminal: under cron the output is mail, where escape codes and
block characters are noise (the caller decides, as the digest does).

Every kind keeps at least one character when it is not zero: an agency with one
overdue term among a hundred must still show red.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# (key in reads.scorecard's rows, legend word, character, colour for typer.style)
# each kind its own character as well as its colour: the bars read on a monochrome console and to a
# colour-blind eye; the overdue part, the one to act on, is the solid one
KINDS = (("on_time", "в срок", "▓", "green"), ("late", "с опозданием", "▒", "yellow"),
         ("lapsed", "не исполнено", "░", "magenta"), ("overdue", "просрочено", "█", "red"),
         ("pending", "ждут", "·", "white"))
Style = Callable[[str, str], str]


def _plain(text: str, _colour: str) -> str:
    return text


def segments(counts: dict[str, int], scale: float) -> list[tuple[str, int]]:
    """Characters per kind for one agency: `count × scale` rounded, at least one for a kind that is not zero."""
    return [(key, max(1, round(counts.get(key, 0) * scale)) if counts.get(key, 0) else 0)
            for key, *_ in KINDS]


def bar(counts: dict[str, int], scale: float, style: Style = _plain) -> str:
    """One agency's bar: its kinds' segments, each in its character and colour."""
    chars = {key: (ch, colour) for key, _, ch, colour in KINDS}
    return "".join(style(chars[key][0] * n, chars[key][1]) for key, n in segments(counts, scale) if n)


def legend(style: Style = _plain) -> str:
    return "  ".join(f"{style(ch, colour)} {word}" for _, word, ch, colour in KINDS)


def timeliness_bars(agencies: list[dict[str, Any]], width: int, style: Style = _plain, name_width: int = 40) -> str:
    """A bar per agency, proportional to its due terms (the longest fills `width`), its count after it, then
    the legend. `style(text, colour)` colours a segment (typer.style on a terminal)."""
    most = max((a["due"] for a in agencies), default=0)
    if not most:
        return ""
    scale = max(1, width) / most
    out = [f"  {a['who'][:name_width]:<{name_width}} {bar(a, scale, style)} {a['due']}" for a in agencies]
    out.append(f"  {legend(style)}")
    return "\n".join(out) + "\n"
