"""What each XLSX export contains: the appendices' columns filled from the registry.

Rows are generated lazily from the read snapshot (services/reading/reads.py), so the
data bank of a large registry streams from the database to the file. Which function
builds which kind of `sopcli export` is the table of export_kinds.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

from sopcli.errors import InvalidInput
from sopcli.render.form import Signature
from sopcli.render.xlsx import Column, Sheet
from sopcli.render.xlsx_chart import Chart, Series
from sopcli.services.directory.signatories import by_role
from sopcli.services.papers import forms
from sopcli.services.papers.anonymize import Pseudonyms, actor, actors, mark, merge_actors, small, suppress_group
from sopcli.services.reading import reads
from sopcli.services.reading.db import Reader
from sopcli.vocab import CRITERIA_SHORT, DANGER_FROM_CRITERION, GROUND_LABELS, JOURNAL_RESULTS, OUTCOMES_APP4


def quarter(text: str) -> tuple[date, date]:
    m = re.fullmatch(r"\s*(\d{4})\s*[QqКк]\s*([1-4])\s*", text or "")
    if not m:
        raise InvalidInput(f"Квартал «{(text or '')[:20]}»: ожидается ГГГГQN, например 2025Q1.")
    year, q = int(m[1]), int(m[2])
    year_bounds(year)  # 9999Q4 would overflow the quarter's end; 0001Q1 is no registry's quarter
    start = date(year, 3 * q - 2, 1)
    end = (date(year + (q == 4), (3 * q) % 12 + 1, 1)) - timedelta(days=1)
    return start, end


def year_bounds(year: int) -> tuple[date, date]:
    if not 1991 <= year <= 2100:
        raise InvalidInput(f"Год {year}: ожидается от 1991 до 2100.")
    return date(year, 1, 1), date(year, 12, 31)


def commission_name(r: Reader) -> str:
    """«КДН и ЗП городского округа «Город Йошкар-Ола»»: the municipality in the genitive (issue 31 §4)."""
    from sopcli.registry_settings import municipality_genitive

    return f"КДН и ЗП {municipality_genitive(r.settings)[0]}".strip()


def _moments(r: Reader, start: date, end: date) -> tuple[datetime, datetime]:
    tz = r.tz
    return datetime.combine(start, time(0), tzinfo=tz), datetime.combine(end + timedelta(days=1), time(0), tzinfo=tz)


def secretary(r: Reader) -> Signature:
    """The secretary signs the journal and the bank (004 §5.7): the name from `signatory`, else a blank."""
    who = by_role(r).get("secretary")
    return Signature(position=who["position"] if who and who["position"] else
                     "Ответственный секретарь комиссии по делам несовершеннолетних и защите их прав",
                     name=who["name"] if who else "")


def _children(people: list[dict[str, Any]], anon: Pseudonyms | None = None) -> str:
    if anon is not None:
        return "\n".join(anon.child(p) for p in people if p["role"] == "child")
    return "\n".join(f"{p['full_name']}, {p['birth_date']:%d.%m.%Y}" if p["birth_date"] else p["full_name"]
                     for p in people if p["role"] == "child")


def _parents(people: list[dict[str, Any]], anon: Pseudonyms | None = None, work: bool = False) -> str:
    """The parents, one a line; with `work`, each with the place of work (App. 8 column 4)."""
    if anon is not None:
        return "\n".join(anon.person(p["id"]) for p in people if p["role"] == "parent")
    return "\n".join(f"{p['full_name']}, {p['occupation']}" if work and p.get("occupation") else p["full_name"]
                     for p in people if p["role"] == "parent")


def _occupations(people: list[dict[str, Any]], anon: Pseudonyms | None) -> str:
    """App. 8 column 6: each minor's school or work; named when the family has more than one minor.
    A place of study identifies a child: left out of an anonymised list."""
    kids = [p for p in people if p["role"] == "child"]
    if anon is not None:
        return ""
    return "\n".join(f"{p['full_name']}: {p['occupation']}" if len(kids) > 1 else p["occupation"]
                     for p in kids if p.get("occupation"))


# -- the journal (004 App. 1) ---------------------------------------------------------
def journal(r: Reader, start: date, end: date, anon: Pseudonyms | None = None) -> Sheet:
    """App. 1: the period's signals in the order they were received, numbered 1, 2, … as the form's «№ п/п»
    (the journal number «N/ГГГГ», given in the order of entry, leads the «Результат»)."""
    lo, hi = _moments(r, start, end)
    tz = r.tz

    def rows() -> Iterator[list[Any]]:
        batch: list[list[Any]] = []
        n = 0
        stream = r.stream(
            "SELECT s.id, s.seq, s.year, s.received_at, COALESCE(a.name, s.source), s.address, s.problem, "
            "s.help_needed, c.outcome, c.concluded_on, k.id, k.recognized_on, k.resolution_no, k.closed_on, "
            "k.close_resolution, cs.case_id FROM signal s LEFT JOIN check_conclusion c ON c.signal_id = s.id "
            "LEFT JOIN agency a ON a.id = s.source_agency_id LEFT JOIN sop_case k ON k.signal_id = s.id "
            "LEFT JOIN case_signal cs ON cs.signal_id = s.id WHERE s.received_at >= ? AND s.received_at < ? "
            "ORDER BY s.received_at, s.id", [lo, hi])
        for row in stream:
            batch.append(row)
            if len(batch) == 900:
                yield from _journal_rows(r, batch, n, tz, anon)
                n, batch = n + len(batch), []
        yield from _journal_rows(r, batch, n, tz, anon)

    return mark(Sheet("Журнал", f"Журнал первичного учета поступающей информации о семьях и несовершеннолетних "
                           f"находящихся в социально опасном положении — {commission_name(r)}",
                 [Column("№ п/п", 9), Column("Дата поступления информации", 16), Column("От кого поступила "
                  "информация", 24), Column("Ф.И.О. родителей (законных представителей)", 28),
                  Column("Ф.И.О. детей, дата рождения", 30), Column("Адрес места жительства (регистрации)", 28),
                  Column("Проблема и необходимая помощь", 36), Column("Результат", 24)],
                 rows(), numbers=["1", "2", "3", "4", "5", "6", "8", "10"],  # as the form numbers them (App. 1)
                 subtitle=f"за период с {start:%d.%m.%Y} по {end:%d.%m.%Y}", appendix=forms.appendix(1).text,
                 signatures=[secretary(r)]), anon)


def _on(v: Any) -> str:
    return f"{v:%d.%m.%Y}" if v else ""


def journal_result(row: list[Any], anon: Pseudonyms | None) -> str:
    """App. 1 «Результат» in the words of 004: the journal number, what the check found (§4.6, App. 2), the
    resolution that recognised the family (§5.2) and the one that ended the work (§6), or the case a later
    signal was attached to. Anonymised: the pseudonyms, no resolution's number. «№» and its number never part at
    a line's end (a no-break space): «дело №» here and «1» on the next line read as two things."""
    sid, seq, year = row[:3]
    outcome, concluded, case, recognized, resolution, closed, close_resolution, attached = row[8:]
    parts = [f"Зарегистрировано за №\u00a0{anon.signal(sid) if anon else f'{seq}/{year}'}"]
    if attached:
        parts.append(f"присоединено к делу №\u00a0{anon.case(attached) if anon else attached}")
    elif outcome:
        said = JOURNAL_RESULTS.get(outcome, outcome)
        parts.append(f"{said} (заключение от {_on(concluded)})" if concluded else said)
    if case:
        number = "" if anon or not resolution else f" №\u00a0{resolution}"
        parts.append(f"постановление о признании от {_on(recognized)}{number}")
        if closed:
            number = "" if anon or not close_resolution else f" №\u00a0{close_resolution}"
            parts.append(f"работа прекращена постановлением от {_on(closed)}{number}")
        parts.append(f"дело №\u00a0{anon.case(case) if anon else case}")
    return "; ".join(parts)


