"""The registry's steps (004 §4–§6, 001 App. 1): signal → check → recognition → closure.

Each function runs inside the caller's single transaction, validates before it
writes, raises a typed error with a Russian message, and returns what changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import func, literal_column, text
from sqlmodel import Session, col, select

from sopcli.deadlines.dates import fmt_date
from sopcli.deadlines.events import DEFAULT_SIGNAL_KIND, SIGNAL_KINDS
from sopcli.errors import InvalidInput, StepNotAllowed
from sopcli.models import Case, CaseSignal, Check, Person, Signal, SignalPerson
from sopcli.services.directory import agencies
from sopcli.services.directory.agencies import agency_name
from sopcli.services.directory.intake import Typed, child_links, find_known
from sopcli.services.directory.names import age_on, birthday, name_key, official_name, one_line, parse_child
from sopcli.services.registry import Registry
from sopcli.services.steps import check_form, obligations, owners
from sopcli.services.steps.check_form import CheckForm
from sopcli.services.steps.common import TEXT_LIMIT, StepResult, get_case, get_signal, not_future
from sopcli.services.trust import audit
from sopcli.vocab import (
    CHANNEL_LABELS,
    GROUND_LABELS,
    GROUNDS,
    LEVEL_LABELS,
    OUTCOME_LABELS,
    OUTCOMES_APP4,
    RESULTS_APP4,
    SCHOOL_GROUNDS,
    SUBJECT_LABELS,
    code_for,
    pick,
)


# -- signal -----------------------------------------------------------------------
def signal_kinds(typed: list[str]) -> tuple[str, ...]:
    """`--kind` as typed (codes or Russian words) → codes; an unknown one is refused with the allowed words."""
    codes = []
    for value in typed:
        code = pick(value, SIGNAL_KINDS)
        if code is None:
            raise InvalidInput(f"Неизвестный вид сигнала «{value[:40]}»: допустимы {'; '.join(SIGNAL_KINDS.values())}.")
        codes.append(code)
    return tuple(dict.fromkeys(codes)) or (DEFAULT_SIGNAL_KIND,)


@dataclass
class SignalInput:
    received: datetime
    source: str
    channel: str
    children: list[str]
    parents: list[str]
    address: str
    problem: str
    help_needed: str
    threat: bool
    arrival: bool = False  # the family (minor) arrived from another commission's territory (001 §2.5.1 г)
    kinds: tuple[str, ...] = ()  # what it is about (001 §2.5.1), each opening its own term; none: signs of СОП
    to_case: int | None = None  # attach to this open case (case_signal, 0009) instead of a check of its own
    detected: datetime | None = None  # when the source found it (`--detected`): its informing counts from then
    new_source_kind: str = ""  # at a terminal: the source is a new agency of this kind, added with the signal
    same_as: list[int] = field(default_factory=list)  # `--person N` (or «да» at a terminal): the child is person N


def _person(session: Session, name: str, born: date | None) -> Person:
    key = name_key(name)
    if born is not None:  # a namesake without a birth date may be another person: never merged
        found = session.exec(select(Person).where(Person.name_key == key, Person.birth_date == born)).first()
        if found is not None:
            return found
    person = Person(full_name=name, name_key=key, birth_date=born)
    session.add(person)
    session.flush()
    return person


def _lock_journal(session: Session) -> None:
    """Serialise journal numbering: SQLite already writes under BEGIN IMMEDIATE."""
    if session.get_bind().dialect.name == "postgresql":
        session.exec(text("SELECT pg_advisory_xact_lock(4242001)"))  # type: ignore[call-overload]


def _signal_kinds(data: SignalInput) -> tuple[str, ...]:
    """The kinds typed, each one known; an arrival is its own kind (001 §2.5.1 г): no signs of СОП
    are presumed unless said."""
    kinds = tuple(dict.fromkeys(data.kinds)) or (() if data.arrival else (DEFAULT_SIGNAL_KIND,))
    for kind in kinds:
        code_for(kind, SIGNAL_KINDS, "вида сигнала")
    return kinds


def _children_of(data: SignalInput, received_day: date) -> list[tuple[str, date | None]]:
    """The children typed: each a minor born before the signal came, none twice.

    152-ФЗ: refusals name a child by position and birth date, never by name (they reach cron mail).
    """
    if not data.children:
        raise InvalidInput("Укажите хотя бы одного ребёнка: --child «ФИО, ДД.ММ.ГГГГ» "
                           "(или «ФИО», если дата рождения неизвестна).")
    kids = [parse_child(c) for c in data.children]
    for k, (_name, born) in enumerate(kids, 1):
        if born is None:  # a phone call rarely gives it: registered, and the registry reminds (`deadlines`)
            continue
        if born > received_day:
            raise InvalidInput(f"Ребёнок №{k}: дата рождения {fmt_date(born)} позже поступления информации.")
        if age_on(born, received_day) >= 18:
            raise InvalidInput(f"Ребёнку №{k} (дата рождения {fmt_date(born)}) на {fmt_date(received_day)} "
                               "уже исполнилось 18 лет: это не несовершеннолетний.")
    if len({(name_key(n), b) for n, b in kids}) < len(kids):
        raise InvalidInput("Один и тот же ребёнок указан дважды (--child).")
    return kids


def _parents_of(data: SignalInput) -> list[str]:
    """A parent as a full name or, like an official, a surname with initials («Белова О. Н.», issue 32 §4)."""
    parents = [official_name(p, "родитель") for p in data.parents]
    if len({name_key(p) for p in parents}) < len(parents):
        raise InvalidInput("Один и тот же родитель указан дважды (--parent).")
    return parents


def _refuse_twice_registered(session: Session, kids: list[tuple[str, date | None]], received: datetime) -> None:
    """The same child at the same moment is already in the journal: the signal was typed twice."""
    for k, (name, born) in enumerate(kids, 1):
        dup = session.exec(
            select(Signal.id).join(SignalPerson, col(SignalPerson.signal_id) == col(Signal.id))
            .join(Person, col(Person.id) == col(SignalPerson.person_id))
            .where(Person.name_key == name_key(name), Person.birth_date == born,
                   Signal.received_at == received)).first()
        if dup is not None:
            who = f"ребёнке {fmt_date(born)} г. р." if born is not None else f"ребёнке №{k}"
            raise InvalidInput(f"Сигнал о {who} с тем же моментом поступления уже есть в журнале (id {dup}).")


def _next_seq(session: Session, reg: Registry, year: int) -> int:
    # The journal is numbered per commission (0007); the owner of a shared registry sees every commission's rows.
    return (session.exec(select(func.max(Signal.seq)).where(
        Signal.year == year, literal_column("commission") == reg.commission)).one() or 0) + 1


def _signal_events(data: SignalInput, kinds: tuple[str, ...]) -> list[str]:
    """What a new signal opens: the registration, each kind, and a phone call, a threat or an arrival."""
    events = ["signal.registered", *(f"signal.kind.{k}" for k in kinds)]
    events += ["signal.phone"] if data.channel == "phone" else []
    events += ["signal.threat"] if data.threat else []
    events += ["signal.arrival"] if data.arrival else []
    return [*events, "signal.received"]  # last: the receipt is the source's informing (001 §2.5), done


def _take_in(session: Session, reg: Registry, case: Case, sig: Signal, when: datetime, result: StepResult) -> None:
    """The signal joins an open case instead of waiting for its own check: at intake (`--to-case`) or later
    (`signal attach`), the same rows, audit entry and terms."""
    session.add(CaseSignal(case_id=case.id, signal_id=sig.id, created_at=datetime.now(UTC)))
    audit.record(session, reg, "attach", "signal", sig.id, case=case.id)
    # the case's work takes the signal in: its own check is not owed (the threat and emergency terms are)
    result.add(obligations.emit(session, reg, "signal.attached", when, signal_id=sig.id,
                                note=f"присоединён к делу № {case.id}"))
    for role, person in signal_people(session, sig.id):
        if role == "child" and person.birth_date is not None:  # a child the case now covers: its 18th birthday
            result.add(obligations.emit(session, reg, "case.child", birthday(person.birth_date, 18),
                                        signal_id=case.signal_id, case_id=case.id, person_id=person.id))


def signal_source(session: Session, reg: Registry, typed: str, new_kind: str = "") -> tuple[str, agencies.Source]:
    """(the source as the journal keeps it, who it is): an agency by its directory name, else the words typed.

    `new_kind`: a person at the terminal added the unknown agency (its kind asked): added here, audited,
    in the signal's own transaction."""
    text = one_line(typed, "от кого поступила информация", 300, "--source")
    if new_kind:
        from sopcli.services.directory.agencies import add_agency, new_agency_name

        add_agency(session, reg, new_agency_name(text), new_kind)
        session.flush()
        owners.forget_directory(session)
    found = agencies.source_of(text, owners.directory(session), school=reg.rule_set == "school")
    if found.agency is not None and found.kind == "agency":
        if not found.agency.active:
            agencies.resolve(text, owners.directory(session))  # refused by name: no new duty for an inactive one
        return found.agency.name, found
    return text, found


