"""The two readings of a past moment T (issue 30): what a prosecutor's check asks of the registry.

*As written by T* (`--as-of T`): only what had been recorded by T, with the values it had then. A row
written later is not there; a fulfilment or cancellation written later is undone; a due date moved later
(a calendar change, the approval that ended the consent's term) is put back from the audit trail, and so
is the note a fulfilment replaced. Nothing written after T changes what T shows.

*As happened by T, known today* (`--as-of T --known-now`): today's records, each judged by its own
moments. A term exists at T only if the event that opened it happened by T (`trigger_at`); it is settled at
T only if its fulfilment (`fulfilled_at`) or cancellation (`cancelled_at`) happened by T. A signal entered
today with a received date before T is there; a check concluded the day after T is not.

The write moments and the audit trail are the evidence: `created_at` and `settled_at` are set by the
database clock at the write, never typed, and every change of a term's date or note is an audit entry
with the old value (obligations.py: `recompute` with `old`, `fulfil` with `was_note`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from sopcli.services.reading.db import Reader, chunks, placeholders

#: A settled term shown open: what its settlement wrote is taken off.
_UNSETTLED = {"status": "open", "fulfilled_at": None, "late_wd": None, "cancel_reason": "", "cancelled_at": None,
              "settled_at": None}


def as_written(o: Mapping[str, Any], at: datetime) -> dict[str, Any] | None:
    """The row as the registry held it at `at`: None if not yet written; open if settled only later."""
    if o.get("created_at") is not None and o["created_at"] > at:
        return None
    if o["status"] == "open" or (o.get("settled_at") is not None and o["settled_at"] <= at):
        return dict(o)
    return {**o, **_UNSETTLED}


def as_judged(o: Mapping[str, Any], at: datetime) -> dict[str, Any] | None:
    """Today's row judged at `at` by its own moments: None if its event came later; open if settled later.

    A term counted from a date ahead (an 18th birthday, a release: `ahead` events) is opened by the step that
    recorded the date, before its anchor: it exists once its subject does (`ahead_ok`, set by `mark_ahead`)."""
    if o.get("trigger_at") is not None and o["trigger_at"] > at and not o.get("ahead_ok"):
        return None
    done = o.get("fulfilled_at") if o["status"] == "fulfilled" else o.get("cancelled_at")
    if o["status"] == "open" or done is None or done <= at:
        return dict(o)
    return {**o, **_UNSETTLED}


def at_moment(o: Mapping[str, Any], at: datetime, known_now: bool) -> dict[str, Any] | None:
    return as_judged(o, at) if known_now else as_written(o, at)


def ahead_rules(r: Reader) -> dict[str, str]:
    """The registry's rules whose anchor is not the moment they were opened: counted from a date ahead (events.py
    `ahead`: an 18th birthday, a release) → "ahead"; opened by the calendar for a period, possibly the next one
    once this one's term has run out (standing.py) → the period's kind."""
    from sopcli.deadlines.events import event_of
    from sopcli.deadlines.rulebook import rulebook_with

    book = rulebook_with(r.settings.get("rulebook", ""))
    return {rule.id: rule.standing or "ahead" for rule in book.rules
            if rule.standing or any(event_of(e).ahead for e in rule.opens)}


#: A standing period's length, generously: a term opened for the next period exists from the current one's start.
_PERIOD = {"month": timedelta(days=31), "quarter": timedelta(days=92), "year": timedelta(days=366)}


def judged(r: Reader, at: datetime) -> tuple[str, list[Any]]:
    """SQL and its parameters: a term there at a past moment, known today — its event happened by then, or it is
    counted from a date ahead (judged by its subject in `mark_ahead`)."""
    ahead = ahead_rules(r)
    if not ahead:
        return "trigger_at <= ?", [at]
    return f"(trigger_at <= ? OR rule IN ({', '.join('?' * len(ahead))}))", [at, *ahead]


def mark_ahead(r: Reader, rows: list[dict[str, Any]], at: datetime) -> None:
    """Set `ahead_ok` on the rows counted from a date ahead whose case (else signal) existed at `at`: the step
    that opened them (the recognition that learned the birthday) had happened by then."""
    rules = ahead_rules(r)
    ahead = [o for o in rows if o.get("trigger_at") is not None and o["trigger_at"] > at and o["rule"] in rules]
    for o in ahead:  # the calendar opens the next period's term during the current one: there since it began
        if rules[o["rule"]] != "ahead":
            o["ahead_ok"] = at >= o["trigger_at"] - _PERIOD[rules[o["rule"]]]
    ahead = [o for o in ahead if rules[o["rule"]] == "ahead"]
    if not ahead:
        return
    day = _day(at, r.tz)
    cases = _there(r, "sop_case", "recognized_on", {o["case_id"] for o in ahead}, day)
    signals = _there(r, "signal", "received_at", {o["signal_id"] for o in ahead}, at)
    for o in ahead:
        o["ahead_ok"] = o["case_id"] in cases if o["case_id"] else o["signal_id"] in signals


def _there(r: Reader, table: str, since: str, ids: set[int | None], by: date | datetime) -> set[int]:
    """The ids of `table`'s rows whose `since` column (a day or a moment, converted by its name) is not after
    `by`."""
    wanted = sorted(i for i in ids if i)
    return {row["id"] for batch in chunks(wanted)
            for row in r.rows(f"SELECT id, {since} FROM {table} WHERE id IN ({placeholders(batch)})", batch)
            if row[since] <= by}


class Undo:
    """The changes written to terms after T, newest first, from the audit trail: to put back what T saw."""

    def __init__(self, entries: dict[int, list[tuple[str, dict[str, Any]]]], tz: tzinfo) -> None:
        self.entries, self.tz = entries, tz

    @classmethod
    def after(cls, r: Reader, at: datetime, ids: Iterable[int] | None = None) -> Undo:
        """Every `recompute` and `fulfil` entry of an obligation written after `at` (of `ids` only, if given)."""
        sql = ("SELECT entity_id, action, detail FROM audit_entry WHERE entity = 'obligation' AND at > ? "
               "AND action IN ('recompute', 'fulfil') AND entity_id IS NOT NULL")
        found: dict[int, list[tuple[str, dict[str, Any]]]] = {}
        batches = [None] if ids is None else list(chunks(sorted(set(ids))))
        for batch in batches:
            where, params = (sql, [at]) if batch is None else (
                f"{sql} AND entity_id IN ({placeholders(batch)})", [at, *batch])
            for e in r.rows(f"{where} ORDER BY at DESC, id DESC", params):
                try:
                    detail = json.loads(e["detail"] or "{}")
                except ValueError:
                    continue  # a garbled entry is `audit verify`'s to name; the reading keeps today's value
                found.setdefault(e["entity_id"], []).append((e["action"], detail))
        return cls(found, tz=r.tz)

    @property
    def moved(self) -> set[int]:
        """The terms whose due date changed after T: their date then may fall in a window today's does not."""
        return {i for i, changes in self.entries.items() if any(a == "recompute" for a, _ in changes)}

    def back(self, o: dict[str, Any], dues: bool = True) -> dict[str, Any]:
        """`o` with its due date (when `dues`) and its note as they were before the changes written after T."""
        for action, detail in self.entries.get(o["id"], ()):
            if "was_note" in detail:
                o["note"] = detail["was_note"]
            if dues and action == "recompute" and detail.get("old"):
                o["due"], o["due_at"] = self._due(str(detail["old"]))
        return o

    def _due(self, old: str) -> tuple[date, datetime | None]:
        if len(old) == 10:
            return date.fromisoformat(old), None
        moment = datetime.fromisoformat(old)
        return moment.astimezone(self.tz).date(), moment


