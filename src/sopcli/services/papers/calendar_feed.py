"""`export ics`: the agencies' terms as an iCalendar file (RFC 5545) for Outlook, Thunderbird, Yandex.

Why a calendar: an agency lives in its own calendar, not in the commission's
digest. Each obligation whose due date lies in the window is one VEVENT: an
all-day event on the due date for a term of days, a 30-minute event at the kept
moment (`due_at`, with the registry's VTIMEZONE) for an immediate one.

**The file leaves the commission (152-ФЗ), so it carries no personal data.**
What an event may say, and why each piece is safe:
- the summary is the *rule's* title from the rulebook (fixed text), never
  `obligation.title`: a programme's measure is titled «Мероприятие № N: <typed
  text>» (services/steps/programme.py) and a complex's measure by its table's text
  (services/files_in/complexes.py), and a secretary may type a name there. A measure is
  named by its number only (the agency holds the programme);
- the case by its registry number, the signal by its journal number (N/ГГГГ):
  the numbers the agency's letters already carry, no name, no address;
- who owes it as the directory or the rulebook names the agency; a `who` that
  is neither is a signal's source as typed («соседка Иванова», steps.py), shown
  as «выявивший орган» (the same rule as `export --anonymize`, anonymize.actor);
- never the note, the cancel reason, the problem or anything else typed.

**Re-importing updates, never duplicates.** UID = `obligation-<id>@<registry's
calendar_uid>.sopcli`: the obligation's id is stable for its life, and the
setting `calendar_uid` (random, made at `init` or by the first export, audited;
not the pseudonym key) keeps two registries' events apart. SEQUENCE is the
number of changes the audit trail holds for the obligation (opened = 0; every
recompute, carry, fulfilment or cancellation adds one), DTSTAMP and
LAST-MODIFIED its last change: read from the registry, never the clock, so an
unchanged registry exports byte-identical events and a changed obligation a
higher SEQUENCE. A row without a trail (a bulk import, the benchmark's generator)
counts 0 open, 1 settled, and its last change is its settlement or creation.
An obligation whose date moves out of the window is not in the next file, so a
calendar keeps its old event: the window is wide (four months) for that reason.
Fulfilled and cancelled ones are published with STATUS:CANCELLED, so a calendar
that imported them open strikes or removes them.

**Reminders:** an open all-day term rings at 09:00 the day before (TRIGGER
-PT15H from the due day's midnight), an open timed one an hour before; settled
events carry no alarm.

**Speed:** the events are written by render/ics.py, byte-equal to icalendar's
own output and seven times faster (25,000 events of the busiest agency, < 5 s).

**Window:** due dates from today − 30 days to today + 90 days unless --from/--to
say otherwise: the recent overdue terms and a quarter ahead, small enough to
import every week.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from functools import lru_cache
from typing import Any

from sopcli.deadlines.explain import cite
from sopcli.errors import InvalidInput
from sopcli.render.ics import VEvent, calendar_bytes
from sopcli.services.reading.reads import read_as_now

UID_SETTING = "calendar_uid"
DAYS_BEFORE, DAYS_AFTER = 30, 90  # the default window around today
TIMED = timedelta(minutes=30)  # an immediate term is a moment: a short event at it
DAY_BEFORE_9 = timedelta(hours=-15)  # from the due day's 00:00 to 09:00 the day before
HOUR_BEFORE = timedelta(hours=-1)
PRODID = "-//sopcli//Сроки КДН и ЗП//RU"
_MEASURE_NO = re.compile(r"[0-9IVXivx]+(?:[.\-][0-9]+)*\.?")  # «1.2», «IV.3»: a number, never a text

_COLS = ("SELECT o.id, o.rule, o.who, o.source, o.signal_id, o.case_id, o.measure_id, o.complex_measure_id, "
         "o.due, o.due_at, o.status, o.fulfilled_at, o.late_wd, o.created_at, o.settled_at, o.cancelled_at, "
         "o.trigger_at, s.seq AS signal_seq, s.year AS signal_year, m.seq AS measure_seq, cm.number AS measure_number "
         "FROM obligation o LEFT JOIN signal s ON s.id = o.signal_id LEFT JOIN measure m ON m.id = o.measure_id "
         "LEFT JOIN complex_measure cm ON cm.id = o.complex_measure_id "
         "WHERE o.due >= ? AND o.due <= ? ORDER BY o.due, o.id")


@dataclass
class Feed:
    """The file's bytes and what it holds, for `--json` and the line on stderr."""

    data: bytes
    events: int
    open: int
    cancelled: int  # STATUS:CANCELLED: fulfilled or cancelled
    fulfilled: int
    start: date
    end: date
    name: str


def window(today: date, start: date | None, end: date | None) -> tuple[date, date]:
    """The due dates the file covers: typed, or today − 30 … today + 90; refused if it runs backwards."""
    lo = start if start is not None else today - timedelta(days=DAYS_BEFORE)
    hi = end if end is not None else today + timedelta(days=DAYS_AFTER)
    if lo > hi:
        raise InvalidInput(f"Начало периода {lo:%d.%m.%Y} позже его конца {hi:%d.%m.%Y} (--from, --to).")
    return lo, hi


