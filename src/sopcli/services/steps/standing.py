"""Obligations no step's event opens: the calendar's and a person's decision's.

The calendar: each quarter's bank list and reconciliation (004 §5.6), the yearly figures by 10 January
(001 §2.5.1 е), the graduates' analysis by 1 October (000 §1), and a region's monthly ones
(`standing = "month"`: «ежемесячно до 30 числа», Perm № 7 прил. 13 п. 3). They are opened for the current
period by `init` and by every write step, so a registry in use always shows them; the read-only cron
digest never writes.

A decision (issue 29 §5): «при необходимости в течение трех рабочих дней», «по запросу». No step's event can
say when such a term is owed: hung on a step, it opened for every signal, and with no event it could not be
said at all. The rulebook marks the rule `on_request`; the secretary opens it with `sopcli deadlines open
RULE --signal N|--case N --date …` when the need is decided or the request arrives. The opening is audited
with its reason, and the term is counted, owned and explained as any other.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import text
from sqlmodel import Session, col, select

from sopcli.deadlines.compute import Due
from sopcli.deadlines.rulebook import Rule
from sopcli.errors import InvalidInput
from sopcli.models import Agency, Obligation, Signal
from sopcli.services.directory import agencies
from sopcli.services.registry import Registry
from sopcli.services.steps import obligations, owners
from sopcli.services.steps.common import StepResult, get_case, get_signal, not_future

_MONTHS = {"month": 1, "quarter": 3}  # a standing period's length in months; "year" is the calendar year


def period_start(kind: str, today: date) -> date:
    if kind in _MONTHS:
        step = _MONTHS[kind]
        return date(today.year, (today.month - 1) // step * step + 1, 1)
    return date(today.year, 1, 1)


def next_period(kind: str, start: date) -> date:
    if kind in _MONTHS:
        month = start.month + _MONTHS[kind]
        return date(start.year + (month > 12), (month - 1) % 12 + 1, 1)
    return date(start.year + 1, 1, 1)


def period_window(reg: Registry, first: date) -> tuple[datetime, datetime]:
    """Moments that mean "this period's obligation" in any time zone the registry has ever had.

    The trigger is the period's first day at local midnight; a later `init --tz`
    moves that midnight by hours, never by a day, so the period is found either way.
    """
    start = reg.start_of(first)
    return start - timedelta(hours=14), start + timedelta(hours=14)


def ensure_standing(session: Session, reg: Registry, today: date) -> list[Obligation]:
    """Open the standing rules of the registry's set for the period `today` falls in, once.

    A period whose term already ran out when it would be opened (the yearly figures
    on a registry created in November) is skipped for the next one: nobody could
    have been reminded of it.

    The first writes of a new quarter may come at once: on PostgreSQL (READ
    COMMITTED) each would see the period missing and open it again. What is missing
    is looked up again under a transaction lock, taken only when something is
    missing (rarely) and before any row lock of the step, so it cannot close a cycle.
    """
    missing = _missing(session, reg, today)
    if missing and session.get_bind().dialect.name == "postgresql":
        session.exec(text("SELECT pg_advisory_xact_lock(4242002)"))  # type: ignore[call-overload]
        missing = _missing(session, reg, today)
    opened = []
    for rule, start, to in missing:
        title = f"{rule.title}: {to}" if to else None
        owner = owners.standing_owner(session, reg, rule.who, to)
        # a body's own term (its yearly figures) goes to the commission; the commission's per-body one, to the body
        recipient = rule.to if owner.kind == "agency" else to
        opened.append(obligations.open_rule(session, reg, rule, start.date(), recipient=recipient, title=title,
                                            owner=owner))
    return opened


def _missing(session: Session, reg: Registry, today: date) -> list[tuple[Rule, datetime, str | None]]:
    """(rule, period start, recipient) of the standing obligations the current period still lacks."""
    missing = []
    cal = None
    for rule in reg.rulebook.for_set(reg.rule_set):
        if not rule.standing:
            continue
        first = period_start(rule.standing, today)
        cal = cal or reg.calendar(session)
        if reg.rulebook.due(cal, rule, first, reg.tz).due < today:
            first = next_period(rule.standing, first)
        start = reg.start_of(first)
        recipients: list[str | None] = [None]
        if rule.each == "agency":
            recipients = list(session.exec(select(Agency.name).where(
                Agency.is_active == True, Agency.kind != "kdn").order_by(col(Agency.id))).all())  # noqa: E712
        lo, hi = period_window(reg, first)
        found = session.exec(select(Obligation.recipient, Obligation.title).where(
            Obligation.rule == rule.id, col(Obligation.trigger_at) >= lo, col(Obligation.trigger_at) <= hi,
            Obligation.case_id.is_(None), Obligation.signal_id.is_(None))).all()  # type: ignore[union-attr]
        have = {r for r, _t in found} | {t for _r, t in found}
        missing += [(rule, start, to) for to in recipients
                    if (to or rule.to) not in have and (not to or f"{rule.title}: {to}" not in have)]
    return missing


def switch_rules(session: Session, reg: Registry, old: str, new: str, when: datetime) -> list[Obligation]:
    """A registry moving to another set: the open terms of rules the new set does not hold are cancelled.

    Each keeps the reason (from which set to which), so nothing recorded is lost.
    The signals still waiting for their check get the new set's registration terms
    (their events are emitted again; a term already there is not opened twice);
    the new set's standing terms are opened by the caller (`ensure_standing`). Cases
    already at work are not replayed: what their later steps fulfilled is not known
    to the new set's terms, and a programme approved under 001 is not owed again.
    """
    keep = {r.id for r in reg.rulebook.for_set(new)}
    reason = f"набор правил сменён: {old} → {new}"
    rows = session.exec(select(Obligation).where(Obligation.status == "open",
                                                 col(Obligation.rule).not_in(keep)).with_for_update()).all()
    for ob in rows:
        obligations.cancel(session, reg, ob, reason, when)
    return list(rows)


def replay_waiting_signals(session: Session, reg: Registry) -> list[Obligation]:
    """The registration terms of the registry's (new) set for every signal not yet checked."""
    opened: list[Obligation] = []
    for sig in session.exec(select(Signal).where(Signal.status == "registered").order_by(col(Signal.id))):
        events = ["signal.registered", *(f"signal.kind.{k}" for k in sig.kind.split(",") if k)]
        events += ["signal.phone"] if sig.channel == "phone" else []
        events += ["signal.threat"] if sig.threat else []
        for event in [*events, "signal.received"]:
            opened += obligations.emit(session, reg, event, sig.received_at, signal_id=sig.id,
                                       trigger=sig.detected_at).opened
    return opened


# -- terms a decision opens (issue 29 §5) ------------------------------------------------------
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
