"""What the card (004 App. 3 §6–10) and the programme's evaluation (App. 4) ask of a case (0010).

The family category, the parents' profile and the kind of danger are checklists
of the seed: stored as codes, printed in its words. The registrations by
agencies (§9) and the assignments (§10) are one row per agency kind: typing one
again replaces it, and the audit keeps the old and new values, so a corrected
protocol number is never lost. The КДН row of §9 is the case itself (its
resolution), so it is not typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sopcli.deadlines.dates import fmt_date
from sopcli.errors import InvalidInput
from sopcli.vocab import (
    ASSIGNMENT_LABELS,
    DANGER_LABELS,
    FAMILY_CATEGORIES,
    PARENTS_PROFILE_LABELS,
    REGISTER_SELF,
    REGISTERS,
    code_for,
    fold,
)

if TYPE_CHECKING:
    from sqlmodel import Session

    from sopcli.models import Case
    from sopcli.services.reading.db import Reader
    from sopcli.services.registry import Registry

ASSIGNMENT_LIMIT = 1000
REASON_LIMIT = 1000
TYPED_REGISTERS = {code: word for code, word in REGISTERS.items() if code != "kdn"}


@dataclass
class CaseFields:
    """`case set`: empty = not given, left as it is."""

    family: list[str] = field(default_factory=list)
    parents_profile: str | None = None
    danger: list[str] = field(default_factory=list)


def _codes(typed: list[str], labels: dict[str, str], what: str, kind: str) -> str:
    codes = {code_for(v, labels, what, kind) for v in typed}
    return ",".join(c for c in labels if c in codes)  # the seed's order, each once


def set_case(session: Session, reg: Registry, case_id: int, data: CaseFields) -> Case:
    """App. 3 §6–8: the given checklists replace what was stored; audited with the old and new codes."""
    from sopcli.services.steps.common import get_case
    from sopcli.services.trust import audit

    if not data.family and not data.danger and not data.parents_profile:
        raise InvalidInput("Нечего записать: укажите --family-category, --parents-profile или --danger.")
    new: dict[str, str] = {}
    if data.family:
        new["family_category"] = _codes(data.family, FAMILY_CATEGORIES, "категории семьи", "family")
    if data.parents_profile:
        new["parents_profile"] = code_for(data.parents_profile, PARENTS_PROFILE_LABELS,
                                          "характеристики родителей", "parents")
    if data.danger:
        new["danger_kinds"] = _codes(data.danger, DANGER_LABELS, "вида опасности", "danger")
    case = get_case(session, case_id)
    changed = {k: {"было": getattr(case, k), "стало": v} for k, v in new.items() if getattr(case, k) != v}
    for k, v in new.items():
        setattr(case, k, v)
    session.add(case)
    session.flush()
    if changed:
        audit.record(session, reg, "update", "case", case.id, **changed)
    return case


def register(session: Session, reg: Registry, case_id: int, agency: str, on: date, protocol: str, reason: str,
             now: datetime) -> tuple[Any, dict[str, Any] | None]:
    """App. 3 §9: the case on an agency's register; the row of that agency kind is replaced if there is one."""
    from sqlmodel import select

    from sopcli.models import CaseRegistration
    from sopcli.services.directory.names import one_line
    from sopcli.services.steps.common import get_case, not_future
    from sopcli.services.trust import audit

    if fold(agency) in REGISTER_SELF:
        raise InvalidInput("Учёт в КДН — это само дело (постановление о признании): в карточке он берётся из "
                           "дела; укажите орган: " + ", ".join(TYPED_REGISTERS.values()) + ".")
    kind = code_for(agency, TYPED_REGISTERS, "органа учёта", "register")
    not_future(on, now, "Дата постановки на учёт", reg)
    protocol = " ".join(protocol.split())
    if len(protocol) > 50:
        raise InvalidInput("Слишком длинно: номер протокола — не более 50 знаков.")
    reason = one_line(reason, "основание", REASON_LIMIT) if reason.strip() else ""
    case = get_case(session, case_id)
    row = session.exec(select(CaseRegistration).where(CaseRegistration.case_id == case.id,
                                                      CaseRegistration.agency_kind == kind)
                       .with_for_update()).first()
    old = None if row is None else {"registered_on": row.registered_on, "protocol": row.protocol,
                                    "reason": row.reason}
    if row is None:
        row = CaseRegistration(case_id=case.id, agency_kind=kind)
    row.registered_on, row.protocol, row.reason = on, protocol, reason
    session.add(row)
    session.flush()
    audit.record(session, reg, "set", "case", case.id, registration=kind, **({"было": old} if old else {}),
                 стало={"registered_on": on, "protocol": protocol, "reason": reason})
    return row, old


