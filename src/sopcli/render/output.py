"""One JSON document on stdout, messages on stderr (CLI.md)."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from typing import Any


def _default(obj: Any) -> Any:
    if isinstance(obj, (date, datetime)):
        return obj.isoformat()
    raise TypeError(type(obj).__name__)


def emit_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, default=_default) + "\n")


def console() -> Any:
    """A rich console; imported here so commands that print plain text skip it."""
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def lateness(o: dict[str, Any]) -> str:
    """How late a fulfilment was, the way a report says it: ", в срок", ", с опозданием на 3 раб. дн.".

    An immediate notice is kept to the minute, so its lateness is told in hours; a term in
    days is told in working days (what the scorecard counts). A fulfilment late only by days
    off (due Friday, done Sunday) is late by the calendar but by no working day: said so.
    The phrase ends as its words end, so a caller never adds a full stop after "дн.".
    """
    if not o.get("late"):
        return ", в срок"
    if isinstance(o.get("due"), datetime) and o.get("fulfilled_at") is not None:
        hours = (o["fulfilled_at"] - o["due"]).total_seconds() / 3600
        shown = f"{round(hours, 1):g}".replace(".", ",")  # 40,5 ч.: a Russian decimal comma
        return f", с опозданием на {shown} ч." if hours >= 1 else ", с опозданием менее чем на час"
    days = o.get("late_working_days") or 0
    return f", с опозданием на {days} раб. дн." if days else ", с опозданием (на нерабочие дни)"


def settled(o: dict[str, Any]) -> str:
    """An obligation's state in words: open (and overdue), fulfilled when and how late, cancelled why."""
    if o["status"] == "fulfilled":
        when = f" {o['fulfilled_at']:%d.%m.%Y}" if o.get("fulfilled_at") else ""
        return f"исполнена{when}{lateness(o)}"
    if o["status"] == "cancelled":
        return "отменена" + (f": {o['cancel_reason']}" if o.get("cancel_reason") else "")
    return "открыта, ПРОСРОЧЕНА" if o.get("overdue") else "открыта"


def full_stop(text: str) -> str:
    """One full stop at the end of a sentence, never two after an abbreviation ("раб. дн.")."""
    return text if text.endswith(".") else text + "."
