"""Emergencies (004 §7) and the consent to personal-data processing (004 §4.7).

An emergency is a fact with a moment — guardianship or the police received
information about a threat, a removal act was made, a neglected child was
delivered, a child was returned to the parents. It is recorded as a row of its
own, and the terms of §7.1–7.3 hang on it (`obligation.emergency_id`): two
emergencies of one family each open their own terms, one emergency never opens
a term twice.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import Session

from sopcli.deadlines.dates import fmt_date
from sopcli.deadlines.events import EMERGENCY_KINDS, EVENTS
from sopcli.errors import InvalidInput, StepNotAllowed
from sopcli.models import CaseEvent, Emergency
from sopcli.services.directory.agencies import agency_name
from sopcli.services.directory.names import official_name, one_line
from sopcli.services.registry import Registry
from sopcli.services.steps import obligations
from sopcli.services.steps.common import TEXT_LIMIT, StepResult, get_case, get_signal, not_future
from sopcli.services.steps.programme import open_case
from sopcli.services.trust import audit
from sopcli.vocab import pick

CONSENT = {"given": "согласие получено", "refused": "отказ от согласия"}


def emergency_kind(typed: str) -> str:
    code = pick(typed, {k: label for k, (label, _events) in EMERGENCY_KINDS.items()})
    if code is None:
        words = "; ".join(label for label, _events in EMERGENCY_KINDS.values())
        raise InvalidInput(f"Неизвестный вид экстренной ситуации «{typed[:40]}»: допустимы {words}.")
    return code


def record_emergency(session: Session, reg: Registry, *, signal_id: int | None, case_id: int | None, kind: str,
                     at: datetime, agency: str, note: str, now: datetime) -> StepResult:
    """Record the emergency and open its §7 terms; refused (nothing written) where the set has none."""
    if (signal_id is None) == (case_id is None):
        raise InvalidInput("Укажите либо --signal, либо --case.")
    code = emergency_kind(kind)
    if case_id is not None:
        case = get_case(session, case_id)
        if case.status == "closed":
            raise StepNotAllowed(f"Дело №{case_id} закрыто {fmt_date(case.closed_on)}: новые шаги невозможны.")  # type: ignore[arg-type]
        signal_id = case.signal_id
    sig = get_signal(session, signal_id)  # type: ignore[arg-type]
    not_future(at, now, "Момент экстренной ситуации", reg)
    if len(note) > TEXT_LIMIT:
        raise InvalidInput(f"Слишком длинно: примечание — не более {TEXT_LIMIT} знаков.")
    who = agency_name(session, agency) if agency.strip() else ""
    label, events = EMERGENCY_KINDS[code]
    if not any(reg.rulebook.for_event(reg.rule_set, e) for e in events):
        raise StepNotAllowed(f"В наборе правил «{reg.rule_set}» нет сроков для события «{label}» "
                             "(экстренные меры 004 §7 — набор mari-el или свой свод региона).")
    em = Emergency(signal_id=sig.id, case_id=case_id, kind=code, at=at, agency=who,
                   note=one_line(note, "примечание", TEXT_LIMIT, "--note") if note else "",
                   created_at=datetime.now(UTC))
    session.add(em)
    session.flush()
    audit.record(session, reg, "create", "emergency", em.id, signal=sig.id, case=case_id, kind=code)
    result = StepResult(em, named=[("agency", who)] if who else [])
    for event in events:
        result.add(obligations.emit(session, reg, event, at, signal_id=sig.id, case_id=case_id,
                                    emergency_id=em.id, source_agency=who, note=EVENTS[event].label))
    return result


def record_consent(session: Session, reg: Registry, case_id: int, *, given: bool, day: date, by: str, note: str,
                   now: datetime) -> StepResult:
    """004 §4.7: the consent obtained, or the refusal recorded; either fulfils `me.consent`."""
    case = open_case(session, case_id)
    if day < case.recognized_on:
        raise InvalidInput(f"Дата согласия раньше постановления о признании ({fmt_date(case.recognized_on)}).")
    not_future(day, now, "Дата согласия", reg)
    person = official_name(by, "кто дал согласие (отказался)")
    if len(note) > TEXT_LIMIT:
        raise InvalidInput(f"Слишком длинно: примечание — не более {TEXT_LIMIT} знаков.")
    decision = "given" if given else "refused"
    ev = CaseEvent(case_id=case.id, kind="consent", day=day, place=person[:300], decision=decision, note=note,
                   created_at=datetime.now(UTC))
    session.add(ev)
    session.flush()
    audit.record(session, reg, "create", "case_event", ev.id, case=case.id, kind="consent", decision=decision)
    result = StepResult(ev)
    result.add(obligations.emit(session, reg, "consent.recorded", day, case_id=case.id, note=CONSENT[decision]))
    return result
