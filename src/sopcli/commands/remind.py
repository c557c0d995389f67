"""`sopcli remind --who AGENCY | --all -o FILE|FOLDER [--sent DATE]`: reminder letters to the agencies.

Without `-o` the letter's rows are shown on the screen: the secretary sees what
the agency will read before anything is printed or recorded. `--sent` records
the letters as sent: with `-o` together with writing them, without `-o` only the
marks (the office has numbered the letters written earlier by then).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from sopcli.commands._common import as_of as parse_as_of
from sopcli.commands._common import reading, registry
from sopcli.commands._options import AsOfOpt, JsonOpt, KnownNowOpt, output_option, who_option
from sopcli.render.output import emit_json


def remind(
    who: Annotated[Optional[str], who_option("Орган: название, сокращение или код вида.")] = None,
    every: Annotated[bool, typer.Option(
        "--all", help="Письмо каждому органу, у которого есть просроченное или срок в ближайшие --within дней.")]
    = False,
    within: Annotated[int, typer.Option("--within", help="Предстоящие сроки на N дней вперёд.")] = 7,
    as_of: AsOfOpt = None,
    known_now: KnownNowOpt = False,
    output: Annotated[Optional[Path], output_option(
        "Файл .docx (--who) или папка (--all); без него письмо показывается на экране.")]
    = None,
    sent: Annotated[Optional[str], typer.Option(
        "--sent", help="Письма отправлены этой датой: отметить напоминание в истории дел.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Письма-напоминания органам о просроченных и наступающих сроках (шаблон Word reminder.docx)."""
    from sopcli.errors import InvalidInput
    from sopcli.services.papers import reminders

    if (who is None) == (not every):
        raise InvalidInput("Укажите либо орган (--who ОРГАН), либо --all: кому писать напоминание.")
    reminders.check_within(within)
    if output is None and sent is None:
        _preview(who, within, as_of, known_now, as_json)
        return
    # `--sent` without -o: only the marks, for letters already written (and numbered by the office since)
    target = None
    if output is not None and every:
        target = reminders.folder_target(output)
    elif output is not None:
        from sopcli.services.papers.documents import document_target

        target = document_target(output)
    result = write_letters(who, target, within, as_of, known_now, sent)
    if as_json:
        emit_json(result)
        return
    _say(result)


@contextmanager
def _source(sent: str | None) -> Iterator[tuple[Any, Any]]:
    """The snapshot to read; with `--sent` the write transaction (reader, (reg, session, day)) the marks go into."""
    if sent is None:
        with reading() as r:
            yield r, None
        return
    from sopcli.commands._common import day, now
    from sopcli.errors import InvalidInput
    from sopcli.services.reading.db import reader_on

    # no period terms opened on the way in: the marked letter must be the one the preview and the office saw
    with registry("remind", standing=False) as (reg, session):
        when = day(sent, "дата отправки")
        if when > now().astimezone(reg.tz).date():
            raise InvalidInput("Дата отправки в будущем.")
        yield reader_on(session), (reg, session, when)


def write_letters(who: str | None, target: Path | None, within: int, as_of: str | None, known_now: bool,
                  sent: str | None) -> dict[str, Any]:
    """Every letter rendered into its own temporary file and all renamed into place together, before the
    marks of `--sent` are committed: a failure anywhere (a letter, a rename, the commit) leaves no letter of
    this run and no mark, and a letter of the same name written before is put back. (The screen's «п» writes
    through here too.)"""
    from sopcli.files import atomic_batch, name_limit
    from sopcli.services.papers import documents, reminders

    written = []
    with atomic_batch() as batch, _source(sent) as (r, marking):
        at = parse_as_of(as_of, r.tz)
        letters, skipped = reminders.letters(r, who, at, within, known_now)
        letters = [x for x in letters if x.rows]
        day = at.astimezone(r.tz).date()
        if marking and marking[2] < day:
            from sopcli.errors import InvalidInput

            raise InvalidInput(f"Дата отправки {marking[2]:%d.%m.%Y} раньше даты писем {day:%d.%m.%Y}: письмо не "
                               "отправить до того, как оно написано (письма прошлых дней — с --as-of их даты).")
        paths = _paths(letters, who, target, day, name_limit)
        for letter, path in zip(letters, paths, strict=True):
            if path is not None:
                ctx = reminders.context(r, letter, at, within)
                documents.fill_template(reminders.TEMPLATE, ctx).save(batch.file(path))
            marked = reminders.record_sent(marking[1], marking[0], letter, marking[2]) if marking else None
            written.append({"agency": letter.agency.name, "agency_id": letter.agency.id,
                            "file": str(path) if path else None, "overdue": len(letter.late), "soon": len(letter.soon),
                            "obligations": [x.id for x in letter.rows], "marked": marked})
        batch.commit()  # in place before the marks are committed; a failed commit takes them back
    return {"as_of": at.astimezone(r.tz), "within": within, "sent": marking[2] if marking else None,
            "letters": written, "agency": who,
            "skipped": [{"who": s.who, "count": s.count, "reason": s.reason} for s in skipped]}


