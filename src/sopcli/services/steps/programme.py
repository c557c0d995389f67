"""The individual programme and the work on a case (004 §5.3–§5.6, App. 4 and 5).

Proposals from agencies → a draft programme with measures (each with an
executor from the directory and a date, a period, or a term counted from the
approval) → approval by resolution, which opens the sending obligation and one
`plan.measure` obligation per measure for its executor → executors' reports
fulfil or keep open those obligations → the 6-month control with its decision.
A correction after approval is a new version; the approved one is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlmodel import Session, col, select

from sopcli.deadlines.compute import compute_due, due_on_date
from sopcli.deadlines.dates import fmt_date, parse_date
from sopcli.deadlines.terms import Kind, parse_term
from sopcli.errors import InvalidInput, StepNotAllowed
from sopcli.models import Case, CaseEvent, Measure, Obligation, Plan, Proposal, Report
from sopcli.services.directory import agencies
from sopcli.services.directory.agencies import agency_name
from sopcli.services.directory.names import one_line
from sopcli.services.registry import Registry, get_or_not_found
from sopcli.services.steps import obligations, owners
from sopcli.services.steps.common import TEXT_LIMIT, StepResult, get_case, not_future
from sopcli.services.trust import audit
from sopcli.vocab import (
    CONTROL_DECISIONS,
    PATRONAGE,
    POTENTIAL_LABELS,
    REACTIONS,
    REPORT_STATUSES,
    STAGE_LABELS,
    STAGES,
    allowed_words,
    code_for,
)

_DATE = r"\d{1,2}\.\d{1,2}\.\d{4}|\d{4}-\d{2}-\d{2}"
_PERIOD = re.compile(rf"^(?:с\s+)?({_DATE})\s*(?:по|-|–|—)\s*({_DATE})$")
_COUNTED = {Kind.IMMEDIATE, Kind.DAYS, Kind.WORKING_DAYS, Kind.WEEKS, Kind.MONTHS, Kind.RANGE}


def open_case(session: Session, case_id: int) -> Case:
    """A case that can take a step: it exists and is not closed."""
    case = get_case(session, case_id)
    if case.status == "closed":
        raise StepNotAllowed(f"Дело №{case_id} закрыто {fmt_date(case.closed_on)}: новые шаги невозможны.")  # type: ignore[arg-type]
    return case


def _text(value: str, what: str) -> str:
    if len(value) > TEXT_LIMIT:
        raise InvalidInput(f"Слишком длинно: {what} — не более {TEXT_LIMIT} знаков.")
    return value.strip()


# -- proposals (App. 5) ---------------------------------------------------------------
@dataclass
class ProposalInput:
    agency: str
    received: date
    situation: str = ""
    tasks: str = ""
    measures: tuple[str, ...] = ()


def propose(session: Session, reg: Registry, case_id: int, data: ProposalInput, now: datetime) -> StepResult:
    """App. 5 received: the commission's request for proposals (001) is done, and so is the proposing agency's
    own duty to tell the commission its resources — another agency's is not (issue 29)."""
    case = open_case(session, case_id)
    found = agencies.resolve(data.agency, owners.directory(session))
    agency = found.name
    not_future(data.received, now, "Дата предложений", reg)
    if not (data.situation.strip() or data.tasks.strip() or data.measures):
        raise InvalidInput("Предложения пусты: укажите --situation, --tasks или --measure.")
    prop = Proposal(case_id=case.id, agency=agency, received_on=data.received,
                    situation=_text(data.situation, "характеристика ситуации"),
                    tasks=_text(data.tasks, "задачи"),
                    measures=_text("\n".join(m.strip() for m in data.measures), "мероприятия"),
                    created_at=datetime.now(UTC))
    session.add(prop)
    session.flush()
    audit.record(session, reg, "create", "proposal", prop.id, case=case.id, agency=agency)
    return StepResult(prop).add(obligations.emit(session, reg, "proposal.recorded", data.received, case_id=case.id,
                                                 signal_id=case.signal_id, actor=found.id,
                                                 note=f"предложения: {agency}"[:300]))


# -- the draft and its measures ----------------------------------------------------------
def _plans(session: Session, case_id: int) -> list[Plan]:
    return list(session.exec(select(Plan).where(Plan.case_id == case_id).order_by(col(Plan.version))).all())


def _measures(session: Session, plan_id: int) -> list[Measure]:
    return list(session.exec(select(Measure).where(Measure.plan_id == plan_id).order_by(col(Measure.seq))).all())