def _detected(data: SignalInput, reg: Registry) -> datetime | None:
    if data.detected is None:
        return None
    if data.detected > data.received:
        raise InvalidInput("Момент выявления (--detected) позже поступления информации в КДН.")
    return data.detected


def register_signal(session: Session, reg: Registry, data: SignalInput, now: datetime) -> StepResult:
    not_future(data.received, now, "Момент поступления информации", reg)
    detected = _detected(data, reg)
    if data.arrival:  # another commission told this one (`transfer in`): the commission's own to act on, no agency's
        source, who = one_line(data.source, "откуда прибыли", 300, "--from"), agencies.Source("commission")
    else:
        source, who = signal_source(session, reg, data.source, data.new_source_kind)
    problem = one_line(data.problem, "содержание проблемы", TEXT_LIMIT, "--problem")
    if len(data.address) > TEXT_LIMIT or len(data.help_needed) > TEXT_LIMIT:
        raise InvalidInput(f"Слишком длинно: адрес и нужная помощь — не более {TEXT_LIMIT} знаков.")
    data.channel = code_for(data.channel, CHANNEL_LABELS, "канала поступления")
    kinds = _signal_kinds(data)
    received_day = data.received.astimezone(reg.tz).date()
    kids = _children_of(data, received_day)
    parents = _parents_of(data)
    case = _attach_target(session, data.to_case) if data.to_case is not None else None
    _lock_journal(session)
    _refuse_twice_registered(session, kids, data.received)
    typed_kids = [Typed("child", n, b) for n, b in kids]
    known = find_known(session, [*typed_kids, *(Typed("parent", p) for p in parents)])
    links, said = child_links(session, typed_kids, known, data.same_as)
    year = received_day.year
    seq = _next_seq(session, reg, year)
    sig = Signal(year=year, seq=seq, received_at=data.received, source=source, source_kind=who.kind,
                 source_agency_id=who.agency.id if who.kind == "agency" and who.agency else None,
                 detected_at=detected, channel=data.channel,
                 address=" ".join(data.address.split()), problem=problem,
                 help_needed=" ".join(data.help_needed.split()), threat=data.threat, kind=",".join(kinds),
                 status="attached" if case is not None else "registered", created_at=datetime.now(UTC))
    session.add(sig)
    session.flush()
    result = StepResult(sig, known=known, warnings=said)
    _name_people(session, reg, sig, kids, links, parents, now, result)
    for event in _signal_events(data, kinds):
        # the source's own terms count from its detection when it is known (`--detected`), else from the receipt
        trigger = detected if detected is not None and event.startswith("signal.") else None
        result.add(obligations.emit(session, reg, event, data.received, signal_id=sig.id, trigger=trigger))
    if case is not None:
        _take_in(session, reg, case, sig, data.received, result)
    return result