def new_uid() -> str:
    return secrets.token_hex(16)


def ensure_uid(session: Any, reg: Any) -> str:
    """The registry's calendar id, made once (init or the first calendar export) and audited."""
    from sopcli.models import RegistrySetting
    from sopcli.services.trust import audit

    found = session.get(RegistrySetting, UID_SETTING)
    if found is not None:
        return found.value
    value = new_uid()
    session.add(RegistrySetting(key=UID_SETTING, value=value))
    audit.record(session, reg, "create", "registry_setting", None, key=UID_SETTING)
    return value


def obligations(r: Any, start: date, end: date, as_of: datetime, known_now: bool,
                wanted: set[str] | None) -> list[dict[str, Any]]:
    """The obligations due in [start, end] at `as_of`, in either reading of a past moment (moments.py)."""
    from sopcli.services.reading.moments import at_moment

    now = read_as_now(as_of)
    sql, params = _COLS, [start, end]
    if wanted is not None and not wanted:
        return []  # an agency of the directory that owes nothing: `IN ()` is an error on PostgreSQL
    if wanted is not None:
        whos = sorted(wanted)[:900]  # an agency's spellings: a handful (SQLite's parameter cap is far)
        sql = sql.replace(" ORDER BY", f" AND o.who IN ({', '.join('?' * len(whos))}) ORDER BY")
        params += whos
    out = []
    for o in r.rows(sql, params):
        if wanted is not None and o["who"] not in wanted:
            continue
        if not now and (o := at_moment(o, as_of, known_now)) is None:
            continue
        out.append(o)
    return out


def revisions(r: Any, ids: Sequence[int], as_of: datetime | None) -> dict[int, tuple[int, datetime]]:
    """id → (changes in the audit trail, the last one's moment), up to `as_of` if given."""
    from sopcli.services.reading.db import chunks, placeholders

    out: dict[int, tuple[int, datetime]] = {}
    for chunk in chunks(list(ids)):
        sql = (f"SELECT entity_id, count(*) AS n, max(at) AS at FROM audit_entry WHERE entity = 'obligation' "
               f"AND entity_id IN ({placeholders(chunk)})")
        params: list[Any] = list(chunk)
        if as_of is not None:
            sql += " AND at <= ?"
            params.append(as_of)
        for row in r.rows(sql + " GROUP BY entity_id", params):
            out[int(row["entity_id"])] = (int(row["n"]), row["at"])
    return out


def agency_whos(r: Any, typed: str) -> set[str]:
    """`--who`: the obligations' `who` texts meaning the agency, by the rules of `deadlines --who`; else refused."""
    from sopcli.services.reading.reads import _who

    return _who(r, typed)


class Agencies:
    """Who owes a term, as the file may name it: the directory's agency, the rulebook's role, else «выявивший орган»."""

    def __init__(self, entries: Sequence[Any], known: set[str]) -> None:
        self.entries, self.known, self._seen = entries, known, {}

    def name(self, who: str) -> str:
        if who not in self._seen:
            from sopcli.services.directory.agencies import matches
            from sopcli.services.steps.obligations import DETECTING

            found = matches(who, self.entries)
            self._seen[who] = (curator_role(who) if who.startswith("куратор: ") else who if who in self.known else
                               found[0].name if len(found) == 1 else DETECTING)
        return self._seen[who]


def curator_role(who: str) -> str:
    """«куратор: Петрова А. В. (Орган опеки)» → «куратор (Орган опеки)»: the file leaves the commission, so a
    curator is named by the role and the agency they work for, never by name."""
    agency = who[who.rfind("(") + 1:-1] if who.endswith(")") and "(" in who else ""
    return f"куратор ({agency})" if agency else "куратор"


def _where(o: dict[str, Any]) -> str:
    if o["case_id"] is not None:
        return f"дело № {o['case_id']}"
    if o["signal_id"] is not None and o["signal_seq"] is not None:
        return f"сигнал № {o['signal_seq']}/{o['signal_year']}"
    return ""


@lru_cache(maxsize=4096)
def _title(rule_id: str, book: Any, measure_seq: int | None, measure_number: str | None) -> tuple[str, str]:
    """(what is to be done, its source clause): the rulebook's words, and a measure by its number only."""
    rule = book.find(rule_id)
    title = rule.title if rule is not None else f"Срок по правилу {rule_id}"
    if measure_seq is not None:
        title += f" (мероприятие № {measure_seq})"
    elif measure_number and _MEASURE_NO.fullmatch(measure_number.strip()):
        title += f" (мероприятие № {measure_number.strip().rstrip('.')})"
    # the regulation's words («п. 5.5 Порядка …»): the rule's id and «004 §5.5» are for scripts (issue 31 §2)
    return title, cite(rule.source, book.documents, short=True) if rule is not None else ""


