"""Row seals: every data row inside the audit evidence (issue 27 §2).

The hash chain proves the journal was not rewritten; it said nothing of the
rows themselves, so a signatory renamed or an emergency deleted in the database
by hand left `audit verify` green. Now each write transaction seals the rows it
touched: the row's backup line (services/trust/backup.py: the same bytes on
either engine) hashed with its table's name, recorded in a `seal` entry of the
chain (`[table, key, old hash, new hash]`, hashed into the chain like any
entry) and kept per row in `row_seal` for the check.

`audit verify` then holds:
- every row of every table against its seal, row by row (full check): a row
  changed, added or deleted behind sopcli's back is named with its table and key;
- the seals against the chain: per chain, the sum of the seals equals the sum
  the chain's `seal` entries add and take away. The sum is a multiset hash
  (each seal expanded to 1024 bits by SHAKE-256, added modulo 2**1024): a seal
  forged, deleted or inserted to cover a changed row breaks it, and at this
  width no choice of rows makes two different sets add up alike in practice.

Where the seal goes: a row of a commission's own table to that commission's
chain (the owner writing a commission's agencies at `admin commission add`
writes into the commission's chain), a shared table's row (settings, calendar,
the commission list, roles) to `main`. So on a shared PostgreSQL registry a
commission's role sees exactly its seals and its chain, and can check both.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from types import SimpleNamespace
from typing import Any

from sopcli.services.trust import backup

#: Not sealed: the evidence itself.
EVIDENCE = frozenset({"audit_entry", "audit_head", "row_seal"})
#: Rows every commission reads and only the owner writes: sealed in the owner's chain.
SHARED = frozenset({"commission", "access_role", "registry_setting", "calendar_override"})
DEFAULT_CHAIN = "main"
MARKER = "audit_seals"  # registry_setting: `pending` from migration 0013 until `init` seals what is there
MODULUS = 1 << 1024
ENTRY_ROWS = 1000  # rows per `seal` entry: a big transaction (an import) writes several entries
_IN = 500  # keys per `IN (…)` when reading touched rows back


def sealed_tables() -> list[Any]:
    """Every table whose rows are sealed, parents first (the backup's order)."""
    return [t for t in backup.tables() if t.name not in EVIDENCE]


def row_hash(table: str, line: bytes) -> str:
    """The seal of one row: its backup line (without the newline) hashed with its table's name."""
    return hashlib.sha256(table.encode("utf-8") + b"\x00" + line).hexdigest()


def element(table: str, key: str, digest: str) -> int:
    """One seal as a term of the multiset sum."""
    data = f"{table}\x00{key}\x00{digest}".encode()
    return int.from_bytes(hashlib.shake_256(data).digest(128), "big")


def line_key(line: bytes) -> str:
    """The row's key as a seal names it, from its line: the first column (every table's key)."""
    if line[1:2] == b'"':
        return str(json.loads(line)[0])
    return line[1:line.index(b",")].decode("ascii")


def _int_key(table: Any) -> bool:
    from sqlalchemy import Integer

    return isinstance(next(iter(table.primary_key.columns)).type, Integer)


def _chain_index(table: Any) -> int | None:
    """The position of the row's `commission` in its line, when the row's seal goes to that chain."""
    if table.name in SHARED:
        return None
    names = [c.name for c in table.columns]
    return names.index("commission") if "commission" in names else None


def _chain_of(line: bytes, at: int | None) -> str:
    if at is None:
        return DEFAULT_CHAIN
    value = json.loads(line)[at]
    return value if isinstance(value, str) else DEFAULT_CHAIN


# --- writing -------------------------------------------------------------------------------------------


def current_lines(raw: Any, pg: bool, table: Any, keys: list[str]) -> dict[str, bytes]:
    """The named rows' backup lines as they are now in this transaction (absent: the row was deleted)."""
    pk = next(iter(table.primary_key.columns)).name
    params: list[Any] = [int(k) for k in keys] if _int_key(table) else list(keys)
    mark = "%s" if pg else "?"
    encoders, line = backup.codecs(table, backup.IN_SQL_DONE), backup._line_encoder()
    out: dict[str, bytes] = {}
    base = backup.select_sql(table, pg)
    head, _, order = base.rpartition(" ORDER BY ")
    for start in range(0, len(params), _IN):
        part = params[start:start + _IN]
        cur = raw.cursor()
        try:
            cur.execute(f'{head} WHERE "{pk}" IN ({", ".join([mark] * len(part))}) ORDER BY {order}', part)
            rows = cur.fetchall()
        finally:
            cur.close()
        if rows:
            data = backup._python_encode(SimpleNamespace(pg=pg), table, rows, encoders, line)
            for one in data.split(b"\n")[:-1]:
                out[line_key(one)] = one
    return out


def stored_seals(raw: Any, pg: bool, table: str, keys: list[str]) -> dict[str, tuple[str, str]]:
    """key → (hash, chain) of the seals kept for these rows."""
    mark = "%s" if pg else "?"
    out: dict[str, tuple[str, str]] = {}
    for start in range(0, len(keys), _IN):
        part = keys[start:start + _IN]
        cur = raw.cursor()
        try:
            cur.execute(f"SELECT row_key, hash, chain FROM row_seal WHERE tbl = {mark} "
                        f"AND row_key IN ({', '.join([mark] * len(part))})", [table, *part])
            out.update({k: (h, c) for k, h, c in cur.fetchall()})
        finally:
            cur.close()
    return out


def changes(raw: Any, pg: bool, touched: dict[str, set[str]]) -> dict[str, list[list[Any]]]:
    """chain → `[table, key, old, new]` for every touched row whose seal changes (new None: deleted)."""
    by_chain: dict[str, list[list[Any]]] = {}
    for table in sealed_tables():
        keys = touched.get(table.name)
        if not keys:
            continue
        ordered = sorted(keys, key=lambda k: (len(k), k)) if _int_key(table) else sorted(keys)
        lines = current_lines(raw, pg, table, ordered)
        old = stored_seals(raw, pg, table.name, ordered)
        at = _chain_index(table)
        for key in ordered:
            line, was = lines.get(key), old.get(key)
            new = row_hash(table.name, line) if line is not None else None
            if new == (was[0] if was else None):
                continue
            chain = _chain_of(line, at) if line is not None else was[1]  # type: ignore[index]
            if was is not None and was[1] != chain:  # the row moved to another commission: out of one, into another
                by_chain.setdefault(was[1], []).append([table.name, key, was[0], None])
                was = None
            by_chain.setdefault(chain, []).append([table.name, key, was[0] if was else None, new])
    return by_chain


def store(session: Any, chain: str, seq: int, rows: list[list[Any]]) -> None:
    """Keep the seals one `seal` entry recorded: a deleted row's seal goes, the others are written."""
    from sqlalchemy import text

    gone = [{"t": t, "k": k} for t, k, _old, new in rows if new is None]
    kept = [{"t": t, "k": k, "h": new, "c": chain, "s": seq} for t, k, _old, new in rows if new is not None]
    if gone:
        session.execute(text("DELETE FROM row_seal WHERE tbl = :t AND row_key = :k AND chain = :c"),
                        [{**g, "c": chain} for g in gone])
    if kept:
        session.execute(text(
            "INSERT INTO row_seal (tbl, row_key, hash, chain, seq, commission) VALUES (:t, :k, :h, :c, :s, :c) "
            "ON CONFLICT (tbl, row_key) DO UPDATE SET hash = excluded.hash, chain = excluded.chain, "
            "seq = excluded.seq, commission = excluded.commission"), kept)


def table_lines(reader: Any, table: Any, siblings: bool = True) -> Iterator[bytes]:
    """Every row's backup line, in key order, as the backup writes it (the engine's own lines where it can).

    The caller reads the seals, or writes them, on the same connection between two lines (backup's SQLite
    reader switches to bytes only while it fetches)."""
    sql = backup.line_sql(table, reader.pg)
    if sql is None:
        batches = backup._python_batches(reader, table)
    elif reader.pg:
        batches = backup._pg_lines(reader, table, sql, siblings)
    else:
        batches = backup._sqlite_lines(reader, table, sql)
    for data, _rows in batches:
        if data:
            yield from data.split(b"\n")[:-1]


def unsealed(reader: Any, table: Any) -> Iterator[tuple[str, str, bytes]]:
    """(key, chain, line) of the table's rows that have no seal yet (the baseline of `init`)."""
    existing = {r["row_key"] for r in reader.rows("SELECT row_key FROM row_seal WHERE tbl = ?", [table.name])}
    at = _chain_index(table)
    for line in table_lines(reader, table, siblings=False):
        key = line_key(line)
        if key not in existing:
            yield key, _chain_of(line, at), line


RESHAPE = "audit_reshape"  # registry_setting: table → the values a migration appended to every row (0014)
_RESHAPE_BATCH = 2000


def reshaped(raw: Any, pg: bool, table: Any, tail: list[Any]) -> Iterator[list[Any]]:
    """`[table, key, old, new]` for each row whose line, with the appended values taken off, still matches
    its seal: a migration that appends columns changes every line, not the row. A row that no longer
    matched its seal before the upgrade is left with its old seal, so `audit verify` still names it.

    Read a range of keys at a time (the lines, then their seals), so the caller may write between ranges
    and a national table never sits in memory."""
    suffix = ("," + ",".join(json.dumps(v, ensure_ascii=False) for v in tail) + "]").encode("utf-8")
    name = table.name
    pk = next(iter(table.primary_key.columns)).name
    cur = raw.cursor()
    try:
        cur.execute(f'SELECT min("{pk}"), max("{pk}") FROM "{name}"')
        low, high = cur.fetchone()
    finally:
        cur.close()
    if low is None:
        return
    for start in range(int(low), int(high) + 1, _RESHAPE_BATCH):
        keys = [str(k) for k in range(start, min(start + _RESHAPE_BATCH, int(high) + 1))]
        lines = current_lines(raw, pg, table, keys)
        if not lines:
            continue
        kept = stored_seals(raw, pg, name, list(lines))
        for key in sorted(lines, key=int):
            line, was = lines[key], kept.get(key)
            if was is None or not line.endswith(suffix):
                continue
            before = line[:-len(suffix)] + b"]"
            if row_hash(name, before) == was[0]:
                yield [name, key, was[0], row_hash(name, line)], was[1]


def sums(rows: Iterable[list[Any]], into: dict[tuple[str, str], int], chain: str) -> None:
    """Add one `seal` entry's rows to the running sums per (chain, table): new seals in, old ones out."""
    for table, key, old, new in rows:
        s = into.get((chain, table), 0)
        if new is not None:
            s += element(table, key, new)
        if old is not None:
            s -= element(table, key, old)
        into[chain, table] = s % MODULUS


# --- checking ------------------------------------------------------------------------------------------

#: The tables as a secretary reads their names in a verdict (the code stays beside it for scripts).
TABLE_WORDS = {
    "agency": "органы", "agency_alias": "сокращения органов", "calendar_override": "календарь",
    "commission": "комиссии", "access_role": "роли доступа", "registry_setting": "настройки реестра",
    "pseudonym_key": "ключи обезличивания", "person": "люди", "signal": "сигналы", "signal_person": "люди сигнала",
    "check_conclusion": "проверки", "sop_case": "дела", "case_signal": "сигналы дела", "obligation": "сроки",
    "plan": "программы", "measure": "мероприятия", "proposal": "предложения", "report": "отчёты",
    "case_event": "события дела", "reconciliation": "сверки", "measure_complex": "комплексы мер",
    "complex_measure": "меры комплексов", "emergency": "экстренные случаи", "signatory": "подписанты",
    "case_registration": "постановки на учёт", "case_assignment": "закрепления", "row_seal": "печати записей",
}
_SHOWN = 20  # rows named per table and kind; the rest are counted


def table_word(table: str) -> str:
    return f"«{TABLE_WORDS.get(table, table)}» ({table})"


ROW_KINDS = {
    "changed": "изменена в обход sopcli: не совпадает со своей печатью в журнале",
    "unsealed": "нет в журнале аудита: добавлена в обход sopcli",
    "deleted": "удалена в обход sopcli: в журнале есть, в таблице нет",
}


def row_message(p: dict[str, Any]) -> str:
    if p["kind"] in ROW_KINDS:
        return f"таблица {table_word(p['table'])}, запись {p['key']} — {ROW_KINDS[p['kind']]}"
    if p["kind"] == "count":
        return (f"таблица {table_word(p['table'])}: записей {p['rows']}, печатей {p['seals']} — записи добавлены "
                "или удалены в обход sopcli (подробно: audit verify без --quick)")
    return (f"цепочка «{p['chain']}», таблица {table_word(p['table'])}: печати записей не сходятся с журналом — "
            "печать подменена, удалена или вставлена в обход sopcli")


class Check:
    """The rows side of `audit verify`: the seals against the chain, the rows against the seals."""

    def __init__(self, reader: Any, full: bool, siblings: bool = True) -> None:
        self.r, self.full, self.siblings = reader, full, siblings
        self.chain_sums: dict[tuple[str, str], int] = {}
        self.problems: list[dict[str, Any]] = []
        self.counted: dict[tuple[str, str], int] = {}
        self.rows = 0

    def entry(self, chain: Any, action: Any, detail: Any) -> None:
        """A walked entry: a `seal` entry adds its rows to its chain's sums (a broken one is the chain's verdict)."""
        if action != "seal" or type(chain) is not str or type(detail) is not str:
            return
        try:
            rows = json.loads(detail)["rows"]
            sums(rows, self.chain_sums, chain)
        except (ValueError, KeyError, TypeError):
            return

    def run(self, scoped: bool) -> dict[str, Any]:
        self._seals_against_chain()
        for table in sealed_tables():
            if scoped and _chain_index(table) is None:
                continue  # a shared table's seals are the owner's chain's: its verify checks them
            if self.full:
                self._rows_against_seals(table)
            else:
                self._counts(table)
        shown: dict[tuple[str, str], int] = {}
        kept = []
        for p in self.problems:
            k = (p["table"], p["kind"])
            shown[k] = shown.get(k, 0) + 1
            if shown[k] <= _SHOWN:
                kept.append({**p, "message": row_message(p)})
        return {"full": self.full, "checked": self.rows, "ok": not self.problems, "problems": kept,
                "problem_count": len(self.problems)}

    def _seals_against_chain(self) -> None:
        seal_sums: dict[tuple[str, str], int] = {}
        for chain, table, key, digest in self.r.stream("SELECT chain, tbl, row_key, hash FROM row_seal"):
            k = (chain, table)
            seal_sums[k] = (seal_sums.get(k, 0) + element(table, key, digest)) % MODULUS
        for k in sorted(set(seal_sums) | {k for k, v in self.chain_sums.items() if v}):
            if seal_sums.get(k, 0) != self.chain_sums.get(k, 0):
                self.problems.append({"kind": "seals", "chain": k[0], "table": k[1], "key": None})

    def _counts(self, table: Any) -> None:
        rows = self.r.rows(f'SELECT count(*) AS n FROM "{table.name}"')[0]["n"]
        seals = self.r.rows("SELECT count(*) AS n FROM row_seal WHERE tbl = ?", [table.name])[0]["n"]
        self.rows += rows
        if rows != seals:
            self.problems.append({"kind": "count", "table": table.name, "key": None, "rows": rows, "seals": seals})

    def _rows_against_seals(self, table: Any) -> None:
        name = table.name
        if _int_key(table):
            seals = self.r.stream("SELECT row_key, hash FROM row_seal WHERE tbl = ? "
                                  "ORDER BY length(row_key), row_key", [name])
            self._merge(name, ((int(k), h) for k, h in seals), self._hashed(table, int))
        else:
            kept = dict(self.r.stream("SELECT row_key, hash FROM row_seal WHERE tbl = ?", [name]))
            for key, digest in self._hashed(table, str):
                was = kept.pop(key, None)
                if was != digest:
                    self._problem(name, "unsealed" if was is None else "changed", key)
            for key in sorted(kept):
                self._problem(name, "deleted", key)

    def _hashed(self, table: Any, key_type: type) -> Iterator[tuple[Any, str]]:
        name = table.name
        for line in table_lines(self.r, table, self.siblings):
            self.rows += 1
            yield key_type(line_key(line)), row_hash(name, line)

    def _merge(self, name: str, seals: Iterator[tuple[int, str]], rows: Iterator[tuple[int, str]]) -> None:
        """Both in key order: one pass, constant memory, every row named where it differs."""
        end = (None, None)
        s, r = next(seals, end), next(rows, end)
        while s[0] is not None or r[0] is not None:
            if s[0] is not None and (r[0] is None or s[0] < r[0]):
                self._problem(name, "deleted", s[0])
                s = next(seals, end)
            elif r[0] is not None and (s[0] is None or r[0] < s[0]):
                self._problem(name, "unsealed", r[0])
                r = next(rows, end)
            else:
                if s[1] != r[1]:
                    self._problem(name, "changed", r[0])
                s, r = next(seals, end), next(rows, end)

    def _problem(self, table: str, kind: str, key: Any) -> None:
        self.problems.append({"kind": kind, "table": table, "key": str(key)})