def _name_people(session: Session, reg: Registry, sig: Signal, kids: list[tuple[str, date | None]],
                 links: list[int | None], parents: list[str], now: datetime, result: StepResult) -> None:
    """The signal's children (each an earlier person when linked, else found by name and date or new) and
    parents; the audit entry says which earlier persons the signal names."""
    for (name, born), link in zip(kids, links, strict=True):
        child = _person(session, name, born).id if link is None else _linked(session, reg, link, born, now, result)
        session.add(SignalPerson(signal_id=sig.id, person_id=child, role="child"))
    for name in parents:
        session.add(SignalPerson(signal_id=sig.id, person_id=_person(session, name, None).id, role="parent"))
    same = [p for p in links if p is not None]
    audit.record(session, reg, "create", "signal", sig.id, number=f"{sig.seq}/{sig.year}", channel=sig.channel,
                 **({"same_as": same} if same else {}))


def _linked(session: Session, reg: Registry, person_id: int, born: date | None, now: datetime,
            result: StepResult) -> int:
    """An earlier child the new signal names: its birth date, typed now and unknown until now, is recorded
    as `person born` records it (audited; the 18th birthday opens on its open cases)."""
    from sopcli.services.directory.persons import record_birth

    person = session.get(Person, person_id)
    if born is not None and person is not None and person.birth_date is None:
        done = record_birth(session, reg, person_id, born, now)
        result.opened += done.opened
    return person_id


