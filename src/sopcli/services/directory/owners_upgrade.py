"""Old registries brought over to owners (issue 28 §3): each text bound where exactly one owner fits.

Before 0014 an obligation's owner was its `who` text: the rulebook's role, a signal's source as typed or a
measure's executor. The first `init` after the upgrade binds each text to an owner wherever the resolver
(aliases, everyday words, the case's working group and curator, the signal's source) finds exactly one;
the rest stay `unbound`, listed by `agency unbound` and bound by a person with `agency bind`, audited. The
signals' sources are bound the same way first, since the detecting body's terms follow them.

Plain SQL over the rows, a batch at a time, so a national registry is not walked through the ORM.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text

from sopcli.errors import InvalidInput
from sopcli.services.directory import agencies
from sopcli.services.steps import owners

MARKER = "owners_bound"  # registry_setting: `pending` from migration 0014 until `init` binds the old texts
_BATCH = 2000


@dataclass
class Bound:
    """What the upgrade (or `agency bind`) did: rows bound, and the texts left for a person, with counts."""

    obligations: int = 0
    signals: int = 0
    left: dict[str, int] = field(default_factory=dict)


@dataclass
class _Commission:
    entries: list[agencies.Entry]
    title: str
    place: str
    signals: dict[int, tuple[str, int | None, str]] = field(default_factory=dict)  # id → (kind, agency, text)
    cases: dict[int, Any] = field(default_factory=dict)
    named: dict[tuple[str, str], owners.Owner] = field(default_factory=dict)  # a text's owner, found once
    bound: dict[Any, owners.Owner | None] = field(default_factory=dict)  # a role's owner for one subject's kind


class _Row:
    """A stored row seen as the binding reads a signal or a case (attribute access)."""

    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)


def _commissions(session: Any, reg: Any) -> dict[str, _Commission]:
    from sopcli.registry_settings import merge

    stored = {k: v for k, v in session.execute(text("SELECT key, value FROM registry_setting")).all()}
    names = {c: n for c, n in session.execute(text("SELECT code, name FROM commission")).all()}
    rows = session.execute(text("SELECT id, name, kind, is_active, commission FROM agency ORDER BY id")).all()
    aliases = session.execute(text("SELECT agency_id, alias FROM agency_alias ORDER BY id")).all()
    out: dict[str, _Commission] = {}
    for code in sorted({r[4] for r in rows} | {reg.commission}):
        own = [r[:4] for r in rows if r[4] == code]
        ids = {r[0] for r in own}
        entries = agencies.directory_from_rows(own, [a for a in aliases if a[0] in ids])
        settings = merge(stored, names.get(code, "") if code != "main" else "")
        out[code] = _Commission(entries, owners.commission_title(settings), settings["municipality"])
    return out


def _source(c: _Commission, typed: str, school: bool) -> tuple[str, int | None]:
    try:
        found = agencies.source_of(typed, c.entries, school)
    except InvalidInput:
        return "", None
    if found.kind == "agency" and found.agency is not None:
        return "agency", found.agency.id
    return found.kind, None


def bind_signals(session: Any, reg: Any, byc: dict[str, _Commission]) -> int:
    """Each signal's source as an owner, where the resolver names exactly one (or it is a citizen's); a source
    is resolved once per commission however many signals it sent, and a page written and sealed at a time."""
    from sopcli.services.trust import audit

    school = reg.settings.get("rules") == "school"
    known: dict[tuple[str, str], tuple[str, int | None]] = {}
    batch: list[dict[str, Any]] = []
    for sid, source, kind, agency, commission in session.execute(text(
            "SELECT id, source, source_kind, source_agency_id, commission FROM signal ORDER BY id")).all():
        c = byc.get(commission) or byc[reg.commission]
        if not kind:
            key = (commission, source)
            if key not in known:
                known[key] = _source(c, source, school)
            kind, agency = known[key]
            if kind:
                batch.append({"k": kind, "a": agency, "i": sid})
        c.signals[sid] = (kind, agency, source)
    for start in range(0, len(batch), _BATCH):
        part = batch[start:start + _BATCH]
        session.execute(text("UPDATE signal SET source_kind = :k, source_agency_id = :a WHERE id = :i"), part)
        audit.seal(session, reg, {"signal": {str(b["i"]) for b in part}})
    return len(batch)


def _load_cases(session: Any, byc: dict[str, _Commission], reg: Any) -> None:
    for cid, curator, members, cur_agency, commission in session.execute(text(
            "SELECT id, curator, members, curator_agency_id, commission FROM sop_case")).all():
        c = byc.get(commission) or byc[reg.commission]
        c.cases[cid] = _Row(curator=curator, members=members, curator_agency_id=cur_agency)


def owner_for(session: Any, reg: Any, c: _Commission, role: str, who: str, signal_id: int | None,
              case_id: int | None) -> owners.Owner:
    """The one owner an old obligation's text means, else `unbound` with its text kept."""
    session.info[owners._CACHE] = c.entries  # the binding reads this commission's directory
    if who != role or not role:  # a source as typed, an executor, or a text the rulebook no longer has
        key = ("named", who)
        if key not in c.named:
            c.named[key] = _named(c, who, reg)
        return c.named[key]
    if role in owners.COMMISSION_ROLES:
        return owners.Owner("commission", c.title)
    sig = c.signals.get(signal_id) if signal_id is not None else None
    case = c.cases.get(case_id) if case_id is not None else None
    # what the binding reads of the subject: the same for every term of the same source and working group
    key = (role, sig, (case.curator, case.members, case.curator_agency_id) if case is not None else None)
    if key not in c.bound:
        b = owners.Binding(signal=_Row(source_kind=sig[0], source_agency_id=sig[1], source=sig[2]) if sig else None,
                           case=case)
        found = owners.bind(session, _Titled(reg, c.place), role, b)
        c.bound[key] = found[0] if len(found) == 1 else None
    return c.bound[key] or owners.Owner("unbound", who)