def draft_of(session: Session, reg: Registry, case: Case) -> Plan:
    """The case's draft; after an approval, a new version that starts as a copy of the approved one.

    Measures already done stay with the version that approved them; the rest are
    carried into the draft, so a correction is edited, not retyped.
    """
    plans = _plans(session, case.id)
    if plans and plans[-1].status == "draft":
        return plans[-1]
    base = next((p for p in reversed(plans) if p.status == "approved"), None)
    plan = Plan(case_id=case.id, version=len(plans) + 1, created_at=datetime.now(UTC))
    if base is not None:
        for name in ("goal", "consilium", "situation", "tasks", "potential", "reaction", "patronage", "meetings"):
            setattr(plan, name, getattr(base, name))
    session.add(plan)
    session.flush()
    audit.record(session, reg, "create", "plan", plan.id, case=case.id, version=plan.version)
    if base is not None:
        seq = 0
        for m in _measures(session, base.id):
            if m.status == "done":
                continue
            seq += 1
            session.add(Measure(plan_id=plan.id, case_id=case.id, seq=seq, title=m.title, content=m.content,
                                executor=m.executor, due_text=m.due_text, start=m.start, due=m.due,
                                carried_from=m.id, created_at=datetime.now(UTC)))
        session.flush()
    return plan


def parse_measure_due(text: str, recognized_on: date) -> tuple[date | None, date | None, str]:
    """(start, due, as typed): a date, a period "с … по …", or a term counted from the approval.

    A term ("14d", "1m", "в течение 10 рабочих дней") gets its date at approval, from
    the approval date and the working-day calendar; nothing is guessed.
    """
    typed = one_line(text, "срок мероприятия", 100, "--due")
    start: date | None = None
    if re.fullmatch(_DATE, typed):
        due: date | None = parse_date(typed, "срок мероприятия")
    elif m := _PERIOD.match(typed):
        start, due = parse_date(m[1], "начало периода"), parse_date(m[2], "конец периода")
        if start > due:
            raise InvalidInput(f"Период «{typed}»: начало позже окончания.")
    else:
        try:
            term = parse_term(typed)
        except InvalidInput:
            raise InvalidInput(f"Срок мероприятия «{typed[:40]}»: укажите дату ДД.ММ.ГГГГ, период «ДД.ММ.ГГГГ-"
                               "ДД.ММ.ГГГГ» или срок от утверждения (14d, 1m, «в течение 10 дней»).") from None
        if term.kind not in _COUNTED:
            raise InvalidInput(f"Срок мероприятия «{typed[:40]}» не считается от даты утверждения: "
                               "укажите дату, период или срок в днях, неделях, месяцах.")
        return None, None, typed
    first = start or due
    if first is not None and first < recognized_on:
        raise InvalidInput(f"Срок мероприятия раньше постановления о признании ({fmt_date(recognized_on)}).")
    return start, due, typed


@dataclass
class MeasureInput:
    title: str
    executor: str
    due: str
    content: str = ""


def add_measure(session: Session, reg: Registry, case_id: int, data: MeasureInput) -> Measure:
    case = open_case(session, case_id)
    title = one_line(data.title, "мероприятие", TEXT_LIMIT, "--measure")
    executor = agency_name(session, data.executor)
    start, due, typed = parse_measure_due(data.due, case.recognized_on)
    plan = draft_of(session, reg, case)
    drafted = _measures(session, plan.id)
    same = next((m for m in drafted if (m.title, m.executor, m.due_text) == (title, executor, typed)), None)
    if same is not None:  # typed twice: approved, it would be owed twice
        raise InvalidInput(f"Такое мероприятие уже есть в проекте программы: № {same.seq} (тот же текст, исполнитель "
                           "и срок). Убрать лишнее: sopcli plan remove.")
    seq = len(drafted) + 1
    m = Measure(plan_id=plan.id, case_id=case.id, seq=seq, title=title, content=_text(data.content, "содержание"),
                executor=executor, due_text=typed, start=start, due=due, created_at=datetime.now(UTC))
    session.add(m)
    session.flush()
    audit.record(session, reg, "create", "measure", m.id, case=case.id, plan=plan.id, executor=executor, due=due)
    return m


def remove_measure(session: Session, reg: Registry, case_id: int, seq: int) -> Measure:
    """Only from a draft: an approved version is kept as it was approved."""
    case = open_case(session, case_id)
    plan = draft_of(session, reg, case)
    measures = _measures(session, plan.id)
    found = next((m for m in measures if m.seq == seq), None)
    if found is None:
        raise InvalidInput(f"В проекте программы (версия {plan.version}) нет мероприятия № {seq}.")
    session.delete(found)
    session.flush()
    for m in measures:
        if m.seq > seq:
            m.seq -= 1
    audit.record(session, reg, "delete", "measure", found.id, case=case.id, plan=plan.id, title=found.title[:60])
    return found


