"""Obligations the calendar opens, not a step: each quarter's bank list and reconciliation (004 §5.6),
the yearly figures by 10 January (001 §2.5.1 е), the graduates' analysis by 1 October (000 §1), and a
region's monthly ones (`standing = "month"`: «ежемесячно до 30 числа», Perm № 7 прил. 13 п. 3).

They are opened for the current period by `init` and by every write step, so a
registry in use always shows them; the read-only cron digest never writes.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import text
from sqlmodel import Session, col, select

from sopcli.deadlines.rulebook import Rule
from sopcli.models import Agency, Obligation, Signal
from sopcli.services.registry import Registry
from sopcli.services.steps import obligations, owners

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
