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
from sopcli.services.trust.hashes import GENESIS, moment_text, text_hash

# `at AS at_raw`: the stored value as the driver gives it (reads.py would parse SQLite's text; _at_text is faster).
# PostgreSQL gives it as UTC text too: psycopg cannot load `infinity` or a year past 9999 (a forger's `at`, which
# must be reported, not crash the walk); to_char gives NULL for the first and a 5-digit year or «BC» for the rest.
_WALK = ("SELECT id, chain, seq, {at} AS at_raw, os_user, command, action, entity, entity_id, detail, prev_hash, "
         "hash, commission FROM audit_entry ORDER BY id")
_AT_SQLITE = "at"
_AT_PG = "to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US AD')"

#: Every column a verdict can name, with the words the secretary reads.
FIELDS = {"id": "номер записи", "chain": "цепочка", "seq": "номер в цепочке", "at": "момент",
          "os_user": "пользователь ОС", "command": "команда", "action": "действие", "entity": "объект",
          "entity_id": "номер объекта", "detail": "подробности", "prev_hash": "хеш предыдущей записи",
          "hash": "хеш записи", "commission": "комиссия", "audit_head.chain": "цепочка головы",
          "audit_head.last_seq": "последний номер в голове", "audit_head.last_hash": "хеш в голове",
          "audit_head.commission": "комиссия головы"}
#: Text columns and the longest value the schema allows (SQLite does not enforce VARCHAR(n)).
_TEXTS = {"chain": 40, "os_user": 100, "command": 100, "action": 40, "entity": 40, "commission": 40}
_HEX = frozenset("0123456789abcdef")
_BROKEN_CHAIN = "(испорченное имя)"  # a chain whose name is not text: the walk still needs a key to report it under


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

    def fail(self, entry_id: int | None, seq: int | None, kind: str, message: str, column: str | None = None) -> None:
        self.broken = {"id": entry_id, "seq": seq if type(seq) is int else None, "kind": kind, "field": column,
                       "message": message}

    def garbage(self, entry_id: int | None, seq: Any, column: str, why: str) -> None:
        self.fail(entry_id, seq, "garbage", f"поле «{FIELDS[column]}» ({column}) испорчено: {why}", column)

    def doc(self) -> dict[str, Any]:
        return {"chain": self.name, "checked": self.checked, "last_seq": self.seq, "head_seq": self.head_seq,
                "head_hash": self.head_hash, "ok": self.broken is None, "broken": self.broken}


def verify(r: Reader, full: bool = True, head: str | None = None, siblings: bool = True) -> dict[str, Any]:
    """Every chain: entries checked and the first broken entry (id, seq, kind, field, Russian message), or none;
    then the rows against their seals (services/trust/seals.py): `full` row by row, else by counts.

    Total over whatever the tables hold: a value of the wrong type (SQLite's dynamic typing lets any in), an
    impossible moment or broken JSON is a break of the chain naming the entry and the field, never a crash:
    `verify` is what a secretary runs after someone may have edited the database by hand.
    `head`: a chain's hash remembered outside the registry (the morning digest's mail): is it still in a chain?
    """
    from sopcli.services.trust.seals import Check
    from sopcli.tenancy import acting

    chains = _heads(r)
    rows = Check(r, full, siblings)
    found = _walk(r, chains, rows, head)
    docs = [c.doc() for c in sorted(chains.values(), key=lambda c: c.name)]
    who = acting(r.conn, r.pg)
    sealed = rows.run(scoped=who.scoped and not who.region)
    ok = all(d["ok"] for d in docs) and sealed["ok"] and (head is None or found is not None)
    result = {"ok": ok, "checked": sum(d["checked"] for d in docs), "chains": docs, "rows": sealed}
    if head is not None:
        result["head"] = {"hash": head, "found": found}
    return result


def _walk(r: Reader, chains: dict[str, _Chain], rows: Any, head: str | None) -> dict[str, Any] | None:
    """The one pass over every entry in id order: each chain checked link by link, each `seal` entry's rows
    summed for the seals' check; the entry whose hash begins with `head`, if any."""
    found = None
    for row in r.stream(_WALK.format(at=_AT_PG if r.pg else _AT_SQLITE)):
        c = chains.get(row[1]) or _chain_of(chains, row)
        c.checked += 1
        rows.entry(row[1], row[6], row[9])
        if head is not None and type(row[11]) is str and row[11].startswith(head):
            found = {"chain": c.name, "seq": row[2], "id": row[0]}
        if c.broken is None:
            _check(c, row)
        elif (c.gap is not None and type(row[2]) is int and c.gap[0] <= row[2] <= c.gap[1]
              and c.broken["kind"] == "missing"):
            _reordered(c, row)
    for c in chains.values():
        if c.broken is None:
            _check_end(c)
        elif c.broken["kind"] == "missing":
            c.gap = None
    return found


