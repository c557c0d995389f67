"""Reminder letters to the agencies of the prevention system: their overdue and coming terms.

Why a letter: the digest tells only the secretary; the agency that owes a visit
or a characteristic learns of it by a phone call. A letter on the commission's
form, with the terms and the clauses that set them, is what an office files and
answers.

Whose obligations: those `deadlines --who` shows for the agency (`reads.digest`
with the same resolver, `agencies.who_values`), so a letter never says more or
less than the screen the secretary checked it against. `--all` gives each
agency of the directory exactly that letter, for every agency with something
overdue or due within the window.

Each term is in exactly one letter: its owner's (issue 28). Every term is bound
to an owner when it opens — an agency of the directory, the commission, or a
curator with the agency they work for — so the letter goes by the owner's
agency id, not by a spelling. No letter goes
- to the commission itself (its own terms, the directory's «КДН и ЗП»): a letter
  to oneself; its terms stay in the morning digest;
- for a curator whose agency is not known (`recognize --curator-agency`): the
  commission's own specialist, reminded in person;
- for a term whose owner the step could not bind (no such agency in the
  directory or the working group): `agency bind` gives it one.
These are listed as skipped, with their counts, so nothing is silently dropped.

Children's personal data (152-ФЗ, art. 5 §3 and 6 — no more than the purpose
needs): the letter names a child only as the agency already holds the child —
surname, initials and birth year («Иванов П. И., 2012 г. р.») — and only on a
row of an obligation that agency owes: owing a term in a case or signal means
the agency was sent that case (the programme, the assignment, the request), so
it knows the child already and the row must let it find its file. No full
names, no birth dates, no addresses, no parents: none of them helps the agency
find its file and each would travel further than the case needs. A row with no
case or signal (a quarterly report) names nobody.
The «что должно быть сделано» column is the obligation's title: for a measure of
a programme, the measure's text as the approved programme states it. That text
is typed by people and may name a family member («Беседа с матерью …»), but the
agency already holds it word for word — the programme was sent to it — and
without it the agency cannot tell which of its measures is meant. The calendar
file (`export ics`), which ends up on phones and shared calendars, uses the
rule's title and the measure's number instead.

Days overdue are told in working days of the registry's calendar, as the
scorecard counts lateness (`obligations.fulfil`'s `late_wd`): a term due on the
Friday before the May holidays is not "four days late" on Tuesday.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sopcli.errors import InvalidInput
from sopcli.files import NAME_MAX
from sopcli.services.directory import agencies
from sopcli.services.reading import reads
from sopcli.services.reading.db import Reader

TEMPLATE = "reminder.docx"
WITHIN_LIMIT = 3660


@dataclass
class Row:
    """One obligation as the letter prints it."""

    id: int
    rule: str
    where: str  # «дело № 12», «сигнал № 5/2026», «—»
    child: str  # «Иванов П. И., 2012 г. р.»; "" when none is on record or the term is the registry's
    title: str
    due: str  # DD.MM.YYYY, or DD.MM.YYYY HH:MM for an immediate term that keeps its moment
    source: str  # the rule's citation as the rulebook writes it («004 §5.5»): for scripts
    overdue: bool
    days: int | None  # working days overdue; None when not overdue
    case: int | None
    signal: int | None
    cited: str  # the same in the regulation's words («п. 5.5 Порядка …»): for the letter

    def context(self) -> dict[str, Any]:
        late = "" if self.days is None else (str(self.days) if self.days else "менее 1")
        # no break inside «г. р.» or between initials on paper: «Петров И. С., 2012 г. р.» stays readable
        child = re.sub(r"(?<=\.) (?=[^\W\d_]\.)|(?<=\d) (?=г\.)", "\u00a0", self.child)
        return {"id": self.id, "where": self.where, "child": child, "title": self.title, "due": self.due,
                "source": self.cited, "days": late}

    def json(self) -> dict[str, Any]:
        return {"id": self.id, "rule": self.rule, "case": self.case, "signal": self.signal, "title": self.title,
                "due": self.due, "source": self.source, "overdue": self.overdue, "working_days_overdue": self.days}


@dataclass
class Letter:
    """One agency's letter: the directory's entry, its overdue rows then its coming ones."""

    agency: agencies.Entry
    late: list[Row] = field(default_factory=list)
    soon: list[Row] = field(default_factory=list)

    @property
    def rows(self) -> list[Row]:
        return self.late + self.soon


@dataclass
class Skipped:
    """A `who` that gets no letter, and why (`--all` says so aloud)."""

    who: str
    count: int
    reason: str  # "commission" | "curator" | "no-curator" | "not-agency"


SKIP_REASONS = {"commission": "сроки самой комиссии — в сводке, не в письме",
                "curator": "орган куратора не указан (sopcli recognize … --curator-agency) — в сводке, не в письме",
                # a person's role, not an agency: `agency bind` would hand a curator's work to a whole body
                "no-curator": "куратор ещё не назначен (он назначается при признании: sopcli recognize … "
                              "--curator) — в сводке, не в письме",
                "not-agency": "исполнитель не определён; назначьте орган: sopcli agency bind «ТЕКСТ» --to ОРГАН "
                              "(список: sopcli agency unbound)"}


def check_within(within: int) -> None:
    if within < 0 or within > WITHIN_LIMIT:
        raise InvalidInput(f"--within: число дней от 0 до {WITHIN_LIMIT}.")


def agency_of(r: Reader, typed: str) -> agencies.Entry:
    """The directory's agency the typed words name; refused when unknown, ambiguous, not an agency or the commission."""
    entries = agencies.read(r)
    found = agencies.matches(typed, entries)
    if len(found) != 1:  # unknown, or several agencies: refused with the candidates, as `deadlines --who` is
        agencies.who_values(typed, entries, reads.owner_whos(r))
    if len(found) > 1:
        raise agencies.ambiguous(typed, found)
    if not found:
        shown = " ".join(typed.split())[:80]
        raise InvalidInput(f"«{shown}» — не орган из справочника: письмо адресуется органу "
                           f"(его сроки: sopcli deadlines --who \"{shown}\").")
    if found[0].kind == "kdn":
        raise InvalidInput("Сроки самой комиссии напоминать письмом некому: они в сводке (sopcli deadlines).")
    return found[0]