def _attach_target(session: Session, case_id: int) -> Case:
    """`--to-case`: only an open case takes a new signal in; a closed one needs its own check."""
    case = session.get(Case, case_id, with_for_update=True)
    if case is None:
        raise InvalidInput(f"Дела №{case_id} нет в реестре: присоединить сигнал не к чему (--to-case).")
    if case.status != "open":
        raise InvalidInput(f"Дело №{case_id} закрыто: сигнал регистрируется без --to-case и проверяется заново.")
    return case


def attach_signal(session: Session, reg: Registry, signal_id: int, case_id: int, when: datetime,
                  now: datetime) -> StepResult:
    """`signal attach`: a signal registered on its own joins the open case of its child later, as `--to-case`
    would have taken it in: its check is no longer owed, the child's 18th birthday is the case's.

    Only a signal still waiting for its check, about a child the case already names: a checked signal has
    its own result, and a signal about another child would put a stranger into the case's file."""
    sig = get_signal(session, signal_id)
    number = f"{sig.seq}/{sig.year}"
    attached = session.exec(select(CaseSignal.case_id).where(CaseSignal.signal_id == sig.id)).first()
    if attached is not None:
        raise StepNotAllowed(f"Сигнал № {number} уже присоединён к делу № {attached}.")
    own = session.exec(select(Case.id).where(Case.signal_id == sig.id)).first()
    if own is not None:
        raise StepNotAllowed(f"По сигналу № {number} открыто своё дело № {own}: присоединить его нельзя.")
    if sig.status != "registered" or session.exec(select(Check.id).where(Check.signal_id == sig.id)).first():
        raise StepNotAllowed(f"Сигнал № {number} уже проверен: присоединяется сигнал, проверка по которому "
                             "ещё не проведена.")
    case = _attach_target(session, case_id)
    if not _children(session, [sig.id]) & _children(session, _case_signals(session, case)):
        raise StepNotAllowed(f"Ребёнок сигнала № {number} не указан в деле № {case_id}: присоединяется только "
                             "сигнал о ребёнке этого дела.")
    if when < sig.received_at:
        raise InvalidInput(f"Момент присоединения раньше поступления сигнала № {number} "
                           f"({sig.received_at.astimezone(reg.tz):%d.%m.%Y %H:%M}).")
    if when.astimezone(reg.tz).date() < case.recognized_on:
        raise InvalidInput(f"Момент присоединения раньше постановления о признании по делу № {case_id} "
                           f"({fmt_date(case.recognized_on)}).")
    not_future(when, now, "Момент присоединения", reg)
    sig.status = "attached"
    session.add(sig)
    result = StepResult(sig)
    _take_in(session, reg, case, sig, when, result)
    return result


def _case_signals(session: Session, case: Case) -> list[int]:
    """The case's own signal and every one attached to it."""
    return [case.signal_id, *session.exec(select(CaseSignal.signal_id).where(CaseSignal.case_id == case.id)).all()]


def _children(session: Session, signal_ids: list[int]) -> set[int]:
    return set(session.exec(select(SignalPerson.person_id).where(
        col(SignalPerson.signal_id).in_(signal_ids), SignalPerson.role == "child")).all())


def signal_people(session: Session, signal_id: int) -> list[tuple[str, Person]]:
    rows = session.exec(select(SignalPerson, Person).join(Person, col(Person.id) == col(SignalPerson.person_id))
                        .where(SignalPerson.signal_id == signal_id).order_by(col(SignalPerson.id))).all()
    return [(sp.role, p) for sp, p in rows]


# -- check ------------------------------------------------------------------------
@dataclass
class CheckInput:
    concluded: date
    level: str
    outcome: str
    criteria: list[int]
    note: str = ""
    family: str = ""
    housing: str = ""
    income: str = ""
    support: str = ""
    form: CheckForm | None = None  # App. 2 checklist and income by kind (0010)


