"""`sopcli import bank`: municipal data banks (004 App. 8) merged into a regional registry.

For regions without a shared server (004 §5.7: the municipal commissions send
their lists to the regional one). The merge is idempotent — importing the same
file twice, or the next quarter's file that repeats most of the cases, adds
each case once: a case is known by its commission, its date of registration
and its children (name ignoring case and ё, birth date). A later file may
close a case it knew open; nothing recorded is ever deleted or re-opened by an
import. A file with one unreadable row is refused whole: a half-merged bank is
worse than none.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, text
from sqlmodel import Session

from sopcli.errors import InvalidInput
from sopcli.models import Case, Person, Signal, SignalPerson
from sopcli.progress import SILENT, Progress
from sopcli.services.directory.names import name_key
from sopcli.services.files_in.reconcile_list import norm, read_rows, to_date
from sopcli.services.registry import Registry
from sopcli.services.trust import audit
from sopcli.vocab import GROUND_LABELS

HEADER_SCAN = 15
_COLUMNS = {  # our field → a pattern over the normalised App. 8 header
    "municipality": r"^наименование муниципалитета|^муниципал",
    "children": r"^фио несовершеннолетн",
    "parents": r"^фио родител",
    "address": r"^адрес",
    "reason": r"^причина постановки",
    "recognized": r"^дата постановки",
    "closed": r"^дата снятия",
    "close_reason": r"^причина снятия",
}
_GROUND_CODES = {norm(label): code for code, label in GROUND_LABELS.items()}
_DATE = re.compile(r"\d{1,2}[./-]\d{1,2}[./-]\d{4}|\d{4}-\d{2}-\d{2}")


@dataclass
class BankRow:
    line: int
    municipality: str
    children: list[tuple[str, date | None]]
    parents: list[str]
    address: str
    reason: str
    recognized: date
    closed: date | None
    close_reason: str

    @property
    def key(self) -> tuple[date, tuple[tuple[str, date | None], ...]]:
        return self.recognized, tuple(sorted((name_key(n), b) for n, b in self.children))


@dataclass
class Merge:
    added: int = 0
    closed: int = 0
    unchanged: int = 0
    by_commission: dict[str, int] = field(default_factory=dict)


def _not_a_row(cells: list[str]) -> bool:
    """Blank, or the form's numbered row under the header."""
    return not any(cells) or all(c.isdigit() for c in cells if c)


def _list_ended(cells: list[str]) -> bool:
    """One line of text under the table: the signature or a note."""
    return bool(cells[0]) and not cells[0].isdigit() and not any(cells[1:])


def _words(value: Any) -> str:
    return " ".join(str(value or "").split())


def _bank_children(value: Any) -> list[tuple[str, date | None]]:
    """The children's cell, a child a line: the name (cut at 300) and the birth date written beside it."""
    children = []
    for line in str(value or "").splitlines():
        name = " ".join(_DATE.sub("", line).replace(",", " ").split())
        if name:
            children.append((name[:300], to_date(line)))
    return children


def _bank_row(where: str, i: int, row: list[Any], cols: dict[str, int]) -> BankRow:
    """One row of App. 8; a row the registry could not hold (no child, no date, closed before opened)
    refuses the whole file, `where` naming the file and the row."""

    def cell(key: str) -> Any:
        col = cols.get(key)
        return row[col] if col is not None and col < len(row) else None

    children = _bank_children(cell("children"))
    recognized = to_date(cell("recognized"))
    if not children:
        raise InvalidInput(f"{where}: нет ФИО несовершеннолетнего — файл не импортирован.")
    if recognized is None:
        raise InvalidInput(f"{where}: нет даты постановки на учёт — файл не импортирован.")
    closed = to_date(cell("closed"))
    if closed is not None and closed < recognized:
        raise InvalidInput(f"{where}: снятие с учёта раньше постановки — файл не импортирован.")
    return BankRow(
        i, _words(cell("municipality")),
        children, [" ".join(p.split())[:300] for p in str(cell("parents") or "").splitlines() if p.split()],
        # column 5 keeps its lines: «Регистрация: …» and «Проживание: …» as the municipal bank printed them
        "\n".join(filter(None, (_words(line) for line in str(cell("address") or "").splitlines()))),
        _words(cell("reason")),
        recognized, closed, _words(cell("close_reason")))