def letters(r: Reader, who: str | None, at: datetime, within: int,
            known_now: bool = False) -> tuple[list[Letter], list[Skipped]]:
    """`--who` (one letter, its rows may be none) or `--all` (the agencies with something due, and the skipped)."""
    if who is not None:
        return [for_agency(r, who, at, within, known_now)], []
    return for_all(r, at, within, known_now)


def for_agency(r: Reader, typed: str, at: datetime, within: int, known_now: bool = False) -> Letter:
    """`remind --who`: the one agency's letter (its rows may be none: the caller decides)."""
    check_within(within)
    agency = agency_of(r, typed)
    obs = reads.digest(r, at, within, overdue_only=False, who=typed, known_now=known_now)
    return _letters(r, at, {agency.id: (agency, obs)})[0]


def for_all(r: Reader, at: datetime, within: int, known_now: bool = False) -> tuple[list[Letter], list[Skipped]]:
    """`remind --all`: a letter for each agency with anything overdue or due within `within` days.

    One digest for the registry, its `who` texts grouped by the agencies they name (`agencies.matches`,
    as `--who` reads them), so an agency's letter here is the one `--who` would write.
    """
    check_within(within)
    directory = agencies.read(r)
    entries = {e.id: e for e in directory}
    obs = reads.digest(r, at, within, overdue_only=False, known_now=known_now)
    groups: dict[int, tuple[agencies.Entry, list[dict[str, Any]]]] = {}
    left: dict[tuple[str, str], int] = {}
    loose: dict[str, agencies.Entry | None] = {}  # an unbound text: the one agency it names, as `--who` reads it
    for o in obs:  # each term to its owner's agency (a curator's: the agency they work for), in one letter only
        kind = o["owner_kind"]
        e = _addressee(o, entries, directory, loose)
        if e is None or e.kind == "kdn":
            reason = "commission" if kind == "commission" or e is not None else \
                "curator" if kind == "curator" else _unbound_reason(o["who"])
            left[o["who"], reason] = left.get((o["who"], reason), 0) + 1
            continue
        groups.setdefault(e.id, (e, []))[1].append(o)
    skipped = [Skipped(who, n, reason) for (who, reason), n in sorted(left.items())]
    for _e, rows in groups.values():
        rows.sort(key=lambda o: (_day(o["due"]), o["id"]))
    letters = _letters(r, at, groups)
    return [x for x in letters if x.rows], skipped


