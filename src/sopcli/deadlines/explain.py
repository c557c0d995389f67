"""Why a due date is what it is, in Russian: the lines a secretary reads aloud.

The same lines go to the terminal and to `--json`, so the two never disagree.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from sopcli.deadlines.compute import Due
from sopcli.deadlines.dates import fmt_day, fmt_moment
from sopcli.deadlines.rulebook import Rule
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
