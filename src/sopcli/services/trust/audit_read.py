"""Reading the audit trail: `audit verify` walks every hash chain, `audit list` shows entries.

Both read over plain DB-API (services/reading/reads.py) in one snapshot. `verify`
streams the whole trail in id order once, in constant memory: a national
registry has millions of entries. Ids grow with seq inside a chain (an entry
gets its id when it is inserted, after its writer locked the chain's head), so
in id order each chain must run 1, 2, 3, … with every `prev_hash` the hash
before it, and end where `audit_head` says it ends.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sopcli.services.reading.db import Reader
from sopcli.services.trust.audit import GENESIS, moment_text, text_hash

# `at AS at_raw`: the stored value as the driver gives it (reads.py would parse SQLite's text; _at_text is faster)
_WALK = ("SELECT id, chain, seq, at AS at_raw, os_user, command, action, entity, entity_id, detail, prev_hash, hash "
         "FROM audit_entry ORDER BY id")


@dataclass
class _Chain:
    name: str
    head_seq: int | None
    head_hash: str | None
    checked: int = 0
    seq: int = 0
    hash: str = GENESIS
    last_id: int | None = None
    broken: dict[str, Any] | None = None
    gap: tuple[int, int] | None = field(default=None, repr=False)  # seqs skipped where the chain broke

    def fail(self, entry_id: int | None, seq: int | None, kind: str, message: str) -> None:
        self.broken = {"id": entry_id, "seq": seq, "kind": kind, "message": message}

    def doc(self) -> dict[str, Any]:
        return {"chain": self.name, "checked": self.checked, "last_seq": self.seq, "head_seq": self.head_seq,
                "head_hash": self.head_hash, "ok": self.broken is None, "broken": self.broken}


def verify(r: Reader) -> dict[str, Any]:
    """Every chain: entries checked and the first broken entry (id, seq, kind, Russian message), or none."""
    chains = {h["chain"]: _Chain(h["chain"], h["last_seq"], h["last_hash"])
              for h in r.rows("SELECT chain, last_seq, last_hash FROM audit_head ORDER BY chain")}
    for row in r.stream(_WALK):
        c = chains.get(row[1])
        if c is None:
            c = chains[row[1]] = _Chain(row[1], None, None)
            c.fail(row[0], row[2], "no_head",
                   "у цепочки нет головы (audit_head): голова удалена или записи вставлены в обход sopcli")
        c.checked += 1
        if c.broken is None:
            _check(c, row)
        elif c.gap is not None and c.gap[0] <= row[2] <= c.gap[1] and c.broken["kind"] == "missing":
            _reordered(c, row)
    for c in chains.values():
        if c.broken is None:
            _check_end(c)
        elif c.broken["kind"] == "missing":
            c.gap = None
    docs = [c.doc() for c in sorted(chains.values(), key=lambda c: c.name)]
    return {"ok": all(d["ok"] for d in docs), "checked": sum(d["checked"] for d in docs), "chains": docs}


def _check(c: _Chain, row: list[Any]) -> None:
    entry_id, chain, seq, at, os_user, command, action, entity, entity_id, detail, prev_hash, digest = row
    expected = c.seq + 1
    if seq > expected:
        c.gap = (expected, seq - 1)
        span = f"№ {expected}" if seq - 1 == expected else f"№ {expected}–{seq - 1}"
        c.fail(entry_id, seq, "missing", f"перед этой записью нет {span}: записи удалены")
    elif seq < expected:
        kind, what = (("duplicate", f"№ {seq} повторяется: запись вставлена") if seq == c.seq else
                      ("reordered", f"№ {seq} стоит после № {c.seq}: записи переставлены"))
        c.fail(entry_id, seq, kind, what)
    elif c.head_seq is not None and seq > c.head_seq:
        c.fail(entry_id, seq, "beyond_head", f"запись за головой цепочки (№ {c.head_seq}): вставлена")
    elif prev_hash != c.hash:
        before = f"предыдущей записью (id {c.last_id})" if c.last_id is not None else "началом цепочки"
        c.fail(entry_id, seq, "link", f"не сцеплена с {before}: одна из них подменена или вставлена")
    elif text_hash(prev_hash, chain, seq, _at_text(at), os_user, command, action, entity, entity_id,
                   detail) != digest:
        c.fail(entry_id, seq, "changed", "содержимое не совпадает с хешем: запись изменена")
    else:
        c.seq, c.hash, c.last_id = seq, digest, entry_id


def _at_text(stored: Any) -> str:
    """`moment_text` of a stored moment. SQLite keeps SQLAlchemy's naive UTC text, always
    'YYYY-MM-DD HH:MM:SS.ffffff', which is rewritten without parsing; PostgreSQL gives an aware datetime."""
    if isinstance(stored, str):
        if len(stored) == 26 and stored[10] == " ":
            return f"{stored[:10]}T{stored[11:]}+00:00"
        stored = datetime.fromisoformat(stored)
    return moment_text(stored)


def _reordered(c: _Chain, row: list[Any]) -> None:
    """A skipped seq turned up later in id order: the entries were moved, not deleted."""
    assert c.broken is not None and c.gap is not None
    c.broken.update(kind="reordered", message=f"на месте № {c.gap[0]} стоит № {c.broken['seq']}, "
                                              f"а № {row[2]} — дальше (id {row[0]}): записи переставлены")
    c.gap = None


def _check_end(c: _Chain) -> None:
    """The walk ended where the head says the chain ends, with the head's hash: nothing cut off the tail."""
    if c.head_seq is None:
        return
    after = f"после id {c.last_id}" if c.last_id is not None else "ни одной записи"
    if c.seq < c.head_seq:
        missing = f"№ {c.seq + 1}" if c.seq + 1 == c.head_seq else f"№ {c.seq + 1}–{c.head_seq}"
        c.fail(c.last_id, c.seq, "truncated",
               f"конец журнала отрезан: голова цепочки — № {c.head_seq}, нет {missing} ({after})")
    elif c.hash != c.head_hash:
        c.fail(c.last_id, c.seq, "head_mismatch", "последняя запись не совпадает с головой цепочки: подменена")


def summary_line(result: dict[str, Any]) -> str:
    """The one Russian line for stderr when the trail is broken: the first broken chain and entry."""
    c = next(d for d in result["chains"] if not d["ok"])
    b = c["broken"]
    where = f"запись id {b['id']} (№ {b['seq']})" if b["id"] is not None else "записей нет"
    return f"Журнал аудита нарушен: цепочка «{c['chain']}», {where} — {b['message']}."


def entries(r: Reader, entity: str | None, entity_id: int | None, since: datetime | None,
            limit: int) -> list[dict[str, Any]]:
    """The newest `limit` entries matching the filters, oldest first (read like a log's tail)."""
    conds, params = [], []
    for sql, value in (("entity = ?", entity), ("entity_id = ?", entity_id), ("at >= ?", since)):
        if value is not None:
            conds.append(sql)
            params.append(value)
    where = f"WHERE {' AND '.join(conds)}" if conds else ""
    rows = r.rows(f"SELECT id, chain, seq, at, os_user, command, action, entity, entity_id, detail, hash "
                  f"FROM audit_entry {where} ORDER BY id DESC LIMIT ?", [*params, limit])
    tz = r.tz
    for row in rows:
        row["at"] = row["at"].astimezone(tz)
        try:
            row["detail"] = json.loads(row["detail"]) if row["detail"] else {}
        except ValueError:  # written by hand, not by sopcli: shown as it is
            pass
    return rows[::-1]
