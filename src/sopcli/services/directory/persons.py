"""The people of the registry: who lacks a birth date, and recording it once it is known.

A child reported by phone is often registered without a birth date (the caller did
not know it). The registry then cannot count the child's 18th birthday (age.18),
so it keeps reminding (`deadlines`, `person list --no-birth-date`) until
`person born` records the date; for a child of an open case the term opens then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sopcli.deadlines.dates import fmt_date
from sopcli.errors import InvalidInput
from sopcli.services.reading.db import Reader, chunks, placeholders

if TYPE_CHECKING:  # the digest reads through here: no ORM start-up on that path (services/reading/reads.py)
    from sqlmodel import Session

    from sopcli.services.registry import Registry
    from sopcli.services.steps.common import StepResult

# a person's signals with the case each belongs to: its own (recognised on it) or the one it was attached to
_PERSON_SIGNALS = (
    "SELECT sp.person_id, sp.role, s.id AS signal_id, s.seq, s.year, s.status, s.received_at, "
    "COALESCE(k.id, ak.id) AS case_id, COALESCE(k.status, ak.status) AS case_status, "
    "COALESCE(k.signal_id, ak.signal_id) AS case_signal FROM signal_person sp "
    "JOIN signal s ON s.id = sp.signal_id LEFT JOIN sop_case k ON k.signal_id = s.id "
    "LEFT JOIN case_signal cs ON cs.signal_id = s.id LEFT JOIN sop_case ak ON ak.id = cs.case_id "
    "WHERE {where}")
_CHILD_SIGNALS = _PERSON_SIGNALS.format(where="sp.role = 'child' AND {where}")


def _open(s: dict[str, Any]) -> bool:
    """Still being worked: a check not yet concluded, or a case not closed."""
    return s["case_status"] == "open" if s["case_id"] is not None else s["status"] == "registered"


def record_birth(session: Session, reg: Registry, person_id: int, born: date, now: datetime) -> StepResult:
    """The child's birth date, established later: written once, audited; age.18 opens on each open case."""
    from sopcli.models import Person
    from sopcli.services.directory.names import age_on, birthday
    from sopcli.services.reading.db import reader_on
    from sopcli.services.steps import obligations
    from sopcli.services.steps.common import StepResult
    from sopcli.services.trust import audit

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
    for s in signals_of(r, ids, children_only=True):
        if not _open(s) or (case_id is not None and s["case_id"] != case_id):
            continue
        entry = out.setdefault(s["person_id"], {"person": s["person_id"], "signals": [], "cases": []})
        if s["case_id"] is not None:
            if s["case_id"] not in entry["cases"]:
                entry["cases"].append(s["case_id"])
        else:
            entry["signals"].append({"id": s["signal_id"], "number": f"{s['seq']}/{s['year']}"})
    return [out[k] for k in sorted(out)]


def signals_of(r: Reader, person_ids: list[int], children_only: bool = False) -> list[dict[str, Any]]:
    """Every signal naming the persons (as a child only: `children_only`), with the case each belongs to, by
    person, then as the journal numbers them: through the person index, a slice of ids at a time."""
    sql = _CHILD_SIGNALS if children_only else _PERSON_SIGNALS
    return [s for part in chunks(sorted(set(person_ids))) for s in r.rows(
        sql.format(where=f"sp.person_id IN ({placeholders(part)}) ORDER BY sp.person_id, s.year, s.seq"), part)]


def reminder_line(entry: dict[str, Any]) -> str:
    """No name: the digest goes to cron mail (152-ФЗ); the number leads to the child in `person list`."""
    where = [f"дело {c}" for c in entry["cases"]] + [f"сигнал № {s['number']}" for s in entry["signals"]]
    return (f"  лицо № {entry['person']} ({', '.join(where)}): дата рождения не установлена — "
            f"sopcli person born {entry['person']} --on ДД.ММ.ГГГГ")


