"""A case's whole history (issue 30 §2): every step of the case and of its signals, with who recorded it and when.

What a prosecutor's check asks: *what happened in this case, when, and who recorded it?* Each event has two
moments: its own (the day or moment the step says it happened: a signal's receipt, a check's conclusion, a
report's day) and the moment it was written, with the OS user who wrote it, from the audit trail
(services/trust/audit.py). A row the trail does not name (a generator's, a registry older than the trail)
keeps its own `created_at` and no recorder.

Everything that belongs to a case is listed once here (`belongings`): `audit list --entity case --id N`
asks the trail about the same rows.

The cut (`as_of`) follows CLI.md «The past»: alone, only the events that had happened **and** had been
recorded by then; with `known_now`, every event that had happened by then, whenever it was recorded. A step
typed with a day only happened at the start of that day in the registry's zone, as its terms count from it.
The texts are today's values of the rows (a check's form corrected later reads as corrected).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

from sopcli.errors import NotFound
from sopcli.services.reading.db import Reader, chunks, placeholders


def belongings(r: Reader, case_id: int) -> dict[str, list[int]]:
    """The rows of a case by the audit trail's entity names: the case, its signals (the first and those
    attached), their checks, emergencies and obligations, its programmes, measures, reports, proposals, events."""
    owned: dict[str, list[int]] = {"case": [case_id]}
    signals = _signal_ids(r, case_id)
    owned["signal"] = signals
    owned["check"] = _ids(r, "check_conclusion", "signal_id", signals)
    for entity, table in (("plan", "plan"), ("measure", "measure"), ("report", "report"),
                          ("proposal", "proposal"), ("case_event", "case_event")):
        owned[entity] = [x["id"] for x in r.rows(f"SELECT id FROM {table} WHERE case_id = ? ORDER BY id", [case_id])]
    for entity in ("emergency", "obligation"):
        own = {x["id"] for x in r.rows(f"SELECT id FROM {entity} WHERE case_id = ?", [case_id])}
        owned[entity] = sorted(own.union(_ids(r, entity, "signal_id", signals)))
    return owned


def _signal_ids(r: Reader, case_id: int) -> list[int]:
    first = [x["signal_id"] for x in r.rows("SELECT signal_id FROM sop_case WHERE id = ?", [case_id])]
    later = [x["signal_id"] for x in r.rows("SELECT signal_id FROM case_signal WHERE case_id = ? ORDER BY id",
                                            [case_id])]
    return first + [s for s in later if s not in first]


def _ids(r: Reader, table: str, column: str, keys: list[int]) -> list[int]:
    out: list[int] = []
    for part in chunks(keys):
        out += [x["id"] for x in r.rows(f"SELECT id FROM {table} WHERE {column} IN ({placeholders(part)}) "
                                        f"ORDER BY id", part)]
    return out


class _Events:
    """The events as they are gathered: each with its own moment and the audit entry that recorded it."""

    def __init__(self, r: Reader, trail: list[dict[str, Any]]) -> None:
        self.tz = r.tz
        self.out: list[dict[str, Any]] = []
        self.trail = trail
        self.first: dict[tuple[str, str, int], dict[str, Any]] = {}  # (action, entity, id) → the earliest entry
        self.any: dict[tuple[str, int], dict[str, Any]] = {}  # (entity, id) → the earliest entry of any action
        for e in trail:
            if e["entity_id"] is None:
                continue
            self.first.setdefault((e["action"], e["entity"], e["entity_id"]), e)
            self.any.setdefault((e["entity"], e["entity_id"]), e)

    def add(self, kind: str, when: date | datetime, text: str, entity: str, ident: int, created: datetime | None,
            action: str = "create", entry: Mapping[str, Any] | None = None) -> None:
        if entry is None:
            entry = self.first.get((action, entity, ident)) or (
                self.any.get((entity, ident)) if action == "create" else None)
        timed = isinstance(when, datetime)
        at = when.astimezone(self.tz) if isinstance(when, datetime) else datetime.combine(when, time(0), self.tz)
        recorded = entry["at"] if entry is not None and entry["at"] is not None else created
        self.out.append({"at": at, "day": at.date(), "timed": timed, "kind": kind, "text": text,
                         "recorded_at": recorded.astimezone(self.tz) if recorded is not None else None,
                         "recorded_by": entry["os_user"] if entry is not None else None,
                         "command": entry["command"] if entry is not None else None,
                         "entity": entity, "entity_id": ident})


def history(r: Reader, case_id: int, as_of: datetime | None = None, known_now: bool = False) -> dict[str, Any]:
    """The case's events in the order they happened (then in the order they were recorded), cut at `as_of`."""
    from sopcli.services.trust.audit_read import trail

    case = r.rows("SELECT id, signal_id, subject, recognized_on, resolution_no, status, closed_on, "
                  "close_resolution, close_ground, created_at FROM sop_case WHERE id = ?", [case_id])
    if not case:
        raise NotFound(f"Дела №{case_id} нет в реестре.")
    c = case[0]
    owned = belongings(r, case_id)
    ev = _Events(r, trail(r, owned))
    _signals(r, ev, owned["signal"], c["signal_id"])
    _case_steps(r, ev, c)
    _programme(r, ev, case_id)
    _case_events(r, ev, case_id)
    _emergencies(r, ev, owned["emergency"])
    events = ev.out
    if as_of is not None:
        events = [e for e in events if e["at"] <= as_of and (known_now or e["recorded_at"] is None
                                                              or e["recorded_at"] <= as_of)]
    events.sort(key=lambda e: (e["at"], e["recorded_at"] is None, e["recorded_at"] or e["at"]))
    return {"case": case_id, "subject": c["subject"], "status": c["status"],
            "as_of": as_of.astimezone(r.tz) if as_of is not None else None, "known_now": known_now,
            "persons": _persons(r, owned["signal"]), "events": events}


