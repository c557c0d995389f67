"""A case's screen: its card, its history, its terms, its programme and its papers, and the steps on it.

Why every line and every step is the command's own: the card is `case show`'s lines, the history `case history`'s,
the programme `plan show`'s; a report, a control and a closure go through `record_report`, `record_control`
and `record_close`, the very functions `sopcli report`, `control` and `close` call after asking, in the same
transaction, audited under the same command name, refused in the same words; a paper is written by the
builders `sopcli export` and `sopcli doc` write with. The screen adds only where to type.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static, TabbedContent, TabPane
from textual.worker import Worker, WorkerState

from sopcli.screen import widgets
from sopcli.screen.widgets import AskedMany, Field, twin

#: the tabs, in order: their keys are 1–5
TABS = (("card", "Карточка"), ("history", "Ход работы"), ("terms", "Сроки"), ("plan", "Программа"),
        ("papers", "Документы"))
#: the per-case forms of 004 (App. 2–5), as `sopcli export KIND --case ID` writes them: the kind, its line on the
#: tab and its file's name after «дело-N-» (Russian, as everything the secretary reads)
FORMS = (("conclusion", "Прил. 2 — заключение проверки", "прил2-заключение"),
         ("card", "Прил. 3 — карточка", "прил3-карточка"),
         ("program", "Прил. 4 — индивидуальная программа", "прил4-программа"),
         ("proposals", "Прил. 5 — предложения органов", "прил5-предложения"))


@dataclass
class CaseView:
    """What the case's screen shows, read at once in a worker thread."""

    case_id: int
    doc: dict[str, Any]
    card: list[str]
    history: list[str]
    terms: list[str]
    plan: list[str]
    measures: list[dict[str, Any]]
    today: date


def read_case(case_id: int) -> CaseView:
    """The case as `case show`, `case history` and `plan show` read it, now."""
    from sopcli.commands.case import card_lines, history_lines
    from sopcli.commands.plan import plan_lines
    from sopcli.screen.cards import card_doc
    from sopcli.services.reading.history import history
    from sopcli.services.reading.reads import plan_doc
    from sopcli.services.unit_of_work import now, reading

    with reading() as r:
        at = now().astimezone(r.tz)
        doc = card_doc(r, case_id)
        past = history(r, case_id, None, False)
        plan = plan_doc(r, case_id, None, at)
    return CaseView(case_id, doc, card_lines(doc), history_lines(past), term_lines(doc["obligations"]),
                    plan_lines(plan) + report_lines(plan), plan["measures"], at.date())


def term_lines(obligations: list[dict[str, Any]]) -> list[str]:
    """The case's terms by state, the overdue first: what `case show --json` lists, in words."""
    from sopcli.render.output import settled

    groups = (("Просрочены", lambda o: o["status"] == "open" and o["overdue"]),
              ("Открыты", lambda o: o["status"] == "open" and not o["overdue"]),
              ("Исполнены", lambda o: o["status"] == "fulfilled"), ("Отменены", lambda o: o["status"] == "cancelled"))
    out: list[str] = []
    for head, fits in groups:
        rows = [o for o in obligations if fits(o)]
        if rows:
            out.append(f"{head} ({len(rows)}):")
            out += [f"  [{o['id']}] {o['due']:%d.%m.%Y}  {o['title']} — {o['who']}"
                    + ("" if o["status"] == "open" else f"; {settled(o)}") for o in rows]
    return out or ["Сроков по делу нет."]


def report_lines(plan: dict[str, Any]) -> list[str]:
    """The reports on the programme's measures and the curator's summaries, by date."""
    from sopcli.vocab import REPORT_STATUSES

    rows = [(rep["reported_on"], f"мероприятие {m['seq']} [id {m['id']}]: "
             f"{REPORT_STATUSES.get(rep['status'], rep['status'])}", rep["text"])
            for m in plan["measures"] for rep in m["reports"]]
    rows += [(s["reported_on"], "сводная информация куратора", s["text"]) for s in plan.get("summaries", [])]
    if not rows:
        return []
    return ["Отчёты:"] + [f"  {on:%d.%m.%Y}  {what}" + (f" — {text}" if text else "")
                          for on, what, text in sorted(rows, key=lambda x: x[0])]