def people(r: Reader, missing_only: bool) -> list[dict[str, Any]]:
    """Children and parents, each with the signals and cases that name them; `missing_only`: children without a date."""
    where = "p.birth_date IS NULL AND sp.role = 'child'" if missing_only else "1 = 1"
    rows = r.rows(
        "SELECT p.id, p.full_name, p.birth_date, p.occupation, sp.role, sp.relation, s.seq, s.year, "
        "COALESCE(k.id, ak.id) AS case_id, "
        "COALESCE(k.status, ak.status) AS case_status FROM person p JOIN signal_person sp ON sp.person_id = p.id "
        "JOIN signal s ON s.id = sp.signal_id LEFT JOIN sop_case k ON k.signal_id = s.id "
        "LEFT JOIN case_signal cs ON cs.signal_id = s.id LEFT JOIN sop_case ak ON ak.id = cs.case_id "
        f"WHERE {where} ORDER BY p.id, s.year, s.seq")
    out: dict[int, dict[str, Any]] = {}
    for row in rows:
        entry = out.setdefault(row["id"], {"id": row["id"], "name": row["full_name"], "birth_date": row["birth_date"],
                                           "birth_date_unknown": False, "occupation": row["occupation"] or "",
                                           "relations": [], "roles": [], "signals": [], "cases": []})
        if row["relation"] and row["relation"] not in entry["relations"]:
            entry["relations"].append(row["relation"])
        if row["role"] == "child" and row["birth_date"] is None:
            entry["birth_date_unknown"] = True
        if row["role"] not in entry["roles"]:
            entry["roles"].append(row["role"])
        entry["signals"].append(f"{row['seq']}/{row['year']}")
        if row["case_id"] is not None and not any(c["id"] == row["case_id"] for c in entry["cases"]):
            entry["cases"].append({"id": row["case_id"], "status": row["case_status"]})
    return list(out.values())


# -- what the forms ask of a person (0010): occupation, extra education, a parent's birth date, the relation --
OCCUPATION_LIMIT = 500


@dataclass
class PersonFields:
    """`person set`: None = not given, left as it is."""

    occupation: str | None = None
    extra_education: str | None = None
    born: date | None = None
    relation: str | None = None
    signal: int | None = None  # the relation on this signal only; None: on every signal naming the person


def relation_word(typed: str) -> str:
    """A known word is stored in its usual spelling («Мать» → «мать»); another one as typed, one line, ≤ 30."""
    from sopcli.services.directory.names import one_line
    from sopcli.vocab import RELATION_LIMIT, RELATIONS, fold

    text = one_line(typed, "родство (кем приходится в семье)", RELATION_LIMIT, "--relation")
    return next((w for w in RELATIONS if fold(w) == fold(text)), text)


def _signal_links(session: Session, person_id: int, signal: int | None) -> tuple[list[Any], list[Any]]:
    """Every signal naming the person, and those a `--relation` changes (one signal, or all of them)."""
    from sqlmodel import col, select

    from sopcli.models import SignalPerson

    every = list(session.exec(select(SignalPerson).where(SignalPerson.person_id == person_id)
                              .order_by(col(SignalPerson.id))).all())
    links = every if signal is None else [sp for sp in every if sp.signal_id == signal]
    if signal is not None and not links:
        raise InvalidInput(f"Лицо №{person_id} не указано в сигнале №{signal} (sopcli person show "
                           f"{person_id}).")
    return every, links


def _typed_texts(data: PersonFields) -> dict[str, str]:
    """The occupation and the extra education as typed, each checked as one line of a sane length."""
    from sopcli.services.directory.names import one_line

    texts = {"occupation": ("место работы или учёбы", "--occupation"),
             "extra_education": ("дополнительное образование", "--extra-education")}
    return {name: one_line(getattr(data, name), what, OCCUPATION_LIMIT, option)
            for name, (what, option) in texts.items() if getattr(data, name) is not None}