def _journal_rows(r: Reader, batch: list[list[Any]], before: int, tz: Any,
                  anon: Pseudonyms | None) -> Iterator[list[Any]]:
    people = reads.signal_persons(r, [b[0] for b in batch])
    for n, row in enumerate(batch, before + 1):
        sid, _seq, _year, received, source, address, problem, help_needed = row[:8]
        result = journal_result(row, anon)
        kin = people.get(sid, [])
        if anon is not None:  # the source, address and problem are free text: removed (anonymize.py)
            yield [n, received.astimezone(tz).date(), "", _parents(kin, anon), _children(kin, anon), "", "", result]
            continue
        problem_help = problem + (f"\nПомощь: {help_needed}" if help_needed else "")
        yield [n, received.astimezone(tz).replace(tzinfo=None), source, _parents(kin), _children(kin),
               address, problem_help, result]


# -- the data bank list (004 App. 8) ------------------------------------------------------
BANK_COLUMNS = [Column("№ п/п", 7), Column("Наименование муниципалитета", 18),
                Column("ФИО несовершеннолетнего, дата рождения", 30),
                Column("ФИО родителей (законных представителей) несовершеннолетнего, место работы", 30),
                Column("Адрес регистрации и фактического места проживания", 28),
                Column("Вид деятельности несовершеннолетнего (образовательная организация, место работы)", 22),
                Column("Причина постановки на учет", 30), Column("Дата постановки на учет", 13),
                Column("Дата снятия с учета", 13), Column("Причина снятия с учета", 22)]