class _Titled:
    """The registry as the binding reads it, signing with one commission's name."""

    def __init__(self, reg: Any, place: str) -> None:
        self.settings = {**reg.settings, "municipality": place}


def _named(c: _Commission, who: str, reg: Any) -> owners.Owner:
    if who.startswith("куратор: "):
        return owners.Owner("unbound", who)
    found = agencies.matches(who, c.entries)
    if len(found) == 1:
        e = found[0]
        return owners.Owner("commission", c.title) if e.kind == "kdn" else owners.Owner("agency", e.name, e.id)
    return owners.Owner("unbound", who)


def bind_old(session: Any, reg: Any) -> Bound | None:
    """Once, after the upgrade to owners (0014 marks `owners_bound = pending`): bind what exactly one fits."""
    from sopcli.deadlines.rulebook import rulebook_with

    marker = session.execute(text("SELECT value FROM registry_setting WHERE key = :k"), {"k": MARKER}).scalar()
    if marker != "pending":
        return None
    session.flush()
    done = Bound()
    byc = _commissions(session, reg)
    done.signals = bind_signals(session, reg, byc)
    _load_cases(session, byc, reg)
    roles = {r.id: r.who for r in rulebook_with(reg.settings.get("rulebook", "")).rules}
    last = 0
    while True:  # a page of ids at a time, each page written and sealed before the next is read
        rows = session.execute(text("SELECT id, rule, who, signal_id, case_id, commission FROM obligation "
                                    "WHERE owner_kind = '' AND id > :last ORDER BY id LIMIT :n"),
                               {"last": last, "n": _BATCH}).all()
        if not rows:
            break
        batch: list[dict[str, Any]] = []
        for oid, rule, who, signal_id, case_id, commission in rows:
            c = byc.get(commission) or byc[reg.commission]
            role = roles.get(rule, "")
            owner = owner_for(session, reg, c, role, who, signal_id, case_id)
            if owner.kind == "unbound":
                done.left[owner.name] = done.left.get(owner.name, 0) + 1
            else:
                done.obligations += 1
            batch.append({"i": oid, "w": owner.name[:300], "r": role or who, "k": owner.kind, "a": owner.agency_id})
        _write(session, reg, batch)
        last = rows[-1][0]
    owners.forget_directory(session)
    session.execute(text("UPDATE registry_setting SET value = 'done' WHERE key = :k"), {"k": MARKER})
    _touch(session, "registry_setting", MARKER)
    from sopcli.services.trust import audit

    audit.record(session, reg, "bind", "obligation", None, bound=done.obligations, signals=done.signals,
                 left=sum(done.left.values()))
    return done


