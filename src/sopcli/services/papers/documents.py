"""Documents from Word templates (docxtpl): letters, requests, notices and resolution drafts.

The context is built from the read snapshot; rendering writes nothing to the
registry. Only `--sent DATE` — the user's word that the letter went out —
fulfils the matching obligation, in its own write transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sopcli.errors import InvalidInput, NotFound, StepNotAllowed
from sopcli.services.directory.signatories import signing
from sopcli.services.reading import reads
from sopcli.services.reading.db import Reader
from sopcli.vocab import CRITERIA, GROUND_LABELS, LEVEL_LABELS, OUTCOMES_APP4, RESULTS_APP4


@dataclass(frozen=True)
class Kind:
    template: str
    of: str  # "case" | "signal"
    sent: str  # the event a sent document is (its rules fulfil on it: the rulebook says which); "" for drafts
    title: str


KINDS = {
    "program-letter": Kind("program-letter.docx", "case", "doc.program-letter", "направление программы исполнителям"),
    "arrival-request": Kind("arrival-request.docx", "signal", "doc.arrival-request", "запрос по прежнему месту"),
    "move-info": Kind("move-info.docx", "case", "doc.move-info", "информация о переезде"),
    "closure-notice": Kind("closure-notice.docx", "case", "doc.closure-notice", "уведомление о прекращении"),
    "resolution-recognition": Kind("resolution-recognition.docx", "case", "", "проект постановления о признании"),
    "resolution-closure": Kind("resolution-closure.docx", "case", "", "проект постановления о прекращении"),
}


def user_templates() -> Path:
    from sopcli.files import config_dir

    return config_dir() / "templates"


def template_path(name: str) -> Path:
    """The user's copy in the config folder wins over the packaged one."""
    own = user_templates() / name
    if own.is_file():
        return own
    from importlib import resources

    return Path(str(resources.files("sopcli.templates") / name))


def _d(value: Any) -> str:
    return f"{value:%d.%m.%Y}" if value else ""