def _unbound_reason(who: str) -> str:
    """A term no step could bind: a curator not yet named is a person's role, never an agency to bind."""
    from sopcli.services.steps.owners import CURATOR_ROLES  # the ORM's module: only for the rare unbound row

    return "no-curator" if who in CURATOR_ROLES else "not-agency"


def _addressee(o: dict[str, Any], entries: dict[int, agencies.Entry], directory: list[agencies.Entry],
               loose: dict[str, agencies.Entry | None]) -> agencies.Entry | None:
    """The agency whose letter carries the term: its owner's (a curator's own agency), or for a text no step
    bound the one agency it names (`loose` keeps each text's answer)."""
    if o["owner_kind"] in ("agency", "curator"):
        return entries.get(o["owner_agency"])
    if o["owner_kind"] != "unbound":
        return None
    if o["who"] not in loose:
        named = agencies.matches(o["who"], directory)
        loose[o["who"]] = named[0] if len(named) == 1 else None
    return loose[o["who"]]


def _day(due: date | datetime) -> date:
    return due.date() if isinstance(due, datetime) else due


def _letters(r: Reader, at: datetime, groups: dict[int, tuple[agencies.Entry, list[dict[str, Any]]]]) -> list[Letter]:
    """Rows for every group with bounded queries: numbers and children for all signals at once."""
    from sopcli.deadlines.rulebook import rulebook_with
    from sopcli.services.reading.explain import calendar_of

    every = [o for _e, obs in groups.values() for o in obs]
    numbers, children = _who_is_it(r, every)
    cal = calendar_of(r)
    today = at.astimezone(r.tz).date()
    documents = rulebook_with(r.settings.get("rulebook", "")).documents
    out = []
    for agency, obs in sorted(groups.values(), key=lambda g: g[0].name):
        letter = Letter(agency)
        for o in obs:
            row = _row(o, numbers, children, cal, today, documents)
            (letter.late if row.overdue else letter.soon).append(row)
        out.append(letter)
    return out


def _row(o: dict[str, Any], numbers: dict[str, Any], children: dict[int, str], cal: Any, today: date,
         documents: Any) -> Row:
    from sopcli.deadlines.explain import cite

    due = o["due"]
    shown = f"{due:%d.%m.%Y %H:%M}" if isinstance(due, datetime) else f"{due:%d.%m.%Y}"
    if o["case"]:
        where, signal = f"дело № {o['case']}", numbers["case_signal"].get(o["case"])
    elif o["signal"]:
        where, signal = f"сигнал № {numbers['signal'].get(o['signal'], o['signal'])}", o["signal"]
    else:
        where, signal = "—", None
    days = cal.working_days_between(_day(due), today) if o["overdue"] else None
    return Row(o["id"], o["rule"], where, children.get(signal, "") if signal else "", o["title"], shown,
               o["source"], bool(o["overdue"]), days, o["case"], o["signal"], cite(o["source"], documents, short=True))


