"""The people of the registry: who lacks a birth date, and recording it once it is known.

A child reported by phone is often registered without a birth date (the caller did
not know it). The registry then cannot count the child's 18th birthday (age.18),
so it keeps reminding (`deadlines`, `person list --no-birth-date`) until
`person born` records the date; for a child of an open case the term opens then.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sopcli.deadlines.dates import fmt_date
from sopcli.errors import InvalidInput
from sopcli.services.reads import Reader, chunks, placeholders

if TYPE_CHECKING:  # the digest reads through here: no ORM start-up on that path (services/reads.py)
    from sqlmodel import Session

    from sopcli.services.registry import Registry
    from sopcli.services.steps import StepResult

# a child's signals with the case each belongs to: its own (recognised on it) or the one it was attached to
_CHILD_SIGNALS = (
    "SELECT sp.person_id, s.id AS signal_id, s.seq, s.year, s.status, s.received_at, "
    "COALESCE(k.id, ak.id) AS case_id, COALESCE(k.status, ak.status) AS case_status, "
    "COALESCE(k.signal_id, ak.signal_id) AS case_signal FROM signal_person sp "
    "JOIN signal s ON s.id = sp.signal_id LEFT JOIN sop_case k ON k.signal_id = s.id "
    "LEFT JOIN case_signal cs ON cs.signal_id = s.id LEFT JOIN sop_case ak ON ak.id = cs.case_id "
    "WHERE sp.role = 'child' AND {where}")


def _open(s: dict[str, Any]) -> bool:
    """Still being worked: a check not yet concluded, or a case not closed."""
    return s["case_status"] == "open" if s["case_id"] is not None else s["status"] == "registered"


def record_birth(session: Session, reg: Registry, person_id: int, born: date, now: datetime) -> StepResult:
    """The child's birth date, established later: written once, audited; age.18 opens on each open case."""
    from sopcli.models import Person
    from sopcli.services import audit, obligations
    from sopcli.services.names import age_on, birthday
    from sopcli.services.reads import reader_on
    from sopcli.services.steps import StepResult

    person = session.get(Person, person_id, with_for_update=True)
    if person is None:
        raise InvalidInput(f"Лица №{person_id} нет в реестре (sopcli person list).")
    signals = reader_on(session).rows(_CHILD_SIGNALS.format(where="sp.person_id = ?"), [person_id])
    if not signals:
        raise InvalidInput(f"Лицо №{person_id} не указано ребёнком ни в одном сигнале: дата рождения "
                           "записывается только ребёнку.")
    if person.birth_date is not None:
        raise InvalidInput(f"Дата рождения лица №{person_id} уже записана: {fmt_date(person.birth_date)}.")
    today = now.astimezone(reg.tz).date()
    if born > today:
        raise InvalidInput(f"Дата рождения {fmt_date(born)} в будущем.")
    first = min(s["received_at"] for s in signals).astimezone(reg.tz).date()
    if born > first:
        raise InvalidInput(f"Дата рождения {fmt_date(born)} позже поступления первого сигнала ({fmt_date(first)}).")
    if age_on(born, today) >= 18:  # 152-ФЗ: the person by number and date, never by name
        raise InvalidInput(f"Лицу №{person_id} с датой рождения {fmt_date(born)} уже исполнилось 18 лет: "
                           "это не несовершеннолетний; проверьте дату.")
    person.birth_date = born
    session.add(person)
    session.flush()
    audit.record(session, reg, "update", "person", person_id, birth_date=born)
    result = StepResult(person)
    for case_id, case_signal in sorted({(s["case_id"], s["case_signal"]) for s in signals
                                        if s["case_id"] is not None and s["case_status"] == "open"}):
        result.add(obligations.emit(session, reg, "case.child", birthday(born, 18), signal_id=case_signal,
                                    case_id=case_id, person_id=person_id))
    return result


def without_birth_date(r: Reader, case_id: int | None = None) -> list[dict[str, Any]]:
    """Children without a birth date in an open check or an open case: the digest's reminder, one per child.

    Driven by the children without a date (few), then their signals through the person index.
    """
    # the children first, over the covering (signal, person, role) index and the person's key: 0.1 s on
    # SQLite at 150,000 cases (bench_intake); an index on person.birth_date (a migration) would make it instant
    ids = sorted({row["person_id"] for row in r.rows(
        "SELECT sp.person_id FROM signal_person sp JOIN person p ON p.id = sp.person_id "
        "WHERE sp.role = 'child' AND p.birth_date IS NULL")})
    out: dict[int, dict[str, Any]] = {}
    rows = [s for part in chunks(ids) for s in r.rows(
        _CHILD_SIGNALS.format(where=f"sp.person_id IN ({placeholders(part)})"), part)]
    for s in rows:
        if not _open(s) or (case_id is not None and s["case_id"] != case_id):
            continue
        entry = out.setdefault(s["person_id"], {"person": s["person_id"], "signals": [], "cases": []})
        if s["case_id"] is not None:
            if s["case_id"] not in entry["cases"]:
                entry["cases"].append(s["case_id"])
        else:
            entry["signals"].append({"id": s["signal_id"], "number": f"{s['seq']}/{s['year']}"})
    return [out[k] for k in sorted(out)]


def reminder_line(entry: dict[str, Any]) -> str:
    """No name: the digest goes to cron mail (152-ФЗ); the number leads to the child in `person list`."""
    where = [f"дело {c}" for c in entry["cases"]] + [f"сигнал № {s['number']}" for s in entry["signals"]]
    return (f"  лицо № {entry['person']} ({', '.join(where)}): дата рождения не установлена — "
            f"sopcli person born {entry['person']} --on ДД.ММ.ГГГГ")


def people(r: Reader, missing_only: bool) -> list[dict[str, Any]]:
    """Children and parents, each with the signals and cases that name them; `missing_only`: children without a date."""
    where = "p.birth_date IS NULL AND sp.role = 'child'" if missing_only else "1 = 1"
    rows = r.rows(
        "SELECT p.id, p.full_name, p.birth_date, sp.role, s.seq, s.year, COALESCE(k.id, ak.id) AS case_id, "
        "COALESCE(k.status, ak.status) AS case_status FROM person p JOIN signal_person sp ON sp.person_id = p.id "
        "JOIN signal s ON s.id = sp.signal_id LEFT JOIN sop_case k ON k.signal_id = s.id "
        "LEFT JOIN case_signal cs ON cs.signal_id = s.id LEFT JOIN sop_case ak ON ak.id = cs.case_id "
        f"WHERE {where} ORDER BY p.id, s.year, s.seq")
    out: dict[int, dict[str, Any]] = {}
    for row in rows:
        entry = out.setdefault(row["id"], {"id": row["id"], "name": row["full_name"], "birth_date": row["birth_date"],
                                           "birth_date_unknown": False, "roles": [], "signals": [], "cases": []})
        if row["role"] == "child" and row["birth_date"] is None:
            entry["birth_date_unknown"] = True
        if row["role"] not in entry["roles"]:
            entry["roles"].append(row["role"])
        entry["signals"].append(f"{row['seq']}/{row['year']}")
        if row["case_id"] is not None and not any(c["id"] == row["case_id"] for c in entry["cases"]):
            entry["cases"].append({"id": row["case_id"], "status": row["case_status"]})
    return list(out.values())