@lru_cache(maxsize=8192)
def _day(d: date) -> str:
    return f"{d:%d.%m.%Y}"


def _state(o: dict[str, Any], tz: tzinfo) -> str:
    """What the registry records of the term, never what the clock makes of it.

    «просрочено на N дн.» would change the event every day while its SEQUENCE and DTSTAMP (the audit
    trail's) stay: a calendar keeps the copy it has, and would still say «срок не наступил» after the
    term ran out. The calendar itself shows a past date as past.
    """
    from sopcli.services.reading.reads import was_late

    if o["status"] == "fulfilled":
        done = o["fulfilled_at"].astimezone(tz).date() if o["fulfilled_at"] else None
        late = " с опозданием" if was_late(o, tz) else ""
        return f"исполнено{late}" + (f" {_day(done)}" if done else "")
    if o["status"] == "cancelled":
        return "снято без исполнения"
    return "не исполнено"


def event(o: dict[str, Any], rev: tuple[int, datetime] | None, *, domain: str, tz: tzinfo, book: Any,
          who: Agencies) -> VEvent:
    """One VEVENT for one obligation row (see the module's docstring for what it may say)."""
    (title, source), where, agency = _title(o["rule"], book, o["measure_seq"], o["measure_number"]), _where(o), \
        who.name(o["who"])
    settled = o["status"] != "open"
    if rev is not None:
        sequence, changed = rev[0] - 1, rev[1]
    else:  # a registry written without its trail (an import, a generator): the row's own moments
        sequence = int(settled)
        changed = (o["settled_at"] if settled and o["settled_at"] else None) or o["created_at"]
    timed = o["due_at"] is not None
    start: date | datetime = o["due_at"].astimezone(tz) if timed else o["due"]
    lines = [f"Что: {title}"]
    lines += [f"По делу: {where}" if o["case_id"] is not None else f"По сигналу: {where}"] if where else []
    lines += [f"Исполнитель: {agency}", f"Срок: {start:%d.%m.%Y %H:%M}" if timed else f"Срок: {_day(start)}",
              f"Основание: {source or cite(o['source'], book.documents, short=True)}",
              f"Состояние: {_state(o, tz)}"]
    summary = f"{title} — {where}" if where else title
    return VEvent(uid=f"obligation-{o['id']}@{domain}", summary=summary, description="\n".join(lines),
                  category=agency, start=start, end=start + (TIMED if timed else timedelta(days=1)),
                  stamp=changed, created=o["created_at"], sequence=max(sequence, 0), cancelled=settled,
                  alarm=None if settled else HOUR_BEFORE if timed else DAY_BEFORE_9)


def calendar(events: list[VEvent], *, tz: Any, name: str, start: date, end: date) -> bytes:
    """The VCALENDAR (METHOD:PUBLISH); the zone's VTIMEZONE, for the window, only if a timed event needs it."""
    props = [("prodid", PRODID), ("version", "2.0"), ("calscale", "GREGORIAN"), ("method", "PUBLISH"),
             ("x-wr-calname", f"Сроки: {name}"),
             ("x-wr-caldesc", f"Сроки обязанностей с {start:%d.%m.%Y} по {end:%d.%m.%Y} (sopcli); "
                              "без персональных данных"),
             ("x-wr-timezone", getattr(tz, "key", str(tz)))]
    timed = any(isinstance(e.start, datetime) for e in events)
    span = (start - timedelta(days=1), end + timedelta(days=2)) if timed else None
    return calendar_bytes(props, tz, span, events)


def feed(r: Any, *, uid: str, as_of: datetime, start: date, end: date, known_now: bool = False,
         typed_who: str | None = None) -> Feed:
    """Everything `export ics` writes: the obligations of the window (of one agency if `typed_who`)."""
    from sopcli.deadlines.rulebook import rulebook_with
    from sopcli.services.directory import agencies
    from sopcli.services.papers.anonymize import actors

    tz = r.tz
    entries = agencies.read(r)
    wanted = agency_whos(r, typed_who) if typed_who is not None else None
    who = Agencies(entries, actors(r))
    if typed_who is None:
        name = f"КДН и ЗП {r.settings['municipality']}".strip()
    else:
        found = agencies.matches(typed_who, entries)
        names = {who.name(w) for w in wanted or ()}
        name = (found[0].name if len(found) == 1 else next(iter(names)) if len(names) == 1
                else " ".join(typed_who.split())[:80])
    rows = obligations(r, start, end, as_of, known_now, wanted)
    revs = revisions(r, [o["id"] for o in rows], None if read_as_now(as_of) else as_of)
    book = rulebook_with(r.settings.get("rulebook", ""))
    events = [event(o, revs.get(o["id"]), domain=f"{uid}.sopcli", tz=tz, book=book, who=who)
              for o in rows]
    data = calendar(events, tz=tz, name=name, start=start, end=end)
    settled = [o["status"] for o in rows if o["status"] != "open"]
    return Feed(data, len(rows), len(rows) - len(settled), len(settled), settled.count("fulfilled"),
                start, end, name)