def _heads(r: Reader) -> dict[str, _Chain]:
    """One `_Chain` per `audit_head` row; a head with a value sopcli never writes is itself the break."""
    chains: dict[str, _Chain] = {}
    for h in r.rows("SELECT chain, last_seq, last_hash, commission FROM audit_head"):
        name, last_seq, last_hash = h["chain"], h["last_seq"], h["last_hash"]
        bad = [("audit_head.chain", why) for why in [_text_flaw(name, _TEXTS["chain"])] if why]
        if type(last_seq) is not int:
            bad.append(("audit_head.last_seq", _type_flaw(last_seq, "целое число")))
            last_seq = None
        if (why := _hash_flaw(last_hash)) is not None:
            bad.append(("audit_head.last_hash", why))
            last_hash = None
        if not bad and h["commission"] != name:
            bad.append(("audit_head.commission", "голова записана на другую комиссию"))
        key = name if type(name) is str else _BROKEN_CHAIN
        c = chains[key] = _Chain(key, last_seq, last_hash)
        if bad:
            c.garbage(None, None, *bad[0])
    return chains


def _chain_of(chains: dict[str, _Chain], row: list[Any]) -> _Chain:
    """The chain an entry belongs to; an entry of a chain without a head starts one, already broken."""
    name = row[1]
    key = name if type(name) is str else _BROKEN_CHAIN
    c = chains.get(key)
    if c is None:
        c = chains[key] = _Chain(key, None, None)
        if key is name:
            c.fail(row[0], row[2], "no_head",
                   "у цепочки нет головы (audit_head): голова удалена или записи вставлены в обход sopcli", "chain")
        else:
            c.garbage(row[0], row[2], "chain", _type_flaw(name, "текст"))
    elif key is not name and c.broken is None:
        c.garbage(row[0], row[2], "chain", _type_flaw(name, "текст"))
    return c


def _check(c: _Chain, row: list[Any]) -> None:
    entry_id, chain, seq = row[0], row[1], row[2]
    prev_hash, digest, owner = row[10], row[11], row[12]
    if type(seq) is not int:
        c.garbage(entry_id, seq, "seq", _type_flaw(seq, "целое число"))
        return
    expected = c.seq + 1
    if seq > expected:
        c.gap = (expected, seq - 1)
        span = f"№ {expected}" if seq - 1 == expected else f"№ {expected}–{seq - 1}"
        c.fail(entry_id, seq, "missing", f"перед этой записью нет {span}: записи удалены", "seq")
    elif seq < expected:
        kind, what = (("duplicate", f"№ {seq} повторяется: запись вставлена") if seq == c.seq else
                      ("reordered", f"№ {seq} стоит после № {c.seq}: записи переставлены"))
        c.fail(entry_id, seq, kind, what, "seq")
    elif c.head_seq is not None and seq > c.head_seq:
        c.fail(entry_id, seq, "beyond_head", f"запись за головой цепочки (№ {c.head_seq}): вставлена",
               "audit_head.last_seq")
    elif owner != chain:
        c.garbage(entry_id, seq, "commission", "запись помечена другой комиссией, чем её цепочка")
    elif prev_hash != c.hash:
        if (why := _hash_flaw(prev_hash)) is not None:
            c.garbage(entry_id, seq, "prev_hash", why)
            return
        before = f"предыдущей записью (id {c.last_id})" if c.last_id is not None else "началом цепочки"
        c.fail(entry_id, seq, "link", f"не сцеплена с {before}: одна из них подменена или вставлена", "prev_hash")
    elif _rehash(row, chain, seq, prev_hash) != digest:
        flaw = _content_flaw(row)
        if flaw is not None:
            c.garbage(entry_id, seq, *flaw)
        else:  # every field is well formed: the hash cannot tell which one was changed
            c.fail(entry_id, seq, "changed", "содержимое не совпадает с хешем: запись изменена")
    else:
        c.seq, c.hash, c.last_id = seq, digest, entry_id


def _rehash(row: list[Any], chain: str, seq: int, prev_hash: str) -> str | None:
    """The entry's hash as sopcli would have written it, or None when a field cannot even be hashed."""
    try:
        return text_hash(prev_hash, chain, seq, _at_text(row[3]), row[4], row[5], row[6], row[7], row[8], row[9])
    except (TypeError, ValueError, OverflowError):  # a blob, a number where text was, an impossible moment
        return None