def _who_is_it(r: Reader, obs: Iterable[dict[str, Any]]) -> tuple[dict[str, Any], dict[int, str]]:
    """The journal numbers of the signals (seq/year, as the journal prints them), each case's signal, and the
    children of those signals in the short form («Иванов П. И., 2012 г. р.»)."""
    obs = list(obs)
    case_ids = sorted({o["case"] for o in obs if o["case"]})
    case_signal: dict[int, int] = {}
    for ids in reads.chunks(case_ids):
        for c in r.rows(f"SELECT id, signal_id FROM sop_case WHERE id IN ({reads.placeholders(ids)})", ids):
            case_signal[c["id"]] = c["signal_id"]
    signal_ids = sorted({o["signal"] for o in obs if o["signal"] and not o["case"]} | set(case_signal.values()))
    number: dict[int, str] = {}
    kids: dict[int, list[str]] = {}
    for ids in reads.chunks(signal_ids):
        marks = reads.placeholders(ids)
        for s in r.rows(f"SELECT id, seq, year FROM signal WHERE id IN ({marks})", ids):
            number[s["id"]] = f"{s['seq']}/{s['year']}"
        for p in r.rows(f"SELECT sp.signal_id, p.full_name, p.birth_date FROM signal_person sp "
                        f"JOIN person p ON p.id = sp.person_id WHERE sp.role = 'child' AND sp.signal_id IN ({marks}) "
                        f"ORDER BY sp.signal_id, sp.id", ids):
            kids.setdefault(p["signal_id"], []).append(child_as_held(p["full_name"], p["birth_date"]))
    return {"signal": number, "case_signal": case_signal}, {s: "; ".join(names) for s, names in kids.items()}


def child_as_held(full_name: str, born: date | None) -> str:
    """«Иванов Пётр Ильич», 2012 → «Иванов П. И., 2012 г. р.»: the form the agency's own file holds."""
    from sopcli.services.directory.names import short_name

    name = short_name(" ".join(full_name.split()))
    return f"{name}, {born.year} г. р." if born else name


# -- the paper ---------------------------------------------------------------------------------------------------
def context(r: Reader, letter: Letter, at: datetime, within: int) -> dict[str, Any]:
    """What the template fills in: the commission, the addressee, the rows, the signers."""
    from sopcli.deadlines.dates import fmt_date
    from sopcli.services.directory.signatories import by_role, signing

    sign = signing(r)
    # an outgoing letter is signed by the chair; by the secretary while no chair is on record; else blank lines
    on_record = by_role(r)
    signer = sign["chair"] if "chair" in on_record or "secretary" not in on_record else sign["secretary"]
    from sopcli.registry_settings import municipality_genitive
    from sopcli.services.directory.declension import lower_first

    return {"commission": municipality_genitive(r.settings)[0], "today": fmt_date(at.astimezone(r.tz).date()),
            "agency": {"name": letter.agency.name}, "within": within,
            "late": [x.context() for x in letter.late], "soon": [x.context() for x in letter.soon],
            "counts": {"late": len(letter.late), "soon": len(letter.soon)},
            "sign": {**sign, "signer": signer},
            "executor": (f"{on_record['secretary']['name']}, {lower_first(on_record['secretary']['position'])}"
                         if "secretary" in on_record else "____________")}