def conclude_check(session: Session, reg: Registry, signal_id: int, data: CheckInput, now: datetime) -> StepResult:
    sig = get_signal(session, signal_id)
    attached = session.exec(select(CaseSignal.case_id).where(CaseSignal.signal_id == sig.id)).first()
    if attached is not None:
        raise StepNotAllowed(f"Сигнал №{signal_id} присоединён к делу № {attached}: отдельная проверка не проводится.")
    if sig.status != "registered" or session.exec(select(Check.id).where(Check.signal_id == sig.id)).first():
        raise StepNotAllowed(f"Сигнал №{signal_id} уже проверен: проверка проводится один раз.")
    data.level = code_for(data.level, LEVEL_LABELS, "уровня опасности")
    data.outcome = code_for(data.outcome, OUTCOME_LABELS, "итога проверки")
    bad = [c for c in data.criteria if not 1 <= c <= 8]
    if bad:
        raise InvalidInput(f"Критерии заключения — числа от 1 до 8 (прил. 2), а указано: {bad}.")
    received = sig.received_at.astimezone(reg.tz).date()
    if data.concluded < received:
        raise InvalidInput(f"Дата заключения раньше поступления информации ({fmt_date(received)}).")
    not_future(data.concluded, now, "Дата заключения", reg)
    if any(len(t) > TEXT_LIMIT for t in (data.note, data.family, data.housing, data.income, data.support)):
        raise InvalidInput(f"Слишком длинно: текст заключения — не более {TEXT_LIMIT} знаков в поле.")
    chk = Check(signal_id=sig.id, concluded_on=data.concluded, level=data.level, outcome=data.outcome,
                criteria=",".join(str(c) for c in sorted(set(data.criteria))), note=data.note,
                family=data.family, housing=data.housing, income=data.income, support=data.support,
                created_at=datetime.now(UTC))
    if data.form is not None:
        check_form.fill(chk, data.form)  # validated before anything is added
    session.add(chk)
    sig.status = "checked"
    session.flush()
    audit.record(session, reg, "create", "check", chk.id, signal=sig.id, level=data.level, outcome=data.outcome)
    result = StepResult(chk)
    result.add(obligations.emit(session, reg, "check.concluded", data.concluded, signal_id=sig.id,
                                note="заключение проверки"))
    events = {"critical": ["check.critical"]}.get(data.level, [])
    events += {"departmental": ["check.departmental"], "sop": ["check.sop"],
               "not-confirmed": ["check.not-confirmed"]}.get(data.outcome, [])
    for event in events:
        result.add(obligations.emit(session, reg, event, data.concluded, signal_id=sig.id))
    return result


# -- recognition ------------------------------------------------------------------
@dataclass
class RecognitionInput:
    day: date
    resolution: str
    curator: str
    members: list[str]
    until: date | None
    subject: str | None
    curator_agency: str = ""  # the agency the curator works for (their terms go into its letter)