def _stages(value: str, allowed: tuple[str, ...] | dict[str, str], what: str) -> str:
    """ "initial=high,main=medium" — stage by stage, each checked against the App. 4 lists."""
    labels = allowed if isinstance(allowed, dict) else {a: a for a in allowed}
    out = {}
    for part in filter(None, (p.strip() for p in value.split(","))):
        stage, eq, level = part.partition("=")
        if not eq:
            raise InvalidInput(f"{what}: «{part[:30]}» — ожидается этап = значение, например "
                               f"«начальный=высокий»; этапы: {allowed_words(STAGE_LABELS)}.")
        stage_code = code_for(stage, STAGE_LABELS, "этапа")
        out[stage_code] = code_for(level, labels, what.lower())
    return ",".join(f"{s}={out[s]}" for s in STAGES if s in out)


def edit_plan(session: Session, reg: Registry, case_id: int, fields: dict[str, str]) -> Plan:
    """The programme's header (App. 4): goal, consilium, situation, tasks, potential, reaction, patronage."""
    case = open_case(session, case_id)
    plan = draft_of(session, reg, case)
    changed = {}
    for name, value in fields.items():
        if name == "potential":
            value = _stages(value, POTENTIAL_LABELS, "Реабилитационный потенциал")
        elif name == "reaction":
            value = _stages(value, REACTIONS, "Реакция семьи")
        elif name == "patronage":
            kind, colon, rest = value.partition(":")
            value = code_for(kind, PATRONAGE, "вида патронажа") + colon + rest
        elif name == "meeting":
            name, value = "meetings", "\n".join(filter(None, [plan.meetings, _text(value, "консилиум")]))
        setattr(plan, name, _text(value, name))
        changed[name] = True
    audit.record(session, reg, "update", "plan", plan.id, case=case.id, fields=sorted(changed))
    return plan


# -- approval ---------------------------------------------------------------------------
def _draft(session: Session, case: Case, case_id: int) -> tuple[list[Plan], Plan, list[Measure]]:
    """The case's versions, the draft to approve and its measures; a draft without measures is no programme."""
    plans = _plans(session, case.id)
    plan = plans[-1] if plans and plans[-1].status == "draft" else None
    if plan is None:
        raise StepNotAllowed(f"По делу №{case_id} нет проекта программы: добавьте мероприятия (sopcli plan add).")
    measures = _measures(session, plan.id)
    if not measures:
        raise StepNotAllowed(f"В проекте программы по делу №{case_id} нет мероприятий.")
    return plans, plan, measures


def _check_approval_day(reg: Registry, case: Case, previous: Plan | None, day: date, now: datetime) -> None:
    """Not before the recognition, not in the future, not before the version it replaces."""
    if day < case.recognized_on:
        raise InvalidInput(f"Дата утверждения раньше постановления о признании ({fmt_date(case.recognized_on)}).")
    not_future(day, now, "Дата утверждения программы", reg)
    if previous is not None and day < previous.approved_on:  # type: ignore[operator]
        raise InvalidInput(f"Дата утверждения раньше утверждения версии {previous.version} "
                           f"({fmt_date(previous.approved_on)}).")  # type: ignore[arg-type]


def _supersede(session: Session, reg: Registry, previous: Plan, plan: Plan, measures: list[Measure],
               day: date, result: StepResult) -> dict[int, Obligation]:
    """The old version's open obligations: a measure carried over unchanged keeps its own, the rest are
    cancelled. Returns new measure id → the obligation it continues."""
    cal = reg.calendar(session)
    kept: dict[int, Obligation] = {}
    previous.status = "superseded"
    carried = {m.carried_from: m for m in measures if m.carried_from is not None}
    reason = f"программа скорректирована: версия {plan.version} утверждена {fmt_date(day)}"
    for ob in session.exec(select(Obligation).where(
            col(Obligation.measure_id).in_([m.id for m in _measures(session, previous.id)]),
            Obligation.status == "open").with_for_update()).all():
        same = carried.get(ob.measure_id)
        if same is not None and same.due is not None and due_on_date(cal, same.due).due == ob.due \
                and (same.executor == ob.who or same.executor == ob.role):
            # the same measure, executor and date: one obligation continues, not two
            ob.measure_id, ob.title = same.id, f"Мероприятие № {same.seq}: {same.title}"
            audit.record(session, reg, "carry", "obligation", ob.id, measure=same.id, version=plan.version)
            kept[same.id] = ob
            continue
        obligations.cancel(session, reg, ob, reason, reg.start_of(day))
        result.cancelled.append(ob)
    return kept