# App. 3 §8 set by hand, when the check named no criterion: the same words (violence has no criterion of its own)
_DANGER_SHORT = {**{code: CRITERIA_SHORT[n] for n, code in DANGER_FROM_CRITERION.items()},
                 "violence": "насилие в семье"}
REASON_LIMIT = 200  # App. 8 column 7 from the free text of the signal, when nothing else says why: a list's cell


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:.") + "…"


def bank_reason(criteria: str | None, danger: str | None, problem: str, anon: Pseudonyms | None) -> str:
    """App. 8 column 7 «Причина постановки на учет»: the check's criteria (App. 2 §6) in the seed's words,
    shortened; else the kinds of danger of the card (App. 3 §8); else the signal's problem, cut to a cell
    (anonymised: nothing, it is free text)."""
    codes = [c.strip() for c in (criteria or "").split(",") if c.strip()]
    words = [CRITERIA_SHORT[int(c)] for c in codes if c.isdigit() and int(c) in CRITERIA_SHORT]
    if not words:
        words = [_DANGER_SHORT[c] for c in (danger or "").split(",") if c in _DANGER_SHORT]
    if words:
        text = "; ".join(words)
        return text[:1].upper() + text[1:]
    return "" if anon is not None else _cut(" ".join(problem.split()), REASON_LIMIT)


_ADDRESS_WORDS = ("Регистрация:", "Проживание:")
_ADDRESS_BOTH = "(регистрация и проживание)"


def bank_address(registered: str | None, actual: str | None) -> str:
    """App. 8 column 5 «Адрес регистрации и фактического места проживания»: both, each named; one line if
    they are the same."""
    registered, actual = (registered or "").strip(), (actual or "").strip()
    if not registered and (actual.startswith(_ADDRESS_WORDS) or actual.endswith(_ADDRESS_BOTH)):
        return actual  # a municipal bank's column 5 imported (`import bank`): already in these words
    if registered and registered == actual:
        return f"{registered} {_ADDRESS_BOTH}"
    return "\n".join(filter(None, [f"Регистрация: {registered}" if registered else "",
                                   f"Проживание: {actual}" if actual else ""]))


def bank_rows(r: Reader, start: date, end: date, anon: Pseudonyms | None = None) -> Iterator[list[Any]]:
    """Cases on the register at any time in [start, end]: one row per case, in case order, streamed."""
    # A shared registry read by the region (or its owner) is the consolidated bank (004 §5.7):
    # each row names its own commission's municipality.
    sql = ("SELECT k.id, k.recognized_on, k.closed_on, k.close_ground, s.address, s.problem, c.criteria, "
           "COALESCE(NULLIF(cm.name, ''), ?), c.address_registered, c.address_actual, k.danger_kinds, "
           "sp.role, p.id, p.full_name, p.birth_date, p.occupation FROM sop_case k JOIN signal s ON s.id = k.signal_id "
           "LEFT JOIN commission cm ON cm.code = k.commission "
           "LEFT JOIN check_conclusion c ON c.signal_id = s.id JOIN signal_person sp ON sp.signal_id = s.id "
           "JOIN person p ON p.id = sp.person_id WHERE k.recognized_on <= ? AND "
           "(k.closed_on IS NULL OR k.closed_on >= ?) ORDER BY k.id, sp.id")
    current: list[Any] | None = None
    people: list[dict[str, Any]] = []
    n = 0

    def emit() -> list[Any]:
        assert current is not None
        (_cid, recognized, closed, ground, address, problem, criteria, municipality, registered, actual,
         danger) = current
        reason = bank_reason(criteria, danger, problem, anon)
        # the addresses are free text: left out of an anonymised list
        where = "" if anon is not None else bank_address(registered, actual or address)
        closed_in = closed if closed is not None and closed <= end else None
        return [n, municipality, _children(people, anon), _parents(people, anon, work=True), where,
                _occupations(people, anon), reason, recognized,
                closed_in, GROUND_LABELS.get(ground, ground) if closed_in else ""]

    for row in r.stream(sql, [r.settings["municipality"], end, start]):
        head, (role, pid, name, born, work) = row[:11], row[11:]
        if current is None or head[0] != current[0]:
            if current is not None:
                yield emit()
            n += 1
            current, people = head, []
        people.append({"role": role, "id": pid, "full_name": name, "birth_date": born, "occupation": work})
    if current is not None:
        yield emit()