def written_at(r: Reader, entity: str, action: str, ids: list[int]) -> dict[int, datetime]:
    """The moment each row's `action` was first written (the audit trail): a closure's, an approval's."""
    out: dict[int, datetime] = {}
    for batch in chunks(sorted(set(ids))):
        for e in r.rows(f"SELECT entity_id, at FROM audit_entry WHERE entity = ? AND action = ? "
                        f"AND entity_id IN ({placeholders(batch)}) ORDER BY at", [entity, action, *batch]):
            out.setdefault(e["entity_id"], e["at"])
    return out


def _day(at: datetime, tz: tzinfo) -> date:
    return at.astimezone(tz).date()


def happened(row: Mapping[str, Any], own: str, at: datetime, known_now: bool, tz: tzinfo) -> bool:
    """A row of the case's story at `at`: written by then (as written) or, known today, its own day or moment
    (`own`) by then."""
    if not known_now:
        return row.get("created_at") is None or row["created_at"] <= at
    value = row[own]
    if value is None:
        return True
    return value <= at if isinstance(value, datetime) else value <= _day(at, tz)


def case_at(r: Reader, doc: dict[str, Any], at: datetime, known_now: bool) -> dict[str, Any]:
    """The case's own fields at `at`: not yet closed if its closure came (or was written) later."""
    from sopcli.errors import NotFound

    tz = r.tz
    row = r.rows("SELECT created_at, recognized_on FROM sop_case WHERE id = ?", [doc["id"]])[0]
    if not happened(row, "recognized_on", at, known_now, tz):
        raise NotFound(f"Дела №{doc['id']} на {_day(at, tz):%d.%m.%Y} ещё не было: "
                       f"признано {row['recognized_on']:%d.%m.%Y}.")
    if doc["status"] == "closed":
        closed = written_at(r, "case", "close", [doc["id"]]).get(doc["id"])
        if (doc["closed_on"] > _day(at, tz)) if known_now else (closed is not None and closed > at):
            doc.update(status="open", closed_on=None, close_resolution=None, close_ground=None, outcome=None,
                       outcome_results=[])
    return doc