def _persons(r: Reader, signals: list[int]) -> list[dict[str, Any]]:
    """The child and the family named by the case's signals, each person once, as first named."""
    from sopcli.services.reading.reads import signal_persons

    by_signal = signal_persons(r, signals)
    seen: dict[int, dict[str, Any]] = {}
    for s in signals:
        for p in by_signal.get(s, []):
            seen.setdefault(p["id"], {"role": p["role"], "name": p["full_name"], "birth_date": p["birth_date"]})
    return list(seen.values())


def _signals(r: Reader, ev: _Events, signals: list[int], first: int) -> None:
    """Each signal's receipt and check; the reminders the trail says were sent about it."""
    from sopcli.vocab import LEVEL_LABELS, OUTCOME_LABELS

    for part in chunks(signals):
        rows = r.rows("SELECT s.id, s.seq, s.year, s.received_at, COALESCE(a.name, s.source) AS source, "
                      "s.created_at FROM signal s LEFT JOIN agency a ON a.id = s.source_agency_id "
                      f"WHERE s.id IN ({placeholders(part)})", part)
        for s in rows:
            kind, text = _receipt(s, s["id"] == first)
            ev.add(kind, s["received_at"], text, "signal", s["id"], s["created_at"])
        checks = r.rows("SELECT c.id, c.signal_id, c.concluded_on, c.level, c.outcome, c.created_at, s.seq, s.year "
                        "FROM check_conclusion c JOIN signal s ON s.id = c.signal_id "
                        f"WHERE c.signal_id IN ({placeholders(part)})", part)
        for k in checks:
            level, outcome = LEVEL_LABELS.get(k["level"], k["level"]), OUTCOME_LABELS.get(k["outcome"], k["outcome"])
            ev.add("check", k["concluded_on"], f"заключение проверки по сигналу № {k['seq']}/{k['year']}: уровень "
                   f"{level}, итог «{outcome}»", "check", k["id"], k["created_at"])
    for e in ev.trail:  # every `remind` entry: a letter a day to each agency (services/papers/reminders.py)
        if e["action"] == "remind" and e["entity"] == "signal" and isinstance(e["detail"], dict):
            day = _day(e["detail"].get("day"))
            ev.add("reminder", day or e["at"], "напоминание о сроках направлено"
                   + (f" ({e['detail']['agency']})" if e["detail"].get("agency") else ""), "signal",
                   e["entity_id"], None, "remind", e)


#: how `transfer in` writes the source of the journal entry it makes (commands/work.py)
ARRIVED_FROM = "прибытие из: "