def recognize(session: Session, reg: Registry, signal_id: int, data: RecognitionInput, now: datetime) -> StepResult:
    sig = get_signal(session, signal_id)
    chk = session.exec(select(Check).where(Check.signal_id == sig.id)).first()
    number = f"{sig.seq}/{sig.year}"  # as the journal prints it (issue 31 §5), never the internal id
    if chk is None or chk.outcome != "sop":
        found = f" (итог проверки: «{OUTCOME_LABELS.get(chk.outcome, chk.outcome)}»)" if chk is not None else ""
        raise StepNotAllowed(f"Сигнал № {number}: признать находящимся в социально опасном положении можно только "
                             f"после проверки, установившей социально опасное положение{found}.")
    if session.exec(select(Case.id).where(Case.signal_id == sig.id)).first():
        raise StepNotAllowed(f"По сигналу № {number} дело уже открыто.")
    if data.day < chk.concluded_on:
        raise InvalidInput(f"Дата постановления раньше заключения проверки ({fmt_date(chk.concluded_on)}).")
    not_future(data.day, now, "Дата постановления", reg)
    resolution = one_line(data.resolution, "номер постановления", 50, "--resolution")
    curator = official_name(data.curator, "куратор")
    members = [agency_name(session, m) for m in data.members]
    curator_agency = agencies.resolve(data.curator_agency, owners.directory(session)) if data.curator_agency else None
    if data.until is not None and data.until <= data.day:
        raise InvalidInput("Срок (--until) должен быть позже даты постановления.")
    people = signal_people(session, sig.id)
    subject = data.subject or ("family" if any(r == "parent" for r, _ in people) else "minor")
    subject = code_for(subject, SUBJECT_LABELS, "предмета (кто признан в СОП)")
    case = Case(signal_id=sig.id, subject=subject, recognized_on=data.day, resolution_no=resolution,
                curator=curator, members="\n".join(members), until=data.until, created_at=datetime.now(UTC),
                curator_agency_id=curator_agency.id if curator_agency else None)
    session.add(case)
    session.flush()
    audit.record(session, reg, "create", "case", case.id, signal=sig.id, resolution=case.resolution_no)
    named = [("members", "; ".join(members))] if members else []
    named += [("curator", curator_agency.name)] if curator_agency else []
    result = StepResult(case, named=named)
    result.add(obligations.emit(session, reg, "case.recognized", data.day, signal_id=sig.id, case_id=case.id))
    for role, person in people:
        if role == "child" and person.birth_date is not None:
            result.add(obligations.emit(session, reg, "case.child", birthday(person.birth_date, 18),
                                        signal_id=sig.id, case_id=case.id, person_id=person.id))
    return result


# -- closure ----------------------------------------------------------------------
@dataclass
class ClosureInput:
    day: date
    resolution: str
    ground: str
    note: str = ""
    outcome: str = ""  # App. 4: the programme's evaluation
    results: tuple[str, ...] = ()  # App. 4: the completion list


def close_case(session: Session, reg: Registry, case_id: int, data: ClosureInput, now: datetime) -> StepResult:
    case = get_case(session, case_id)
    if case.status == "closed":
        raise StepNotAllowed(f"Дело №{case_id} уже закрыто {fmt_date(case.closed_on)}: новые шаги невозможны.")  # type: ignore[arg-type]
    grounds = SCHOOL_GROUNDS if reg.rule_set == "school" else {g: GROUND_LABELS[g] for g in GROUNDS[case.subject]}
    clause = "003 §5.1" if reg.rule_set == "school" else "004 §6.3" if case.subject == "minor" else "004 §6.4"
    data.ground = code_for(data.ground, grounds, f"основания прекращения ({clause})")
    if data.day < case.recognized_on:
        raise InvalidInput(f"Дата прекращения раньше постановления о признании ({fmt_date(case.recognized_on)}).")
    not_future(data.day, now, "Дата постановления о прекращении", reg)
    resolution = one_line(data.resolution, "номер постановления", 50, "--resolution")
    if len(data.note) > TEXT_LIMIT:
        raise InvalidInput(f"Слишком длинно: примечание — не более {TEXT_LIMIT} знаков.")
    case.status, case.closed_on, case.close_resolution = "closed", data.day, resolution
    if data.outcome:
        data.outcome = code_for(data.outcome, OUTCOMES_APP4, "оценки программы (прил. 4)")
    data.results = tuple(code_for(r, RESULTS_APP4, "итога (прил. 4)") for r in data.results)
    case.close_ground, case.close_note = data.ground, data.note
    case.outcome, case.outcome_results = data.outcome, ",".join(dict.fromkeys(data.results))
    audit.record(session, reg, "close", "case", case.id, ground=data.ground, resolution=case.close_resolution)
    result = StepResult(case)
    moment = reg.start_of(data.day)
    result.add(obligations.emit(session, reg, "case.closed", data.day, signal_id=case.signal_id, case_id=case.id,
                                note="работа прекращена"))
    if data.ground in ("age-18", "all-adult"):
        result.add(obligations.emit(session, reg, "case.closed.adult", data.day, case_id=case.id,
                                    note="прекращение: достижение 18 лет"))
    reason = f"работа прекращена: постановление № {case.close_resolution} от {fmt_date(data.day)}"
    opened_now = {ob.id for ob in result.opened}  # me.close.send, opened by the closure itself, stays
    result.cancelled = obligations.cancel_open(session, reg, reason, moment, case_id=case.id,
                                               signal_id=case.signal_id, keep_ids=opened_now)
    return result
