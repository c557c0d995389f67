"""Obligations: opened by a step from the rulebook, fulfilled, cancelled, digested.

Overdue is computed, never stored (DEADLINES.md): open, and the term ran out
before `as_of` — the end of the due day (art. 194) or the kept moment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, or_
from sqlmodel import Session, col, select

from sopcli.deadlines.compute import Due
from sopcli.deadlines.dates import fmt_date
from sopcli.deadlines.events import Event
from sopcli.deadlines.explain import move_note
from sopcli.deadlines.rulebook import Rule
from sopcli.deadlines.terms import Kind, on_grid, repeats
from sopcli.errors import InvalidInput, NotFound, StepNotAllowed
from sopcli.models import Obligation
from sopcli.services.registry import Registry
from sopcli.services.steps import owners
from sopcli.services.trust import audit

#: The events of a signal's arrival: a term they fulfil is the source's informing, counted from its detection.
_RECEIPT = frozenset({"signal.received", "signal.phone"})
#: Owners a commission's step cannot act for: an agency, or a role no agency was bound to yet.
_AGENCY_OWNED = frozenset({"agency", "unbound", ""})
DETECTING = "выявивший орган"  # the role a paper names when the detecting body is not to be named (anonymize)


@dataclass
class Emitted:
    """What one event did to the obligations: opened (next periods included) and fulfilled; the roles it
    could not give to an owner, said at the step (issue 28)."""

    opened: list[Obligation] = field(default_factory=list)
    fulfilled: list[Obligation] = field(default_factory=list)
    unbound: list[str] = field(default_factory=list)
    cancelled: list[Obligation] = field(default_factory=list)


def emit(session: Session, reg: Registry, event: str, when: date | datetime, *,
         signal_id: int | None = None, case_id: int | None = None, person_id: int | None = None,
         emergency_id: int | None = None, measure_id: int | None = None, source_agency: str = "",
         note: str = "", due: Due | None = None, who: str | None = None, title: str | None = None,
         target: date | None = None, trigger: datetime | None = None, actor: int | None = None) -> Emitted:
    """A step says what happened; the rulebook says which terms that opens and which it fulfils.

    Opening comes first, so an event that both opens and fulfils a rule (a phone
    transfer, 004 §4.4; a signal's receipt, the detecting body's informing) leaves it
    recorded as done on time. Fulfilment is scoped to the most specific owner given:
    the measure, the emergency, else the case, else the signal. `trigger`: the moment
    a term counts from when it is not the event's own (a signal's detection). `actor`: the agency whose act
    the event is (a proposal's author): it fulfils that agency's duties, never another agency's.

    Each term is bound to its owner here (owners.py): the rulebook's role, the step's
    subject and the agency the step named (`source_agency`, `who`).
    """
    done = Emitted()
    moment = when if isinstance(when, datetime) else reg.start_of(when)
    b = _binding(session, event, signal_id, case_id, source_agency, who)
    for rule in reg.rulebook.for_event(reg.rule_set, event):
        found = owners.bind(session, reg, rule.who, b)
        for owner in found:
            if _already(session, rule, _event(reg, event).repeatable, moment, owner if len(found) > 1 else None,
                        signal_id=signal_id, case_id=case_id, person_id=person_id, emergency_id=emergency_id,
                        measure_id=measure_id):
                continue
            if owner.kind == "unbound":
                done.unbound.append(owners.unbound_note(owner.name, title or rule.title))
            if rule.term.kind is Kind.OWN:
                if due is None:
                    raise InvalidInput(f"Для срока {rule.id} нужна своя дата.")
                done.opened.append(open_fixed(session, reg, rule, moment, due, owner=owner,
                                              title=title or rule.title, case_id=case_id, signal_id=signal_id,
                                              measure_id=measure_id, target=target))
                continue
            # the source's informing counts from its detection; a term of the transfer itself, from the transfer
            informs = trigger is not None and not _RECEIPT.isdisjoint(rule.fulfils)
            # a measure's own series (a region's monthly informing on each measure): the rule's duty, of that measure
            named = f"{rule.title}: {title}"[:500] if measure_id is not None and title else title
            done.opened.append(open_rule(session, reg, rule, trigger if informs else when, signal_id=signal_id,
                                         case_id=case_id, person_id=person_id, emergency_id=emergency_id,
                                         measure_id=measure_id, owner=owner, title=named))
    _fulfil_by(session, reg, event, moment, done, note, measure_id=measure_id, emergency_id=emergency_id,
               case_id=case_id, signal_id=signal_id, actor=actor)
    _cancel_by(session, reg, event, moment, done, case_id=case_id, signal_id=signal_id, measure_id=measure_id,
               emergency_id=emergency_id)
    _end_by(session, reg, event, moment, case_id=case_id, signal_id=signal_id)
    return done


#: The note of a term an event ended early (`Rule.ends_by`): its last day is that event's, no calendar moves it.
ENDED = "срок истёк с событием, которому обязанность должна предшествовать: "


def _end_by(session: Session, reg: Registry, event: str, moment: datetime, *, case_id: int | None,
            signal_id: int | None) -> None:
    """The open terms that were to come before this event (004 §4.7: the consent before the programme's approval)
    end on the event's day: done later, they are late, not «в срок» by the later term they were opened with."""
    rules = reg.rulebook.ended_by(event)
    if not rules or (case_id is None and signal_id is None):
        return
    day, label = moment.astimezone(reg.tz).date(), _event(reg, event).label
    q = _scoped(session, rules, None, None, case_id, signal_id)
    for ob in session.exec(q.order_by(col(Obligation.id)).with_for_update()).all():
        if ob.due_at is None and ob.due <= day:
            continue  # its own term ends first: nothing to shorten
        old, was = ob.due_at or ob.due, ob.note
        ob.due, ob.due_at, ob.target = day, None, None
        ob.note = f"{ENDED}{label}, {fmt_date(day)}"
        audit.record(session, reg, "recompute", "obligation", ob.id, rule=ob.rule, old=old, due=day, reason=label,
                     was_note=was)


def _cancel_by(session: Session, reg: Registry, event: str, moment: datetime, done: Emitted, *,
               case_id: int | None, signal_id: int | None, measure_id: int | None = None,
               emergency_id: int | None = None) -> None:
    """The open terms whose reason the event takes away (a check that found nothing: nothing to register or
    send; a measure done: no more monthly information on it): cancelled at the event's moment with its words,
    never left open to turn overdue. Scoped as fulfilment is: the measure, the emergency, else the subject."""
    rules = reg.rulebook.cancelled_by(event)
    if not rules or (case_id is None and signal_id is None):
        return
    q = _scoped(session, rules, measure_id, emergency_id, case_id, signal_id)
    for ob in session.exec(q.order_by(col(Obligation.id)).with_for_update()).all():
        cancel(session, reg, ob, f"не требуется: {_event(reg, event).label}", moment)
        done.cancelled.append(ob)


def _scoped(session: Session, rules: tuple[str, ...], measure_id: int | None, emergency_id: int | None,
            case_id: int | None, signal_id: int | None) -> Any:
    """The open terms of `rules` an event touches, scoped to the most specific owner it names: the measure,
    the emergency, else the case and its signals (`_subject`). Fulfilment and cancellation share it."""
    q = select(Obligation).where(col(Obligation.rule).in_(rules), Obligation.status == "open")
    if measure_id is not None:
        return q.where(Obligation.measure_id == measure_id)
    if emergency_id is not None:
        return q.where(Obligation.emergency_id == emergency_id)
    return q.where(_subject(session, case_id, signal_id))


def _subject(session: Session, case_id: int | None, signal_id: int | None) -> ColumnElement[bool]:
    """The terms an event on a case or a signal touches, across the two subjects (issue 29 §3).

    A case's event: the case's own terms and those each of its signals (the first, and every one attached
    later) owed before the case, so a signal's rule that the recognition fulfils is done by it. A signal's
    event: the signal's terms, and the terms of the case it belongs to, so a case's rule a later signal's
    step fulfils is done by it.
    """
    from sopcli.models import Case, CaseSignal

    if case_id is not None:
        signals = {signal_id} - {None}
        case = session.get(Case, case_id)
        signals |= {case.signal_id} if case is not None else set()
        signals |= set(session.exec(select(CaseSignal.signal_id).where(CaseSignal.case_id == case_id)).all())
        return or_(Obligation.case_id == case_id,
                   and_(col(Obligation.case_id).is_(None), col(Obligation.signal_id).in_(sorted(signals))))
    own = Obligation.signal_id == signal_id
    case = session.exec(select(Case.id).where(Case.signal_id == signal_id)).first() or session.exec(
        select(CaseSignal.case_id).where(CaseSignal.signal_id == signal_id)).first()
    return or_(own, Obligation.case_id == case) if case is not None else own


def _event(reg: Registry, code: str) -> Event:
    """A step's event, or a term's fulfilment (`done:RULE`) named by that rule's title."""
    from sopcli.deadlines.events import DONE, event_of

    rule = reg.rulebook.find(code.removeprefix(DONE)) if code.startswith(DONE) else None
    return event_of(code, rule.title if rule is not None else "")


def _binding(session: Session, event: str, signal_id: int | None, case_id: int | None, source_agency: str,
             who: str | None) -> owners.Binding:
    from sopcli.models import Case, Signal

    signal = session.get(Signal, signal_id) if signal_id is not None else None
    case = session.get(Case, case_id) if case_id is not None else None
    # a step on a case (a move found) with no agency named: the commission found it, not the signal's source
    named = source_agency or ("КДН" if event.startswith("case.") else "")
    return owners.Binding(signal=signal, case=case, named=named, explicit=who or "")


def _fulfil_by(session: Session, reg: Registry, event: str, moment: datetime, done: Emitted, note: str, *,
               measure_id: int | None, emergency_id: int | None, case_id: int | None,
               signal_id: int | None, actor: int | None = None) -> None:
    """The open terms the event fulfils. A step of the commission's own (a check, an approval, a closure)
    does not do an agency's duty for it: that term is closed as no longer needed, at the step's moment
    (missed, if its term had already run out), never as done late by the agency."""
    from sopcli.deadlines.events import BY_COMMISSION

    rules = reg.rulebook.fulfilled_by(event)
    if not rules:
        return
    if measure_id is None and emergency_id is None and case_id is None and signal_id is None:
        raise InvalidInput(f"Событие {event}: не указано, чьи сроки исполнены.")
    q = _scoped(session, rules, measure_id, emergency_id, case_id, signal_id)
    what = note or _event(reg, event).label
    for ob in session.exec(q.order_by(col(Obligation.id)).with_for_update()).all():
        if actor is not None and ob.owner_kind == "agency" and ob.agency_id != actor:
            continue  # another agency's duty: not done by this one's act
        if event in BY_COMMISSION and ob.owner_kind in _AGENCY_OWNED:
            cancel(session, reg, ob, f"не требуется: {_event(reg, event).label}", moment)
            done.cancelled.append(ob)
            continue
        done.opened += fulfil(session, reg, ob, moment, what)
        done.fulfilled.append(ob)


def _already(session: Session, rule: Rule, repeatable: bool, moment: datetime, owner: owners.Owner | None,
             **subject: int | None) -> bool:
    """An obligation opens at most once for the same rule, subject and anchor (a cancelled one does not count).

    A periodic rule's next occurrence is opened by its fulfilment, so only an open
    one counts; a repeatable event (a corrected programme approved) anchors on its moment.
    """
    q = select(Obligation.id).where(Obligation.rule == rule.id)
    for name, value in subject.items():
        if name == "emergency_id" and value is None:
            continue  # a critical check after the emergency: its duties were opened by the emergency, not again
        column = getattr(Obligation, name)
        q = q.where(column == value if value is not None else column.is_(None))
    if repeats(rule.term):
        q = q.where(Obligation.status == "open")
    else:
        q = q.where(Obligation.status != "cancelled")
    if repeatable:
        q = q.where(Obligation.trigger_at == moment)
    if owner is not None:  # a role of several agencies: each one's own term, told apart by the agency, not its name
        q = q.where(Obligation.agency_id == owner.agency_id if owner.agency_id is not None
                    else Obligation.who == owner.name)
    return session.exec(q).first() is not None


def open_rule(session: Session, reg: Registry, rule: Rule, trigger: date | datetime, *,
              signal_id: int | None = None, case_id: int | None = None, person_id: int | None = None,
              emergency_id: int | None = None, measure_id: int | None = None, owner: owners.Owner,
              recipient: str | None = None, title: str | None = None, why: str = "") -> Obligation:
    """`why`: a term opened by a person's decision (`standing.open_requested`) keeps its reason in the audit trail."""
    cal = reg.calendar(session)
    due = reg.rulebook.due(cal, rule, trigger, reg.tz)
    moment = trigger if isinstance(trigger, datetime) else reg.start_of(trigger)
    created = datetime.now(UTC)
    ob = Obligation(
        rule=rule.id, title=title or rule.title, who=owner.name[:300], role=rule.who, owner_kind=owner.kind,
        agency_id=owner.agency_id, recipient=recipient or rule.to, source=rule.source,
        signal_id=signal_id, case_id=case_id, person_id=person_id, emergency_id=emergency_id,
        measure_id=measure_id, trigger_at=moment,
        due=due.due, due_at=due.due_at, target=due.target, created_at=created,
        note=born_overdue(rule, due.end_moment(reg.tz), created),
    )
    session.add(ob)
    session.flush()
    decided = {"reason": why} if why else {}
    audit.record(session, reg, "open", "obligation", ob.id, rule=rule.id, due=due.due, owner=owner.kind, **decided)
    return ob


def born_overdue(rule: Rule, ends: datetime, created: datetime) -> str:
    """Why a term had already run out when it was written: no obligation is born overdue without a reason."""
    if ends >= created:
        return ""
    if rule.term.kind is Kind.BEFORE:
        return ("срок истёк до записи: он считается назад от опорной даты, а до неё оставалось меньше, "
                f"чем {rule.term.label.removeprefix('не позднее чем за ').removesuffix(' до даты')}")
    return "срок истёк до записи: событие внесено в реестр позже, чем истёк срок"


def open_fixed(session: Session, reg: Registry, rule: Rule, trigger: datetime, due: Due, *, owner: owners.Owner,
               title: str, case_id: int | None = None, signal_id: int | None = None,
               measure_id: int | None = None, target: date | None = None,
               complex_measure_id: int | None = None, why: str = "") -> Obligation:
    """An obligation whose date is its own (a measure's date in the programme), not the rule's term.

    `due` comes from `due_on_date` (or the term counted from the approval): a date set on a day
    off has moved to the next working day (art. 193), and the note on the obligation says why.
    """
    ob = Obligation(rule=rule.id, title=title[:500], who=owner.name[:300], role=rule.who, owner_kind=owner.kind,
                    agency_id=owner.agency_id, recipient=rule.to, source=rule.source,
                    signal_id=signal_id, case_id=case_id, measure_id=measure_id, trigger_at=trigger, due=due.due,
                    target=target, complex_measure_id=complex_measure_id, note=move_note(due),
                    created_at=datetime.now(UTC))
    session.add(ob)
    session.flush()
    moved = {"set": due.raw_end} if due.raw_end not in (None, due.due) else {}
    decided = {"reason": why} if why else {}
    audit.record(session, reg, "open", "obligation", ob.id, rule=rule.id, due=due.due, measure=measure_id,
                 owner=owner.kind, **moved, **decided)
    return ob


def fulfil_at(session: Session, reg: Registry, ob: Obligation, typed: str, now: datetime,
              note: str = "") -> list[Obligation]:
    """`deadlines done` and the screen's «исполнено»: one step, one refusal for a moment typed ahead of now."""
    from sopcli.deadlines.dates import parse_moment
    from sopcli.errors import InvalidInput

    m = parse_moment(typed, reg.tz, "дата исполнения")
    when = m if isinstance(m, datetime) else datetime.combine(m, datetime.min.time(), tzinfo=reg.tz)
    if when > now:
        raise InvalidInput("Дата исполнения в будущем.")
    return fulfil(session, reg, ob, when, note)


def fulfil(session: Session, reg: Registry, ob: Obligation, when: datetime, note: str = "") -> list[Obligation]:
    """Mark fulfilled, keep how late it was in working days, and open the next period."""
    if ob.status != "open":
        state = "уже исполнена" if ob.status == "fulfilled" else "отменена"
        raise StepNotAllowed(f"Обязанность №{ob.id} ({ob.rule}) {state}.")
    rule = reg.rulebook.find(ob.rule)
    counted_back = rule is not None and rule.term.kind is Kind.BEFORE  # due before its anchor: no lower bound
    if not counted_back and when < ob.trigger_at - timedelta(days=1):
        opened_on = fmt_date(ob.trigger_at.astimezone(reg.tz).date())
        raise InvalidInput(f"Дата исполнения раньше события, открывшего обязанность ({opened_on}).")
    cal = reg.calendar(session)
    local = when.astimezone(reg.tz)
    # the note it had is kept in the trail: `--as-of` of a moment before this write shows it (issue 30)
    was = {"was_note": ob.note} if note and note != ob.note else {}
    ob.status, ob.fulfilled_at, ob.note = "fulfilled", when, note or ob.note
    ob.settled_at = datetime.now(UTC)  # the write moment, for `--as-of` (`when` may be typed in the past)
    ob.late_wd = cal.working_days_between(ob.due, local.date()) if local.date() > ob.due else 0
    audit.record(session, reg, "fulfil", "obligation", ob.id, rule=ob.rule, at=when, late_wd=ob.late_wd, **was)
    return _next_period(session, reg, ob, local.date()) + _chained(session, reg, ob, when)


def _chained(session: Session, reg: Registry, ob: Obligation, when: datetime) -> list[Obligation]:
    """The terms a regional order counts from this duty's fulfilment (`done:RULE`, events.py), on its subject."""
    from sopcli.deadlines.events import DONE

    event = f"{DONE}{ob.rule}"
    if not reg.rulebook.listens(event):
        return []
    done = emit(session, reg, event, when, signal_id=ob.signal_id, case_id=ob.case_id, person_id=ob.person_id)
    return done.opened


def _next_period(session: Session, reg: Registry, ob: Obligation, done_on: date) -> list[Obligation]:
    """DEADLINES.md, periodic: the next occurrence, an obligation of its own.

    A gap (`every:6m`, 004 §5.6 "не реже одного раза в 6 месяцев") counts from the
    last fulfilment: a control done early or late moves the next one with it. A term
    on the calendar's grid (quarterly, monthly:30, quarterly:5, until:10.11) opens
    the period after the fulfilled one's own, whatever the day it was done: done
    20.03 for the first quarter, the second quarter's is due 30.06, never 31.03 again
    (issue 29 §4). Done late, in a later period, the next period's term opens all the
    same and may be due already: each period's report was owed, and a secretary marks
    each one done (a missed quarter is not forgiven by a late report of the one before).
    """
    rule = reg.rulebook.get(ob.rule)
    if not repeats(rule.term) or rule.standing:  # standing ones follow the calendar's periods
        return []
    grid = on_grid(rule.term)
    start = _period_after(session, reg, rule, ob) if grid else done_on
    nxt = open_rule(session, reg, rule, start, signal_id=ob.signal_id, case_id=ob.case_id,
                    person_id=ob.person_id, emergency_id=ob.emergency_id, measure_id=ob.measure_id,
                    owner=owner_of(ob), title=ob.title)
    if grid and nxt.note:  # its own period ran out before the last one was marked done: say so, not "entered late"
        nxt.note = ("срок истёк до записи: предыдущий период отмечен исполненным позже, чем истёк срок этого "
                    "(каждый период — отдельная обязанность)")
    return [nxt]


def _period_after(session: Session, reg: Registry, rule: Rule, ob: Obligation) -> date:
    """The next period's first day, its term's start: the day after the fulfilled term's own last day (before
    art. 193 moved it) — 01.01 after a quarter ending 31.12, 30.04 after «до 30 числа» of April."""
    due = reg.rulebook.due(reg.calendar(session), rule, _trigger(ob, reg, rule), reg.tz)
    return (due.raw_end or due.due) + timedelta(days=1)


def owner_of(ob: Obligation) -> owners.Owner:
    """The owner an obligation was bound to: its next period is owed by the same."""
    return owners.Owner(ob.owner_kind or "unbound", ob.who, ob.agency_id)


def _trigger(ob: Obligation, reg: Registry, rule: Rule | None = None) -> date | datetime:
    """The start as the step gave it: a date was stored as local midnight and had no kept moment.

    A term in hours keeps a moment even from a date (counted from the end of that day): its local midnight
    is read back as the date, so a recount never moves it an hour later than it was."""
    local = ob.trigger_at.astimezone(reg.tz)
    hours = rule is not None and rule.term.kind is Kind.HOURS
    if (ob.due_at is None or hours) and local.time() == datetime.min.time():
        return local.date()
    return ob.trigger_at


def recompute_open(session: Session, reg: Registry, reason: str) -> list[tuple[Obligation, date | datetime]]:
    """A calendar change moves the open terms it touches; each move is audited with the old date.

    Fulfilled and cancelled obligations keep the due date they were judged by.
    """
    reg.forget_calendar()
    cal = reg.calendar(session)
    moved = []
    for ob in session.exec(select(Obligation).where(Obligation.status == "open").with_for_update()):
        rule = reg.rulebook.find(ob.rule)
        if rule is None or rule.term.kind is Kind.OWN or ob.note.startswith(ENDED):
            continue  # a measure's own date, an event's own day (`_end_by`), or a rule no longer in the book
        due = reg.rulebook.due(cal, rule, _trigger(ob, reg, rule), reg.tz)
        if (due.due, due.due_at) == (ob.due, ob.due_at):
            continue
        old = ob.due_at or ob.due
        ob.due, ob.due_at, ob.target = due.due, due.due_at, due.target
        audit.record(session, reg, "recompute", "obligation", ob.id, rule=ob.rule, old=old, due=due.due,
                     reason=reason)
        moved.append((ob, old))
    return moved


def cancel(session: Session, reg: Registry, ob: Obligation, reason: str, when: datetime) -> None:
    """No longer applies, as of the step's moment: kept with the reason, and judged late if its term had run out."""
    ob.status, ob.cancel_reason, ob.cancelled_at = "cancelled", reason, when
    ob.settled_at = datetime.now(UTC)
    audit.record(session, reg, "cancel", "obligation", ob.id, rule=ob.rule, reason=reason)


def cancel_open(session: Session, reg: Registry, reason: str, when: datetime, *, case_id: int | None = None,
                signal_id: int | None = None, keep_ids: set[int | None] | None = None) -> list[Obligation]:
    conds = []
    if case_id is not None:
        conds.append(Obligation.case_id == case_id)
    if signal_id is not None:
        conds.append(Obligation.signal_id == signal_id)
    rows = session.exec(select(Obligation).where(Obligation.status == "open", or_(*conds)).with_for_update()).all()
    out = []
    for ob in rows:
        if keep_ids and ob.id in keep_ids:
            continue
        cancel(session, reg, ob, reason, when)
        out.append(ob)
    return out


def find_open(session: Session, rule: str | None, case_id: int | None, signal_id: int | None) -> Obligation:
    """The one open obligation of a rule on a case or signal: so nobody has to look up a number."""
    if not rule or (case_id is None) == (signal_id is None):
        raise InvalidInput("Укажите номер обязанности или --rule вместе с --case либо --signal.")
    lock_owner(session, case_id, signal_id)
    q = select(Obligation).where(Obligation.rule == rule, Obligation.status == "open")
    q = q.where(Obligation.case_id == case_id) if case_id is not None else q.where(Obligation.signal_id == signal_id)
    found = list(session.exec(q.order_by(Obligation.id).with_for_update()).all())  # type: ignore[arg-type]
    where = f"делу №{case_id}" if case_id is not None else f"сигналу №{signal_id}"
    if not found:
        raise NotFound(f"Открытой обязанности {rule[:40]} по {where} нет.")
    if len(found) > 1:
        raise InvalidInput(f"По {where} открыто несколько {rule}: {', '.join(str(o.id) for o in found)} — "
                           "укажите номер.")
    return found[0]


def get(session: Session, ob_id: int) -> Obligation:
    """The obligation locked for fulfilment, its case (or signal) locked before it (see `lock_owner`)."""
    peek = session.get(Obligation, ob_id)
    if peek is not None:
        lock_owner(session, peek.case_id, peek.signal_id)
    ob = session.get(Obligation, ob_id, with_for_update=True, populate_existing=True)
    if ob is None:
        raise NotFound(f"Обязанности №{ob_id} нет в реестре.")
    return ob


def lock_owner(session: Session, case_id: int | None, signal_id: int | None) -> None:
    """Lock the case (else the signal) an obligation belongs to, before the obligation itself.

    Every step takes its locks in one order: the audit trail's head (taken first thing in every
    write transaction, `audit.lock_chain`), then signal → case → measure → obligations. `close`, `report`,
    `plan approve` and `control` lock the case first; a `deadlines done` on that
    case's obligation must too. Otherwise, on PostgreSQL, `done` on the 6-month
    control holds the obligation while its next term's insert waits for the case
    that `close` holds while waiting for the obligation — a deadlock — or, had the
    insert not waited, the closure would miss the new term and leave it open on a
    closed case. SQLite writes one transaction at a time (BEGIN IMMEDIATE).
    """
    from sopcli.models import Case, Signal

    if case_id is not None:
        session.get(Case, case_id, with_for_update=True)
    elif signal_id is not None:
        session.get(Signal, signal_id, with_for_update=True)
