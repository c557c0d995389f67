"""A regional complex of measures (002) in the registry: imported, reported on, followed.

Each readable period of a measure becomes, for each of its executors, an
obligation to report by the period's end (moved to the next working day, art.
193); a span of years or "постоянно" becomes one per year or quarter. What no
one could read is kept with the measure and shown, never guessed.
"""

from __future__ import annotations

import difflib
from datetime import UTC, date, datetime
from typing import Any

from sqlmodel import Session, col, select

from sopcli.deadlines.compute import due_on_date
from sopcli.deadlines.periods import approved_on, parse_periods
from sopcli.errors import InvalidInput, NotFound, StepNotAllowed
from sopcli.models import Complex, ComplexMeasure, Obligation
from sopcli.progress import SILENT, Progress
from sopcli.services.directory.agencies import among
from sopcli.services.files_in.complex_table import Complex as Table
from sopcli.services.registry import Registry
from sopcli.services.steps import obligations, owners
from sopcli.services.trust import audit


def import_complex(session: Session, reg: Registry, table: Table, file_name: str,
                   span: tuple[int, int] | None, progress: Progress = SILENT) -> dict[str, Any]:
    """The complex, its measures and every executor's reporting terms, in the caller's transaction.

    `progress` counts the measures: each opens a term per executor and period, hundreds in all."""
    if session.exec(select(Complex.id).where(Complex.title == table.title)).first() is not None:
        raise StepNotAllowed("Этот комплекс мер уже импортирован (тот же заголовок): sopcli measures list.")
    span = span or table.span
    cx = Complex(title=table.title, span_from=span[0] if span else None, span_to=span[1] if span else None,
                 file_name=file_name[:300], created_at=datetime.now(UTC))
    session.add(cx)
    session.flush()
    rules = reg.rulebook.for_event(reg.rule_set, "complex.measure")  # one reporting term per executor and due
    cal = reg.calendar(session)
    approved = approved_on(table.title)
    opened = 0
    unread_all = []
    progress.stage("Импорт мероприятий комплекса", len(table.measures))
    for m in table.measures:
        progress.advance()
        periods, unread = parse_periods(m.period, span)
        cm = ComplexMeasure(complex_id=cx.id, section=m.section, number=m.number, text=m.text, period=m.period,
                            executors="\n".join(m.executors), unread="\n".join(unread), created_at=datetime.now(UTC))
        session.add(cm)
        session.flush()
        for p in periods:
            # a quarter or a year of "постоянно" that ended before the complex was approved owes nothing
            dues = [d for d in p.dues if approved is None or not p.every or d >= approved]
            for due in dues:
                for executor in m.executors:
                    start = max(p.start, approved) if approved and p.every else p.start
                    for rule in rules:
                        obligations.open_fixed(session, reg, rule, reg.start_of(start), due_on_date(cal, due),
                                               owner=executor_owner(session, reg, executor),
                                               title=f"{m.number}. {m.text}"[:500], complex_measure_id=cm.id)
                        opened += 1
        if unread or not periods:
            unread_all.append({"number": m.number, "period": m.period, "unread": unread or [m.period]})
    audit.record(session, reg, "import", "measure_complex", cx.id, measures=len(table.measures), obligations=opened)
    return {"complex": cx.id, "title": cx.title, "span": list(span) if span else None, "approved_on": approved,
            "sections": len(table.sections), "measures": len(table.measures), "obligations": opened,
            "unread": unread_all}


def report(session: Session, reg: Registry, complex_id: int, number: str, executor: str, day: date,
           text: str) -> tuple[Obligation, list[Obligation]]:
    """The executor's report on a measure fulfils its earliest open reporting term."""
    cm = session.exec(select(ComplexMeasure).where(ComplexMeasure.complex_id == complex_id,
                                                   ComplexMeasure.number == number.rstrip("."))).first()
    if cm is None:
        raise NotFound(f"В комплексе №{complex_id} нет мероприятия № {number[:10]}.")
    names = [e for e in cm.executors.split("\n") if e]
    named = among(executor, names)  # "ПДН" names "ОМВД России (ПДН)": whole words, never a guess (issue 13)
    if len(named) > 1:
        raise InvalidInput(f"«{executor[:60]}» подходит нескольким исполнителям мероприятия № {cm.number}: "
                           f"{'; '.join(named)[:300]}.")
    if not named:
        close = difflib.get_close_matches(executor, names, n=3, cutoff=0.4)
        hint = f" Возможно: {'; '.join(close)}." if close else f" Исполнители: {'; '.join(names)[:300]}."
        raise InvalidInput(f"«{executor[:60]}» — не исполнитель мероприятия № {cm.number}.{hint}")
    found = named[0]
    owner = executor_owner(session, reg, found)
    ob = session.exec(select(Obligation).where(Obligation.complex_measure_id == cm.id, Obligation.who == owner.name,
                                               Obligation.status == "open")
                      .order_by(col(Obligation.due)).with_for_update()).first()
    if ob is None:
        raise StepNotAllowed(f"У «{found[:60]}» по мероприятию № {cm.number} нет открытых сроков отчёта.")
    opened = obligations.fulfil(session, reg, ob, reg.start_of(day), text[:1000])
    return ob, opened


def executor_owner(session: Session, reg: Registry, executor: str) -> owners.Owner:
    """A complex's responsible body: the directory's agency when its name says exactly one, else the body as
    the complex names it (a regional ministry a municipal directory lacks), left for `agency bind`."""
    found = owners.bind(session, reg, "ответственный исполнитель", owners.Binding(explicit=executor[:300]))
    return found[0]


def latest_complex(session: Session) -> int:
    """The complex a report is about when none is named: the last one imported."""
    complex_id = session.exec(select(Complex.id).order_by(col(Complex.id).desc())).first()
    if complex_id is None:
        raise NotFound("Комплексов мер в реестре нет: sopcli measures import ФАЙЛ.")
    return complex_id