def _set_parent_birth(reg: Registry, person: Any, born: date, now: datetime, changed: dict[str, Any]) -> None:
    """A parent's birth date: only checked against today, since no term counts from it."""
    if person.birth_date == born:
        return
    if born > now.astimezone(reg.tz).date():
        raise InvalidInput(f"Дата рождения {fmt_date(born)} в будущем.")
    changed["birth_date"] = (person.birth_date, born)
    person.birth_date = born


def _set_fields(person: Any, values: dict[str, str], changed: dict[str, Any]) -> None:
    for name, value in values.items():
        if getattr(person, name) != value:
            changed[name] = (getattr(person, name), value)
            setattr(person, name, value)


def _set_relation(session: Session, links: list[Any], relation: str, changed: dict[str, Any]) -> None:
    for sp in links:
        if sp.relation != relation:
            changed[f"relation:{sp.signal_id}"] = (sp.relation, relation)
            sp.relation = relation
            session.add(sp)


def set_person(session: Session, reg: Registry, person_id: int, data: PersonFields, now: datetime) -> StepResult:
    """Fills what App. 2–4 and App. 8 print of a person; each change audited with the old and new value.

    A child's birth date goes through `record_birth` (written once, opens age.18 on an open case); a
    parent's is only checked against today: the forms print it, no term counts from it.
    """
    from sopcli.models import Person
    from sopcli.services.steps.common import StepResult
    from sopcli.services.trust import audit

    person = session.get(Person, person_id, with_for_update=True)
    if person is None:
        raise InvalidInput(f"Лица №{person_id} нет в реестре (sopcli person list).")
    every, links = _signal_links(session, person_id, data.signal)
    changed: dict[str, Any] = {}
    values = _typed_texts(data)
    relation = relation_word(data.relation) if data.relation is not None else None
    result = StepResult(person)
    if data.born is not None and any(sp.role == "child" for sp in every):
        result = record_birth(session, reg, person_id, data.born, now)  # the same step as `person born`, audited there
    elif data.born is not None:
        _set_parent_birth(reg, person, data.born, now, changed)
    _set_fields(person, values, changed)
    if relation is not None:
        _set_relation(session, links, relation, changed)
    session.add(person)
    session.flush()
    if changed:
        detail = {k: {"было": old, "стало": new} for k, (old, new) in changed.items()}
        audit.record(session, reg, "update", "person", person_id, **detail)
    result.entity = person
    return result


def person_doc(r: Reader, person_id: int) -> dict[str, Any]:
    """One person as `person show` prints it: the form fields, each signal with the role and relation."""
    found = r.rows("SELECT id, full_name, birth_date, occupation, extra_education FROM person WHERE id = ?",
                   [person_id])
    if not found:
        raise InvalidInput(f"Лица №{person_id} нет в реестре (sopcli person list).")
    p = found[0]
    rows = r.rows(
        "SELECT sp.signal_id, sp.role, sp.relation, s.seq, s.year, COALESCE(k.id, ak.id) AS case_id, "
        "COALESCE(k.status, ak.status) AS case_status FROM signal_person sp JOIN signal s ON s.id = sp.signal_id "
        "LEFT JOIN sop_case k ON k.signal_id = s.id LEFT JOIN case_signal cs ON cs.signal_id = s.id "
        "LEFT JOIN sop_case ak ON ak.id = cs.case_id WHERE sp.person_id = ? ORDER BY s.year, s.seq", [person_id])
    return {"id": p["id"], "name": p["full_name"], "birth_date": p["birth_date"],
            "occupation": p["occupation"] or "", "extra_education": p["extra_education"] or "",
            "signals": [{"signal": s["signal_id"], "number": f"{s['seq']}/{s['year']}", "role": s["role"],
                         "relation": s["relation"] or "", "case": s["case_id"], "case_status": s["case_status"]}
                        for s in rows]}