def bank(r: Reader, start: date, end: date, anon: Pseudonyms | None = None) -> Sheet:
    return mark(Sheet("Банк данных", f"Списки несовершеннолетних и (или) семей, находящихся в социально опасном "
                                      f"положении — {commission_name(r)}", BANK_COLUMNS, bank_rows(r, start, end, anon),
                       numbers=[str(i) for i in range(1, 11)],
                       subtitle=f"на период с {start:%d.%m.%Y} по {end:%d.%m.%Y}", appendix=forms.appendix(8).text,
                       signatures=[secretary(r)]), anon)


# -- the yearly figures (001 §2.5.1 е) -------------------------------------------------------
STAT_CHARTED = 6  # the first rows: signals, checks, cases, children, recognised, closed — the year's main figures
_TIMELINESS = (("Сроков по обязанностям в году", "due"), ("— исполнено в срок", "on_time"),
               ("— исполнено с опозданием", "late"), ("— снято без исполнения после срока", "lapsed"),
               ("— просрочено на дату отчёта", "overdue"))


def year_earlier(v: Any) -> Any:
    """The same day (or moment) one year earlier; 29 February becomes the 28th."""
    try:
        return v.replace(year=v.year - 1)
    except ValueError:
        return v.replace(year=v.year - 1, day=28)


def _figures(r: Reader, start: date, end: date, as_of: datetime, known_now: bool) -> dict[str, Any]:
    """The period's figures: the fixed rows by label, the closing grounds and outcomes by code, timeliness."""
    lo, hi = _moments(r, start, end)

    def one(sql: str, params: list[Any]) -> int:
        return int(next(iter(r.rows(sql, params)[0].values())) or 0)

    active = "k.recognized_on <= ? AND (k.closed_on IS NULL OR k.closed_on >= ?)"
    fixed = {
        "Поступило сигналов (журнал первичного учета)": one(
            "SELECT count(*) AS n FROM signal WHERE received_at >= ? AND received_at < ?", [lo, hi]),
        "Проведено проверок (заключения об установлении обстоятельств)": one(
            "SELECT count(*) AS n FROM check_conclusion WHERE concluded_on >= ? AND concluded_on <= ?", [start, end]),
        "Семей и несовершеннолетних, с которыми велась ИПР в году (дел)": one(
            f"SELECT count(*) AS n FROM sop_case k WHERE {active}", [end, start]),
        "— из них несовершеннолетних в этих делах": one(
            f"SELECT count(*) AS n FROM sop_case k JOIN signal_person sp ON sp.signal_id = k.signal_id "
            f"WHERE sp.role = 'child' AND {active}", [end, start]),
        "— признано находящимися в СОП в году": one(
            "SELECT count(*) AS n FROM sop_case WHERE recognized_on >= ? AND recognized_on <= ?", [start, end]),
        "— прекращена работа в году, всего": one(
            "SELECT count(*) AS n FROM sop_case WHERE closed_on >= ? AND closed_on <= ?", [start, end]),
    }
    grounds = {g["close_ground"]: int(g["n"]) for g in r.rows(
        "SELECT close_ground, count(*) AS n FROM sop_case WHERE closed_on >= ? AND closed_on <= ? "
        "GROUP BY close_ground", [start, end])}
    outcomes = {o["outcome"]: int(o["n"]) for o in r.rows(
        "SELECT outcome, count(*) AS n FROM sop_case WHERE closed_on >= ? AND closed_on <= ? "
        "AND outcome <> '' GROUP BY outcome", [start, end])}
    score = reads.scorecard(r, start, end, as_of, known_now)
    return {"fixed": fixed, "grounds": grounds, "outcomes": outcomes,
            "timeliness": {key: sum(a[key] for a in score) for _, key in _TIMELINESS}}