def papers() -> list[tuple[str, str, str]]:
    """The papers of a case, numbered on the tab: App. 2–5 (.xlsx), then `sopcli doc`'s kinds of a case (.docx);
    each its kind, its line and its file's name."""
    from sopcli.services.papers.documents import KINDS
    from sopcli.vocab import DOC_LABELS

    return [*FORMS, *((k, DOC_LABELS[k][:1].upper() + DOC_LABELS[k][1:], DOC_LABELS[k].replace(" ", "-"))
                      for k, v in KINDS.items() if v.of == "case")]


def paper_lines(written: list[str]) -> list[str]:
    out = [f"{n}. {label}" for n, (_code, label, _name) in enumerate(papers(), 1)]
    out += ["", "«д» — записать в папку: номера через запятую или «все»."]
    return out + (["", *written] if written else [])


def write_paper(code: str, case_id: int, target: Path) -> Path:
    """One paper to `target`, by the builder its command writes with: App. 2–5 as `export KIND --case`,
    the letters and drafts as `doc KIND ID` without --sent (a draft: no term is fulfilled, nothing recorded)."""
    from sopcli.services.unit_of_work import now, reading

    if code in (f[0] for f in FORMS):
        from sopcli.render.xlsx import write_forms
        from sopcli.services.papers import export_kinds

        export_kinds.refuse_unfit(code, output=target, quarter=None, year=None, whole=False, case_id=case_id,
                                  signal_id=None, anonymize=False, window=False)
        with reading() as r:
            at = now()
            start, end = export_kinds.period(code, at.astimezone(r.tz).date(), None, None, False)
            built = export_kinds.build(r, export_kinds.ExportRequest(code, start, end, at, case_id=case_id))
            write_forms(target, built)
        return target.absolute()
    from sopcli.services.papers import documents

    target = documents.document_target(target)
    with reading() as r:
        ctx = documents.context(r, code, case_id, now())
    return documents.render(code, ctx, target)


def write_papers(case_id: int, typed: dict[str, str]) -> list[str]:
    """The papers asked for («3», «1, 4», «все»), each written or refused in its command's words; refused
    altogether (the dialog stays) when none could be written."""
    from sopcli.commands._common import required
    from sopcli.errors import DomainError, InvalidInput
    from sopcli.files import writable_folder

    listed = papers()
    which = required(typed["which"].strip(), "Номера документов", "номер")
    folder = writable_folder(Path(typed["folder"].strip() or ".").expanduser(), "документа")
    chosen = range(1, len(listed) + 1) if which.lower() == "все" else _numbers(which, len(listed))
    out, refused = [], []
    for n in chosen:
        code, label, name = listed[n - 1]
        suffix = ".xlsx" if code in (f[0] for f in FORMS) else ".docx"
        try:
            out.append(f"Записан: {write_paper(code, case_id, folder / f'дело-{case_id}-{name}{suffix}')}")
        except DomainError as err:  # one refusal a paper, the others still written
            refused.append(f"{label}: {err}")
    if not out:
        raise InvalidInput(refused[0])
    return out + [f"Не записан — {x}" for x in refused]


def _numbers(typed: str, most: int) -> list[int]:
    from sopcli.errors import InvalidInput

    parts = [p.strip() for p in typed.replace(";", ",").split(",") if p.strip()]
    if not parts or not all(p.isdigit() and 1 <= int(p) <= most for p in parts):
        raise InvalidInput(f"Номера документов — от 1 до {most} через запятую или «все».")
    return list(dict.fromkeys(int(p) for p in parts))


def check_words(view: CaseView) -> str:
    """`sopcli check` is a signal's step before any case: said in words when none of the case's signals waits."""
    waiting = [s for s in (view.doc["signal"], *view.doc["attached"]) if s["status"] == "registered"]
    if waiting:
        return (f"Сигнал № {waiting[0]['number']} не проверен: проверка — в журнале сигналов "
                "(sopcli check).")
    return (f"Проверка не нужна: сигнал № {view.doc['signal']['number']} этого дела уже проверен (проверка "
            "проводится один раз), присоединённые к делу сигналы отдельно не проверяются.")


def recognize_words(view: CaseView) -> str:
    """`sopcli recognize` opens a case from a checked signal: on an open case it is already done."""
    doc = view.doc
    return (f"Признание уже записано: дело № {doc['id']} открыто постановлением № {doc['resolution']} от "
            f"{doc['recognized_on']:%d.%m.%Y}; признание — шаг сигнала с итогом проверки «СОП» (sopcli recognize).")


