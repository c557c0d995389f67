"""The per-case forms of 004 (App. 2–5) as the seed draws them, built as `render.form.Form` blocks.

Why plain blocks and not sheets: a form is a document — header, title, numbered
sections, checklists, signature — and it is checked against the seed's own
headings in tests before anything is rendered. The words on paper are the
seed's; codes never reach the paper; an empty value stays an empty cell for
the pen.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sopcli.errors import NotFound
from sopcli.render.form import MARK, Form, Heading, Pairs, Para, Signature, Table
from sopcli.services.reading import reads
from sopcli.services.reading.db import Reader
from sopcli.services.steps.check_form import income_of, money
from sopcli.vocab import (
    ASSIGNMENTS,
    CHECK_CONCLUSIONS,
    CONTROL_DECISIONS,
    CRITERIA,
    DANGER_FROM_CRITERION,
    DANGER_KINDS,
    FAMILY_CATEGORIES,
    INCOME_KINDS,
    LEVEL_LABELS,
    LEVEL_TEXTS,
    LIVING,
    OUTCOMES_APP4_SEED,
    PARENTS_PROFILES,
    PATRONAGE,
    REACTIONS_APP4_SEED,
    REGISTERS,
    REPORT_STATUSES_APP4,
    RESULTS_APP4_POSITIVE,
    RESULTS_APP4_SEED,
    SANITARY,
    STAGES,
)

ORDER = ("к Порядку межведомственного взаимодействия органов и учреждений системы профилактики безнадзорности и "
         "правонарушений несовершеннолетних Республики Марий Эл по выявлению и организации индивидуальной "
         "профилактической работы с несовершеннолетними и (или) семьями, находящимися в социально опасном "
         "положении")
SOP = "находящихся в социально опасном положении"
FAMILY_HEADERS = ["Степень родства", "Ф.И.О. (полностью)", "Дата рождения",
                  "Занятость (место работы, образовательная организация)"]
# App. 2/3 §3: the housing rows of the seed, and the HOUSING_KINDS code each one marks
HOUSING_ROWS = (("Квартира, кв.м", "flat"), ("Частный дом, кв.м", "house"), ("Комната в общежитии, кв.м", "dorm"),
                ("Коммунальная квартира, кв.м", "communal"), ("Нет постоянного жилья", "none"), ("Другое", "other"))
STATE_ROWS = (("Благоустроенное", "comfortable"), ("Не благоустроенное", "uncomfortable"),
              ("Ветхое жилье", "dilapidated"))
LIVING_LABEL = ("Условия жизни несовершеннолетних (нужное отметить): Отдельная комната, уголок в общей комнате, свой "
                "письменный стол, место для сна, игр, занятий, игрушек, книг. Другое")


def appendix(n: int) -> Para:
    """The header at the top right of every appendix: «ПРИЛОЖЕНИЕ № N» and the order's full name."""
    return Para(f"ПРИЛОЖЕНИЕ № {n}\n{ORDER}", align="right", size=9)


def title(text: str) -> Para:
    return Para(text, align="center", bold=True, size=12)


def _d(v: date | None) -> str:
    return f"{v:%d.%m.%Y}" if v else ""


def _codes(text: str | None) -> list[str]:
    return [c.strip() for c in (text or "").split(",") if c.strip()]


def _mark(on: bool) -> str:
    return MARK if on else ""


# -- the family ----------------------------------------------------------------------------
def relation(p: dict[str, Any]) -> str:
    """The degree of kinship as the form asks: the recorded one, else read from the patronymic's ending
    (-вна a woman, -вич a man), else the bare role. A guess the name cannot support stays general."""
    if p.get("relation"):
        return p["relation"]
    words = (p.get("name") or "").split()
    patronymic = words[2].lower() if len(words) >= 3 else ""
    woman, man = patronymic.endswith(("вна", "чна", "кызы")), patronymic.endswith(("вич", "ич", "оглы"))
    if p["role"] == "parent":
        return "мать" if woman else "отец" if man else "родитель"
    return "дочь" if woman else "сын" if man else "ребёнок"


