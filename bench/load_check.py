"""What a load run must leave behind, read back from the registry (issue 7 §3).

Each write carried a marker `[load-RUN-wN-K]` into one text field; the registry
must hold every marker of a success exactly once, in its place, with its audit
entry, and no marker of a refused or failed step. Over the whole registry:
journal numbers unique and gap-free per year, one audit entry for each row
created and each change of an obligation's state, no duplicate open obligation,
one case per signal, one `done` report per measure, no lock error shown to a user.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any

MARKER = re.compile(r"\[load-[0-9a-f]+-w\d+-\d+\]")
# command → (table, column) its marker lands in, and the audit entry (action, entity) its success records
WHERE = {
    "signal add": ("signal", "problem", "create", "signal"),  # the source is the directory's name (issue 28)
    "check": ("check_conclusion", "note", "create", "check"),
    "recognize": ("sop_case", "resolution_no", "create", "case"),
    "plan add": ("measure", "title", "create", "measure"),
    "plan approve": ("plan", "resolution_no", "approve", "plan"),
    "report": ("report", "text", "create", "report"),
    "deadlines done": ("obligation", "note", "fulfil", "obligation"),
    "close": ("sop_case", "close_resolution", "close", "case"),
}
# steps whose text is also copied into the notes of the obligations they fulfil (programme.approve, report)
ALSO_IN_NOTES = {"plan approve", "report"}
CREATED = {"signal": "signal", "check_conclusion": "check", "sop_case": "case", "measure": "measure",
           "report": "report", "plan": "plan", "obligation": "obligation"}
LOCK_WORDS = ("locked", "deadlock", "serializ", "блокир")


def _markers(conn: Any, run: str) -> dict[str, list[tuple[str, str, int]]]:
    from sqlalchemy import text

    found: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
    for table, column in {(t, c) for t, c, _, _ in WHERE.values()}:
        # a new programme version carries the undone measures as copies (programme.draft_of): not a second write
        copies = " AND carried_from IS NULL" if table == "measure" else ""
        rows = conn.execute(text(f"SELECT id, {column} FROM {table} WHERE {column} LIKE :p{copies}"),
                            {"p": f"%[load-{run}-%"})
        for ident, value in rows:
            for m in MARKER.findall(value or ""):
                found[m].append((table, column, ident))
    return found


def _attempts(found: dict, audit: Counter, rows: list[dict], bad: list[str]) -> dict[str, int]:
    """Each logged write against what the registry holds under its marker."""
    verified: Counter = Counter()
    logged = set()
    for r in rows:
        if r["role"] not in ("writer", "base"):
            continue
        logged.add(r["marker"])
        if _attempt(r, found.get(r["marker"], []), audit, bad):
            verified[r["cmd"]] += 1
    for m in set(found) - logged:
        bad.append(f"marker {m} is in the registry but no step logged it: {found[m]}")
    return dict(verified)


def _attempt(r: dict, hits: list[tuple[str, str, int]], audit: Counter, bad: list[str]) -> bool:
    """One logged write: a success stored once in its place (True), anything else leaving no trace."""
    if r["code"] == 0:
        if not _stored_once(r, hits, audit, bad):
            return False
    elif hits:
        bad.append(f"{r['cmd']} {r['marker']} ended with exit {r['code']} but left {hits}")
    if r["code"] not in (0, 2):
        bad.append(f"{r['cmd']} {r['marker']}: exit {r['code']} ({r['kind']})")
    if r["code"] == 2 and r["scope"] in ("own", "base"):
        bad.append(f"{r['cmd']} {r['marker']} on the writer's own family refused: {r['msg'][:120]}")
    if any(w in r["msg"].lower() for w in LOCK_WORDS):
        bad.append(f"{r['cmd']} {r['marker']}: a lock error reached the user: {r['msg'][:120]}")
    return r["code"] == 0


def _stored_once(r: dict, hits: list[tuple[str, str, int]], audit: Counter, bad: list[str]) -> bool:
    """A success's marker in its own column once (and nowhere else but the notes it also fills), with one audit
    entry; False when it is stored other than once (its audit is then not looked at)."""
    table, column, action, entity = WHERE[r["cmd"]]
    main = [h for h in hits if h[:2] == (table, column)]
    extra = [h for h in hits if h[:2] != (table, column)]
    if r["cmd"] in ALSO_IN_NOTES:
        extra = [h for h in extra if h[:2] != ("obligation", "note")]
    if len(main) != 1 or extra:
        bad.append(f"{r['cmd']} {r['marker']} succeeded but is stored {len(main)} times: {hits}")
        return False
    n = audit[(action, entity, main[0][2])]
    if n != 1:
        bad.append(f"{r['cmd']} {r['marker']}: {n} audit entries '{action} {entity}' instead of one")
    return True


def _journal(conn: Any, bad: list[str]) -> int:
    from sqlalchemy import text

    by_year: dict[int, list[int]] = defaultdict(list)
    for year, seq in conn.execute(text("SELECT year, seq FROM signal")):
        by_year[year].append(seq)
    for year, seqs in by_year.items():
        if sorted(seqs) != list(range(1, len(seqs) + 1)):
            dup = [s for s, n in Counter(seqs).items() if n > 1]
            gaps = sorted(set(range(1, max(seqs) + 1)) - set(seqs))
            bad.append(f"journal {year}: numbers not unique and gap-free (repeated {dup[:10]}, missing {gaps[:10]})")
    return sum(len(s) for s in by_year.values())


def _trail(conn: Any, audit: Counter, bad: list[str]) -> None:
    """One creation entry per row, one per obligation's fulfilment or cancellation; none for what never was."""
    from sqlalchemy import text

    for table, entity in CREATED.items():
        copies = " WHERE carried_from IS NULL" if table == "measure" else ""  # recorded by the plan's 'create'
        for (ident,) in conn.execute(text(f"SELECT id FROM {table}{copies}")):
            action = "open" if entity == "obligation" else "create"
            if audit[(action, entity, ident)] != 1:
                bad.append(f"{entity} {ident}: {audit[(action, entity, ident)]} '{action}' audit entries")
    obs = conn.execute(text("SELECT id, status, rule, signal_id, case_id, person_id, measure_id, complex_measure_id, "
                            "recipient, trigger_at, agency_id, who FROM obligation")).all()
    _obligations(obs, audit, bad)
    _cases(conn, obs, audit, bad)