def _said(doc: dict[str, Any], line: str) -> str:
    from sopcli.commands._common import step_lines

    return "\n".join(step_lines(doc, line))


def report_typed(case_id: int, typed: dict[str, str]) -> str:
    """`sopcli report CASE [MEASURE] --date … --status … --text … --done-on …`, the fields asked as it asks."""
    from sopcli.commands._common import required
    from sopcli.commands.work import record_report
    from sopcli.errors import InvalidInput
    from sopcli.vocab import REPORT_STATUSES

    measure = typed["measure"].strip()
    if measure and not measure.isdigit():
        raise InvalidInput(f"Мероприятие — число, его id (вкладка «Программа»), а указано: «{measure[:20]}».")
    date_ = required(typed["date"].strip(), "Дата отчёта (ДД.ММ.ГГГГ)", "--date")
    text, status = typed["text"].strip(), typed["status"].strip()
    if not measure:
        required(text, "Сводная информация куратора", "--text")
    else:
        required(status, "Итог (" + "/".join(REPORT_STATUSES.values()) + ")", "--status")
    doc, line = record_report(case_id, int(measure) if measure else None, date_, status, text,
                              typed["done_on"].strip() or None)
    return _said(doc, line)


def control_typed(case_id: int, typed: dict[str, str]) -> str:
    """`sopcli control CASE --date … --decision … [--note --reasons --proposals]`."""
    from sopcli.commands._common import required
    from sopcli.commands.work import record_control

    date_ = required(typed["date"].strip(), "Дата контроля (ДД.ММ.ГГГГ)", "--date")
    decision = required(typed["decision"].strip(), "Решение (продолжить/скорректировать/прекратить)", "--decision")
    doc, line = record_control(case_id, date_, decision, typed["note"].strip(), typed["reasons"].strip(),
                               typed["proposals"].strip())
    return _said(doc, line)


def close_typed(case_id: int, typed: dict[str, str]) -> str:
    """`sopcli close CASE --date … --resolution … --ground … [--outcome … --result … --note …]`; the results
    typed through commas, each a word or its beginning, as `--result` takes one."""
    from sopcli.commands._common import required
    from sopcli.commands.steps import record_close

    date_ = required(typed["date"].strip(), "Дата постановления (ДД.ММ.ГГГГ)", "--date")
    resolution = required(typed["resolution"].strip(), "Номер постановления", "--resolution")
    ground = required(typed["ground"].strip(), "Основание прекращения", "--ground")
    results = tuple(x.strip() for x in typed["result"].split(",") if x.strip())
    doc, line = record_close(case_id, date_, resolution, ground, typed["note"].strip(), typed["outcome"].strip(),
                             results)
    return _said(doc, line)


