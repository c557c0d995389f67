"""What every registry command shares: the open registry, now, prompts, rendering."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

import typer

from sopcli.errors import InvalidInput

# The unit of work lives with the services (they open it too: the calendar settings, the agency completion);
# the commands keep these names.
from sopcli.services.unit_of_work import OWNER_COMMANDS, now, reading, registry, registry_exists, state  # noqa: F401


def as_of(value: str | None, tz: Any) -> datetime:
    """`--as-of`: now by default; a date means the start of that day in the registry's zone."""
    return now() if value is None else moment(value, tz, "момент --as-of")


def moment(value: str, tz: Any, what: str) -> datetime:
    """A typed moment; a bare date is the start of that day in the registry's zone."""
    from sopcli.deadlines.dates import parse_moment

    m = parse_moment(value, tz, what)
    return m if isinstance(m, datetime) else datetime.combine(m, datetime.min.time(), tzinfo=tz)


def day(value: str, what: str) -> date:
    from sopcli.deadlines.dates import parse_date

    return parse_date(value, what)


def ask(value: Any, prompt: str, option: str) -> Any:
    """A missing value: ask a person at a terminal, refuse under cron (never a prompt there)."""
    if value not in (None, "", []):
        return value
    if sys.stdin.isatty() and sys.stdout.isatty():
        from sopcli.cli import CELL_LIMIT

        answer = typer.prompt(prompt)
        if len(answer) > CELL_LIMIT:  # the same limit as a typed argument (cli._refused_argument)
            raise InvalidInput(f"Слишком длинно: {prompt} — не более {CELL_LIMIT:,} знаков.".replace(",", " "))
        return answer
    return required(value, prompt, option)


def required(value: Any, prompt: str, option: str) -> Any:
    """A value the step cannot go without, refused when missing as under cron; the screen's forms ask through
    this, never through a prompt (the terminal is Textual's there)."""
    if value in (None, "", []):
        raise not_given(prompt, option)
    return value


def not_given(prompt: str, option: str) -> InvalidInput:
    """The refusal of a missing value, as a script gets it and the screen's forms show it: one line."""
    return InvalidInput(f"Не указано: {prompt} ({option}).")