def _named(p: dict[str, Any]) -> str:
    return f"{p['name']}, {p['birth_date']:%d.%m.%Y}" if p.get("birth_date") else p["name"]


def _family_table(people: list[dict[str, Any]]) -> Table:
    return Table(FAMILY_HEADERS, [22, 40, 16, 42],
                 [[relation(p), p["name"], p["birth_date"], p["occupation"] or None] for p in people])


def _children(people: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [p for p in people if p["role"] == "child"]


def _parents(people: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [p for p in people if p["role"] == "parent"]


def split_parents(people: list[dict[str, Any]]) -> tuple[dict | None, dict | None, list[dict[str, Any]]]:
    """Mother, father and the other legal representatives (a stepfather, a guardian), by relation."""
    mother = father = None
    others = []
    for p in _parents(people):
        rel = relation(p).lower()
        if rel == "мать" and mother is None:
            mother = p
        elif rel == "отец" and father is None:
            father = p
        else:
            others.append(p)
    return mother, father, others


# -- App. 2 and 3: housing, income, support ------------------------------------------------
def _area(v: Any) -> str:
    if v is None:
        return ""
    q = Decimal(str(v)).normalize()
    return f"{q:f}".replace(".", ",") + " кв.м"


def _housing(chk: dict[str, Any], address: str, labels: tuple[str, str]) -> list:
    kind = chk.get("housing_kind") or ""
    rows: list[tuple[str, Any]] = [(labels[0], chk.get("address_registered") or None),
                                   (labels[1], chk.get("address_actual") or address or None),
                                   ("Жилищные условия", chk.get("housing") or None)]
    bold = {2}
    for label, code in HOUSING_ROWS:
        area = _area(chk.get("housing_area")) if kind == code and label.endswith("кв.м") else ""
        rows.append((label, " ".join(filter(None, [_mark(kind == code), area])) or None))
    for label, code in STATE_ROWS:
        rows.append((label, _mark(chk.get("housing_state") == code) or None))
    bold.add(len(rows))
    rows.append(("Санитарное состояние жилья", None))
    for code, word in SANITARY.items():
        rows.append((word, _mark(chk.get("sanitary") == code) or None))
    bold.add(len(rows))
    rows.append((LIVING_LABEL, ", ".join(LIVING.get(c, c) for c in _codes(chk.get("living"))) or None))
    return [Pairs(rows, bold_labels=bold)]


def _income(chk: dict[str, Any], members: int) -> list:
    """App. 2/3 §4: each amount as the family stated it, grouped («18 500», «21 317,40»), and the average per
    member of the family, to the kopeck."""
    values = [income_of(chk.get, kind) for kind in INCOME_KINDS]
    given = [v for v in values if v is not None]
    average = (sum(given) / members).quantize(Decimal("0.01"), ROUND_HALF_UP) if given and members else None
    rows = [[label, money(v) or None] for label, v in zip(INCOME_KINDS.values(), values, strict=True)]
    rows.append(["Среднедушевой доход", money(average) or None])
    out: list = [Table(["Вид дохода", "(в рублях)"], [60, 40], rows)]
    if chk.get("income"):
        out.append(Para(f"Со слов: {chk['income']}"))
    return out


def _support(chk: dict[str, Any]) -> Pairs:
    text = chk.get("support") or ""
    return Pairs([("Наименование мер социальной поддержки", text or None),
                  ("Меры социальной поддержки не оформлены", None if text else MARK)])


def _signature(src: dict[str, Any], role: str, seed: str, day: date | None = None) -> Signature:
    who = src["signatories"].get(role)
    return Signature(position=who["position"] if who and who["position"] else seed,
                     name=who["name"] if who else "", date=_d(day))


# -- App. 2: the conclusion of the check -----------------------------------------------------
def conclusion(r: Reader, signal_id: int | None = None, case_id: int | None = None) -> list[Form]:
    """App. 2 from the check itself: it exists from the check on, whatever its outcome, case or none."""
    src = reads.form_source(r, signal_id, case_id)
    chk = src["check"]
    if chk is None:
        what = f"делу №{case_id}" if case_id is not None else f"сигналу №{src['signal']['id']}"
        raise NotFound(f"По {what} нет заключения проверки.")
    people = src["persons"]
    chosen = set(_codes(chk["criteria"]))
    blocks: list = [
        appendix(2),
        title("Заключение\nоб установлении обстоятельств, подтверждающих отнесение несовершеннолетнего и (или) "
              f"семьи к категории, {SOP}"),
        Heading("1. Общие сведения"),
        Pairs([("Ф.И.О. несовершеннолетнего", "\n".join(_named(p) for p in _children(people)) or None),
               ("Ф.И.О. родителей (законных представителей)",
                "\n".join(p["name"] for p in _parents(people)) or None)]),
        Heading("2. Состав семьи"), _family_table(people)]
    if chk.get("family"):
        blocks.append(Para(chk["family"]))
    blocks += [Heading("3. Характеристика жилищно-бытовых условий семьи несовершеннолетнего"),
               *_housing(chk, src["signal"]["address"], ("Адрес по прописке", "Адрес фактический")),
               Heading("4. Доход семьи (со слов):"), *_income(chk, len(people)),
               Heading("5. Меры социальной поддержки, которыми пользуется семья"), _support(chk),
               Heading("6. Наличие социально опасного положения семьи"),
               Table(["№ п/п", "Критерий", "Наличие"], [8, 80, 14],
                     [[f"{n}.", text, _mark(str(n) in chosen) or None] for n, text in CRITERIA.items()]),
               Heading("7. Наличие социально опасного положения несовершеннолетнего (нужное подчеркнуть)"),
               Table(["№ п/п", "Признаки нахождения несовершеннолетнего в социально опасном положении оцениваются",
                      "Наличие", "Отметка"], [8, 62, 22, 10],
                     [[f"{n}.", text, level, _mark(chk["level"] == code) or None]
                      for n, (code, (text, level)) in enumerate(LEVEL_TEXTS.items(), 1)])]
    verdict = CHECK_CONCLUSIONS.get(chk["outcome"], chk["outcome"])
    verdict = f"{verdict[:1].upper()}{verdict[1:]}; уровень опасности — {LEVEL_LABELS.get(chk['level'], '')}."
    blocks += [Pairs([("Заключение", "\n".join(filter(None, [verdict, chk["note"]])))], label_share=0.2),
               _signature(src, "check-head", "Ф.И.О. руководителя органа или учреждения системы профилактики",
                          chk["concluded_on"])]
    return [Form("Заключение", blocks)]


# -- App. 3: the registration card -----------------------------------------------------------
def _side_by_side(left: list[tuple[str, Any]], right: list[tuple[str, Any]]) -> list[list[Any]]:
    """Two checklists as the seed prints them, in two column pairs; the shorter one padded with blanks."""
    rows = []
    for i in range(max(len(left), len(right))):
        row: list[Any] = []
        for side in (left, right):
            row += list(side[i]) if i < len(side) else [None, None]
        rows.append(row)
    return rows


def _card_general(sig: dict[str, Any], people: list[dict[str, Any]]) -> Pairs:
    return Pairs([("Дата выявления", sig["received_on"]),
                  ("Кем выявлено социальное неблагополучие несовершеннолетнего/семьи", sig["source"] or None),
                  ("Ф.И.О. несовершеннолетнего", "\n".join(_named(p) for p in _children(people)) or None),
                  ("Ф.И.О. родителей (законных представителей)",
                   "\n".join(_named(p) for p in _parents(people)) or None)])


def _categories(case: dict[str, Any]) -> list[list[Any]]:
    """App. 3 §6: the seed prints the family categories in two columns, seven on the left."""
    cats = set(_codes(case["family_category"]))
    marked = [(word, _mark(code in cats) or None) for code, word in FAMILY_CATEGORIES.items()]
    return _side_by_side(marked[:7], marked[7:])


def _profile(case: dict[str, Any]) -> list[list[Any]]:
    profile = set(_codes(case["parents_profile"]))
    return [[word, _mark(code in profile) or None, text] for code, (word, text) in PARENTS_PROFILES.items()]


def _check_criteria(chk: dict[str, Any]) -> list[int]:
    """The check's criteria (App. 2 §6) by number; a code that is not one is left out."""
    return [int(c) for c in _codes(chk.get("criteria")) if c.isdigit()]


def _danger(case: dict[str, Any], chk: dict[str, Any]) -> list[list[Any]]:
    danger = set(_codes(case["danger_kinds"]))
    if not danger:  # not set by hand: what the check's criteria say (App. 2 §6 → App. 3 §8)
        danger = {DANGER_FROM_CRITERION[n] for n in _check_criteria(chk) if n in DANGER_FROM_CRITERION}
    return [[text, _mark(code in danger) or None] for code, text in DANGER_KINDS.items()]


def _agency_registration(g: dict[str, Any] | None) -> list[Any]:
    """When and under which protocol an agency registered the family, and why; blanks if it did not."""
    if not g:
        return [None, None]
    when = ", ".join(filter(None, [_d(g["registered_on"]), f"протокол № {g['protocol']}" if g["protocol"] else ""]))
    return [when or None, g["reason"] or None]


def _registers(src: dict[str, Any], case: dict[str, Any], chk: dict[str, Any]) -> list[list[Any]]:
    """App. 3 §9: the commission's own registration from the case, every other agency's from its record."""
    criteria = "; ".join(CRITERIA[n] for n in _check_criteria(chk) if n in CRITERIA)
    regs = []
    for code, word in REGISTERS.items():
        if code == "kdn":
            when = f"{_d(case['recognized_on'])}, пост. № {case['resolution_no']}" if case["recognized_on"] else ""
            regs.append([word, when or None, criteria or None])
        else:
            regs.append([word, *_agency_registration(src["registrations"].get(code))])
    return regs


def _consent(consent: dict[str, Any]) -> Para:
    return Para("Согласие на обработку персональных данных: "
                f"{'получено' if consent['decision'] == 'given' else 'отказ'} {_d(consent['day'])}, "
                f"{consent['place']}")


def card(r: Reader, case_id: int) -> list[Form]:
    src = reads.form_source(r, case_id=case_id)
    case, chk, people = src["case"], src["check"] or {}, src["persons"]
    sig = src["signal"]
    blocks: list = [
        appendix(3), title(f"Учетная карта семьи и несовершеннолетнего,\n{SOP}"),
        Heading("1. Общие сведения"), _card_general(sig, people),
        Heading("2. Состав семьи"), _family_table(people),
        Heading("3. Характеристика жилищно-бытовых условий семьи несовершеннолетнего"),
        *_housing(chk, sig["address"], ("Адрес проживания по прописке", "Адрес проживания фактический")),
        Heading("4. Доход семьи (со слов):"), *_income(chk, len(people)),
        Heading("5. Меры социальной поддержки, которыми пользуется семья"), _support(chk),
        Heading("6. Категория семьи (нужное отметить):"),
        Table(["Категория", "Отметка", "Категория", "Отметка"], [38, 12, 38, 12], _categories(case)),
        Heading("7. Социально-психологическая характеристика родителей (нужное отметить):"),
        Table(["Критерий", "Отметка", "Характеристика"], [26, 12, 62], _profile(case)),
        Heading("8. Вид социально опасной ситуации в семье (нужное отметить):"),
        Table(["Вид социально опасной ситуации в семье", "Отметка"], [86, 14], _danger(case, chk)),
        Heading("9. Ведомственный учет и причины постановки:"),
        Table(["Органы и учреждения системы профилактики", "Дата постановки, № протокола",
               "Причина постановки"], [30, 26, 44], _registers(src, case, chk)),
        Heading("10. Сведения о закреплении"),
        Pairs([(label, src["assignments"].get(code) or None) for code, label in ASSIGNMENTS.items()])]
    if src["consent"] is not None:  # not on the seed's card, but the card is where a curator looks for it (004 §4.7)
        blocks.append(_consent(src["consent"]))
    blocks.append(_signature(src, "card-head", "Ф.И.О. руководителя учреждения"))
    return [Form("Учетная карта", blocks)]


# -- App. 4: the individual programme --------------------------------------------------------
def _stages(value: str) -> dict[str, str]:
    return {k: v for k, _, v in (p.partition("=") for p in _codes(value))}


_TERM = re.compile(r"(\d+)\s*(wd|d|w|m)")
# «в течение N …»: the genitive, singular after 1, 21, 31…, plural otherwise
_TERM_WORDS = {"d": ("дня", "дней"), "wd": ("рабочего дня", "рабочих дней"), "w": ("недели", "недель"),
               "m": ("месяца", "месяцев")}


def _term(m: dict[str, Any]) -> str:
    """App. 4 «Срок»: the measure's date, or a period's first and last day. A term counted from the approval
    («1m») has its date once the programme is approved; on a draft it reads in words."""
    if m.get("due"):
        return " – ".join(filter(None, [_d(m.get("start")), _d(m["due"])]))
    typed = (m.get("due_text") or "").strip()
    found = _TERM.fullmatch(typed)
    if not found:
        return typed  # a phrase, typed in Russian («в течение 10 дней»)
    n = int(found[1])
    one, many = _TERM_WORDS[found[2]]
    return f"в течение {n} {one if n % 10 == 1 and n % 100 != 11 else many} со дня утверждения программы"


_DAY = re.compile(r"\s*(\d{1,2}\.\d{1,2}\.\d{4})[\s,;:—-]*(.*)", re.S)


def _meetings(text: str) -> list[list[Any]]:
    """`plan edit --meeting "дата, выводы"` lines as the seed's table: the date, the measures, the findings."""
    rows = []
    for line in filter(None, (x.strip() for x in (text or "").split("\n"))):
        m = _DAY.fullmatch(line)
        day: Any = None
        if m:
            try:
                day = datetime.strptime(m[1], "%d.%m.%Y").date()
                line = m[2]
            except ValueError:
                day = None
        what, semi, found = line.partition(";")
        rows.append([day, what.strip() if semi else None, (found if semi else line).strip() or None])
    return rows


def _short(text: str, limit: int = 60) -> str:
    """A measure's title cut after its last whole word within `limit`, for a list of measures in one cell."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _measure_state(m: dict[str, Any], day: date) -> str:
    """Where a measure stood on `day`: its last report by then, else its term (run out or not)."""
    reports = [rep for rep in m["reports"] if rep["reported_on"] <= day]
    if reports:
        state = f"{REPORT_STATUSES_APP4.get(reports[-1]['status'], '')} ({_d(reports[-1]['reported_on'])})"
    elif m.get("due") and m["due"] < day:
        state = f"отчёта об исполнении нет, срок {_d(m['due'])}"
    else:
        state = f"срок {_term(m)}" if _term(m) else "срок не указан"
    return f"{m['seq']}. {_short(m['title'])} — {state}"


def _consilium(plan: dict[str, Any], controls: list[dict[str, Any]]) -> list[list[Any]]:
    """The consilium's meetings: those typed with `plan edit --meeting` and every control (004 §5.6), by date.

    «Мероприятия» is what the registry holds of the programme's measures on that day, where the meeting
    line did not name them; «Выводы» of a control is its decision and note."""
    measures = plan["measures"]

    def reviewed(day: date | None) -> str | None:
        return "\n".join(_measure_state(m, day) for m in measures) or None if day else None

    rows = [[day, what or reviewed(day), found] for day, what, found in _meetings(plan["meetings"])]
    for c in controls:
        decision = CONTROL_DECISIONS.get(c["decision"], "")
        found = "\n".join(filter(None, [f"Решение: {decision}" if decision else "", c["note"]]))
        rows.append([c["day"], reviewed(c["day"]), found or None])
    return sorted(rows, key=lambda row: (row[0] is None, row[0] or date.min))


def _executed(m: dict[str, Any], done: dict[int, date]) -> Any:
    return done.get(m["id"])


def _approval(plan: dict[str, Any]) -> str:
    """The stamp at the top right: the approving resolution's number and date, blanks for the pen before."""
    if plan["approved_on"]:
        number = f"№ {plan['resolution']} " if plan["resolution"] else ""
        return (f"Утверждена на заседании\nмуниципальной КДНиЗП\n(постановление {number}от "
                f"{plan['approved_on']:%d.%m.%Y} г.)")
    return "Утверждена на заседании\nмуниципальной КДНиЗП\n(протокол № ______ от «___» ________ 20__ г.)"


def _per_child(kids: list[dict[str, Any]], key: str) -> str | None:
    """One line per child with the value; the child's name leads only when there are several."""
    return "\n".join(f"{p['name']}: {p[key]}" if len(kids) > 1 else p[key] for p in kids if p[key]) or None


def _programme_family(people: list[dict[str, Any]]) -> Pairs:
    mother, father, others = split_parents(people)
    kids = _children(people)
    return Pairs([
        ("Сведения о родителях (законных представителях):", "\n".join(_named(p) for p in others) or None),
        ("Мать: Ф.И.О., дата рождения", _named(mother) if mother else None),
        ("Сведения о занятости", (mother or {}).get("occupation") or None),
        ("Отец: Ф.И.О. дата рождения", _named(father) if father else None),
        ("Сведения о занятости", (father or {}).get("occupation") or None),
        ("Ф.И.О. ребенка, дата рождения", "\n".join(_named(p) for p in kids) or None),
        ("Форма занятости ребенка (образовательная организация, не организован)", _per_child(kids, "occupation")),
        ("Дополнительное образование", _per_child(kids, "extra_education"))])


def _programme_general(sig: dict[str, Any], case: dict[str, Any], plan: dict[str, Any]) -> Pairs:
    return Pairs([("Дата выявления", sig["received_on"]), ("Дата постановки на учет", case["recognized_on"]),
                  ("Заключение консилиума о ситуации в семье", plan["consilium"] or None),
                  ("Цель социально реабилитационной программы", plan["goal"] or None)])


def _perspective(plan: dict[str, Any]) -> list[list[Any]]:
    """The situation and the tasks once, on the first measure's row; a measure and its term on each."""
    return [[plan["situation"] or None if i == 0 else None, plan["tasks"] or None if i == 0 else None,
             f"{m['title']} ({m['executor']})", _term(m) or None] for i, m in enumerate(plan["measures"])]


def _activity(m: dict[str, Any]) -> str:
    """«Содержание деятельности»: the measure's content, its executor and every report on it, in the seed's
    words («исполнено частично», «не исполнено»); a measure past its term with no report says so."""
    lines = [m["content"], f"Исполнитель: {m['executor']}"]
    for rep in m["reports"]:
        said = REPORT_STATUSES_APP4.get(rep["status"], "")
        lines.append(f"Отчёт от {_d(rep['reported_on'])}: {said}" + (f". {rep['text']}" if rep["text"] else ""))
    ob = m.get("obligation") or {}
    if not m["reports"] and ob.get("overdue"):
        lines.append(f"Отчёта об исполнении нет, срок истёк {_d(m['due'])}" if m.get("due") else
                     "Отчёта об исполнении нет, срок истёк")
    elif not m["reports"] and ob.get("status") == "cancelled" and ob.get("cancel_reason"):
        lines.append(f"Отчёта об исполнении нет; срок снят: {ob['cancel_reason']}")
    return "\n".join(filter(None, lines))


def _execution(r: Reader, measures: list[dict[str, Any]]) -> list[list[Any]]:
    done = reads.execution_dates(r, [m["id"] for m in measures])
    return [[f"{m['seq']}.", m["title"], _activity(m), _executed(m, done)] for m in measures]


def _potential_grid(plan: dict[str, Any]) -> list[Any]:
    potential = _stages(plan["potential"])
    return [_mark(potential.get(stage) == level) or None for stage in STAGES for level in ("high", "medium", "low")]


def _reactions(plan: dict[str, Any]) -> list[list[Any]]:
    reaction = _stages(plan["reaction"])
    return [[text] + [_mark(reaction.get(stage) == code) or None for stage in STAGES]
            for code, text in REACTIONS_APP4_SEED.items()]


def _patronage(plan: dict[str, Any]) -> list[list[Any]]:
    """The kind of patronage marked, and the reason typed after its code ("code: why") beside it."""
    kind, _, why = (plan["patronage"] or "").partition(":")
    return [[word, _mark(kind == code) or None, why.strip() or None if kind == code else None]
            for code, word in PATRONAGE.items()]


def _evaluation(case: dict[str, Any]) -> Pairs:
    outcome = case["outcome"] or ""
    return Pairs([("Оценка результатов", None),
                  *((text, _mark(outcome == code) or None) for code, text in OUTCOMES_APP4_SEED.items()),
                  ("Причины неисполнения", case["nonexec_reasons"] or None),
                  ("Предложения", case["proposals_note"] or None)], bold_labels={0})


def _completion(case: dict[str, Any]) -> list[list[Any]]:
    """The results reached, positive ones on the left, the others on the right, each marked "+"."""
    results = set(_codes(case["outcome_results"]))

    def marked(codes: list[str]) -> list[tuple[str, Any]]:
        return [(RESULTS_APP4_SEED[c], "+" if c in results else None) for c in codes]

    return _side_by_side(marked([c for c in RESULTS_APP4_SEED if c in RESULTS_APP4_POSITIVE]),
                         marked([c for c in RESULTS_APP4_SEED if c not in RESULTS_APP4_POSITIVE]))


def program(r: Reader, case_id: int, as_of: datetime) -> list[Form]:
    src = reads.form_source(r, case_id=case_id)
    plan = reads.plan_doc(r, case_id, None, as_of)
    if plan["version"] is None:
        raise NotFound(f"По делу №{case_id} программы нет.")
    case = src["case"]
    blocks: list = [
        appendix(4), Para(_approval(plan), align="right"),
        title(f"Индивидуальная программа\nсоциальной реабилитации семьи и несовершеннолетнего,\n{SOP}"),
        Heading("Сведения о семье"), _programme_family(src["persons"]),
        Heading("Общие сведения"), _programme_general(src["signal"], case, plan),
        Heading("Перспективный план работы с семьей и несовершеннолетним, находящимися в социально опасном положении"),
        Table(["Характеристика социально опасной ситуации семьи", "Задачи социально реабилитационной программы",
               "Планируемые мероприятия", "Срок"], [30, 30, 30, 14], _perspective(plan)),
        Heading("Проведение социально-реабилитационных мероприятий"),
        Table(["№ п/п", "Мероприятия", "Содержание деятельности", "Дата исполнения"], [8, 40, 40, 14],
              _execution(r, plan["measures"])),
        Heading("Динамика уровня реабилитационного потенциала"),
        Table(["высокий", "средний", "низкий"] * 3, [1] * 9, [_potential_grid(plan)],
              group_headers=[("Начальный этап", 3), ("Основной этап", 3), ("Заключительный этап", 3)]),
        Heading("Реакция членов семьи на вмешательство"),
        Table(["Форма реакции", "Начальный этап", "Основной этап", "Заключительный этап"], [46, 18, 18, 18],
              _reactions(plan)),
        Heading("Изменения вида патронажа в ходе работы с семьей и несовершеннолетним"),
        Table(["Вид патронажа", "Отметка", "Причина и дата изменения"], [30, 12, 58], _patronage(plan)),
        Heading("Проведение заседаний социально-реабилитационного консилиума"),
        Table(["Дата проведения консилиума", "Мероприятия", "Выводы"], [18, 44, 38],
              _consilium(plan, reads.controls(r, case_id))),
        Heading("Оценка результатов реализации индивидуальной программы социальной реабилитации"), _evaluation(case),
        Heading("Завершение реализации индивидуальной программы социальной реабилитации (отметить +)"),
        Table(["Результаты положительной реабилитации", "Отметка", "Результаты без достижения реабилитации",
               "Отметка"], [40, 10, 40, 10], _completion(case))]
    return [Form("Программа", blocks)]


# -- App. 5: one agency's proposals ----------------------------------------------------------
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_name(name: str, taken: set[str]) -> str:
    """An agency's name as a sheet tab: ≤ 31 characters, none Excel forbids, unique in the workbook."""
    base = _FORBIDDEN.sub(" ", name).strip().strip("'")[:31] or "Орган"
    out, n = base, 2
    while out.lower() in taken:
        suffix = f" ({n})"
        out, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(out.lower())
    return out


def _measure_and_term(line: str) -> tuple[str, str]:
    what, semi, term = line.rpartition(";")
    return (what.strip(), term.strip()) if semi else (line.strip(), "")


def _proposals_family(people: list[dict[str, Any]]) -> Pairs:
    mother, father, others = split_parents(people)
    return Pairs([("Сведения о родителях (законных представителях):", "\n".join(_named(p) for p in others) or None),
                  ("Ф.И.О. матери", _named(mother) if mother else None),
                  ("Ф.И.О. отца", _named(father) if father else None),
                  ("Ф.И.О. несовершеннолетнего", "\n".join(_named(p) for p in _children(people)) or None)])


def _by_agency(proposals: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    by_agency: dict[str, list[dict[str, Any]]] = {}
    for p in proposals:
        by_agency.setdefault(p["agency"], []).append(p)
    return by_agency


def _proposed(props: list[dict[str, Any]]) -> list[list[Any]]:
    """One row per proposed measure ("measure; term"); a proposal's situation and tasks on its first row."""
    rows = []
    for p in props:
        for i, line in enumerate(p["measures"] or [""]):
            what, term = _measure_and_term(line)
            rows.append([p["situation"] or None if i == 0 else None, p["tasks"] or None if i == 0 else None,
                         what or None, term or None])
    return rows


def _proposal_form(name: str, agency: str, props: list[dict[str, Any]], family: Pairs,
                   executed: list[list[Any]]) -> Form:
    received = ", ".join(_d(p["received_on"]) for p in props)
    return Form(name, [
        appendix(5),
        title("Предложения\nв индивидуальную программу социальной реабилитации семьи и несовершеннолетнего,\n"
              + SOP),
        Para(f"{agency}; поступили {received}", align="center"),
        Heading("Сведения о семье"), family,
        Heading("Перспективный план работы с семьей и несовершеннолетним, находящимся в социально опасном "
                "положении"),
        Table(["Характеристика социально опасной ситуации семьи", "Задачи социально реабилитационной программы",
               "Планируемые мероприятия", "Срок"], [30, 30, 30, 14], _proposed(props)),
        Heading("Проведение социально-реабилитационных мероприятий"),
        Table(["№ п/п", "Мероприятия", "Содержание деятельности", "Дата исполнения"], [8, 40, 40, 14], executed)])


def proposals(r: Reader, case_id: int, as_of: datetime) -> list[Form]:
    """One form per agency that sent proposals (004 §5.2): the agency signs its own, so each is a sheet."""
    src = reads.form_source(r, case_id=case_id)
    plan = reads.plan_doc(r, case_id, None, as_of)
    if not plan["proposals"]:
        raise NotFound(f"По делу №{case_id} предложений в программу нет.")
    family = _proposals_family(src["persons"])
    done = reads.execution_dates(r, [m["id"] for m in plan["measures"]])
    taken: set[str] = set()
    forms = []
    for agency, props in _by_agency(plan["proposals"]).items():
        mine = [m for m in plan["measures"] if m["executor"] == agency]
        executed = [[f"{n}.", m["title"], m["content"] or None, done.get(m["id"])] for n, m in enumerate(mine, 1)]
        forms.append(_proposal_form(sheet_name(agency, taken), agency, props, family, executed))
    return forms
