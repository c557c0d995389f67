"""`deadlines explain N`: one obligation defended line by line, as before a prosecutor (DEADLINES.md).

The due date is computed again with the registry's calendar of today, so the
days skipped and the art. 193 moves are the ones `calendar due` shows; the
stored date is what the registry judged by, and a difference is said aloud.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

from sopcli.deadlines.calendar import DayMark, WorkCalendar
from sopcli.deadlines.dates import fmt_date, fmt_moment, past_term
from sopcli.errors import NotFound
from sopcli.services.reading.db import Reader
from sopcli.services.reading.reads import is_overdue, obligation_json
from sopcli.services.reading.schema import OB_COLS

_ACTIONS = {"open": "открыта", "recompute": "срок пересчитан", "fulfil": "исполнена", "cancel": "отменена"}


def calendar_of(r: Reader) -> WorkCalendar:
    """The registry's calendar as `Registry.calendar` builds it, read without the ORM."""
    from sopcli.calendar_source import federal_data
    from sopcli.deadlines.regions import find_region

    rows = r.rows("SELECT day, working, reason FROM calendar_override WHERE removed_at IS NULL")
    marks = [DayMark(o["day"], bool(o["working"]), o["reason"], "override", "местная поправка") for o in rows]
    s = r.settings
    region = find_region(s["region"]) if s["region"] else None
    return WorkCalendar(federal_data(), marks, region=region, presets=[p for p in s["presets"].split(",") if p])


def explain(r: Reader, ob_id: int, as_of: datetime) -> dict[str, Any]:
    """The rule, its source, the anchor, the term recomputed with its reasons, the history, the lateness.

    The rule is looked up in the registry's own rulebook: the packaged one with the region's file that
    `init --rules FILE` kept (issue 29 §7); only a rule neither has is said to be gone."""
    from sopcli.deadlines.rulebook import rulebook_with

    found = r.rows(f"SELECT {OB_COLS}, emergency_id, measure_id FROM obligation WHERE id = ?", [ob_id])
    if not found:
        raise NotFound(f"Обязанности №{ob_id} нет в реестре.")
    o, tz = found[0], r.tz
    cal = calendar_of(r)
    book = rulebook_with(r.settings.get("rulebook", ""))
    rule = book.find(o["rule"])
    doc = obligation_json(o, tz, as_of)
    doc["rule_info"] = rule.to_json() if rule else None  # `rule` stays the id, as in every obligation
    doc["owner_role"] = o["role"] or None  # the rulebook's role the step bound to the owner (issue 28)
    doc["anchor"] = _anchor(r, o)
    doc["term"] = _term(cal, book, rule, o, tz)
    doc["history"] = _history(r, ob_id)
    doc["lateness"] = _lateness(cal, o, tz, as_of)
    doc["as_of"] = as_of.astimezone(tz)
    return doc


def _anchor(r: Reader, o: dict[str, Any]) -> dict[str, Any]:
    """The step the term counts from: the moment, and the signal, case or emergency it belongs to."""
    out: dict[str, Any] = {"at": _start(o, r.tz), "signal": None, "case": o["case_id"],
                           "emergency": None, "measure": o["measure_id"]}
    if o["signal_id"] is not None:
        s = r.rows("SELECT id, seq, year FROM signal WHERE id = ?", [o["signal_id"]])
        if s:
            out["signal"] = {"id": s[0]["id"], "number": f"{s[0]['seq']}/{s[0]['year']}"}
    if o["emergency_id"] is not None:
        e = r.rows("SELECT id, kind, at, agency FROM emergency WHERE id = ?", [o["emergency_id"]])
        if e:
            from sopcli.deadlines.events import EMERGENCY_KINDS

            label = EMERGENCY_KINDS[e[0]["kind"]][0] if e[0]["kind"] in EMERGENCY_KINDS else e[0]["kind"]
            out["emergency"] = {**e[0], "at": e[0]["at"].astimezone(r.tz), "label": label}
    return out


def _start(o: dict[str, Any], tz: Any, hours: bool = False) -> date | datetime:
    """As `obligations._trigger`: a date was stored as local midnight and kept no moment (a term in hours keeps
    one even from a date)."""
    local = o["trigger_at"].astimezone(tz)
    if (o["due_at"] is None or hours) and local.time() == datetime.min.time():
        return local.date()
    return local


