"""Why a due date is what it is, in Russian: the lines a secretary reads aloud.

The same lines go to the terminal and to `--json`, so the two never disagree.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, tzinfo

from sopcli.deadlines.compute import Due
from sopcli.deadlines.dates import fmt_day, fmt_moment
from sopcli.deadlines.rulebook import Document, Rule
from sopcli.deadlines.terms import Kind


def fmt_start(start: date | datetime, tz: tzinfo) -> str:
    if isinstance(start, datetime):
        return f"{fmt_moment(start, tz)} ({fmt_day(start.astimezone(tz).date())[-3:-1]})"
    return fmt_day(start)


def fmt_due(due: Due, tz: tzinfo) -> str:
    if due.due_at is not None:
        return f"{fmt_moment(due.due_at, tz)} ({fmt_day(due.due)[-3:-1]})"
    return f"{fmt_day(due.due)}, до 24:00"


def explain_lines(due: Due, tz: tzinfo, rule: Rule | None = None) -> list[str]:
    lines = []
    if rule is not None:
        lines.append(f"Правило {rule.id}: {rule.title} — {rule.who} → {rule.to} ({rule.source})")
        if rule.written:
            lines.append(f"В источнике: «{rule.written}»")
    what = "Опорная дата" if due.term.kind is Kind.BEFORE else "Событие"
    lines.append(f"{what}: {fmt_start(due.start, tz)}")
    lines.append(f"Срок: {due.term.label} [{due.term.code}]")
    lines += [f"• {n}" for n in due.notes]
    for info in due.worked:
        lines.append(f"  {fmt_day(info.day)} — засчитан как рабочий: {info.reason}")
    for info in due.skipped:
        lines.append(f"  {fmt_day(info.day)} — не засчитан: {info.reason}")
    if due.moved and due.raw_end is not None:
        lines.append(f"  последний день по счёту: {fmt_day(due.raw_end)}, нерабочие дни:")
        lines += [f"  {fmt_day(i.day)} — {i.reason}" for i in due.moved]
    if due.target is not None:
        lines.append(f"Ориентир (нижняя граница): {fmt_day(due.target)}")
    lines.append(f"Истекает: {fmt_due(due, tz)}")
    if len(due.occurrences) > 1:
        lines.append("Следующие сроки: " + ", ".join(fmt_day(d) for d in due.occurrences[1:]))
    lines += [f"Внимание: {w}" for w in due.warnings]
    return lines


def move_note(due: Due) -> str:
    """One line for an obligation whose set date was a day off: kept with it, so the moved date is defended."""
    if not due.moved or due.raw_end is None:
        return ""
    reasons = "; ".join(dict.fromkeys(i.reason for i in due.moved))
    return f"ст. 193 ГК РФ: {fmt_day(due.raw_end)} — нерабочий день ({reasons}), срок перенесён на {fmt_day(due.due)}"


# -- a rule's source in the regulation's own words (issue 31 §2) ------------------------------------------------
_SECTION = re.compile(r"§\s*(\d+(?:\.\d+)*)\.?((?:\s*\([^()]{1,12}\))*)")
_ARTICLE = re.compile(r"ст\.\s*(\d+)\s+(?:п\.|ч\.)\s*(\d+)")


def _clause(text: str) -> str:
    """«§7.1(3)(а)» → «подп. «а» подп. 3 п. 7.1»; «§6» → «разд. 6»; «ст. 9 п. 2» → «п. 2 ст. 9»."""
    text = text.strip()
    found = _SECTION.fullmatch(text)
    if found:
        number, subs = found[1], re.findall(r"\(([^()]+)\)", found[2])
        words = [f"подп. {s}" if s.isdigit() else f"подп. «{s}»" for s in reversed(subs)]
        return " ".join([*words, f"п. {number}" if "." in number else f"разд. {number}"])
    found = _ARTICLE.fullmatch(text)
    if found:
        return f"п. {found[2]} ст. {found[1]}"
    return text.replace("прил.", "приложение №").replace("§", "п. ")


def _document(part: str, documents: Mapping[str, Document]) -> Document | None:
    """The document a citation's part names by its id («004», «120-ФЗ»), the longest id that fits."""
    return max((d for d in documents.values() if part == d.id or part.startswith(d.id + " ")),
               key=lambda d: len(d.id), default=None)


def cite(source: str, documents: Mapping[str, Document], *, short: bool = False) -> str:
    """A rule's `source` as a paper prints it: «004 §5.5» → «п. 5.5 Порядка межведомственного взаимодействия …».

    Codes stay in `--json` and on the terminal (a script and `deadlines explain` want them); a letter or a
    list a secretary signs carries the regulation's words. `short`: the document's short name, for a column."""
    return cite_all([source], documents, short=short)


def _unbroken(text: str) -> str:
    """No line break inside «2021 г.», «№ 120-ФЗ», «п. 5.5»: a number stays with its word on paper."""
    return re.sub(r"(?<=\d) (?=г\.)|(?<=№) (?=\d)|(?<=\b[пч]\.) (?=\d)|(?<=подп\.) |(?<=ст\.) (?=\d)", "\u00a0", text)


def cite_all(sources: list[str], documents: Mapping[str, Document], *, short: bool = False) -> str:
    """Several rules' sources as one citation, clauses gathered by document and each said once, in the order
    first cited: «п. 5.3, п. 4.7 Порядка …; подп. «л» п. 2.5.1 Методических рекомендаций …». A part whose
    document is unknown (a region's «188-ПП п. 19» with no [[document]]) keeps its words, never a «§»."""
    gathered: dict[str, list[str]] = {}  # a document's id, or an unknown part's own text → its clauses
    for part in (p.strip() for source in sources for p in source.split(";") if p.strip()):
        doc = _document(part, documents)
        if doc is None:
            gathered.setdefault(_clause(part) if "§" in part else part, [])
            continue
        clauses = gathered.setdefault(doc.id, [])
        clauses += [c for c in (_clause(c) for c in part[len(doc.id):].split(",") if c.strip()) if c not in clauses]
    said = []
    for key, clauses in gathered.items():
        doc = documents.get(key)
        if doc is None:
            said.append(key)
        elif not clauses:
            said.append(doc.title)
        else:
            said.append(f"{', '.join(clauses)} {(doc.short or doc.genitive) if short else doc.genitive}")
    return _unbroken("; ".join(said))
