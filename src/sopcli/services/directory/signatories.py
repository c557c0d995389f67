"""Who signs the forms (0010): set once per commission, printed under every form that asks for them.

The forms' signature lines (App. 2 «Руководитель органа, проводившего проверку», App. 3,
the programme's approval by the chair) name a position and a person; typing them
under each export would be typed wrong sooner or later. One row per role and
commission (a shared registry's database fills the commission), replaced when
the person changes, the old name kept in the audit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sopcli.errors import InvalidInput
from sopcli.vocab import SIGNATORIES, code_for

if TYPE_CHECKING:
    from sqlmodel import Session

    from sopcli.services.reading.db import Reader
    from sopcli.services.registry import Registry

LIMIT = 300  # the columns' length


def set_signatory(session: Session, reg: Registry, role: str, position: str, name: str) -> tuple[Any, Any]:
    """The role's row, made or replaced; returns (row, the old {position, name} or None)."""
    from sqlmodel import select

    from sopcli.models import Signatory
    from sopcli.services.directory.names import one_line
    from sopcli.services.trust import audit

    role = code_for(role, SIGNATORIES, "роли подписанта", "signer")
    position = one_line(position, "должность подписанта", LIMIT, "--position")
    name = one_line(name, "ФИО подписанта (как под подписью: «И.И. Иванова»)", LIMIT, "--name")
    if not any(ch.isalpha() for ch in name):
        raise InvalidInput("ФИО подписанта (--name) должно содержать буквы: например, «И.И. Иванова».")
    row = session.exec(select(Signatory).where(Signatory.role == role).with_for_update()).first()
    old = None if row is None else {"position": row.position, "name": row.name}
    if row is None:
        row = Signatory(role=role, position=position, name=name)
    row.position, row.name = position, name
    session.add(row)
    session.flush()
    audit.record(session, reg, "set", "signatory", row.id, role=role, **({"было": old} if old else {}),
                 стало={"position": position, "name": name})
    return row, old


def by_role(r: Reader) -> dict[str, dict[str, Any]]:
    """The signers on record, by role: the one read every form, document and `signer list` goes through."""
    return {s["role"]: s for s in r.rows("SELECT role, position, name FROM signatory")}


def signatories(r: Reader) -> list[dict[str, Any]]:
    """Every role in the seed's order, with its position and name or empty strings when not set yet."""
    rows = by_role(r)
    return [{"role": role, "position": rows[role]["position"] if role in rows else "",
             "name": rows[role]["name"] if role in rows else ""} for role in SIGNATORIES]


def signing(r: Reader) -> dict[str, dict[str, str]]:
    """The chair and the secretary under a letter, as the registry names them (0010), or blank lines to fill in.

    Every letter the commission sends (documents, reminders) signs the same way, so the rule lives here; a
    position typed in lower case («председатель кдн и зп») is printed in proper case («Председатель КДН и ЗП»)."""
    from sopcli.services.directory.declension import proper_case

    found = by_role(r)
    return {role: {"position": proper_case(found[role]["position"]) if role in found else default,
                   "name": found[role]["name"] if role in found else "/ ____________ /"}
            for role, default in (("chair", "Председатель комиссии"), ("secretary", "Ответственный секретарь"))}