def _open_measures(session: Session, reg: Registry, case: Case, measures: list[Measure],
                   kept: dict[int, Obligation], day: date, result: StepResult) -> None:
    """An obligation for each measure not continued from the old version, due by its date or its term."""
    cal = reg.calendar(session)
    for m in measures:
        if m.id in kept:
            continue
        if m.due is None:  # a term counted from the approval
            due = compute_due(cal, day, parse_term(m.due_text), reg.tz)
            m.due = due.due
        else:  # a date typed as the measure's last day, or a period's end: art. 193 moves it off a day off
            due = due_on_date(cal, m.due)
        result.add(obligations.emit(session, reg, "plan.measure", day, case_id=case.id, signal_id=case.signal_id,
                                    measure_id=m.id, due=due, who=m.executor, target=m.start,
                                    title=f"Мероприятие № {m.seq}: {m.title}"))


def _warn_without_consent(session: Session, reg: Registry, case: Case, result: StepResult) -> None:
    # 004 §4.7: individual work needs the consent (or its refusal on record) before the programme; approval is not
    # refused (the child's programme must not wait on a signature), the term stays open and is said aloud
    consent = session.exec(select(Obligation.id).where(
        Obligation.case_id == case.id, Obligation.status == "open",
        col(Obligation.rule).in_(reg.rulebook.fulfilled_by("consent.recorded")))).first()
    if consent is not None:
        result.warnings.append(f"Согласие на обработку персональных данных (004 §4.7) не записано: "
                               f"sopcli consent {case.id} --given|--refused (обязанность №{consent}).")


def approve(session: Session, reg: Registry, case_id: int, day: date, resolution: str,
            now: datetime) -> StepResult:
    case = open_case(session, case_id)
    plans, plan, measures = _draft(session, case, case_id)
    previous = next((p for p in reversed(plans) if p.status == "approved"), None)
    _check_approval_day(reg, case, previous, day, now)
    plan.status, plan.approved_on = "approved", day
    plan.resolution_no = one_line(resolution, "номер постановления", 50, "--resolution")
    audit.record(session, reg, "approve", "plan", plan.id, case=case.id, version=plan.version,
                 resolution=plan.resolution_no)
    result = StepResult(plan)
    kept = _supersede(session, reg, previous, plan, measures, day, result) if previous is not None else {}
    _open_measures(session, reg, case, measures, kept, day, result)
    # the draft is done, and the registration card goes with it (004 §5.3: "with the programme").
    # FOR UPDATE: a `deadlines done` on the card at the same moment is waited for and its fulfilment kept
    # (PostgreSQL re-reads the row), instead of both fulfilling it.
    result.add(obligations.emit(session, reg, "plan.approved", day, signal_id=case.signal_id, case_id=case.id,
                                note=f"программа утверждена: пост. № {plan.resolution_no}"))
    _warn_without_consent(session, reg, case, result)
    return result


# -- reports and control ------------------------------------------------------------------
def report(session: Session, reg: Registry, case_id: int, measure_id: int, day: date, status: str, text: str,
           now: datetime, done_on: date | None = None) -> StepResult:
    """An executor's report: `done` fulfils the measure's obligation; `partial`/`not-done` keep it open.

    `done_on` is App. 4's «Дата исполнения»: when the measure was carried out, which a report written a
    week later does not tell; by default the report's date for done or partial, none for not done."""
    case = open_case(session, case_id)
    status = code_for(status, REPORT_STATUSES, "итога", "report")
    m = get_or_not_found(session, Measure, measure_id, f"Мероприятия №{measure_id} нет в реестре.")
    if m.case_id != case.id:
        raise InvalidInput(f"Мероприятие №{measure_id} относится к делу №{m.case_id}, а не к делу №{case_id}.")
    plan = session.get(Plan, m.plan_id)
    if plan is None or plan.status != "approved":
        state = "ещё не утверждена" if plan and plan.status == "draft" else "заменена новой версией"
        raise StepNotAllowed(f"Мероприятие №{measure_id}: программа (версия {plan.version if plan else '?'}) {state}.")
    if day < plan.approved_on:  # type: ignore[operator]
        raise InvalidInput(f"Дата отчёта раньше утверждения программы ({fmt_date(plan.approved_on)}).")  # type: ignore[arg-type]
    not_future(day, now, "Дата отчёта", reg)
    if m.status == "done":
        raise StepNotAllowed(f"Мероприятие №{measure_id} уже отмечено выполненным.")
    done_on = _done_on(day, status, done_on)
    rep = Report(case_id=case.id, measure_id=m.id, reported_on=day, status=status, done_on=done_on,
                 text=_text(text, "текст отчёта"), created_at=datetime.now(UTC))
    session.add(rep)
    m.status = status
    session.flush()
    audit.record(session, reg, "create", "report", rep.id, case=case.id, measure=m.id, status=status,
                 done_on=done_on)
    result = StepResult(rep)
    # any report is the executor's information on the measure (a region's monthly informing, Perm № 7 прил. 13
    # п. 3); the reported day is its moment, whatever the measure's state
    result.add(obligations.emit(session, reg, "measure.reported", day, case_id=case.id, measure_id=m.id,
                                note=f"отчёт от {fmt_date(day)}"))
    if status == "done":
        # the measure was carried out on `done_on` (App. 4 «Дата исполнения»), not on the day it was reported
        result.add(obligations.emit(session, reg, "measure.done", done_on or day, case_id=case.id, measure_id=m.id,
                                    note=f"отчёт: {text[:200]}"))
    return result


