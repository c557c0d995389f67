"""Who owes a term: the rulebook's role bound to an owner when the term opens (issue 28).

The commission holds the agencies to account with sopcli's figures (001 §3.4): the
timeliness table, the Monday letters, the calendar files. A piece of text as the
owner split one agency into «полиция», «ПДН» and «Орган внутренних дел (ПДН)», put
roles («выявивший орган», «куратор») beside agencies and let a typo own terms nobody
saw. So the rulebook's `who` stays a role, and the step that opens a term binds it:

- the signal's source (the detecting body), a member of the case's working group,
  the measure's executor, the municipality's guardianship, police or social
  protection body — an agency of the directory;
- the commission itself (its own terms, and a school registry's council and
  officers: the registry's holder);
- the case's curator (a person, with the agency they work for).

A role that means several agencies (the working group) opens one obligation per
agency: each answers for its own term, and the scorecard charges no agency for
another's silence. A role the step cannot bind is said at the step and kept as
`unbound` for `agency bind`; a source that is no agency (a citizen, an anonymous
call, the commission's own finding) opens no agency's duty at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from sopcli.services.directory import agencies

#: Roles the registry's holder answers for: the commission (a school registry: the school's council and officers).
COMMISSION_ROLES = frozenset({"КДН", "районная КДН", "КДН субъекта", "орган учёта", "Совет профилактики",
                              "ответственный за учёт", "классный руководитель", "школа"})
#: Roles of the body that found it or sent it: the signal's source (or the agency the step names).
SOURCE_ROLES = frozenset({"выявивший орган", "поместивший орган", "воспитательная колония",
                          "СУВУ закрытого типа", "орган системы профилактики", "колледж (вуз)"})
#: Roles of several bodies: the case's working group; before a case, the body that found it.
PLURAL_ROLES = frozenset({"органы системы профилактики"})
#: Roles of one kind of agency: the step's agency if of that kind, else the working group's, else the directory's.
KIND_ROLES = {"опека": "guardianship", "полиция": "police", "соцзащита": "social"}
CURATOR_ROLES = frozenset({"куратор"})
#: Roles the step names itself (a measure's executor, a complex's responsible body).
NAMED_ROLES = frozenset({"орган-исполнитель", "ответственный исполнитель"})

KINDS = ("agency", "commission", "curator", "unbound")
_CACHE = "sopcli_directory"  # session.info: the directory's entries, read once per transaction


@dataclass(frozen=True)
class Owner:
    """Who owes one obligation: `name` is how every view prints it (`obligation.who`)."""

    kind: str  # agency | commission | curator | unbound
    name: str
    agency_id: int | None = None


@dataclass
class Binding:
    """What a step knows when it opens a term: the subject's rows and the agency it named, if any."""

    signal: Any = None
    case: Any = None
    named: str = ""  # the agency the step itself named (an emergency's, a move's detector), directory name
    explicit: str = ""  # the owner the step gives (a measure's executor): bound through the directory


def directory(session: Session) -> list[agencies.Entry]:
    cached = session.info.get(_CACHE)
    if cached is None:
        cached = session.info[_CACHE] = agencies.load(session)
    return cached


def forget_directory(session: Session) -> None:
    """An agency added inside the transaction (a new source at the terminal) must be seen by the binding."""
    session.info.pop(_CACHE, None)


def commission_title(settings: dict[str, str]) -> str:
    """The commission as its own rows name it: «КДН и ЗП г. Йошкар-Олы»; a school registry: the school."""
    place = settings.get("municipality", "").strip()
    if settings.get("rules") == "school":
        return place or "Образовательная организация (Совет профилактики)"
    return f"КДН и ЗП {place}".strip()


def curator_title(curator: str, agency: str | None) -> str:
    from sopcli.services.directory.names import short_name

    return f"куратор: {short_name(curator)}" + (f" ({agency})" if agency else "")


def by_id(entries: list[agencies.Entry], agency_id: int | None) -> agencies.Entry | None:
    return next((e for e in entries if e.id == agency_id), None) if agency_id is not None else None


def exactly(entries: list[agencies.Entry], name: str) -> agencies.Entry | None:
    """The agency a stored name means, if exactly one: names were resolved when typed, so they are exact."""
    found = agencies.matches(name, entries) if name else []
    return found[0] if len(found) == 1 else None