def _content_flaw(row: list[Any]) -> tuple[str, str] | None:
    """The first hashed field holding what sopcli never writes, and why; None when all look genuine.

    Run only once the hash has failed, so the walk over millions of good entries pays nothing for it.
    """
    _id, _chain, _seq, at, os_user, command, action, entity, entity_id, detail, _prev, digest, _owner = row
    if (why := _at_flaw(at)) is not None:
        return "at", why
    for column, value in (("os_user", os_user), ("command", command), ("action", action), ("entity", entity)):
        if (why := _text_flaw(value, _TEXTS[column])) is not None:
            return column, why
    if entity_id is not None and type(entity_id) is not int:
        return "entity_id", _type_flaw(entity_id, "целое число или пусто")
    if (why := _detail_flaw(detail)) is not None:
        return "detail", why
    if (why := _hash_flaw(digest)) is not None:
        return "hash", why
    return None


def _type_flaw(value: Any, wanted: str) -> str:
    """Why a value of the wrong type is garbage, without showing the value (it may be personal data)."""
    kinds = {bytes: "двоичные данные", str: "текст", int: "целое число", float: "дробное число",
             type(None): "пусто (NULL)"}
    return f"должно быть {wanted}, а там {kinds.get(type(value), type(value).__name__)}"


def _text_flaw(value: Any, longest: int) -> str | None:
    if type(value) is not str:
        return _type_flaw(value, "текст")
    if not value.strip():
        return "пустой текст"
    if len(value) > longest:
        return f"длиннее {longest} знаков"
    if any(ch < " " or ch == "\x7f" for ch in value):
        return "управляющие символы"
    return None


def _hash_flaw(value: Any) -> str | None:
    if type(value) is not str:
        return _type_flaw(value, "хеш (текст)")
    if len(value) != 64 or not _HEX.issuperset(value):
        return "не хеш SHA-256 (64 шестнадцатеричных знака)"
    return None


def _at_flaw(value: Any) -> str | None:
    if value is None:  # PostgreSQL's to_char of ±infinity
        return "бесконечный момент (infinity)"
    if type(value) is not str:
        return _type_flaw(value, "момент (текст ГГГГ-ММ-ДД ЧЧ:ММ:СС)")
    try:
        _at_text(value, strict=True)
    except (ValueError, OverflowError):
        return "не момент времени или невозможная дата"
    return None


def _detail_flaw(value: Any) -> str | None:
    if type(value) is not str:
        return _type_flaw(value, "текст JSON")
    try:
        parsed = json.loads(value)
    except ValueError:
        return "не JSON"
    return None if isinstance(parsed, dict) else "JSON, но не объект"


def _at_text(stored: Any, strict: bool = False) -> str:
    """`moment_text` of a stored moment. SQLite keeps SQLAlchemy's naive UTC text, always
    'YYYY-MM-DD HH:MM:SS.ffffff', which is rewritten without parsing (`strict` parses it too: only when the hash
    has already failed); PostgreSQL's to_char gives the same with « AD» after it (`_AT_PG`)."""
    if type(stored) is not str:
        raise TypeError("not a stored moment")
    if len(stored) == 29 and stored.endswith(" AD"):
        stored = stored[:26]
    if len(stored) == 26 and stored[10] == " ":
        if strict:
            datetime.fromisoformat(stored)
        return f"{stored[:10]}T{stored[11:]}+00:00"
    return moment_text(datetime.fromisoformat(stored))


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
               f"конец журнала отрезан: голова цепочки — № {c.head_seq}, нет {missing} ({after})",
               "audit_head.last_seq")
    elif c.hash != c.head_hash:
        c.fail(c.last_id, c.seq, "head_mismatch", "последняя запись не совпадает с головой цепочки: подменена",
               "audit_head.last_hash")


def summary_line(result: dict[str, Any]) -> str:
    """The one Russian line for stderr when the trail is broken: the first broken chain and entry, else the first
    row out of its seal, else the remembered head not found."""
    c = next((d for d in result["chains"] if not d["ok"]), None)
    if c is not None:
        return f"Журнал аудита нарушен: цепочка «{shown_chain(c['chain'])}», {broken_text(c['broken'])}."
    rows = result.get("rows") or {}
    if rows.get("problems"):
        more = rows["problem_count"] - 1
        tail = f" (и ещё нарушений: {more})" if more else ""
        return f"Данные реестра расходятся с журналом аудита: {rows['problems'][0]['message']}{tail}."
    return (f"Хеш {result['head']['hash'][:16]}… в журнале не найден: журнал переписан или хеш с другого реестра.")


def shown_chain(name: str) -> str:
    """A chain's name for the terminal: a forged one may hold line breaks or escapes, shown escaped, on one line."""
    return name if name.isprintable() else name.encode("unicode_escape").decode("ascii")