def read_bank(path: Path, progress: Progress = SILENT) -> list[BankRow]:
    """The App. 8 rows of a bank export; refuses a file that is not one, naming the first bad row.

    `progress` counts the rows under the header: a region's bank runs to tens of thousands."""
    rows = read_rows(path)
    header, cols = _header(rows)
    out = []
    progress.stage("Чтение банка данных", len(rows) - header - 1)
    for i, row in enumerate(rows[header + 1:], start=header + 2):
        progress.advance()
        cells = [str(c if c is not None else "").strip() for c in row]
        if _not_a_row(cells):
            continue
        if _list_ended(cells):
            break
        out.append(_bank_row(f"{path.name}, строка {i}", i, row, cols))
    if not out:
        raise InvalidInput(f"{path.name}: в банке данных нет ни одной строки.")
    return out


def _header(rows: list[list[Any]]) -> tuple[int, dict[str, int]]:
    for i, row in enumerate(rows[:HEADER_SCAN]):
        found: dict[str, int] = {}
        for col, value in enumerate(row):
            h = norm(value)
            for key, pattern in _COLUMNS.items():
                if key not in found and h and re.search(pattern, h):
                    found[key] = col
                    break
        if "children" in found and "recognized" in found:
            return i, found
    raise InvalidInput("Это не банк данных (прил. 8): нет столбцов «ФИО несовершеннолетнего, дата рождения» и "
                       f"«Дата постановки на учет» в первых {HEADER_SCAN} строках.")


def commission_resolver(session: Session, given: str | None, rows: list[BankRow]) -> Callable[[BankRow], str]:
    """Each row's commission: `--commission`, or the row's municipality matched to a commission's name."""
    names = {code: name for code, name in session.execute(text("SELECT code, name FROM commission"))}
    if given is not None:
        if given not in names:
            raise InvalidInput(f"В реестре нет комиссии «{given}»: sopcli admin commission add {given} --name ….")
        return lambda _row: given
    by_name = {name_key(n): code for code, n in names.items() if n}
    unknown = sorted({r.municipality for r in rows if name_key(r.municipality) not in by_name})
    if unknown:
        shown = ", ".join(f"«{u or 'пусто'}»" for u in unknown[:5])
        raise InvalidInput(f"Нет комиссии для муниципалитета {shown}: добавьте её (sopcli admin commission add КОД "
                           "--name НАЗВАНИЕ) или укажите --commission КОД.")
    return lambda row: by_name[name_key(row.municipality)]


def _known(session: Session, codes: set[str]) -> dict[tuple[str, Any], tuple[int, str]]:
    """(commission, key) → (case id, status) for the cases already in the registry."""
    found: dict[int, dict[str, Any]] = {}
    stmt = text("SELECT k.id, k.commission, k.recognized_on, k.status, p.name_key, p.birth_date FROM sop_case k "
                "JOIN signal_person sp ON sp.signal_id = k.signal_id AND sp.role = 'child' "
                "JOIN person p ON p.id = sp.person_id WHERE k.commission IN :codes"
                ).bindparams(bindparam("codes", expanding=True))
    for cid, code, recognized, status, key, born in session.execute(stmt, {"codes": sorted(codes)}):
        entry = found.setdefault(cid, {"code": code, "recognized": to_date(recognized), "status": status,
                                       "children": []})
        entry["children"].append((key, to_date(born)))
    return {(e["code"], (e["recognized"], tuple(sorted(e["children"])))): (cid, e["status"])
            for cid, e in found.items()}