def _people(persons: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [{"name": p["name"], "birth_date": _d(p["birth_date"]), "role": p["role"]} for p in persons]


_MINOR = {  # «несовершеннолетнего Петрова …», «признать … несовершеннолетнюю Петрову …», «с несовершеннолетним …»
    "gent": {"masc": "несовершеннолетнего", "femn": "несовершеннолетней", None: "несовершеннолетнего(-ей)"},
    "accs": {"masc": "несовершеннолетнего", "femn": "несовершеннолетнюю", None: "несовершеннолетнего(-юю)"},
    "ablt": {"masc": "несовершеннолетним", "femn": "несовершеннолетней", None: "несовершеннолетним(-ей)"},
}


def _named(name: str) -> dict[str, str]:
    """A name and its oblique cases, for the template to pick the one its sentence needs: a full name through the
    dictionary, an official's surname with initials («Иванова Е.В.» → «Иванову Е. В.») by its ending."""
    from sopcli.services.directory.declension import official

    return {"name": name, **{c: official(name, c) for c in ("gent", "datv", "accs", "ablt", "loct")}}


def _declined(persons: list[dict[str, Any]], relations: dict[int, str]) -> list[dict[str, str]]:
    """The people with their names in every case, their relation («мать») and the word for a minor."""
    from sopcli.services.directory.declension import gender

    out = []
    for p, person in zip(_people(persons), persons, strict=True):
        sex = gender(p["name"])
        out.append({**p, **_named(p["name"]), "relation": relations.get(person["person_id"], ""), "sex": sex or "",
                    **{f"minor_{c}": forms[sex] for c, forms in _MINOR.items()}})
    return out


def _and(words: list[str]) -> str:
    return " и ".join([", ".join(words[:-1]), words[-1]] if len(words) > 1 else words)


def _subject(family: bool, children: list[dict[str, str]], parents: list[dict[str, str]]) -> dict[str, str]:
    """Who is recognised or let go, named: «семью Петровой Анны Ивановны, а также несовершеннолетнего …»."""
    if len(children) == 1:
        kids = {c: f"{children[0][f'minor_{c}']} {children[0][c]}" for c in ("gent", "accs", "ablt")}
    else:
        kids = {c: f"{word} {_and([p[c] for p in children])}" if children else ""
                for c, word in (("gent", "несовершеннолетних"), ("accs", "несовершеннолетних"),
                                ("ablt", "несовершеннолетними"))}
    minor = children[0]["minor_gent"] if len(children) == 1 else "несовершеннолетних"
    words = _agreeing(family, children, parents)
    if not family:
        return {"title_gent": minor, "accs": kids["accs"], "ablt": f"с {kids['ablt']}" if children else "", **words}
    elders = _and([p["gent"] for p in parents])
    also = {c: f", а также {'с ' if c == 'ablt' else ''}{kids[c]}" if children else "" for c in ("accs", "ablt")}
    return {"title_gent": f"семьи и {minor}",
            "accs": "семью" + (f" {elders}" if elders else "") + also["accs"],
            "ablt": "с семьёй" + (f" {elders}" if elders else "") + also["ablt"], **words}


def _agreeing(family: bool, children: list[dict[str, str]], parents: list[dict[str, str]]) -> dict[str, str]:
    """The words that agree in number and gender with the people named: «О признании несовершеннолетнего
    находящимся», «родителя (законного представителя)» for one parent, «проживающей» for one woman."""
    from sopcli.services.directory.declension import by_number

    one_child = (children[0]["sex"] or None) if len(children) == 1 else None
    everyone = children + parents
    alone = (everyone[0]["sex"] or None) if len(everyone) == 1 else None
    subjects = 2 if family else len(children)  # a family and its minor are two: «признать … находящимися»
    minors = by_number(len(children), one_child, ("несовершеннолетнего", "несовершеннолетнюю", "несовершеннолетних"))
    elders = by_number(len(parents), "masc", ("родителя", "родителя", "родителей"))
    moved = ("семья, находящаяся", "а") if family else (
        by_number(len(children), one_child, ("несовершеннолетний, находящийся", "несовершеннолетняя, находящаяся",
                                             "несовершеннолетние, находящиеся")),
        by_number(len(children), one_child, ("", "а", "и")))
    released = "семья признана утратившей статус находящейся" if family else by_number(
        len(children), one_child, ("несовершеннолетний признан утратившим статус находящегося",
                                   "несовершеннолетняя признана утратившей статус находящейся",
                                   "несовершеннолетние признаны утратившими статус находящихся"))
    return {"being_ablt": by_number(subjects, one_child, ("находящимся", "находящейся", "находящимися")),
            # 004 §6.3: «признать … утратившим статус находящегося в социально опасном положении»
            "lost_ablt": by_number(subjects, one_child, ("утратившим", "утратившей", "утратившими")),
            "moved": moved[0], "moved_ending": moved[1], "released": f"{released} в социально опасном положении",
            "being_gent": by_number(subjects, one_child, ("находящегося", "находящейся", "находящихся")),
            "parents_head": by_number(len(parents), "masc", ("родителя (законного представителя)", "",
                                                             "родителей (законных представителей)")),  # no gender
            "living": by_number(len(everyone), alone, ("проживающего", "проживающей", "проживающих")),
            "notify": " и ".join(w for w in (minors if children else "", elders if parents else "") if w)}


def _resolution(kind: str, doc: dict[str, Any]) -> dict[str, str]:
    """The number and date on record; blanks to fill in by hand only while the registry has none."""
    no, on = ((doc["resolution"], doc["recognized_on"]) if kind == "resolution-recognition"
              else (doc["close_resolution"], doc["closed_on"]))
    # a blank date is one unit on paper: «20___ г.» never wraps apart (no-break spaces)
    return {"no": no or "____", "date": _d(on) or "«___»\u00a0____________\u00a020___\u00a0г."}


def _arrival(r: Reader, ident: int, as_of: datetime) -> dict[str, Any]:
    """A signal's paper: only an arrival from another municipality has one (the request for its file)."""
    sig = reads.signal_doc(r, ident, as_of)
    if not sig["source"].startswith("прибытие из: "):
        raise StepNotAllowed(f"Сигнал № {sig['number']} — не прибытие из другого муниципалитета (sopcli transfer in).")
    people = _people(sig["persons"])
    return {"signal": {"number": sig["number"], "received": _d(sig["received_at"].date()), "source": sig["source"]},
            "previous_place": sig["source"].removeprefix("прибытие из: "), "persons": people,
            "persons_line": _listed(people), "address": sig["address"]}


def _listed(people: list[dict[str, str]]) -> str:
    """«Петров Пётр Ильич, 10.02.2010 г. р.; Петрова Анна …»: the sentence's list, ended by one full stop
    (a last «г. р.» is not given a second one)."""
    from sopcli.services.directory.declension import sentence

    listed = "; ".join(f"{p['name']}, {p['birth_date']} г. р." if p["birth_date"] else p["name"] for p in people)
    return sentence(listed) if listed else ""


def _criteria(check: dict[str, Any] | None) -> list[str]:
    """The check's criteria (App. 2 §6) in words; a code that is not one is left out."""
    return [CRITERIA[int(c)] for c in (check["criteria"] if check else "").split(",")
            if c.strip().isdigit() and int(c) in CRITERIA]


def _case_fields(doc: dict[str, Any], subject: dict[str, str], family: bool) -> dict[str, Any]:
    return {"id": doc["id"], "recognized_on": _d(doc["recognized_on"]), "resolution": doc["resolution"],
            "curator": doc["curator"], "closed_on": _d(doc["closed_on"]),
            "close_resolution": doc["close_resolution"] or "", "until": _d(doc["until"]),
            "close_ground": GROUND_LABELS.get(doc["close_ground"] or "", ""),
            "outcome": OUTCOMES_APP4.get(doc["outcome"] or "", ""),
            "results": "; ".join(RESULTS_APP4[c] for c in doc.get("outcome_results") or [] if c in RESULTS_APP4),
            "subject_genitive": subject["title_gent"],
            "subject_accusative": "семью и несовершеннолетних" if family else "несовершеннолетнего"}


def _case(r: Reader, kind: str, doc: dict[str, Any]) -> dict[str, Any]:
    """A case's paper: the case, the family declined as the sentences need, the check's findings."""
    sig = doc["signal"]
    family = doc["subject"] == "family"
    relations = {row["person_id"]: row["relation"] for row in r.rows(
        "SELECT person_id, relation FROM signal_person WHERE signal_id = ?", [sig["id"]])}
    children = _declined([p for p in sig["persons"] if p["role"] == "child"], relations)
    parents = _declined([p for p in sig["persons"] if p["role"] == "parent"], relations)
    check = sig["check"]
    subject = _subject(family, children, parents)
    return {"case": _case_fields(doc, subject, family),
            "persons": children, "parents": parents, "subject": subject,
            "addressees": children + parents,  # 004 §6.5: the minor and the parents are told of the closure
            "persons_line": _listed(children),
            "curator": _named(doc["curator"]), "members": doc["members"], "address": tied(sig["address"] or ""),
            "resolution": _resolution(kind, doc), "criteria": _criteria(check),
            "check": {"concluded_on": _d(check["concluded_on"]), "level": LEVEL_LABELS.get(check["level"], "")}
            if check else {}}


def _approved_plan(r: Reader, ident: int, doc: dict[str, Any], as_of: datetime) -> dict[str, Any]:
    plan = reads.plan_doc(r, ident, None, as_of)
    if plan["version"] is None or plan["status"] != "approved":
        raise StepNotAllowed(f"По делу №{ident} нет утверждённой программы (sopcli plan approve).")
    return {"plan": {"version": plan["version"], "approved_on": _d(plan["approved_on"]),
                     "resolution": plan["resolution"],
                     "executors": ", ".join(dict.fromkeys(m["executor"] for m in plan["measures"])),
                     "measures": [{"seq": m["seq"], "title": m["title"], "executor": m["executor"],
                                   "due": _d(m["due"]) or m["due_text"]} for m in plan["measures"]]}}


def _move_out(r: Reader, ident: int, doc: dict[str, Any], as_of: datetime) -> dict[str, Any]:
    move = next((e for e in doc["events"] if e["kind"] == "move-out"), None)
    if move is None:
        raise StepNotAllowed(f"По делу №{ident} переезд не отмечен (sopcli transfer out).")
    return {"move": {"place": tied(move["place"]), "day": _d(move["day"]), "documents": move["note"],
                     "addressee": tied(move.get("addressee") or "")}}


_TIED = re.compile(r"(?<!\w)(г|ул|д|кв|корп|пр|пер|с|п|р-н|№)\.? (?=\S)")


def tied(text: str) -> str:
    """«г. Казани», «ул. Баумана», «д. 12», «№ 5»: the abbreviation never ends a line apart from its name."""
    return _TIED.sub(lambda m: m[0][:-1] + "\u00a0", text)


def _closed(r: Reader, ident: int, doc: dict[str, Any], as_of: datetime) -> dict[str, Any]:
    if doc["status"] != "closed":
        raise StepNotAllowed(f"Дело №{ident} не закрыто: уведомлять о прекращении рано.")
    return {}


# what a kind of case paper needs beyond the case, each refused when the registry has not got it yet
_CASE_EXTRAS = {"program-letter": _approved_plan, "move-info": _move_out, "closure-notice": _closed}


#: what each paper's sentences rest on: the events whose rules (in the registry's set) the paper cites
_BASIS = {"sent": (),  # the paper's own duty: the rules its `--sent` event fulfils (the kind's, added below)
          "reports": ("measure.done", "measure.reported"),  # the executors' reports on the measures (programme letter)
          "recognized": ("case.recognized",),  # what the recognition sets in motion: card, programme, control
          "closed": ("case.closed",)}  # the copies and the notices after a closure


def basis(r: Reader, kind: str) -> dict[str, str]:
    """The clauses a paper cites, in the regulation's words and from the registry's own rule set: a Mari El
    registry cites its Порядок, a federal one the recommendations, and none cites another region's order."""
    from sopcli.deadlines.explain import cite_all
    from sopcli.deadlines.rulebook import rulebook_with

    book = rulebook_with(r.settings.get("rulebook", ""))
    rules = book.for_set(r.settings["rules"])
    sent = (KINDS[kind].sent,) if KINDS[kind].sent else ()
    return {name: cite_all([x.source for x in rules if set(events or sent) & {*x.opens, *x.fulfils}],
                           book.documents) for name, events in _BASIS.items()}


def context(r: Reader, kind: str, ident: int, as_of: datetime) -> dict[str, Any]:
    spec = KINDS[kind]
    from sopcli.registry_settings import municipality_genitive

    # every template's «Комиссия … {{ commission }}», «на территорию {{ commission }}» wants the genitive
    commission = municipality_genitive(r.settings)[0]
    ctx: dict[str, Any] = {"commission": commission, "municipality": r.settings["municipality"],
                           "today": _d(as_of.astimezone(r.tz).date()),
                           "sign": signing(r), "basis": basis(r, kind)}
    if spec.of == "signal":
        ctx.update(_arrival(r, ident, as_of))
        return ctx
    doc = reads.case_doc(r, ident, as_of)
    ctx.update(_case(r, kind, doc))
    if kind in _CASE_EXTRAS:
        ctx.update(_CASE_EXTRAS[kind](r, ident, doc, as_of))
    return ctx


def open_to_fulfil(r: Reader, kind: str, ident: int) -> list[int]:
    """The open obligations a sent document of `kind` fulfils; refused when there is none."""
    from sopcli.deadlines.rulebook import rulebook_with

    spec = KINDS[kind]
    if not spec.sent:
        raise InvalidInput(f"«{kind}» — проект постановления: его не отправляют, --sent не нужен.")
    rules = rulebook_with(r.settings.get("rulebook", "")).fulfilled_by(spec.sent)
    where = "signal_id = ?" if spec.of == "signal" else "case_id = ?"
    rows = r.rows(f"SELECT id FROM obligation WHERE status = 'open' AND {where} AND rule IN "
                  f"({reads.placeholders(rules)}) ORDER BY id", [ident, *rules]) if rules else []
    if not rows:
        raise StepNotAllowed(f"Открытого срока {' / '.join(rules) or spec.title} для №{ident} нет: отметить нечего.")
    return [row["id"] for row in rows]


def document_target(output: Path) -> Path:
    """The absolute target, refused in Russian before anything is written."""
    from sopcli.files import output_target

    return output_target(output, ".docx", "документа")


def fill(kind: str, ctx: dict[str, Any]) -> Any:
    """The template rendered in memory (a DocxTemplate to `.save`); a broken template is refused."""
    return fill_template(KINDS[kind].template, ctx)


def fill_template(name: str, ctx: dict[str, Any]) -> Any:
    """`fill` by the template's file name (the reminder letters are no `doc` kind)."""
    from docxtpl import DocxTemplate

    source = template_path(name)
    if not source.is_file():
        raise NotFound(f"Шаблон {source.name} не найден.")
    from zipfile import BadZipFile

    from docx.opc.exceptions import PackageNotFoundError
    from jinja2 import TemplateError

    tpl = DocxTemplate(str(source))
    try:
        tpl.render(ctx, autoescape=True)
    except (TemplateError, BadZipFile, KeyError, ValueError, PackageNotFoundError) as err:  # a broken template
        # the type and line only: the message of an error inside a tag may quote a value of the context
        line = f", строка {err.lineno}" if getattr(err, "lineno", None) else ""
        raise InvalidInput(f"Шаблон {source} не читается: {type(err).__name__}{line}.") from None
    a4(tpl.docx)
    return tpl


def a4(document: Any) -> None:
    """Every section on A4 and its pages numbered, whatever the template says.

    A user's own copy of a template may come from a Letter-sized Word default:
    printed on A4 its text would run off the bottom. Only the paper changes: the
    user's margins and orientation stay.
    """
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    for i, section in enumerate(document.sections):
        wide = section.orientation == WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = (Cm(29.7), Cm(21)) if wide else (Cm(21), Cm(29.7))
        footer = section.footer  # a later section's footer linked to the previous one shows that one's number
        if (i == 0 or not footer.is_linked_to_previous) and "PAGE" not in footer._element.xml:
            _page_number(footer)


def _page_number(footer: Any) -> None:
    """A centred PAGE field at the foot of the page (filled in by Word and LibreOffice)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    par = footer.add_paragraph()
    par.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run, text = OxmlElement("w:r"), OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    par._p.append(field)


def render(kind: str, ctx: dict[str, Any], output: Path) -> Path:
    """Render to a temporary file beside the target, 0600, renamed when complete (files.atomic_private)."""
    from sopcli.files import atomic_private

    target = document_target(output)
    tpl = fill(kind, ctx)
    with atomic_private(target) as tmp:
        tpl.save(tmp)
    return target