def assign(session: Session, reg: Registry, case_id: int, kind: str, text: str) -> tuple[Any, str | None]:
    """App. 3 §10: where the family is assigned; the row of that kind is replaced if there is one."""
    from sqlmodel import select

    from sopcli.models import CaseAssignment
    from sopcli.services.directory.names import one_line
    from sopcli.services.steps.common import get_case
    from sopcli.services.trust import audit

    kind = code_for(kind, ASSIGNMENT_LABELS, "закрепления", "assign")
    text = one_line(text, "сведения о закреплении", ASSIGNMENT_LIMIT, "--text")
    case = get_case(session, case_id)
    row = session.exec(select(CaseAssignment).where(CaseAssignment.case_id == case.id, CaseAssignment.kind == kind)
                       .with_for_update()).first()
    old = None if row is None else row.text
    if row is None:
        row = CaseAssignment(case_id=case.id, kind=kind, text=text)
    row.text = text
    session.add(row)
    session.flush()
    audit.record(session, reg, "set", "case", case.id, assignment=kind, **({"было": old} if old else {}),
                 стало=text)
    return row, old


def details(r: Reader, case_id: int) -> dict[str, Any]:
    """The case's App. 3 §6–10 and App. 4 evaluation fields with their codes (`case show --json`)."""
    found = r.rows("SELECT family_category, parents_profile, danger_kinds, nonexec_reasons, proposals_note "
                   "FROM sop_case WHERE id = ?", [case_id])
    if not found:
        raise InvalidInput(f"Дела №{case_id} нет в реестре.")
    c = found[0]
    regs = r.rows("SELECT agency_kind, registered_on, protocol, reason FROM case_registration WHERE case_id = ?",
                  [case_id])
    order = list(REGISTERS)
    assigns = r.rows("SELECT kind, text FROM case_assignment WHERE case_id = ?", [case_id])
    return {
        "family_category": [x for x in (c["family_category"] or "").split(",") if x],
        "parents_profile": c["parents_profile"] or "",
        "danger_kinds": [x for x in (c["danger_kinds"] or "").split(",") if x],
        "registrations": [{"agency": g["agency_kind"], "registered_on": g["registered_on"],
                           "protocol": g["protocol"], "reason": g["reason"]}
                          for g in sorted(regs, key=lambda g: order.index(g["agency_kind"])
                                          if g["agency_kind"] in order else 99)],
        "assignments": [{"kind": a["kind"], "text": a["text"]}
                        for a in sorted(assigns, key=lambda a: list(ASSIGNMENT_LABELS).index(a["kind"])
                                        if a["kind"] in ASSIGNMENT_LABELS else 99)],
        "nonexec_reasons": c["nonexec_reasons"] or "", "proposals_note": c["proposals_note"] or "",
    }


def detail_lines(d: dict[str, Any]) -> list[str]:
    """`case show`: the card's fields in the seed's words."""
    from sopcli.vocab import DANGER_KINDS, PARENTS_PROFILES, label_of

    lines = []
    if d["family_category"]:
        lines.append("Категория семьи: " + "; ".join(label_of(c, FAMILY_CATEGORIES) for c in d["family_category"]))
    if d["parents_profile"]:
        word = PARENTS_PROFILES.get(d["parents_profile"], (d["parents_profile"], ""))[0]
        lines.append(f"Характеристика родителей: {word}")
    if d["danger_kinds"]:
        lines.append("Вид опасности: " + "; ".join(label_of(c, DANGER_KINDS) for c in d["danger_kinds"]))
    for g in d["registrations"]:
        when = fmt_date(g["registered_on"]) if g["registered_on"] else "дата не указана"
        lines.append(f"Учёт: {label_of(g['agency'], REGISTERS)} — с {when}"
                     + (f", протокол № {g['protocol']}" if g["protocol"] else "")
                     + (f", основание: {g['reason']}" if g["reason"] else ""))
    for a in d["assignments"]:
        lines.append(f"Закрепление ({label_of(a['kind'], ASSIGNMENT_LABELS)}): {a['text']}")
    if d["nonexec_reasons"]:
        lines.append(f"Причины неисполнения: {d['nonexec_reasons']}")
    if d["proposals_note"]:
        lines.append(f"Предложения: {d['proposals_note']}")
    return lines