def _paths(letters: list, who: str | None, target: Path | None, day: Any, limit: Any) -> list[Path | None]:
    """Where each letter goes: nowhere (marks only), the file of `--who -o`, or its own name in the folder."""
    from sopcli.services.papers import reminders

    if target is None:
        return [None] * len(letters)
    if who is not None:
        return [target] * len(letters)
    return [target / name for name in reminders.file_names(letters, day, limit(target))]


def _say(result: dict[str, Any]) -> None:
    for line in said(result):
        typer.echo(line)


def said(result: dict[str, Any]) -> list[str]:
    """What `write_letters` did, in the lines the command prints (and the screen shows)."""
    from sopcli.services.papers.reminders import SKIP_REASONS

    out = []
    if not result["letters"]:
        out.append(f"Напоминать не о чем: просроченных сроков и сроков в ближайшие {result['within']} дн. нет.")
    for x in result["letters"]:
        where = f" → {x['file']}" if x["file"] else ""
        out.append(f"Напоминание: {x['agency']} — просрочено {x['overdue']}, скоро {x['soon']}{where}")
        if x["marked"]:
            cases = ", ".join(f"№ {c}" for c in x["marked"]["cases"]) or "—"
            out.append(f"  отмечено {result['sent']:%d.%m.%Y}: дела {cases}; "
                       f"сигналов {len(x['marked']['signals'])}")
    for s in result["skipped"]:
        out.append(f"Без письма: {s['who']} ({s['count']}) — {SKIP_REASONS[s['reason']]}")
    return out


def _preview(who: str | None, within: int, as_of: str | None, known_now: bool, as_json: bool) -> None:
    """The rows each letter would carry, on the screen: nothing written, nothing recorded."""
    from sopcli.services.papers import reminders

    with reading() as r:
        at = parse_as_of(as_of, r.tz)
        letters, skipped = reminders.letters(r, who, at, within, known_now)
    if as_json:
        emit_json({"as_of": at.astimezone(r.tz), "within": within, "letters": [
            {"agency": x.agency.name, "agency_id": x.agency.id, "overdue": [o.json() for o in x.late],
             "soon": [o.json() for o in x.soon]} for x in letters],
            "skipped": [{"who": s.who, "count": s.count, "reason": s.reason} for s in skipped]})
        return
    typer.echo(_preview_text(letters, skipped, at.astimezone(r.tz), within))


def _preview_text(letters: list, skipped: list, at: datetime, within: int) -> str:
    from sopcli.services.papers.reminders import SKIP_REASONS

    out = []
    for x in letters:
        out.append(f"Напоминание: {x.agency.name} на {at:%d.%m.%Y} — просрочено {len(x.late)}, "
                   f"в ближайшие {within} дн. {len(x.soon)}")
        for title, rows in (("ПРОСРОЧЕНО", x.late), ("СКОРО", x.soon)):
            if rows:
                out.append(f"  {title}")
            for o in rows:
                late = "" if o.days is None else f" (просрочено на {o.days or 'менее 1'} раб. дн.)"
                child = f", {o.child}" if o.child else ""
                out.append(f"    [{o.id}] {o.due}{late}  {o.where}{child}: {o.title} ({o.source})")
    for s in skipped:
        out.append(f"Без письма: {s.who} ({s.count}) — {SKIP_REASONS[s.reason]}")
    return "\n".join(out) or "Напоминать не о чем."
