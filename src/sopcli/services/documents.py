"""Documents from Word templates (docxtpl): letters, requests, notices and resolution drafts.

The context is built from the read snapshot; rendering writes nothing to the
registry. Only `--sent DATE` — the user's word that the letter went out —
fulfils the matching obligation, in its own write transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sopcli.errors import InvalidInput, NotFound, StepNotAllowed
from sopcli.services import reads
from sopcli.services.reads import Reader
from sopcli.vocab import GROUND_LABELS, LEVELS, OUTCOMES_APP4


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
_LEVELS_RU = dict(zip(LEVELS, ("низкий", "средний", "высокий", "критический"), strict=True))


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


def context(r: Reader, kind: str, ident: int, as_of: datetime) -> dict[str, Any]:
    spec = KINDS[kind]
    commission = r.settings["municipality"]
    ctx: dict[str, Any] = {"commission": commission, "today": _d(as_of.astimezone(r.tz).date())}
    if spec.of == "signal":
        sig = reads.signal_doc(r, ident, as_of)
        if not sig["source"].startswith("прибытие из: "):
            raise StepNotAllowed(f"Сигнал №{ident} — не прибытие из другого муниципалитета (sopcli transfer in).")
        ctx.update(signal={"number": sig["number"], "received": _d(sig["received_at"].date()),
                           "source": sig["source"]},
                   previous_place=sig["source"].removeprefix("прибытие из: "), persons=_people(sig["persons"]),
                   address=sig["address"])
        return ctx
    doc = reads.case_doc(r, ident, as_of)
    sig = doc["signal"]
    family = doc["subject"] == "family"
    ctx.update(
        case={"id": doc["id"], "recognized_on": _d(doc["recognized_on"]), "resolution": doc["resolution"],
              "curator": doc["curator"], "closed_on": _d(doc["closed_on"]),
              "close_resolution": doc["close_resolution"] or "",
              "close_ground": GROUND_LABELS.get(doc["close_ground"] or "", ""),
              "outcome": OUTCOMES_APP4.get(doc["outcome"] or "", ""),
              "subject_genitive": "семьи и несовершеннолетнего" if family else "несовершеннолетнего",
              "subject_accusative": "семью и несовершеннолетних" if family else "несовершеннолетнего"},
        persons=_people([p for p in sig["persons"] if p["role"] == "child"]),
        parents=_people([p for p in sig["persons"] if p["role"] == "parent"]),
        address=sig["address"],
        check={"concluded_on": _d(sig["check"]["concluded_on"]),
               "level": _LEVELS_RU.get(sig["check"]["level"], "")} if sig["check"] else {},
    )
    if kind == "program-letter":
        plan = reads.plan_doc(r, ident, None, as_of)
        if plan["version"] is None or plan["status"] != "approved":
            raise StepNotAllowed(f"По делу №{ident} нет утверждённой программы (sopcli plan approve).")
        ctx["plan"] = {"version": plan["version"], "approved_on": _d(plan["approved_on"]),
                       "resolution": plan["resolution"],
                       "executors": ", ".join(dict.fromkeys(m["executor"] for m in plan["measures"])),
                       "measures": [{"seq": m["seq"], "title": m["title"], "executor": m["executor"],
                                     "due": _d(m["due"]) or m["due_text"]} for m in plan["measures"]]}
    if kind == "move-info":
        move = next((e for e in doc["events"] if e["kind"] == "move-out"), None)
        if move is None:
            raise StepNotAllowed(f"По делу №{ident} переезд не отмечен (sopcli transfer out).")
        ctx["move"] = {"place": move["place"], "day": _d(move["day"]), "documents": move["note"]}
    if kind == "closure-notice" and doc["status"] != "closed":
        raise StepNotAllowed(f"Дело №{ident} не закрыто: уведомлять о прекращении рано.")
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
    target = output.expanduser().absolute()
    if target.suffix.lower() != ".docx":
        raise InvalidInput(f"Файл документа должен оканчиваться на .docx: {target.name}")
    if not target.parent.is_dir():
        raise InvalidInput(f"Папки для документа нет: {target.parent}")
    return target


def fill(kind: str, ctx: dict[str, Any]) -> Any:
    """The template rendered in memory (a DocxTemplate to `.save`); a broken template is refused."""
    from docxtpl import DocxTemplate

    source = template_path(KINDS[kind].template)
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
    return tpl


def render(kind: str, ctx: dict[str, Any], output: Path) -> Path:
    """Render to a temporary file beside the target, 0600, renamed when complete (files.atomic_private)."""
    from sopcli.files import atomic_private

    target = document_target(output)
    tpl = fill(kind, ctx)
    with atomic_private(target) as tmp:
        tpl.save(tmp)
    return target
