"""Reminder letters from the morning («п»): `sopcli remind --who ОРГАН | --all -o ПАПКА [--sent ДАТА]`, asked.

Why three questions, one at a time: each is refused in the command's own words where it is typed (an agency the
directory does not know, a folder that is not there), before the next is asked; the last one writes, through the
command's own `write_letters` — the same letters, file names, transaction and, with a date sent, the same marks
in the cases' histories and the same audit entries under «remind». Without a date nothing is recorded, as the
command records nothing for `-o` alone.

The folder offered is the working folder the app was started in: `remind` has no folder of its own and writes
where `-o` says, a relative path from there. One agency's letter gets the name `--all` would give it in that
folder («Напоминание — … — ДАТА.docx»), so the two ways of asking leave the same file.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from textual.app import App

from sopcli.screen.cards import Card
from sopcli.screen.morning import WITHIN
from sopcli.screen.widgets import Asked


def agency_typed(typed: str) -> str | None:
    """Empty: every agency with something due (`--all`); else the words, if they name one agency as `--who`
    reads them (refused otherwise, with the command's candidates)."""
    from sopcli.services.papers import reminders
    from sopcli.services.unit_of_work import reading

    who = " ".join(typed.split())
    if not who:
        return None
    with reading() as r:
        reminders.agency_of(r, who)
    return who


def folder_typed(typed: str) -> Path:
    """The folder the letters go into: it must exist and take files (`remind --all -o` refuses the same)."""
    from sopcli.services.papers import reminders

    return reminders.folder_target(Path(typed.strip() or "."))


def letter_file(who: str, folder: Path, as_of: datetime | None) -> Path:
    """One agency's letter in `folder`, named as `--all` names it for the letters' day."""
    from sopcli.files import name_limit
    from sopcli.services.papers import reminders
    from sopcli.services.papers.documents import document_target
    from sopcli.services.unit_of_work import now, reading

    with reading() as r:
        agency = reminders.agency_of(r, who)
        day = (as_of or now()).astimezone(r.tz).date()
    return document_target(folder / reminders.file_name(agency, day, name_limit(folder)))


def write(who: str | None, folder: Path, sent: str, as_of: datetime | None, known_now: bool) -> list[str]:
    """`remind` with `-o` (and `--sent` unless empty), at the morning's moment and reading; its printed lines."""
    from sopcli.commands.remind import said, write_letters

    target = folder if who is None else letter_file(who, folder, as_of)
    moment = f"{as_of:%d.%m.%Y %H:%M}" if as_of is not None else None
    return said(write_letters(who, target, WITHIN, moment, known_now, sent.strip() or None))


class Letters:
    """The three questions in turn (Esc at any of them leaves, nothing written), then the lines written."""

    def __init__(self, app: App[None], as_of: datetime | None, known_now: bool) -> None:
        self.app, self.as_of, self.known_now = app, as_of, known_now
        self.who: str | None = None

    def ask(self) -> None:
        self.app.push_screen(Asked(["Письма-напоминания органам о просроченных и наступающих сроках.",
                                    "Орган (название, сокращение или код вида); пусто — всем органам",
                                    "со сроками. Enter — дальше, Esc — отмена:"],
                                   "", "whom", lambda typed: (agency_typed(typed),)), self.whom)

    def whom(self, chosen: tuple[str | None] | None) -> None:
        if chosen is None:
            return
        self.who = chosen[0]
        self.app.push_screen(Asked([f"Кому: {self.who or 'всем органам со сроками'}.",
                                    "Папка для писем. Enter — дальше, Esc — отмена:"],
                                   str(Path.cwd()), "folder", folder_typed), self.where)

    def where(self, folder: Path | None) -> None:
        if folder is None:
            return
        who, as_of, known_now = self.who, self.as_of, self.known_now
        self.app.push_screen(Asked([f"Папка: {folder}",
                                    "Дата отправки (ДД.ММ.ГГГГ): отметить напоминание в историях дел;",
                                    "пусто — не отмечать. Enter — записать письма, Esc — отмена:"],
                                   "", "sent", lambda typed: write(who, folder, typed, as_of, known_now)),
                             self.written)

    def written(self, lines: list[str] | None) -> None:
        if lines is not None:
            self.app.push_screen(Card(["Письма-напоминания", "", *lines]))
