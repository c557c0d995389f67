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
from datetime import date, datetime, tzinfo
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
    """Today's row judged at `at` by its own moments: None if its event came later; open if settled later."""
    if o.get("trigger_at") is not None and o["trigger_at"] > at:
        return None
    done = o.get("fulfilled_at") if o["status"] == "fulfilled" else o.get("cancelled_at")
    if o["status"] == "open" or done is None or done <= at:
        return dict(o)
    return {**o, **_UNSETTLED}


def at_moment(o: Mapping[str, Any], at: datetime, known_now: bool) -> dict[str, Any] | None:
    return as_judged(o, at) if known_now else as_written(o, at)


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
