"""Terms a person's decision opens (issue 29 §5): «при необходимости в течение трех рабочих дней», «по запросу».

No step's event can say when such a term is owed: hung on a step, it opened for every signal, and with no
event it could not be said at all. The rulebook marks the rule `on_request`; the secretary opens it with
`sopcli deadlines open RULE --signal N|--case N --date …` when the need is decided or the request arrives.
The opening is audited with its reason, and the term is counted, owned and explained as any other.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, col, select

from sopcli.deadlines.compute import Due
from sopcli.deadlines.rulebook import Rule
from sopcli.errors import InvalidInput
from sopcli.services.directory import agencies
from sopcli.services.registry import Registry
from sopcli.services.steps import obligations, owners
from sopcli.services.steps.common import StepResult, get_case, get_signal, not_future


def open_requested(session: Session, reg: Registry, rule_id: str, when: date | datetime, now: datetime, *,
                   case_id: int | None = None, signal_id: int | None = None, agency: str = "",
                   reason: str = "", due: date | None = None) -> StepResult:
    """Open the rule's term on the subject, counted from `when` (the decision or the request's arrival).

    A rule whose term is the request's own («дополнительно по запросу», term `own`) takes the date the request
    set (`due`); any other rule counts its own term, and a date given for it is refused, not silently dropped.
    """
    from sopcli.deadlines.events import event_of

    rule = reg.rulebook.get(rule_id)
    if rule not in reg.rulebook.for_set(reg.rule_set):
        raise InvalidInput(f"Правило {rule.id} не входит в свод реестра ({reg.rule_set}).")
    if not rule.on_request:
        how = ", ".join(dict.fromkeys(f"sopcli {event_of(e).step}" for e in rule.opens)) or "календарь (по периодам)"
        raise InvalidInput(f"Правило {rule.id} открывается не решением, а шагом: {how}.")
    if (case_id is None) == (signal_id is None):
        raise InvalidInput("Укажите, по чему открыть срок: --signal НОМЕР или --case НОМЕР.")
    not_future(when, now, "Дата решения (запроса)", reg)
    obligations.lock_owner(session, case_id, signal_id)
    case = get_case(session, case_id) if case_id is not None else None
    signal = get_signal(session, signal_id if signal_id is not None else case.signal_id)  # type: ignore[union-attr]
    _not_twice(session, rule.id, when if isinstance(when, datetime) else reg.start_of(when), case_id, signal.id)
    named = agencies.resolve(agency, owners.directory(session)).name if agency.strip() else ""
    fixed = _own_due(reg, session, rule, when, due)
    result = StepResult(rule)
    why = reason.strip()[:300] or "по решению"
    # the agency the request is addressed to: the owner of a role the step names (an executor), else the
    # agency a source or kind role is bound to
    explicit = named if rule.who in owners.NAMED_ROLES else ""
    binding = owners.Binding(signal=signal, case=case, named=named, explicit=explicit)
    for owner in owners.bind(session, reg, rule.who, binding):
        if owner.kind == "unbound":
            result.warnings.append(owners.unbound_note(owner.name, rule.title))
        if fixed is not None:
            start = when if isinstance(when, datetime) else reg.start_of(when)
            ob = obligations.open_fixed(session, reg, rule, start, fixed, owner=owner, title=rule.title,
                                        case_id=case_id, signal_id=signal.id, why=why)
        else:
            ob = obligations.open_rule(session, reg, rule, when, signal_id=signal.id, case_id=case_id, owner=owner,
                                       why=why)
        result.opened.append(ob)
    if not result.opened:
        raise InvalidInput(f"Срок {rule.id} некому исполнять: роль «{rule.who}» по этому "
                           f"{'делу' if case is not None else 'сигналу'} не относится ни к одному органу.")
    return result


def _not_twice(session: Session, rule_id: str, when: datetime, case_id: int | None, signal_id: int | None) -> None:
    """The same decision typed twice opens nothing new: a second request is another moment."""
    from sopcli.models import Obligation

    q = select(Obligation.id).where(Obligation.rule == rule_id, Obligation.trigger_at == when,
                                    Obligation.status != "cancelled")
    q = q.where(Obligation.case_id == case_id) if case_id is not None else q.where(
        Obligation.signal_id == signal_id, col(Obligation.case_id).is_(None))
    found = session.exec(q).first()
    if found is not None:
        raise InvalidInput(f"Срок {rule_id} с этой даты уже открыт: обязанность №{found}.")


def _own_due(reg: Registry, session: Session, rule: Rule, when: date | datetime, due: date | None) -> Due | None:
    """The request's own date for a rule whose term is the request's; None for a rule with a term of its own."""
    from sopcli.deadlines.compute import due_on_date
    from sopcli.deadlines.dates import fmt_date
    from sopcli.deadlines.terms import Kind

    if rule.term.kind is not Kind.OWN:
        if due is not None:
            raise InvalidInput(f"У правила {rule.id} свой срок ({rule.term.label}): дата --due не указывается.")
        return None
    if due is None:
        raise InvalidInput(f"Срок правила {rule.id} устанавливает запрос: укажите его дату, --due ДД.ММ.ГГГГ.")
    day = when.astimezone(reg.tz).date() if isinstance(when, datetime) else when
    if due < day:
        raise InvalidInput(f"Срок по запросу {fmt_date(due)} раньше самого запроса ({fmt_date(day)}).")
    return due_on_date(reg.calendar(session), due)