def _term(cal: WorkCalendar, book: Any, rule: Any, o: dict[str, Any], tz: Any) -> dict[str, Any]:
    """The rule's term computed again: the explanation lines of `calendar due`, and the days behind them."""
    from sopcli.deadlines.explain import explain_lines
    from sopcli.deadlines.terms import Kind

    if rule is None:
        return {"code": None, "label": None, "explanation": [f"Правила {o['rule']} больше нет в своде сроков: "
                                                             "срок не пересчитать, в реестре — хранимая дата."]}
    if rule.term.kind is Kind.OWN:
        return {"code": rule.term.code, "label": rule.term.label, "explanation": [
            f"Правило {rule.id}: {rule.title} ({rule.source})",
            f"Срок: {rule.term.label} — дата мероприятия в программе, не счёт дней: {fmt_date(o['due'])}"]}
    due = book.due(cal, rule, _start(o, tz, rule.term.kind is Kind.HOURS), tz)
    lines = explain_lines(due, tz, rule)
    stored = o["due_at"] or o["due"]
    if (due.due_at or due.due) != stored and rule.ends_by and o["due"] < due.due:
        from sopcli.deadlines.events import event_of

        before = " или ".join(f"«{event_of(e).label}»" for e in rule.ends_by)
        lines.append(f"В реестре срок {fmt_date(o['due'])}: обязанность должна предшествовать событию {before} "
                     f"({rule.source}); событие наступило до истечения срока по счёту, и срок окончился в его день "
                     "(см. историю).")
    elif (due.due_at or due.due) != stored:
        shown = fmt_moment(stored, tz) if isinstance(stored, datetime) else fmt_date(stored)
        lines.append(f"В реестре срок {shown}: рассчитан по календарю на момент записи (после его изменения "
                     "исполненные и отменённые обязанности сохраняют срок, по которому их судили).")
    return {"code": due.term.code, "label": due.term.label, "due": due.due_at or due.due,
            "explanation": lines, "skipped": [i.to_json() for i in due.skipped],
            "worked_weekends": [i.to_json() for i in due.worked], "moved_over": [i.to_json() for i in due.moved]}


def _history(r: Reader, ob_id: int) -> list[dict[str, Any]]:
    """The audit trail's entries of this obligation, each with a Russian line; `at` is when it was written."""
    tz = r.tz
    out = []
    for e in r.rows("SELECT at, action, command, os_user, detail FROM audit_entry WHERE entity = 'obligation' "
                    "AND entity_id = ? ORDER BY id", [ob_id]):
        try:
            detail = json.loads(e["detail"]) if e["detail"] else {}
        except ValueError:  # written by hand, not by sopcli
            detail = {}
        out.append({"at": e["at"].astimezone(tz), "action": e["action"], "command": e["command"],
                    "user": e["os_user"], "detail": detail, "text": _said(e["action"], detail, tz)})
    return out


def _shown(value: Any, tz: Any) -> str:
    """A date or moment as the audit detail kept it (ISO text)."""
    if not isinstance(value, str):
        return str(value)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return value
    if len(value) <= 10:
        return fmt_date(parsed.date())
    return fmt_moment(parsed, tz) if parsed.tzinfo else f"{parsed:%d.%m.%Y %H:%M}"


def _said(action: str, d: dict[str, Any], tz: Any) -> str:
    word = _ACTIONS.get(action, action)
    if action == "open" and "due" in d:
        return f"{word}, срок {_shown(d['due'], tz)}"
    if action == "recompute":
        why = f" ({d['reason']})" if d.get("reason") else ""
        return f"{word}: {_shown(d.get('old'), tz)} → {_shown(d.get('due'), tz)}{why}"
    if action == "fulfil":
        late = f", с опозданием на {d['late_wd']} раб. дн." if d.get("late_wd") else ""
        return f"{word} {_shown(d.get('at'), tz)}{late}"
    if action == "cancel" and d.get("reason"):
        return f"{word}: {d['reason']}"
    return word


def _lateness(cal: WorkCalendar, o: dict[str, Any], tz: Any, as_of: datetime) -> dict[str, Any]:
    """How late, as the scorecard counts it: working days after the due day; hours past a kept moment."""
    if o["status"] == "fulfilled" and o["fulfilled_at"] is not None:
        end, state = o["fulfilled_at"], "fulfilled"
    elif is_overdue(o, tz, as_of):
        end, state = as_of, "overdue"
    else:
        return {"state": o["status"] if o["status"] != "open" else "pending", "late": False,
                "working_days": 0, "hours": None}
    working = cal.working_days_between(o["due"], end.astimezone(tz).date())
    hours = max((end - o["due_at"]) / timedelta(hours=1), 0) if o["due_at"] is not None else None
    late = past_term(o["due"], o["due_at"], tz, end)
    if state == "fulfilled" and o["late_wd"] is not None:
        working = o["late_wd"]  # as it was counted at fulfilment (the scorecard's number)
    return {"state": state, "late": late, "working_days": working,
            "hours": round(hours, 1) if hours is not None else None}