def _write(session: Any, reg: Any, batch: list[dict[str, Any]]) -> None:
    """A page of owners written and sealed at once: a national registry's two million rows never wait in memory
    for the commit's seal."""
    from sopcli.services.trust import audit

    session.execute(text("UPDATE obligation SET who = :w, role = :r, owner_kind = :k, agency_id = :a WHERE id = :i"),
                    batch)
    audit.seal(session, reg, {"obligation": {str(b["i"]) for b in batch}})


def _touch(session: Any, table: str, *keys: Any) -> None:
    from sopcli.services.trust import audit

    audit.touch(session, table, *keys)


# -- by hand: `agency unbound` / `agency bind` ----------------------------------------------------------------
def unbound(session: Any) -> list[dict[str, Any]]:
    """The owners' texts no agency was found for, with how many terms (and open ones) and signals each has."""
    out: dict[str, dict[str, Any]] = {}
    for who, role, status, n in session.execute(text(
            "SELECT who, role, status, count(*) FROM obligation WHERE owner_kind IN ('', 'unbound') "
            "GROUP BY who, role, status")).all():
        row = out.setdefault(who, {"text": who, "roles": set(), "terms": 0, "open": 0, "signals": 0})
        row["roles"].add(role or who)
        row["terms"] += n
        row["open"] += n if status == "open" else 0
    for source, n in session.execute(text("SELECT source, count(*) FROM signal WHERE source_kind = '' "
                                          "GROUP BY source")).all():
        row = out.setdefault(source, {"text": source, "roles": set(), "terms": 0, "open": 0, "signals": 0})
        row["signals"] += n
    return [{**r, "roles": sorted(r["roles"])} for r in sorted(out.values(), key=lambda r: r["text"])]


def bind_text(session: Any, reg: Any, typed_text: str, to: str) -> tuple[str, Bound]:
    """`agency bind "ТЕКСТ" --to ОРГАН`: every unbound term (and signal source) with exactly this text, to one
    agency of the directory (or the commission). Refused if the text owes nothing unbound."""
    from sopcli.services.trust import audit

    entries = owners.directory(session)
    e = agencies.resolve(to, entries)
    owner = owners.agency_owner(e, reg)
    wanted = " ".join(typed_text.split())
    if wanted in owners.CURATOR_ROLES:  # a person's work: handing it to a whole agency would hide whose it is
        raise InvalidInput(f"«{wanted}» — должностное лицо, не орган: куратор назначается при признании "
                           "(sopcli recognize … --curator).")
    found = [r for r in unbound(session) if " ".join(r["text"].split()) == wanted]
    if not found:
        raise InvalidInput(f"«{wanted[:80]}» — нет сроков и сигналов без исполнителя с таким текстом "
                           "(список: sopcli agency unbound).")
    stored = found[0]["text"]
    done = Bound()
    ids = [r[0] for r in session.execute(text(
        "SELECT id FROM obligation WHERE owner_kind IN ('', 'unbound') AND who = :w ORDER BY id"), {"w": stored})]
    for start in range(0, len(ids), _BATCH):
        part = ids[start:start + _BATCH]
        session.execute(text("UPDATE obligation SET who = :w, owner_kind = :k, agency_id = :a, "
                             "role = CASE WHEN role = '' THEN :t ELSE role END WHERE id = :i"),
                        [{"w": owner.name[:300], "k": owner.kind, "a": owner.agency_id, "t": stored, "i": i}
                         for i in part])
        _touch(session, "obligation", *part)
    done.obligations = len(ids)
    sig_ids = [r[0] for r in session.execute(text(
        "SELECT id FROM signal WHERE source_kind = '' AND source = :s ORDER BY id"), {"s": stored})]
    kind = "commission" if owner.kind == "commission" else "agency"
    for sid in sig_ids:
        session.execute(text("UPDATE signal SET source_kind = :k, source_agency_id = :a WHERE id = :i"),
                        {"k": kind, "a": owner.agency_id if kind == "agency" else None, "i": sid})
    _touch(session, "signal", *sig_ids)
    done.signals = len(sig_ids)
    audit.record(session, reg, "bind", "obligation", None, text=stored[:300], to=owner.name[:300],
                 obligations=done.obligations, signals=done.signals)
    return owner.name, done