def _done_on(day: date, status: str, done_on: date | None) -> date | None:
    """The actual day: never after the report that tells of it (so never in the future either)."""
    if status == "not-done":
        if done_on is not None:
            raise InvalidInput("Мероприятие не выполнено: дата исполнения (--done-on) не указывается.")
        return None
    if done_on is None:
        return day
    if done_on > day:
        raise InvalidInput(f"Дата исполнения {fmt_date(done_on)} позже даты отчёта ({fmt_date(day)}).")
    return done_on


def summary(session: Session, reg: Registry, case_id: int, day: date, text: str, now: datetime) -> Report:
    """The curator's summary of the agencies' reports (004 §5.6), kept for the control."""
    case = open_case(session, case_id)
    not_future(day, now, "Дата сводной информации", reg)
    rep = Report(case_id=case.id, reported_on=day, status="summary",
                 text=one_line(text, "сводная информация куратора", TEXT_LIMIT, "--text"),
                 created_at=datetime.now(UTC))
    session.add(rep)
    session.flush()
    audit.record(session, reg, "create", "report", rep.id, case=case.id, status="summary")
    return rep


def control(session: Session, reg: Registry, case_id: int, day: date, decision: str, note: str,
            now: datetime, reasons: str = "", proposals: str = "") -> StepResult:
    """The 6-month control (004 §5.6): fulfils `me.control.6m` (the next opens from this day) with a decision.

    `reasons` and `proposals` are App. 4's «Причины неисполнения» and «Предложения»: kept on the case
    (the programme prints the latest) and in this control's note (the history keeps each)."""
    case = open_case(session, case_id)
    decision = code_for(decision, CONTROL_DECISIONS, "решения", "control")
    if day < case.recognized_on:
        raise InvalidInput(f"Дата контроля раньше постановления о признании ({fmt_date(case.recognized_on)}).")
    not_future(day, now, "Дата контроля", reg)
    if session.exec(select(CaseEvent.id).where(CaseEvent.case_id == case.id, CaseEvent.kind == "control",
                                               CaseEvent.day == day)).first() is not None:
        # a second control on the same day would fulfil the next 6-month term the first one opened
        raise StepNotAllowed(f"Контроль по делу № {case.id} за {fmt_date(day)} уже записан: один контроль в день "
                             "(посмотреть: sopcli case show).")
    note, reasons, proposals = (_text(note, "примечание"), _text(reasons, "причины неисполнения"),
                                _text(proposals, "предложения"))
    parts = [note] + [f"{what}: {text}" for what, text in (("Причины неисполнения", reasons),
                                                              ("Предложения", proposals)) if text]
    ev = CaseEvent(case_id=case.id, kind="control", day=day, decision=decision, note="\n".join(p for p in parts if p),
                   created_at=datetime.now(UTC))
    session.add(ev)
    changed = {}
    for name, value in (("nonexec_reasons", reasons), ("proposals_note", proposals)):
        if value and getattr(case, name) != value:
            changed[name] = {"было": getattr(case, name), "стало": value}
            setattr(case, name, value)
    session.add(case)
    session.flush()
    audit.record(session, reg, "create", "case_event", ev.id, case=case.id, kind="control", decision=decision,
                 **changed)
    result = StepResult(ev)
    result.add(obligations.emit(session, reg, "control.done", day, case_id=case.id,
                                note=f"контроль: {CONTROL_DECISIONS[decision]}"))
    if decision == "correct":
        draft_of(session, reg, case)  # the correction starts as a copy of what is approved
    return result
