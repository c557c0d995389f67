"""A school's accounting of pupils (003, rule set `school`): representation → council → accounting → closure.

The school's steps reuse the registry's: the representation is a signal (it
opens `sc.council`, 3 working days), the council's decision is the check
(`account` also opens the case, `sc.enter`/`sc.notify` in 3 working days and
the 3-monthly characteristic), closure goes through the 5-working-day
consideration of a representation, and a move to another school is
`transfer out` (immediate, with the materials).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from sopcli.deadlines.dates import fmt_date
from sopcli.errors import InvalidInput, StepNotAllowed
from sopcli.services.registry import Registry
from sopcli.services.steps import obligations
from sopcli.services.steps.common import StepResult, not_future
from sopcli.services.steps.lifecycle import CheckInput, RecognitionInput, conclude_check, recognize
from sopcli.services.steps.programme import open_case
from sopcli.services.trust import audit
from sopcli.vocab import COUNCIL_DECISIONS, OBSERVATION_FILE, SCHOOL_CATEGORIES, ZONES, code_for

_OUTCOME = {"account": "sop", "control": "departmental", "not-expedient": "not-confirmed"}
_LEVEL = {"red": "high", "yellow": "medium", "green": "low"}


def zone_of(categories: list[str]) -> str:
    """The highest zone of the pupil's categories (003 §II)."""
    found = {c.split(".")[0] for c in categories}
    return next((z for z in ZONES if z in found), "")


def _school(reg: Registry) -> None:
    if reg.rule_set != "school":
        raise StepNotAllowed(f"Учёт в школе ведётся в реестре с набором правил «school», а этот — «{reg.rule_set}».")


@dataclass
class CouncilInput:
    day: date
    decision: str
    categories: list[str]
    curator: str = ""
    note: str = ""


def council(session: Session, reg: Registry, signal_id: int, data: CouncilInput, now: datetime) -> StepResult:
    """The prevention council's decision on a representation (003 §6.2)."""
    _school(reg)
    data.decision = code_for(data.decision, COUNCIL_DECISIONS, "решения Совета (003 §6.2)", "council")
    unknown = [c for c in data.categories if c not in SCHOOL_CATEGORIES]
    if unknown:
        raise InvalidInput(f"Категория «{unknown[0][:20]}» не из 003 §II: red.1–6, yellow.1, yellow.2а, yellow.2б, "
                           "yellow.3–8, green.1–8.")
    if data.decision == "account" and not data.categories:
        raise InvalidInput("Для учёта укажите категорию (зону) по 003 §II: --category red.1 и т. п.")
    if data.decision == "account" and not data.curator.strip():
        raise InvalidInput("Для учёта укажите куратора (классного руководителя, социального педагога): --curator.")
    zone = zone_of(data.categories)
    note = f"Совет профилактики: {COUNCIL_DECISIONS[data.decision]}" + (f". {data.note}" if data.note else "")
    result = conclude_check(session, reg, signal_id, CheckInput(
        data.day, _LEVEL.get(zone, "low"), _OUTCOME[data.decision], [], note), now)
    result.add(obligations.emit(session, reg, "school.council", data.day, signal_id=signal_id,
                                note="решение Совета профилактики"))
    if data.decision != "account":
        return result
    rec = recognize(session, reg, signal_id, RecognitionInput(
        data.day, f"Совет профилактики {fmt_date(data.day)}", data.curator, [], None, "minor"), now)
    case = rec.entity
    case.zones = ",".join(dict.fromkeys(data.categories))
    audit.record(session, reg, "zones", "case", case.id, zones=case.zones)
    result.entity = case
    result.opened += rec.opened
    result.fulfilled += rec.fulfilled
    result.add(obligations.emit(session, reg, "school.account", data.day, signal_id=signal_id, case_id=case.id))
    return result


def file_items(session: Session, reg: Registry, case_id: int, have: list[str]) -> list[str]:
    """Mark documents as in the observation file (003 §4.6); returns what is still missing."""
    _school(reg)
    case = open_case(session, case_id)
    unknown = [h for h in have if h not in OBSERVATION_FILE]
    if unknown:
        raise InvalidInput(f"Документ «{unknown[0][:20]}» не из 003 §4.6: {', '.join(OBSERVATION_FILE)}.")
    items = dict.fromkeys([x for x in case.file_items.split(",") if x] + have)
    case.file_items = ",".join(items)
    audit.record(session, reg, "file", "case", case.id, have=have)
    return [k for k in OBSERVATION_FILE if k not in items]


def close_request(session: Session, reg: Registry, case_id: int, day: date, now: datetime) -> StepResult:
    """A reasoned representation on closing: the head considers it within 5 working days (003 §5.3)."""
    _school(reg)
    case = open_case(session, case_id)
    not_future(day, now, "Дата представления", reg)
    if day < case.recognized_on:
        raise InvalidInput(f"Представление раньше постановки на учёт ({fmt_date(case.recognized_on)}).")
    result = StepResult(case)
    result.add(obligations.emit(session, reg, "school.close.requested", day, case_id=case.id,
                                signal_id=case.signal_id))
    if not result.opened:
        raise StepNotAllowed(f"Представление о снятии с учёта по делу №{case_id} уже рассматривается.")
    return result


def council_case(res: StepResult) -> int | None:
    """The case a council's decision opened (`account`), or None: the step's entity is then the signal."""
    from sopcli.models import Case

    return res.entity.id if isinstance(res.entity, Case) else None
