"""Recording a reconciliation: the row that says it was done, and the quarter's term it fulfils."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlmodel import Session, col, select

from sopcli.models import Obligation, Reconciliation
from sopcli.services.registry import Registry
from sopcli.services.steps import obligations
from sopcli.services.steps.standing import period_window
from sopcli.services.trust import audit


def record(session: Session, reg: Registry, agency: str, quarter: str, start: date, when: date, file_name: str,
           result: Any) -> tuple[list[Obligation], list[Obligation]]:
    """Keep the reconciliation; fulfil `me.reconcile.q` of that agency and quarter if it is open."""
    rec = Reconciliation(agency=agency, quarter=quarter, done_on=when, file_name=file_name[:300],
                         matched=len(result.matched), mismatched=len(result.mismatched),
                         only_registry=len(result.only_registry), only_agency=len(result.only_agency),
                         created_at=datetime.now(UTC))
    session.add(rec)
    session.flush()
    audit.record(session, reg, "create", "reconciliation", rec.id, agency=agency, quarter=quarter,
                 mismatched=rec.mismatched, only_registry=rec.only_registry, only_agency=rec.only_agency)
    opened: list[Obligation] = []
    fulfilled: list[Obligation] = []
    lo, hi = period_window(reg, start)
    for ob in session.exec(select(Obligation).where(
            col(Obligation.rule).in_(reg.rulebook.fulfilled_by("reconcile.done")), Obligation.status == "open",
            Obligation.recipient == agency,
            col(Obligation.trigger_at) >= lo, col(Obligation.trigger_at) <= hi).with_for_update()).all():
        opened += obligations.fulfil(session, reg, ob, reg.start_of(when), f"акт сверки: {file_name[:100]}")
        fulfilled.append(ob)
    return opened, fulfilled