def _receipt(s: Mapping[str, Any], first: bool) -> tuple[str, str]:
    """A signal's receipt in words: an arrival from another commission's territory is said so."""
    number = f"№ {s['seq']}/{s['year']}"
    later = "" if first else ", присоединён к делу"
    if s["source"].startswith(ARRIVED_FROM):
        return "arrival", (f"прибытие из другого муниципалитета ({s['source'][len(ARRIVED_FROM):]}), "
                           f"запись в журнале {number}{later}")
    return ("signal" if first else "signal-attached"), f"поступил сигнал {number}{later}; источник: {s['source']}"


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _case_steps(r: Reader, ev: _Events, c: Mapping[str, Any]) -> None:
    """The recognition and the closure: the case row's own days."""
    from sopcli.vocab import GROUND_LABELS

    ev.add("recognition", c["recognized_on"], f"признание находящимся в СОП, постановление № {c['resolution_no']}",
           "case", c["id"], c["created_at"])
    if c["status"] == "closed" and c["closed_on"] is not None:
        ground = GROUND_LABELS.get(c["close_ground"], c["close_ground"])
        ev.add("closure", c["closed_on"], "прекращение работы" + (f" ({ground})" if ground else "")
               + (f", постановление № {c['close_resolution']}" if c["close_resolution"] else ""),
               "case", c["id"], None, "close")


def _programme(r: Reader, ev: _Events, case_id: int) -> None:
    """Each version of the programme and its approval, the agencies' proposals (App. 5), the reports."""
    from sopcli.vocab import REPORT_STATUSES

    for p in r.rows("SELECT id, version, approved_on, resolution_no, created_at FROM plan WHERE case_id = ? "
                    "ORDER BY version", [case_id]):
        if p["approved_on"] is None:  # a draft has no day of its own: the moment it was written
            ev.add("plan", p["created_at"], f"составлен проект программы, версия {p['version']} (не утверждён)",
                   "plan", p["id"], p["created_at"])
        else:  # an approved version's event is its approval (a draft typed today for a past approval is not news)
            ev.add("plan-approved", p["approved_on"], f"программа, версия {p['version']}, утверждена"
                   + (f", постановление № {p['resolution_no']}" if p["resolution_no"] else ""),
                   "plan", p["id"], None, "approve")
    for p in r.rows("SELECT id, agency, received_on, created_at FROM proposal WHERE case_id = ? ORDER BY id",
                    [case_id]):
        ev.add("proposal", p["received_on"], f"поступили предложения в программу (прил. 5): {p['agency']}",
               "proposal", p["id"], p["created_at"])
    for rep in r.rows("SELECT r.id, r.reported_on, r.status, r.created_at, m.seq, m.title FROM report r "
                      "LEFT JOIN measure m ON m.id = r.measure_id WHERE r.case_id = ? ORDER BY r.id", [case_id]):
        text = ("сводная информация куратора" if rep["seq"] is None else
                f"отчёт по мероприятию № {rep['seq']} «{rep['title']}»: "
                f"{REPORT_STATUSES.get(rep['status'], rep['status'])}")
        ev.add("report", rep["reported_on"], text, "report", rep["id"], rep["created_at"])


#: case_event kinds (services/steps): the words of the history
EVENT_WORDS = {"control": "контроль исполнения программы", "move-out": "выявлен переезд на новое место жительства",
               "move-confirmed": "переезд подтверждён комиссией по новому месту",
               "grads-analysis": "анализ по выпускникам", "consent": "согласие на обработку персональных данных",
               "reminder": "напоминание о сроках направлено"}


def _case_events(r: Reader, ev: _Events, case_id: int) -> None:
    from sopcli.vocab import CONTROL_DECISIONS

    decisions = {**CONTROL_DECISIONS, "given": "получено", "refused": "отказ"}
    for e in r.rows("SELECT id, kind, day, place, decision, note, created_at FROM case_event WHERE case_id = ? "
                    "ORDER BY id", [case_id]):
        text = EVENT_WORDS.get(e["kind"]) or (e["note"] or "событие по делу")
        if e["decision"]:
            text += f": {decisions.get(e['decision'], e['decision'])}"
        if e["place"]:
            text += f" ({e['place']})"
        ev.add(e["kind"] if e["kind"] in EVENT_WORDS or not e["kind"].startswith("release-") else "release",
               e["day"], text, "case_event", e["id"], e["created_at"])


def _emergencies(r: Reader, ev: _Events, ids: list[int]) -> None:
    from sopcli.deadlines.events import EMERGENCY_KINDS

    for part in chunks(ids):
        for em in r.rows(f"SELECT id, kind, at, agency, created_at FROM emergency WHERE id IN ({placeholders(part)})",
                         part):
            what = EMERGENCY_KINDS[em["kind"]][0] if em["kind"] in EMERGENCY_KINDS else "экстренная ситуация"
            ev.add("emergency", em["at"], f"экстренная ситуация: {what}" + (f" ({em['agency']})" if em["agency"]
                                                                               else ""),
                   "emergency", em["id"], em["created_at"])