def signal_at(r: Reader, doc: dict[str, Any], at: datetime, known_now: bool) -> dict[str, Any]:
    """A journal entry at `at`: its check and its case only if they were there by then."""
    tz = r.tz
    if doc["check"] is not None:
        row = r.rows("SELECT concluded_on, created_at FROM check_conclusion WHERE signal_id = ?", [doc["id"]])
        if row and not happened(row[0], "concluded_on", at, known_now, tz):
            doc.update(check=None, status="registered")
    if doc["case"] is not None:
        row = r.rows("SELECT created_at, recognized_on FROM sop_case WHERE id = ?", [doc["case"]])
        if row and not happened(row[0], "recognized_on", at, known_now, tz):
            doc["case"] = None
    return doc


def cases_at(r: Reader, rows: list[dict[str, Any]], at: datetime, known_now: bool) -> list[dict[str, Any]]:
    """`case list` at a past moment: the cases there then, each closed only if its closure was (in bulk: one
    query per 900 cases, not one per case)."""
    day = _day(at, r.tz)
    written = {c["id"]: c["created_at"] for batch in chunks([c["id"] for c in rows])
               for c in r.rows(f"SELECT id, created_at FROM sop_case WHERE id IN ({placeholders(batch)})", batch)}
    there = [c for c in rows if (c["recognized_on"] <= day if known_now else written.get(c["id"]) is None
                                 or written[c["id"]] <= at)]
    closed = written_at(r, "case", "close", [c["id"] for c in there if c["status"] == "closed"])
    for c in there:
        if c["status"] != "closed":
            continue
        later = c["closed_on"] > day if known_now else (c["id"] in closed and closed[c["id"]] > at)
        if later:
            c.update(status="open", closed_on=None, close_resolution=None, close_ground=None, outcome=None,
                     outcome_results=[])
    return there


def signals_at(r: Reader, rows: list[dict[str, Any]], at: datetime, known_now: bool) -> list[dict[str, Any]]:
    """`signal list` at a past moment: the signals there then, each checked only if its check was."""
    written = {s["id"]: s["created_at"] for batch in chunks([s["id"] for s in rows])
               for s in r.rows(f"SELECT id, created_at FROM signal WHERE id IN ({placeholders(batch)})", batch)}
    there = [s for s in rows if (s["received_at"] <= at if known_now else written.get(s["id"]) is None
                                 or written[s["id"]] <= at)]
    checked = {c["signal_id"]: c for batch in chunks([s["id"] for s in there if s["check"] is not None])
               for c in r.rows(f"SELECT signal_id, concluded_on, created_at FROM check_conclusion "
                               f"WHERE signal_id IN ({placeholders(batch)})", batch)}
    for s in there:
        c = checked.get(s["id"])
        if c is not None and not happened(c, "concluded_on", at, known_now, r.tz):
            s.update(check=None, status="registered")
    return there