def record_sent(session: Any, reg: Any, letter: Letter, day: date) -> dict[str, list[int]]:
    """The letter went out on `day`: a «напоминание» in each case's history, the signal's in the audit trail.

    One event per case per letter (its note lists the obligations reminded), so `case show` tells when
    the agency was last reminded; a signal has no history of its own yet, so its reminder is an audit entry.
    """
    from sopcli.models import CaseEvent
    from sopcli.services.trust import audit

    by_case: dict[int, list[Row]] = {}
    by_signal: dict[int, list[Row]] = {}
    loose: list[Row] = []
    for row in letter.rows:
        if row.case:
            by_case.setdefault(row.case, []).append(row)
        elif row.signal:
            by_signal.setdefault(row.signal, []).append(row)
        else:
            loose.append(row)
    place = letter.agency.name[:300]
    from datetime import UTC

    from sqlmodel import select

    # marked once: a cron retry or the same command run twice must not tell the history twice
    done_cases = set(session.exec(select(CaseEvent.case_id).where(
        CaseEvent.kind == "reminder", CaseEvent.day == day, CaseEvent.place == place)).all())
    by_case = {c: rows for c, rows in by_case.items() if c not in done_cases}
    done_signals = _marked(session, "signal", list(by_signal), day, place)
    by_signal = {s: rows for s, rows in by_signal.items() if s not in done_signals}
    if loose and _marked(session, "agency", [letter.agency.id], day, place):
        loose = []
    for case_id, rows in sorted(by_case.items()):
        ev = CaseEvent(case_id=case_id, kind="reminder", day=day, place=place, note=sent_note(rows),
                       created_at=datetime.now(UTC))
        session.add(ev)
        session.flush()
        audit.record(session, reg, "create", "case_event", ev.id, case=case_id, kind="reminder", day=day,
                     agency=place, obligations=[x.id for x in rows])
    for signal_id, rows in sorted(by_signal.items()):
        audit.record(session, reg, "remind", "signal", signal_id, day=day, agency=place,
                     obligations=[x.id for x in rows])
    if loose:  # the registry's own terms an agency owes (a quarterly reconciliation): the agency's entry
        audit.record(session, reg, "remind", "agency", letter.agency.id, day=day, agency=place,
                     obligations=[x.id for x in loose])
    return {"cases": sorted(by_case), "signals": sorted(by_signal)}


def _marked(session: Any, entity: str, ids: list[int], day: date, place: str) -> set[int]:
    """The ids among `ids` (signals or an agency) already marked reminded by `place` on `day` (audit entries).

    Looked up by (entity, entity_id), the audit trail's index, in chunks: never a scan of the whole trail.
    """
    import json

    from sqlmodel import select

    from sopcli.models import AuditEntry

    out = set()
    for chunk in reads.chunks(sorted(ids)):
        rows = session.exec(select(AuditEntry.entity_id, AuditEntry.detail).where(
            AuditEntry.entity == entity, AuditEntry.entity_id.in_(chunk), AuditEntry.action == "remind")).all()
        for ident, detail in rows:
            d = json.loads(detail or "{}")
            if d.get("day") == day.isoformat() and d.get("agency") == place:
                out.add(int(ident))
    return out


def file_name(agency: agencies.Entry, day: date, limit: int = NAME_MAX, numbered: bool = False) -> str:
    """«Напоминание — ОМВД — 2026-11-30.docx»: the agency's own words, only the characters no file system takes
    (and the path separator) replaced, in at most `limit` bytes (the file system's; a Cyrillic letter is 2).

    A longer name is cut after its last whole word that fits, with «…», and carries the directory's number
    of the agency («… (12) — 2026-11-30.docx»): two agencies that differ only after the cut get two files.
    `numbered` asks for the number on a name that fits (two names the same once sanitised)."""
    from sopcli.files import cut_to_bytes

    safe = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", agency.name)
    safe = " ".join(safe.split()).strip(" .") or "орган"
    head, tail, number = "Напоминание — ", f" — {day.isoformat()}.docx", f" ({agency.id})"
    room = limit - len((head + tail).encode())
    if numbered or len(safe.encode()) > room:
        safe = cut_to_bytes(safe, room - len(number.encode())) + number
    return head + safe + tail


def file_names(letters: list[Letter], day: date, limit: int = NAME_MAX) -> list[str]:
    """Each letter's file name, no two alike even where case does not count (FAT and exFAT flash drives)."""
    seen: set[str] = set()
    out = []
    for letter in letters:
        name = file_name(letter.agency, day, limit)
        if name.casefold() in seen:
            name = file_name(letter.agency, day, limit, numbered=True)
        seen.add(name.casefold())
        out.append(name)
    return out


def folder_target(folder: Path) -> Path:
    """`--all -o FOLDER`: an existing folder sopcli may write into, refused in Russian before anything is read."""
    from sopcli.files import writable_folder

    return writable_folder(folder, "писем")


def sent_note(rows: list[Row]) -> str:
    """What the case's history keeps of a letter: the obligations reminded, by number and title."""
    return "; ".join(f"[{x.id}] {x.title} (срок {x.due})" for x in rows)