def merge(session: Session, reg: Registry, rows: list[BankRow], commission_of: Callable[[BankRow], str],
          source: str, digest: str, progress: Progress = SILENT) -> Merge:
    """Add the cases not yet known, close the known ones the file closes; one transaction, audited.

    `progress` counts the rows merged: each new case is several inserts and an audit entry."""
    codes = {commission_of(r) for r in rows}
    known = _known(session, codes)
    result = Merge()
    stamped: dict[str, dict[str, list[int]]] = {}
    seqs: dict[tuple[str, int], int] = {}
    progress.stage("Слияние с реестром", len(rows))
    for row in rows:
        progress.advance()
        code = commission_of(row)
        found = known.get((code, row.key))
        if found is not None:
            case_id, status = found
            if row.closed is not None and status == "open":
                _close(session, reg, case_id, row)
                result.closed += 1
            else:
                result.unchanged += 1
            continue
        case_id = _add(session, reg, row, code, source, seqs, stamped)
        known[(code, row.key)] = (case_id, "closed" if row.closed else "open")
        result.added += 1
        result.by_commission[code] = result.by_commission.get(code, 0) + 1
    for code, tables in stamped.items():  # the rows were written by the owner: they belong to `code`
        for table, ids in tables.items():
            for start in range(0, len(ids), 500):
                session.execute(text(f"UPDATE {table} SET commission = :c WHERE id IN :ids").bindparams(
                    bindparam("ids", expanding=True)), {"c": code, "ids": ids[start:start + 500]})
            audit.touch(session, table, *ids)
    audit.record(session, reg, "import", "bank", None, file=source, sha256=digest, added=result.added,
                 closed=result.closed, unchanged=result.unchanged, commissions=sorted(codes))
    return result


def _next_seq(session: Session, code: str, year: int, seqs: dict[tuple[str, int], int]) -> int:
    if (code, year) not in seqs:
        seqs[(code, year)] = session.execute(
            text("SELECT COALESCE(MAX(seq), 0) FROM signal WHERE commission = :c AND year = :y"),
            {"c": code, "y": year}).scalar() or 0
    seqs[(code, year)] += 1
    return seqs[(code, year)]


def _add(session: Session, reg: Registry, row: BankRow, code: str, source: str,
         seqs: dict[tuple[str, int], int], stamped: dict[str, dict[str, list[int]]]) -> int:
    now = datetime.now(UTC)
    at = reg.start_of(row.recognized)
    sig = Signal(year=row.recognized.year, seq=_next_seq(session, code, row.recognized.year, seqs), received_at=at,
                 source=f"банк данных: {source}"[:300], channel="other", address=row.address,
                 problem=row.reason or "из банка данных", status="checked", created_at=now)
    session.add(sig)
    session.flush()
    people = [Person(full_name=n, name_key=name_key(n), birth_date=b) for n, b in row.children]
    people += [Person(full_name=n, name_key=name_key(n)) for n in row.parents]
    session.add_all(people)
    session.flush()
    links = [SignalPerson(signal_id=sig.id, person_id=p.id, role="child" if k < len(row.children) else "parent")
             for k, p in enumerate(people)]
    session.add_all(links)
    ground = _GROUND_CODES.get(norm(row.close_reason), row.close_reason[:200]) if row.closed else ""
    case = Case(signal_id=sig.id, subject="family" if row.parents else "minor", recognized_on=row.recognized,
                resolution_no="банк данных", curator="", status="closed" if row.closed else "open",
                closed_on=row.closed, close_ground=ground, created_at=now)
    session.add(case)
    session.flush()
    mine = stamped.setdefault(code, {})
    for table, ids in (("signal", [sig.id]), ("person", [p.id for p in people]),
                       ("signal_person", [link.id for link in links]), ("sop_case", [case.id])):
        mine.setdefault(table, []).extend(i for i in ids if i is not None)
    audit.record(session, reg, "import", "case", case.id, commission=code, line=row.line)
    return int(case.id)  # type: ignore[arg-type]


def _close(session: Session, reg: Registry, case_id: int, row: BankRow) -> None:
    ground = _GROUND_CODES.get(norm(row.close_reason), row.close_reason[:200])
    closed = row.closed.isoformat() if row.closed else None
    session.execute(text("UPDATE sop_case SET status = 'closed', closed_on = :d, close_ground = :g "
                         "WHERE id = :i AND status = 'open'"), {"d": closed, "g": ground, "i": case_id})
    audit.touch(session, "sop_case", case_id)
    audit.record(session, reg, "close", "case", case_id, source="import bank", line=row.line,
                 closed_on=row.closed.isoformat() if row.closed else None)


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