def _obligations(obs: list, audit: Counter, bad: list[str]) -> None:
    """A fulfilment or cancellation entry exactly when the state says so; no term open twice for one subject.

    A term is owed by each of its owners (issue 28: the working group's agencies each, the year's figures by every
    agency of the directory): the owner is part of the subject."""
    for ob in obs:
        want = {"fulfil": int(ob.status == "fulfilled"), "cancel": int(ob.status == "cancelled")}
        for action, n in want.items():
            if audit[(action, "obligation", ob.id)] != n:
                bad.append(f"obligation {ob.id} ({ob.rule}, {ob.status}): {audit[(action, 'obligation', ob.id)]} "
                           f"'{action}' entries, expected {n}")
    open_keys = Counter((o.rule, o.signal_id, o.case_id, o.person_id, o.measure_id, o.complex_measure_id,
                         o.recipient, str(o.trigger_at) if o.signal_id is None and o.case_id is None else "",
                         o.agency_id, o.who)
                        for o in obs if o.status == "open")
    for key, n in open_keys.items():
        if n > 1:
            bad.append(f"{n} open obligations {key[0]} for the same subject {key[1:]}")


def _cases(conn: Any, obs: list, audit: Counter, bad: list[str]) -> None:
    """One case per signal, one `done` report per measure, one close entry per closed case, and nothing open
    on a closed case but the terms its closure opens."""
    from sqlalchemy import text

    for (sig, n) in conn.execute(text("SELECT signal_id, COUNT(*) FROM sop_case GROUP BY signal_id "
                                      "HAVING COUNT(*) > 1")):
        bad.append(f"signal {sig}: {n} cases")
    for (m, n) in conn.execute(text("SELECT measure_id, COUNT(*) FROM report WHERE status = 'done' "
                                    "GROUP BY measure_id HAVING COUNT(*) > 1")):
        bad.append(f"measure {m}: {n} 'done' reports")
    after_close = _rules_after_close(conn)
    for row in conn.execute(text("SELECT id FROM sop_case WHERE status = 'closed'")):
        if audit[("close", "case", row.id)] != 1:
            bad.append(f"case {row.id} closed with {audit[('close', 'case', row.id)]} 'close' entries")
    closed = {r.id for r in conn.execute(text("SELECT id FROM sop_case WHERE status = 'closed'"))}
    for o in obs:  # closure cancels what is open (004 §6): a step racing it must not leave one behind
        if o.status == "open" and o.case_id in closed and o.rule not in after_close:
            bad.append(f"closed case {o.case_id} still has open obligation {o.id} ({o.rule})")


def _rules_after_close(conn: Any) -> set[str]:
    from sqlalchemy import text

    from sopcli.deadlines.rulebook import load_rulebook

    rules = dict(conn.execute(text("SELECT key, value FROM registry_setting")).all()).get("rules", "mari-el")
    return {r.id for r in load_rulebook().for_event(rules, "case.closed")}


def check(db: str, run: str, rows: list[dict]) -> dict[str, Any]:
    """The invariants of a run; `violations` empty means nothing lost, doubled or leaked."""
    from sqlalchemy import create_engine, text

    from sopcli.db import resolve_url

    bad: list[str] = []
    engine = create_engine(resolve_url(db))
    try:
        with engine.connect() as conn:
            found = _markers(conn, run)
            audit = Counter((a, e, i) for a, e, i in conn.execute(
                text("SELECT action, entity, entity_id FROM audit_entry")))
            verified = _attempts(found, audit, rows, bad)
            signals = _journal(conn, bad)
            _trail(conn, audit, bad)
    finally:
        engine.dispose()
    for r in rows:
        if r["role"] == "reader" and r["code"] != 0:
            bad.append(f"{r['cmd']}: exit {r['code']} ({r['kind'] or r['msg'][:80]})")
    return {"ok": not bad, "violation_count": len(bad), "violations": bad[:60], "verified_successes": verified,
            "markers_found": len(found), "signals_in_journal": signals, "audit_entries": sum(audit.values())}