def agency_owner(e: agencies.Entry, reg: Any) -> Owner:
    """An agency as an owner; the directory's own «КДН и ЗП» is the commission."""
    if e.kind == "kdn":
        return Owner("commission", commission_title(reg.settings))
    return Owner("agency", e.name, e.id)


def source_owner(session: Session, reg: Any, b: Binding) -> list[Owner] | None:
    """The body that found it: the step's own agency, else the signal's source. None: a source with no agency."""
    entries = directory(session)
    if b.named:
        e = exactly(entries, b.named)
        return [agency_owner(e, reg)] if e is not None else [Owner("unbound", b.named)]
    sig = b.signal
    if sig is None:
        return [Owner("unbound", "выявивший орган")]
    kind = getattr(sig, "source_kind", "")
    if kind == "agency":
        e = by_id(entries, sig.source_agency_id)
        return [agency_owner(e, reg)] if e is not None else [Owner("unbound", sig.source)]
    if kind == "commission":
        return [Owner("commission", commission_title(reg.settings))]
    if kind in ("citizen", "anonymous"):
        return None
    e = exactly(entries, sig.source)  # a registry older than 0014 that the upgrade has not bound yet
    return [agency_owner(e, reg)] if e is not None else [Owner("unbound", sig.source)]


def members(session: Session, b: Binding) -> list[agencies.Entry]:
    if b.case is None or not b.case.members:
        return []
    entries = directory(session)
    found = [exactly(entries, line.strip()) for line in b.case.members.splitlines() if line.strip()]
    return list({e.id: e for e in found if e is not None}.values())


def kind_owner(session: Session, reg: Any, role: str, b: Binding) -> list[Owner]:
    kind = KIND_ROLES[role]
    entries = directory(session)
    if b.named:
        e = exactly(entries, b.named)
        if e is not None and e.kind == kind:
            return [agency_owner(e, reg)]
    for pool in ([e for e in members(session, b) if e.kind == kind],
                 [e for e in entries if e.kind == kind and e.active]):
        if len(pool) == 1:
            return [agency_owner(pool[0], reg)]
        if len(pool) > 1:
            return [Owner("unbound", role)]
    return [Owner("unbound", role)]


def curator_owner(session: Session, reg: Any, b: Binding) -> list[Owner]:
    case = b.case
    if case is None or not case.curator:
        return [Owner("unbound", "куратор")]
    e = by_id(directory(session), getattr(case, "curator_agency_id", None))
    return [Owner("curator", curator_title(case.curator, e.name if e else None), e.id if e else None)]


def bind(session: Session, reg: Any, role: str, b: Binding) -> list[Owner]:
    """The owners a role means for this step: one per agency; [] when nobody owes it (a citizen's signal)."""
    if b.explicit:
        e = exactly(directory(session), b.explicit)
        return [agency_owner(e, reg)] if e is not None else [Owner("unbound", b.explicit)]
    if role in COMMISSION_ROLES:
        return [Owner("commission", commission_title(reg.settings))]
    if role in CURATOR_ROLES:
        return curator_owner(session, reg, b)
    if role in KIND_ROLES:
        return kind_owner(session, reg, role, b)
    if role in PLURAL_ROLES:
        group = members(session, b)
        if group:
            return [agency_owner(e, reg) for e in group]
        return source_owner(session, reg, b) or []
    if role in SOURCE_ROLES:
        return source_owner(session, reg, b) or []
    e = exactly(directory(session), role)  # a region's own role that names an agency
    return [agency_owner(e, reg)] if e is not None else [Owner("unbound", role)]


def standing_owner(session: Session, reg: Any, role: str, agency: str | None) -> Owner:
    """A calendar's term: per agency (`each = "agency"`) a role of several bodies is that agency's own."""
    if agency and role in PLURAL_ROLES:
        e = exactly(directory(session), agency)
        return agency_owner(e, reg) if e is not None else Owner("unbound", agency)
    found = bind(session, reg, role, Binding())
    return found[0] if found else Owner("unbound", role)


def unbound_note(role: str, title: str) -> str:
    """What a step says of a term it could not give to anyone (kept, listed by `agency unbound`)."""
    return (f"Срок «{title[:80]}» ({role}): исполнитель не определён — в справочнике или в рабочей группе нет "
            f"такого органа; назначьте: sopcli agency bind \"{role}\" --to ОРГАН.")