def at_terminal() -> bool:
    """A person at a terminal (both ends): only then is anything asked; cron never sees a prompt."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def given(ctx: typer.Context, name: str) -> bool:
    """The option was typed (or set by the environment), not left at its default."""
    source = ctx.get_parameter_source(name)  # typer's own click: compared by name, not imported
    return source is not None and source.name != "DEFAULT"


def choose(prompt: str, words: dict[str, str], default: str, several: bool = False) -> list[str]:
    """Ask for one of `words` (the Russian word or its code), the choices shown; asked again until one fits.

    `several`: comma-separated answers, each one of the words.
    """
    shown = ", ".join(words.values())
    while True:
        codes = picked(typer.prompt(f"{prompt} ({shown})", default=default), words, several)
        if codes is not None:
            return codes
        typer.echo(allowed(words))


def allowed(words: dict[str, str]) -> str:
    """«Допустимо: …»: what `choose` says to an answer that does not fit (the screen's form refuses with it)."""
    return f"Допустимо: {', '.join(words.values())}."


def picked(answer: str, words: dict[str, str], several: bool = False) -> list[str] | None:
    """The codes an answer to `choose` names (a word or a code; `several`: comma-separated), None when one does
    not fit: the terminal asks again, the screen's form refuses with the same «Допустимо: …»."""
    from sopcli.vocab import pick

    parts = [p for p in (answer.split(",") if several else [answer]) if p.strip()]
    codes = [pick(p, words) for p in parts]
    return [c for c in codes if c is not None] if codes and None not in codes else None


def yes_no(prompt: str, default: bool = False) -> bool:
    """да/нет at a terminal (y/n too); asked again until one fits."""
    while True:
        answer = yes_no_word(typer.prompt(f"{prompt} (да/нет)", default="да" if default else "нет"))
        if answer is not None:
            return answer
        typer.echo(YES_NO_AGAIN)


#: what a person is told when the answer is neither: asked again at a terminal, refused in a form
YES_NO_AGAIN = "Ответьте «да» или «нет»."


def yes_no_word(answer: str) -> bool | None:
    """«да»/«нет» (д/н, y/n) as typed, or None when it is neither."""
    word = answer.strip().lower()
    if word in ("да", "д", "y", "yes"):
        return True
    return False if word in ("нет", "н", "n", "no") else None


def obligations_json(rows: list[Any], reg: Any, at: datetime | None = None) -> list[dict[str, Any]]:
    """Obligations a write step just touched, in the same JSON as the read commands."""
    from sopcli.services.reading.reads import obligation_json

    at, tz = at or now(), reg.tz
    return [obligation_json(o.model_dump(), tz, at) for o in rows]


def print_obligations(rows: list[dict[str, Any]], header: str) -> None:
    """Each obligation with its term and, once settled, when and how late, or why it was cancelled."""
    for line in obligation_lines(rows, header):
        typer.echo(line)


def obligation_lines(rows: list[dict[str, Any]], header: str) -> list[str]:
    """`print_obligations`' lines, for the screen too (none when there are no rows)."""
    from sopcli.deadlines.dates import fmt_date
    from sopcli.render.output import settled

    out = [header] if rows else []
    for o in rows:
        due = o["due"]
        when = due.strftime("%d.%m.%Y %H:%M") if isinstance(due, datetime) else fmt_date(due)
        out.append(f"  [{o['id']}] {when}  {o['rule']}: {o['title']} — {o['who']} ({o['source']})")
        if o["status"] != "open" or o.get("overdue"):
            out.append(f"      {settled(o)}")
        if o.get("note") and o["note"].startswith("срок истёк до записи"):
            out.append(f"      {o['note']}")
    return out


def step_doc(res: Any, reg: Any, head: dict[str, Any]) -> dict[str, Any]:
    """A step's JSON: what it opened, fulfilled and cancelled, after `head`."""
    # a term the step both opened and fulfilled (a phone transfer is its own, 004 §4.4) is shown as fulfilled
    return {**head, "obligations": obligations_json([o for o in res.opened if o.status == "open"], reg),
            "fulfilled": obligations_json(res.fulfilled, reg), "cancelled": obligations_json(res.cancelled, reg),
            "warnings": list(getattr(res, "warnings", [])), "agencies": [
                {"role": role, "agency": name} for role, name in getattr(res, "named", [])]}


def step_report(doc: dict[str, Any], as_json: bool, line: str) -> None:
    """Printed after the transaction committed, so what is shown is what was written."""
    from sopcli.render.output import emit_json

    if as_json:
        emit_json(doc)
        return
    for said in step_lines(doc, line):
        typer.echo(said)


def step_lines(doc: dict[str, Any], line: str) -> list[str]:
    """`step_report`'s lines, for the screen too: the step's line, the agencies it named, its warnings and the
    terms it settled and opened."""
    from sopcli.services.directory.agencies import ROLES

    out = [line]
    # the directory's name of the agency a typed word meant
    out += [f"{ROLES.get(n['role'], n['role'])}: {n['agency']}" for n in doc.get("agencies", [])]
    out += [f"Внимание: {warning}" for warning in doc.get("warnings", [])]
    return (out + obligation_lines(doc["fulfilled"], "Исполнены:") + obligation_lines(doc["cancelled"], "Отменены:")
            + obligation_lines(doc["obligations"], "Открыты обязанности:"))


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """The cyclic garbage collector paused while a command holds tens of thousands of rows at once.

    A national reconciliation holds some 70,000 people, their pairs and the act's rows, the digest 24,000
    obligations as rows and as documents, none of them in a cycle; each collection of the oldest generation
    walked them all again (0.45 s of the reconciliation's 2.7 s of CPU). What a cycle holds is collected
    after, as before.
    """
    import gc

    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()
