"""Obligations: opened by a step from the rulebook, fulfilled, cancelled, digested.

Overdue is computed, never stored (DEADLINES.md): open, and the term ran out
before `as_of` — the end of the due day (art. 194) or the kept moment.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import or_
from sqlmodel import Session, col, select

from sopcli.deadlines.compute import add_months
from sopcli.deadlines.dates import fmt_date
from sopcli.deadlines.rulebook import Rule
from sopcli.deadlines.terms import Kind
from sopcli.errors import InvalidInput, StepNotAllowed
from sopcli.models import Obligation
from sopcli.services import audit
from sopcli.services.registry import Registry, get_or_not_found

DETECTING = "выявивший орган"


def open_for_event(session: Session, reg: Registry, event: str, trigger: date | datetime, *,
                   signal_id: int | None = None, case_id: int | None = None,
                   person_id: int | None = None, source_agency: str = "") -> list[Obligation]:
    """Open every rule of the registry's set that `event` triggers (deduplicated)."""
    opened = []
    for rule in reg.rulebook.for_event(reg.rule_set, event):
        exists = session.exec(select(Obligation.id).where(
            Obligation.rule == rule.id, Obligation.signal_id == signal_id, Obligation.case_id == case_id,
            Obligation.person_id == person_id, Obligation.status == "open")).first()
        if exists is None:
            opened.append(open_rule(session, reg, rule, trigger, signal_id=signal_id, case_id=case_id,
                                    person_id=person_id, source_agency=source_agency))
    return opened


def open_rule(session: Session, reg: Registry, rule: Rule, trigger: date | datetime, *,
              signal_id: int | None = None, case_id: int | None = None, person_id: int | None = None,
              source_agency: str = "") -> Obligation:
    cal = reg.calendar(session)
    due = reg.rulebook.due(cal, rule, trigger, reg.tz)
    moment = trigger if isinstance(trigger, datetime) else reg.start_of(trigger)
    who = source_agency if rule.who == DETECTING and source_agency else rule.who
    ob = Obligation(
        rule=rule.id, title=rule.title, who=who, recipient=rule.to, source=rule.source,
        signal_id=signal_id, case_id=case_id, person_id=person_id, trigger_at=moment,
        due=due.due, due_at=due.due_at, target=due.target, created_at=datetime.now(UTC),
    )
    session.add(ob)
    session.flush()
    audit.record(session, reg, "open", "obligation", ob.id, rule=rule.id, due=due.due)
    return ob


def fulfil(session: Session, reg: Registry, ob: Obligation, when: datetime, note: str = "") -> list[Obligation]:
    """Mark fulfilled, keep how late it was in working days, and open the next period."""
    if ob.status != "open":
        state = "уже исполнена" if ob.status == "fulfilled" else "отменена"
        raise StepNotAllowed(f"Обязанность №{ob.id} ({ob.rule}) {state}.")
    if when < ob.trigger_at - timedelta(days=1):
        opened_on = fmt_date(ob.trigger_at.astimezone(reg.tz).date())
        raise InvalidInput(f"Дата исполнения раньше события, открывшего обязанность ({opened_on}).")
    cal = reg.calendar(session)
    local = when.astimezone(reg.tz)
    ob.status, ob.fulfilled_at, ob.note = "fulfilled", when, note or ob.note
    ob.late_wd = cal.working_days_between(ob.due, local.date()) if local.date() > ob.due else 0
    audit.record(session, reg, "fulfil", "obligation", ob.id, rule=ob.rule, at=when, late_wd=ob.late_wd)
    return _next_period(session, reg, ob)


def _next_period(session: Session, reg: Registry, ob: Obligation) -> list[Obligation]:
    """DEADLINES.md, periodic: the next occurrence is an obligation of its own."""
    rule = reg.rulebook.get(ob.rule)
    if rule.term.kind is not Kind.PERIODIC or rule.term.unit != "m":
        return []
    # art. 192 from the recognition: 6, 12, 18 … months, each from the first trigger
    first = session.exec(select(Obligation).where(
        Obligation.rule == ob.rule, Obligation.case_id == ob.case_id).order_by(col(Obligation.id))).first()
    done = session.exec(select(Obligation.id).where(
        Obligation.rule == ob.rule, Obligation.case_id == ob.case_id)).all()
    anchor = first.trigger_at.astimezone(reg.tz).date() if first else ob.trigger_at.date()
    nxt = add_months(anchor, rule.term.n * len(done))
    new = Obligation(
        rule=rule.id, title=rule.title, who=ob.who, recipient=ob.recipient, source=rule.source,
        signal_id=ob.signal_id, case_id=ob.case_id, person_id=ob.person_id, trigger_at=reg.start_of(nxt),
        due=reg.calendar(session).on_or_after(add_months(anchor, rule.term.n * (len(done) + 1))),
        created_at=datetime.now(UTC),
    )
    session.add(new)
    session.flush()
    audit.record(session, reg, "open", "obligation", new.id, rule=rule.id, due=new.due)
    return [new]


def cancel_open(session: Session, reg: Registry, reason: str, *, case_id: int | None = None,
                signal_id: int | None = None, keep: tuple[str, ...] = ()) -> list[Obligation]:
    conds = []
    if case_id is not None:
        conds.append(Obligation.case_id == case_id)
    if signal_id is not None:
        conds.append(Obligation.signal_id == signal_id)
    rows = session.exec(select(Obligation).where(Obligation.status == "open", or_(*conds))).all()
    out = []
    for ob in rows:
        if ob.rule in keep:
            continue
        ob.status, ob.cancel_reason = "cancelled", reason
        audit.record(session, reg, "cancel", "obligation", ob.id, rule=ob.rule, reason=reason)
        out.append(ob)
    return out


def get(session: Session, ob_id: int) -> Obligation:
    return get_or_not_found(session, Obligation, ob_id, f"Обязанности №{ob_id} нет в реестре.")