def broken_text(b: dict[str, Any]) -> str:
    """Which entry (or the chain's head) broke, and how, with the field when the check knows it."""
    if b["id"] is not None:
        where = f"запись id {b['id']}" + (f" (№ {b['seq']})" if b["seq"] is not None else "")
    else:
        where = "голова цепочки" if (b["field"] or "").startswith("audit_head.") else "записей нет"
    column = b["field"]
    named = f" (поле «{FIELDS[column]}», {column})" if column and b["kind"] != "garbage" else ""
    return f"{where} — {b['message']}{named}"


def entries(r: Reader, entity: str | None, entity_id: int | None, since: datetime | None,
            limit: int) -> list[dict[str, Any]]:
    """The newest `limit` entries matching the filters, oldest first (read like a log's tail).

    A case (`--entity case --id N`) is asked about with everything that belongs to it: its signals, check,
    programme, measures, reports, proposals, events, emergencies and obligations are entries of their own
    entities, and the secretary asking about the case means them too (issue 30 §2)."""
    conds: list[str] = []
    params: list[Any] = []
    if entity == "case" and entity_id is not None:
        from sopcli.services.reading.history import belongings

        where, params = owned_where(belongings(r, entity_id))
        conds.append(where)
    else:
        for sql, value in (("entity = ?", entity), ("entity_id = ?", entity_id)):
            if value is not None:
                conds.append(sql)
                params.append(value)
    if since is not None:
        conds.append("at >= ?")
        params.append(since)
    where = f"WHERE {' AND '.join(conds)}" if conds else ""
    return _entry_rows(r, f"{where} ORDER BY id DESC LIMIT ?", [*params, limit])[::-1]


def trail(r: Reader, owned: dict[str, list[int]]) -> list[dict[str, Any]]:
    """Every entry about the rows `owned` (entity → ids), oldest first: who recorded each, and when."""
    where, params = owned_where(owned)
    return _entry_rows(r, f"WHERE {where} ORDER BY id", params)


def owned_where(owned: dict[str, list[int]]) -> tuple[str, list[Any]]:
    """`(entity = ? AND entity_id IN (…)) OR …`: the trail's index (entity, entity_id) answers each part."""
    parts, params = [], []
    for entity, ids in sorted(owned.items()):
        if ids:
            parts.append(f"(entity = ? AND entity_id IN ({', '.join('?' * len(ids))}))")
            params += [entity, *ids]
    return (f"({' OR '.join(parts)})" if parts else "1 = 0"), params


def _entry_rows(r: Reader, tail: str, params: list[Any]) -> list[dict[str, Any]]:
    at = _AT_PG if r.pg else "at"  # as stored, not through the converters: a forged moment must not crash the list
    rows = r.rows(f"SELECT id, chain, seq, {at} AS at_stored, os_user, command, action, entity, entity_id, detail, "
                  f"hash FROM audit_entry {tail}", params)
    tz = r.tz
    for row in rows:
        row["at"] = _shown_moment(row.pop("at_stored"), tz)
        try:
            row["detail"] = json.loads(row["detail"]) if row["detail"] else {}
        except ValueError:  # written by hand, not by sopcli: shown as it is
            pass
    return rows


def _shown_moment(stored: Any, tz: Any) -> datetime | None:
    """The entry's moment in the registry's zone; None for one that is not a moment (`audit verify` names it)."""
    try:
        return datetime.fromisoformat(_at_text(stored, strict=True)).astimezone(tz)
    except (TypeError, ValueError, OverflowError):
        return None


def chain_heads(r: Reader) -> list[dict[str, Any]]:
    """Each chain's length and last hash, as the morning digest prints them: a copy outside the registry (the
    cron mail) that `audit verify --head` can later hold a rewritten journal against."""
    rows = r.rows("SELECT chain, last_seq, last_hash FROM audit_head ORDER BY chain")
    return [{"chain": h["chain"], "seq": h["last_seq"], "hash": h["last_hash"]} for h in rows]


def head_list(r: Reader) -> list[list[Any]]:
    """The chains' ends as a backup's manifest keeps them: [chain, seq, hash], sorted in Python (not by the
    server's collation, which a restore into the other engine would not share)."""
    return sorted([h["chain"], h["seq"], h["hash"]] for h in chain_heads(r))


def head_line(h: dict[str, Any]) -> str:
    name = "" if h["chain"] == "main" else f" «{shown_chain(str(h['chain']))}»"  # one file, one journal
    return (f"Журнал аудита{name}: записей {h['seq']}, голова {h['hash']} "
            "(проверить позже: sopcli audit verify --head ХЕШ)")
