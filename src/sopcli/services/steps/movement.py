"""Movement and release (001 §2.5.1 а, б, г, и, к; 000): the terms that are missed today.

A move out opens the detecting agency's 3-day notice and the registering
body's 7-day forwarding (with the documents of 000 §2); the case closes on the
ground "moved" when the new commission confirms. An arrival is registered as a
signal and opens the 3-day request to the previous place. Releases from a
colony or a closed special school are counted back from the release date.
Graduates (000): analysis → hand-over to the college in 2 weeks → the
college's answer in a month.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import Session, col, func, select

from sopcli.deadlines.dates import fmt_date
from sopcli.errors import InvalidInput, StepNotAllowed
from sopcli.models import CaseEvent, Obligation, Plan, Report
from sopcli.services.directory.agencies import agency_name
from sopcli.services.directory.names import one_line
from sopcli.services.registry import Registry
from sopcli.services.steps import obligations
from sopcli.services.steps.common import StepResult, not_future
from sopcli.services.steps.lifecycle import ClosureInput, close_case
from sopcli.services.steps.programme import open_case
from sopcli.services.trust import audit
from sopcli.vocab import RELEASE_LABELS, RELEASES, code_for


def _event(session: Session, reg: Registry, case_id: int, kind: str, day: date, place: str = "",
           note: str = "", decision: str = "", addressee: str = "") -> CaseEvent:
    ev = CaseEvent(case_id=case_id, kind=kind, day=day, place=place, note=note, decision=decision,
                   addressee=addressee, created_at=datetime.now(UTC))
    session.add(ev)
    session.flush()
    audit.record(session, reg, "create", "case_event", ev.id, case=case_id, kind=kind, day=day)
    return ev


def documents(session: Session, case_id: int) -> str:
    """What goes to the new place (000 §2): grounds, the programme, the interim results."""
    plan = session.exec(select(Plan).where(Plan.case_id == case_id, Plan.status == "approved")).first()
    reports = session.exec(select(func.count()).select_from(Report).where(Report.case_id == case_id)).one()
    parts = ["основания постановки на учёт (постановление о признании, заключение проверки)"]
    if plan is not None:
        parts.append(f"индивидуальная программа (версия {plan.version}, утверждена {fmt_date(plan.approved_on)})")  # type: ignore[arg-type]
    parts.append(f"промежуточные итоги (отчётов исполнителей: {reports})")
    return "; ".join(parts)


def move_out(session: Session, reg: Registry, case_id: int, learned: date, to: str, by: str,
             received: date | None, now: datetime, addressee: str = "") -> StepResult:
    """`addressee`: the commission of the new municipality, whom the letter about the move is written to."""
    case = open_case(session, case_id)
    place = one_line(to, "новое место жительства", 300, "--to")
    addressee = one_line(addressee, "КДН и ЗП нового места жительства", 300, "--commission") if addressee else ""
    if learned < case.recognized_on:
        raise InvalidInput(f"Дата выявления переезда раньше постановления о признании "
                           f"({fmt_date(case.recognized_on)}).")
    not_future(learned, now, "Дата выявления переезда", reg)
    received = received or learned
    if received < learned:
        raise InvalidInput("Сведения не могли поступить в орган учёта раньше, чем переезд выявлен.")
    not_future(received, now, "Дата поступления сведений", reg)
    detecting = agency_name(session, by) if by else ""
    if session.exec(select(CaseEvent.id).where(CaseEvent.case_id == case.id, CaseEvent.kind == "move-out")).first():
        raise StepNotAllowed(f"По делу №{case_id} переезд уже отмечен; ждём подтверждения (transfer confirm).")
    ev = _event(session, reg, case.id, "move-out", learned, place, documents(session, case.id), addressee=addressee)
    result = StepResult(ev, named=[("by", detecting)] if detecting else [])
    result.add(obligations.emit(session, reg, "case.moved", learned, case_id=case.id, signal_id=case.signal_id,
                                source_agency=detecting))
    result.add(obligations.emit(session, reg, "case.moved.received", received, case_id=case.id,
                                signal_id=case.signal_id))
    return result


def confirm_move(session: Session, reg: Registry, case_id: int, day: date, resolution: str,
                 now: datetime) -> StepResult:
    """The new commission confirmed: the case closes on the ground "moved" (004 §6.3(г), §6.4(б))."""
    case = open_case(session, case_id)
    moved = session.exec(select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.kind == "move-out")).first()
    if moved is None:
        raise StepNotAllowed(f"По делу №{case_id} переезд не отмечен: сначала sopcli transfer out.")
    if day < moved.day:
        raise InvalidInput(f"Подтверждение раньше выявления переезда ({fmt_date(moved.day)}).")
    _event(session, reg, case.id, "move-confirmed", day, moved.place)
    return close_case(session, reg, case.id, ClosureInput(day, resolution, "moved",
                                                          f"переезд: {moved.place}; подтверждено новой КДН"), now)


def release(session: Session, reg: Registry, case_id: int, kind: str, day: date, now: datetime) -> StepResult:
    """A release date (or the court's parole decision) as the anchor of the notices counted back from it."""
    case = open_case(session, case_id)
    kind = code_for(kind, RELEASE_LABELS, "вида освобождения", "release")
    event, label = RELEASES[kind]
    if kind == "parole":
        not_future(day, now, "Дата решения суда", reg)
    rules = [r.id for r in reg.rulebook.for_event(reg.rule_set, event)]
    if not rules:
        raise StepNotAllowed(f"В наборе правил «{reg.rule_set}» нет сроков для события «{label}».")
    ev = _event(session, reg, case.id, f"release-{kind}", day, note=label)
    result = StepResult(ev)
    for ob in session.exec(select(Obligation).where(Obligation.case_id == case.id, col(Obligation.rule).in_(rules),
                                                    Obligation.status == "open").with_for_update()).all():
        # a corrected date: the notice counted from the old one no longer applies
        obligations.cancel(session, reg, ob, f"дата изменена: {label} {fmt_date(day)}", datetime.now(UTC))
        result.cancelled.append(ob)
    result.add(obligations.emit(session, reg, event, day, case_id=case.id, signal_id=case.signal_id))
    return result


def graduates(session: Session, reg: Registry, case_id: int, *, analysis: date | None, college: str,
              sent: date | None, answer: date | None, now: datetime) -> StepResult:
    """000: the analysis names the college; the hand-over and the college's answer fulfil the next terms."""
    case = open_case(session, case_id)
    result = StepResult(case)
    if analysis is not None:
        not_future(analysis, now, "Дата анализа", reg)
        place = one_line(college, "колледж (вуз)", 300, "--college")
        _event(session, reg, case.id, "grads-analysis", analysis, place)
        result.add(obligations.emit(session, reg, "grads.analysis", analysis, case_id=case.id,
                                    signal_id=case.signal_id))
        if not result.opened:
            raise StepNotAllowed(f"Алгоритм по выпускникам (000) есть в наборе «smolensk», а реестр ведётся "
                                 f"по «{reg.rule_set}».")
    for day, event, what in ((sent, "grads.sent", "Дата передачи сведений"),
                             (answer, "grads.answered", "Дата ответа колледжа")):
        if day is None:
            continue
        not_future(day, now, what, reg)
        ev = session.exec(select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.kind == "grads-analysis")
                          .order_by(col(CaseEvent.id).desc())).first()
        done = obligations.emit(session, reg, event, day, case_id=case.id, signal_id=case.signal_id, note=what,
                                who=(ev.place if ev is not None else None) or None)
        if not done.fulfilled:
            raise StepNotAllowed(f"По делу №{case_id} нет открытого срока, который исполняет «{what.lower()}».")
        result.add(done)
    if analysis is None and sent is None and answer is None:
        raise InvalidInput("Укажите --analysis (с --college), --sent или --answer.")
    return result
