"""«Справка о ходе работы по делу № N»: a case's history (services/reading/history.py) on A4 for a check.

One XLSX list in the house's paper writer (render/xlsx.py): the commission's name and the title at the head,
the child or the family under it, a row per event (its day, what happened, when it was written and by whom),
the secretary's signature line under the table. Every cell is Russian: the kinds are the events' words, and
a recorder the audit trail does not name is said so in words.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sopcli.render.xlsx import Column, Sheet
from sopcli.services.reading.db import Reader
from sopcli.vocab import SUBJECT_LABELS, label_of

NOT_IN_TRAIL = "нет в журнале аудита"


def when_text(e: dict[str, Any]) -> str:
    """The event's own moment as the step gave it: a day, or a day and a time."""
    return f"{e['at']:%d.%m.%Y %H:%M}" if e["timed"] else f"{e['at']:%d.%m.%Y}"


def recorded_text(e: dict[str, Any]) -> str:
    return f"{e['recorded_at']:%d.%m.%Y %H:%M}" if e["recorded_at"] is not None else "—"


def persons_text(doc: dict[str, Any]) -> str:
    """«Семья: …» / «Несовершеннолетний: …»: the children with their birthdays, then the parents."""
    kids = [f"{p['name']}, {p['birth_date']:%d.%m.%Y} г. р." if p["birth_date"] else p["name"]
            for p in doc["persons"] if p["role"] == "child"]
    parents = [p["name"] for p in doc["persons"] if p["role"] != "child"]
    parts = []
    if kids:
        parts.append(("несовершеннолетние: " if len(kids) > 1 else "несовершеннолетний: ") + "; ".join(kids))
    if parents:
        parts.append(("родители (законные представители): " if len(parents) > 1
                      else "родитель (законный представитель): ") + "; ".join(parents))
    # a minor's case: the child is named once, not «Несовершеннолетний — несовершеннолетний: …»
    lead = "семья — " if doc["subject"] == "family" else ""
    text = (lead + "; ".join(parts)) if parts else label_of(doc["subject"], SUBJECT_LABELS)
    return f"{text[:1].upper()}{text[1:]}"


def sheet(r: Reader, doc: dict[str, Any], printed: datetime) -> Sheet:
    """The paper of `doc` (`history.history`), as of `printed` (the cut, or now)."""
    from sopcli.services.papers.exports import commission_name, secretary

    cut = doc["as_of"]
    when = (f"по состоянию на {cut:%d.%m.%Y %H:%M}"
            + (" (по нынешним записям)" if doc["known_now"] else " (по записям на тот момент)")
            if cut is not None else f"по состоянию на {printed:%d.%m.%Y %H:%M}")
    rows = [[i, when_text(e), e["text"], recorded_text(e), e["recorded_by"] or NOT_IN_TRAIL]
            for i, e in enumerate(doc["events"], 1)]
    return Sheet("Справка", f"{commission_name(r)}\nСправка о ходе работы по делу № {doc['case']}",
                 [Column("№ п/п", 7), Column("Дата события", 17), Column("Событие", 52),
                  Column("Записано (дата, время)", 17), Column("Кем записано", 16)],
                 rows, subtitle=f"{persons_text(doc).rstrip('.')}. Сведения {when}.", signatures=[secretary(r)],
                 notes=[] if rows else ["Событий на этот момент нет."])