def _period_name(start: date, end: date) -> str:
    return str(start.year) if start.year == end.year else f"{start:%d.%m.%Y}–{end:%d.%m.%Y}"


def stat(r: Reader, start: date, end: date, as_of: datetime, anon: Pseudonyms | None = None,
         known_now: bool = False) -> Sheet:
    """The year's figures beside the same period one year earlier (issue 15: the year against the last).

    The earlier period is judged as of the same point one year earlier (`as_of` less a year): a term
    that was still running then counts as pending, as this year's do now, so the two columns compare
    like with like (the «АППГ» of Russian statistical reports)."""
    today = as_of.astimezone(r.tz).date()
    # a year still running is set against the same days of the last one: 01.01–29.11 against 01.01–29.11,
    # never against the whole of last year (every figure would seem to fall)
    last_end = year_earlier(min(end, today)) if start <= today else year_earlier(end)
    now = _figures(r, start, end, as_of, known_now)
    before = _figures(r, year_earlier(start), last_end, year_earlier(as_of), known_now)
    rows: list[list[Any]] = [[label, v, before["fixed"][label]] for label, v in now["fixed"].items()]
    closed_total, first_ground = len(rows) - 1, len(rows)
    for g in sorted(now["grounds"].keys() | before["grounds"].keys()):
        rows.append([f"    в т. ч. {GROUND_LABELS.get(g, g)}", now["grounds"].get(g, 0), before["grounds"].get(g, 0)])
    parts = slice(first_ground, len(rows))
    for o in sorted(now["outcomes"].keys() | before["outcomes"].keys()):
        rows.append([f"    итог программы: {OUTCOMES_APP4.get(o, o)}", now["outcomes"].get(o, 0),
                     before["outcomes"].get(o, 0)])
    for label, key in _TIMELINESS:
        rows.append([label, now["timeliness"][key], before["timeliness"][key]])
    rows += _by_agency(r, (start, end), (year_earlier(start), last_end))
    if anon is not None:  # every closed case has its ground: the grounds add up to the shown total, in each year
        shown = [suppress_group(rows[closed_total][k], [row[k] for row in rows[parts]]) for k in (1, 2)]
        rows = [[label, small(a), small(b)] for label, a, b in rows]
        for row, a, b in zip(rows[parts], *shown, strict=True):
            row[1:] = [a, b]
    numbered = [[i, *row] for i, row in enumerate(rows, 1)]
    whole_year = (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year
    period = f"за {start.year} год" if whole_year else f"с {start:%d.%m.%Y} по {end:%d.%m.%Y}"
    this, last = _period_name(start, end), _period_name(year_earlier(start), year_earlier(end))
    chart = Chart(f"Основные показатели: {this} в сравнении с {last}", 1,
                  [Series(last, 3, "A5A5A5"), Series(this, 2, "1F4E79")], kind="bar", count=STAT_CHARTED,
                  labels=True)
    return mark(Sheet("Сведения за год", f"Сведения о несовершеннолетних и семьях, с которыми велась "
                                          f"индивидуальная профилактическая работа, {period} — {commission_name(r)}",
                       [Column("№ п/п", 7), Column("Показатель", 62), Column(f"{this}", 12),
                        Column(f"{last} (АППГ)", 12)], numbered,
                       numbers=["1", "2", "3", "4"], subtitle=f"на {as_of.astimezone(r.tz):%d.%m.%Y}; "
                       f"АППГ — аналогичный период прошлого года: с {year_earlier(start):%d.%m.%Y} "
                       f"по {last_end:%d.%m.%Y}, на {year_earlier(as_of).astimezone(r.tz):%d.%m.%Y}",
                       chart=chart), anon)


# -- the yearly figures by agency (001 §2.5.1 е) ------------------------------------------------
# the agencies the clause names, in its order (police, guardianship, education and schools, social protection and
# its institutions, medical organisations, the penitentiary system); any other kind of the directory after them
STAT_KINDS = ("police", "guardianship", "education", "social", "health", "uii")


def _agency_work(r: Reader, start: date, end: date) -> dict[str, dict[str, Any]]:
    """Per agency, the cases on the register in [start, end] it worked on — it executes a measure of the
    programme, is in the working group (`recognize --member`) or employs the curator — and their minors."""
    active = "k.recognized_on <= ? AND (k.closed_on IS NULL OR k.closed_on >= ?)"
    agencies = {a["id"]: a for a in r.rows("SELECT id, name, kind FROM agency")}
    kinds = {a["name"]: a["kind"] for a in agencies.values()}
    kids: dict[int, set[int]] = {}
    for row in r.rows(f"SELECT k.id, sp.person_id FROM sop_case k JOIN signal_person sp ON sp.signal_id = "
                      f"k.signal_id WHERE sp.role = 'child' AND {active}", [end, start]):
        kids.setdefault(row["id"], set()).add(row["person_id"])
    work: dict[str, dict[str, Any]] = {}

    def of(name: str) -> dict[str, Any]:
        return work.setdefault(name, {"kind": kinds.get(name, "other"), "cases": set()})

    for k in r.rows(f"SELECT k.id, k.members, k.curator_agency_id FROM sop_case k WHERE {active}", [end, start]):
        names = [m.strip() for m in (k["members"] or "").split("\n") if m.strip()]
        if k["curator_agency_id"] in agencies:
            names.append(agencies[k["curator_agency_id"]]["name"])
        for name in names:
            of(name)["cases"].add(k["id"])
    for o in r.rows(f"SELECT DISTINCT o.case_id, o.who, o.agency_id FROM obligation o JOIN sop_case k "
                    f"ON k.id = o.case_id WHERE o.rule = 'plan.measure' AND {active}", [end, start]):
        of(agencies[o["agency_id"]]["name"] if o["agency_id"] in agencies else o["who"])["cases"].add(o["case_id"])
    for a in work.values():
        a["minors"] = set().union(*(kids.get(c, set()) for c in a["cases"]))
    return work


AGENCY_SECTION = ("Несовершеннолетних, с которыми органы и учреждения системы профилактики вели индивидуальную "
                  "профилактическую работу, всего (каждый один раз); в т. ч. по органам:")


def _by_agency(r: Reader, now: tuple[date, date], before: tuple[date, date]) -> list[list[Any]]:
    """001 §2.5.1(е) as a section of the figures: the minors each agency worked with, this period and the
    same one a year earlier, the agencies the clause names first (`STAT_KINDS`), then the others by name."""
    from sopcli.services.directory.agencies import KIND_LABELS

    this, last = _agency_work(r, *now), _agency_work(r, *before)
    order = list(STAT_KINDS) + [k for k in KIND_LABELS if k not in STAT_KINDS]

    def rank(name: str) -> tuple[int, str]:
        kind = (this.get(name) or last[name])["kind"]
        return order.index(kind) if kind in order else len(order), name

    def minors(work: dict[str, dict[str, Any]]) -> int:
        return len(set().union(*(a["minors"] for a in work.values()))) if work else 0

    rows: list[list[Any]] = [[AGENCY_SECTION, minors(this), minors(last)]]
    for name in sorted(this.keys() | last.keys(), key=rank):
        rows.append([f"    {name}", *(len(work[name]["minors"]) if name in work else 0 for work in (this, last))])
    return rows


# -- the digest and the scorecard ----------------------------------------------------------
def digest(r: Reader, as_of: datetime, within: int, anon: Pseudonyms | None = None,
           known_now: bool = False) -> Sheet:
    tz = r.tz
    obs = reads.digest(r, as_of, within, False, known_now=known_now)
    today = as_of.astimezone(tz).date()

    def rows() -> Iterator[list[Any]]:
        for n, o in enumerate(sorted(obs, key=lambda o: (not o["overdue"], o["who"], str(o["due"]))), 1):
            due = o["due"]
            day = due.date() if isinstance(due, datetime) else due
            where = f"дело {o['case']}" if o["case"] else (f"сигнал {o['signal']}" if o["signal"] else "реестр")
            title = o["title"]
            if anon is not None and (o["case"] or o["signal"]):
                # a case's obligation may be titled by its measure (free text): the rule's own title instead
                rule = book.find(o["rule"])
                title = rule.title if rule else ""
                where = anon.case(o["case"]) if o["case"] else anon.signal(o["signal"])
            who = actor(o["who"], known) if anon is not None else o["who"]
            yield [n, who, title, due.replace(tzinfo=None) if isinstance(due, datetime) else due,
                   max((today - day).days, 0) if o["overdue"] else None, where,
                   cite(o["source"], book.documents, short=True)]

    from sopcli.deadlines.explain import cite
    from sopcli.deadlines.rulebook import rulebook_with

    # a region's own rule (init --rules FILE) is titled and cited by its own words, as a packaged one
    book = rulebook_with(r.settings.get("rulebook", ""))
    if anon is not None:
        known = actors(r)
    return mark(Sheet("Сроки", f"Сроки на {as_of.astimezone(tz):%d.%m.%Y %H:%M}: просроченные и на {within} дн. "
                          f"вперёд — {commission_name(r)}",
                 # the rule's id is for scripts (`deadlines --json`); the paper cites its source clause
                 [Column("№", 6), Column("Кто исполняет", 30), Column("Обязанность", 46),
                  Column("Срок", 16), Column("Просрочено, дн.", 12), Column("Дело / сигнал", 14),
                  Column("Основание", 34)], rows(), numbers=[str(i) for i in range(1, 8)]), anon)


def scorecard(r: Reader, start: date, end: date, as_of: datetime, anon: Pseudonyms | None = None,
              known_now: bool = False) -> Sheet:
    per = reads.scorecard(r, start, end, as_of, known_now)
    if anon is not None:
        per = merge_actors(per, actors(r))
    rows = [[n, a["who"], a["due"], a["on_time"], a["late"], a["median_late_working_days"], a["lapsed"],
             a["overdue"], a["pending"]] for n, a in enumerate(per, 1)]
    if anon is not None:  # due = on time + late + lapsed + overdue + pending, all shown
        for row in rows:
            on_time, late, lapsed, overdue, pending = suppress_group(row[2], [row[3], row[4], *row[6:]])
            # the median of one or two delays is those delays
            median = None if late == "<3" else row[5]
            row[2:] = [small(row[2]), on_time, late, median, lapsed, overdue, pending]
    title = (f"Своевременность реагирования по органам (п. 3.4 Методических рекомендаций о типовых формах и "
             f"порядке взаимодействия) — {commission_name(r)}")
    return mark(Sheet("Своевременность", title,
                 [Column("№", 6), Column("Орган", 36), Column("Сроков", 10), Column("В срок", 10),
                  Column("С опозданием", 12), Column("Медиана опоздания, раб. дн.", 14),
                  Column("Снято без исполнения после срока", 16), Column("Просрочено", 12), Column("Ждут", 10)],
                 rows, numbers=[str(i) for i in range(1, 10)],
                 subtitle=f"сроки с {start:%d.%m.%Y} по {end:%d.%m.%Y}, на {as_of.astimezone(r.tz):%d.%m.%Y}",
                 chart=_timeliness_chart(start, end, len(rows))), anon)


SCORECARD_CHARTED = 25  # agencies on the chart: the rows come worst first, so these are the ones to discuss


def _timeliness_chart(start: date, end: date, agencies: int) -> Chart:
    """On time, late, lapsed and overdue per agency, end to end: each bar is an agency's judged terms.

    Pending terms are left out: nobody has been late with them yet."""
    title = f"Своевременность исполнения сроков по органам, {start:%d.%m.%Y}–{end:%d.%m.%Y}"
    if agencies > SCORECARD_CHARTED:
        title += f" ({SCORECARD_CHARTED} органов с наибольшим числом нарушений из {agencies})"
    return Chart(title, 1, [Series("в срок", 3, "70AD47"), Series("с опозданием", 4, "FFC000"),
                            Series("не исполнено", 6, "E0301E"), Series("просрочено", 7, "7A0C0C")],
                 kind="bar", stacked=True, count=SCORECARD_CHARTED)


# -- the execution report of a complex of measures (002), per quarter -------------------------
def measures(r: Reader, start: date, end: date, as_of: datetime, anon: Pseudonyms | None = None) -> Sheet:
    doc = reads.complex_status(r, None, as_of)

    def rows() -> Iterator[list[Any]]:
        n = 0
        for m in doc["measures"]:
            for o in m["terms"]:
                due = o["due"]
                if not start <= due <= end:
                    continue
                n += 1
                if o["status"] == "fulfilled":
                    state = "исполнено с опозданием" if o["late"] else "исполнено"
                else:
                    state = "просрочено" if o["overdue"] else "срок не наступил"
                done = o["fulfilled_at"].date() if o["fulfilled_at"] else None
                yield [n, m["section"], m["number"], m["text"], m["period"], o["who"], due, state, done]
            if m["unread"] and m["period"]:
                n += 1
                yield [n, m["section"], m["number"], m["text"], m["period"], "", None,
                       "срок не прочитан: " + "; ".join(m["unread"]), None]

    return mark(Sheet("Исполнение комплекса", f"Информация об исполнении: {doc['title']}",
                 [Column("№", 6), Column("Раздел", 24), Column("№ мероприятия", 9),
                  Column("Наименование мероприятия", 48),
                  Column("Сроки реализации", 18), Column("Ответственные исполнители", 30), Column("Срок отчёта", 12),
                  Column("Исполнение", 18), Column("Дата исполнения", 12)], rows(),
                 numbers=[str(i) for i in range(1, 10)], subtitle=f"с {start:%d.%m.%Y} по {end:%d.%m.%Y}, "
                                                               f"на {as_of.astimezone(r.tz):%d.%m.%Y}"), anon)


# -- a school's list of pupils on its accounting (003) -----------------------------------------
def pupils(r: Reader, start: date, end: date, anon: Pseudonyms | None = None) -> Sheet:
    """Pupils on the school's accounting at any time in [start, end]: zone, categories, curator, dates."""
    from sopcli.vocab import SCHOOL_CATEGORIES, ZONE_LABELS, ZONES

    # 003 §6.1: the day of registration is the day the pupil was entered in the journal (`sc.enter` fulfilled),
    # not the council's; a pupil the journal does not hold yet has no such day
    sql = ("SELECT k.id, k.recognized_on, k.closed_on, k.close_ground, k.curator, k.zones, p.id, p.full_name, "
           "p.birth_date, (SELECT min(o.fulfilled_at) FROM obligation o WHERE o.case_id = k.id AND "
           "o.rule = 'sc.enter' AND o.status = 'fulfilled') FROM sop_case k "
           "JOIN signal_person sp ON sp.signal_id = k.signal_id AND sp.role = 'child' "
           "JOIN person p ON p.id = sp.person_id WHERE k.zones <> '' AND k.recognized_on <= ? AND "
           "(k.closed_on IS NULL OR k.closed_on >= ?) ORDER BY k.id, sp.id")

    def rows() -> Iterator[list[Any]]:
        for n, (cid, _on, off, ground, curator, zones, pid, name, born, entered) in enumerate(
                r.stream(sql, [end, start]), 1):
            on = reads._moment(entered).astimezone(r.tz).date() if entered else None
            codes = [z for z in zones.split(",") if z]
            zone = next((z for z in ZONES if any(c.startswith(f"{z}.") for c in codes)), "")
            closed = off if off is not None and off <= end else None
            if anon is not None:  # the curator is named too, and identifies the pupil in a small school
                name, born, curator, cid = anon.person(pid), born.year if born else None, "", anon.case(cid)
            yield [n, name, born, ZONE_LABELS.get(zone, ""), "\n".join(SCHOOL_CATEGORIES.get(c, c) for c in codes),
                   curator, on, closed, GROUND_LABELS.get(ground, ground) if closed else "", cid]

    title = f"Список обучающихся, состоящих на учёте — {r.settings['municipality']}".strip(" —")
    return mark(Sheet("Учёт в школе", title,
                 [Column("№", 6), Column("ФИО", 30), Column("Год рождения" if anon else "Дата рождения", 13),
                  Column("Зона", 10),
                  Column("Категории", 40), Column("Куратор", 26), Column("Поставлен на учёт", 13),
                  Column("Снят с учёта", 13), Column("Основание снятия", 24), Column("Дело", 8)], rows(),
                 numbers=[str(i) for i in range(1, 11)], subtitle=f"с {start:%d.%m.%Y} по {end:%d.%m.%Y}"), anon)