class CaseScreen(Screen[bool]):
    """One case: five tabs (1–5) and the steps on it by key, each asked in one dialog; left with whether a step
    was recorded (the morning then reads its digest again)."""

    DEFAULT_CSS = """
    CaseScreen #tabs { height: 1fr; }
    CaseScreen #tabs ContentSwitcher { height: 1fr; }
    CaseScreen TabPane { height: 1fr; padding: 0 1; }
    CaseScreen #said { max-height: 8; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Назад", key_display="Esc"),
        # each Russian key with its Latin-layout twin: the same key, whichever layout is on
        *twin("о", "j", "report", "Отчёт"), *twin("к", "r", "control", "Контроль"),
        *twin("з", "p", "close", "Закрыть"), *twin("д", "l", "papers", "Бумаги"), widgets.KEYS,
        # not a case's steps (they say why): listed by F1, no room taken in the footer
        Binding("п", "check", "Проверка", show=False), Binding("g", "check", show=False),
        Binding("с", "recognize", "Признание", show=False), Binding("c", "recognize", show=False),
        *(Binding(str(n), f"tab('{tab}')", show=False) for n, (tab, _title) in enumerate(TABS, 1)),
    ]

    def __init__(self, case_id: int) -> None:
        super().__init__()
        self.case_id = case_id
        self.view: CaseView | None = None
        self.written: list[str] = []
        self.changed = False

    def compose(self) -> ComposeResult:
        yield Static(f"Дело № {self.case_id}: читаю…", id="heading", markup=False)
        with TabbedContent(id="tabs"):
            for n, (tab, title) in enumerate(TABS, 1):
                with TabPane(f"{n} {title}", id=tab), VerticalScroll():
                    yield Static("", id=f"{tab}-text", markup=False)
        yield Static("", id="said", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Read the case again in a thread: after each step the screen shows what was written."""
        case_id = self.case_id
        self.run_worker(lambda: read_case(case_id), thread=True, exclusive=True, group="case")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.SUCCESS and isinstance(event.worker.result, CaseView):
            self.fill(event.worker.result)
        elif event.state is WorkerState.ERROR:  # a case not in the registry, a server gone: the command's words
            self.query_one("#heading", Static).update(f"Ошибка: {event.worker.error}")

    def fill(self, view: CaseView) -> None:
        self.view = view
        self.query_one("#heading", Static).update(view.card[0])
        for tab, lines in (("card", view.card[1:]), ("history", view.history), ("terms", view.terms),
                           ("plan", view.plan), ("papers", paper_lines(self.written))):
            self.query_one(f"#{tab}-text", Static).update("\n".join(lines))

    def action_back(self) -> None:
        self.dismiss(self.changed)

    def action_tab(self, tab: str) -> None:
        self.query_one("#tabs", TabbedContent).active = tab

    def action_check(self) -> None:
        if self.view is not None:
            self.say(check_words(self.view))

    def action_recognize(self) -> None:
        if self.view is not None:
            self.say(recognize_words(self.view))

    def action_report(self) -> None:
        if self.view is None:
            return
        planned = [m for m in self.view.measures if m["status"] == "planned"]
        self.ask([f"Отчёт по делу № {self.case_id} (sopcli report). Мероприятие — его id на вкладке «Программа»; "
                  "пусто — сводная информация куратора.", "Итог: выполнено, выполнено частично, не выполнено."],
                 [Field("measure", "Мероприятие (id)", str(planned[0]["id"]) if planned else ""),
                  Field("date", "Дата отчёта", self.today()), Field("status", "Итог", "выполнено"),
                  Field("text", "Текст отчёта"), Field("done_on", "Дата исполнения")], report_typed)

    def action_control(self) -> None:
        self.ask([f"Контроль исполнения программы по делу № {self.case_id} (sopcli control).",
                  "Решение: продолжить, скорректировать, прекратить (внести предложение о прекращении)."],
                 [Field("date", "Дата контроля", self.today()), Field("decision", "Решение", "продолжить"),
                  Field("note", "Примечание"), Field("reasons", "Причины неисполнения"),
                  Field("proposals", "Предложения")], control_typed)

    def action_close(self) -> None:
        from sopcli.vocab import GROUND_LABELS, GROUNDS, OUTCOMES_APP4

        if self.view is None:
            return
        grounds = ", ".join(GROUND_LABELS[g] for g in GROUNDS.get(self.view.doc["subject"], ()))
        self.ask([f"Прекращение работы по делу № {self.case_id} (sopcli close); слова можно начальными.",
                  f"Основание: {grounds}.", "Оценка (прил. 4): " + ", ".join(OUTCOMES_APP4.values()) + ".",
                  "Итоги (прил. 4) — через запятую."],
                 [Field("date", "Дата постановления", self.today()), Field("resolution", "Номер постановления"),
                  Field("ground", "Основание"), Field("outcome", "Оценка программы"), Field("result", "Итоги"),
                  Field("note", "Примечание")], close_typed)

    def action_papers(self) -> None:
        self.action_tab("papers")
        self.app.push_screen(AskedMany(
            [f"Документы по делу № {self.case_id}: номера с вкладки «Документы» через запятую или «все»; "
             "папка — куда записать (пусто — текущая)."],
            [Field("which", "Номера"), Field("folder", "Папка", str(Path.cwd()))],
            lambda typed: write_papers(self.case_id, typed)), self.after_papers)

    def after_papers(self, written: list[str] | None) -> None:
        if written:
            self.written = written
            self.say("\n".join(written))
            self.reload()

    def ask(self, lines: list[str], fields: list[Field], step: Any) -> None:
        case_id = self.case_id
        self.app.push_screen(AskedMany(lines, fields, lambda typed: step(case_id, typed)), self.after_step)

    def after_step(self, said: str | None) -> None:
        if said:
            self.changed = True
            self.say(said)
            self.reload()

    def today(self) -> str:
        return f"{self.view.today:%d.%m.%Y}" if self.view is not None else f"{date.today():%d.%m.%Y}"

    def say(self, text: str) -> None:
        self.query_one("#said", Static).update(text)
