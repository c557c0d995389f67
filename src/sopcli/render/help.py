"""Russian words around the Russian help texts.

Typer's help frame ("Usage:", "Options:", "[required]") is English and has no
translation catalogue; CLI.md wants everything a person reads in Russian, so the
finished help page is translated word for word here.
"""

from __future__ import annotations

import re
from typing import Any

from typer.core import TyperCommand, TyperGroup

try:
    from typer._click.exceptions import UsageError
except ImportError:  # pragma: no cover - older typer
    from click.exceptions import UsageError  # type: ignore[no-redef]

from sopcli.commands._options import ID_MAX  # the ids' bound: the help writes "до N" for any other

_WORDS = [
    (re.compile(r"^Usage: ", re.M), "Использование: "),
    (re.compile(r"^Arguments:$", re.M), "Аргументы:"),
    (re.compile(r"^Options:$", re.M), "Параметры:"),
    (re.compile(r"^Commands:$", re.M), "Команды:"),
    (re.compile(r"Show this message and exit\."), "Показать эту справку и выйти."),
    (re.compile(r"\[required\]"), "[обязательно]"),
    (re.compile(r"\[default: ([^\]]*)\]"), r"[по умолчанию: \1]"),
    (re.compile(r"\[OPTIONS\]"), "[ПАРАМЕТРЫ]"),
    (re.compile(r"COMMAND \[ARGS\]\.\.\."), "КОМАНДА [АРГУМЕНТЫ]..."),
    (re.compile(r"<str>"), "ТЕКСТ"),
    (re.compile(r"\{([A-ZА-ЯЁ_]+)\}"), r"\1"),
    (re.compile(r"<int>|<float>"), "ЧИСЛО"),
    (re.compile(r"<path>"), "ПУТЬ"),
    # click's type names as metavars ("--year <int range>", "FILE", "[a|b|c]")
    (re.compile(r"<(?:int|float) range>|\b(?:INTEGER|FLOAT)(?: RANGE)?\b"), "ЧИСЛО"),
    (re.compile(r"\bTEXT\b"), "ТЕКСТ"),
    (re.compile(r"\bPATH\b"), "ПУТЬ"),
    (re.compile(r"\bFILENAME\b|\bFILE\b"), "ФАЙЛ"),
    (re.compile(r"\bDIRECTORY\b"), "ПАПКА"),
    (re.compile(r"\bBOOLEAN\b"), "ДА|НЕТ"),
    (re.compile(r"\bDATETIME\b"), "ДАТА"),
    (re.compile(r"\bUUID\b"), "ИДЕНТИФИКАТОР"),
    (re.compile(r"^Try '([^']*)' for help\.$", re.M), r"Справка: \1."),
    (re.compile(r"^Error: ", re.M), "Ошибка: "),
]
_BRACKET = re.compile(r"\s*\[([^\[\]]*)\]")


def _decoration(part: str) -> str | None:
    """One item of the "[default: …; env var: …; 1<=x<=N]" click puts after an option's help, in Russian;
    None for what says nothing to a person (an id's bound 1..2³¹−1), the part unchanged if it is not click's."""
    part = part.strip()
    if m := re.fullmatch(r"(?:env var|переменная окружения): (.*)", part):
        return f"переменная окружения: {m[1]}"
    if m := re.fullmatch(r"default: (.*)", part):
        return f"по умолчанию: {m[1]}"
    if part == "(dynamic)":
        return "вычисляется"
    if part == "required":
        return "обязательно"
    if m := re.fullmatch(r"(-?[\d.]+)<=?x<=?(-?[\d.]+)", part):
        lo, hi = m[1], m[2]
        if hi == str(ID_MAX):
            return None if lo in ("0", "1") else f"не меньше {lo}"
        return f"от {lo} до {hi}"
    if m := re.fullmatch(r"x>=?(-?[\d.]+)", part):
        return None if m[1] in ("0", "1") else f"не меньше {m[1]}"
    if m := re.fullmatch(r"x<=?(-?[\d.]+)", part):
        return f"не больше {m[1]}"
    return part


def _decorations(match: re.Match) -> str:
    inner = match[1]
    if not re.search(r"env var|default:|required|<=|>=|\(dynamic\)", inner):
        return match[0]  # a bracket of the help text itself ("[: причина, дата]")
    parts = [p for p in (_decoration(x) for x in inner.split("; ")) if p]
    return f"  [{'; '.join(parts)}]" if parts else ""


def russian(text: str) -> str:
    """The finished help (or error) text of click and Typer, their words replaced by Russian ones."""
    for pattern, repl in _WORDS:
        text = pattern.sub(repl, text)
    return _BRACKET.sub(_decorations, text)


def _format_params(cmd, ctx, formatter) -> None:  # noqa: ANN001 - click's objects
    """Typer's "Arguments"/"Options" sections, each record in Russian before click wraps it to the width
    (a word replaced after the wrap would break the columns and leave "[env var:" at a line's end)."""
    sections: dict[str, list[tuple[str, str]]] = {"argument": [], "option": []}
    for param in cmd.get_params(ctx):
        rv = param.get_help_record(ctx)
        if rv is not None and param.param_type_name in sections:
            sections[param.param_type_name].append((russian(rv[0]), russian(rv[1])))
    for kind, title in (("argument", "Аргументы"), ("option", "Параметры")):
        if sections[kind]:
            with formatter.section(title):
                formatter.write_dl(sections[kind])


def short_help(help_text: str | None, limit: int) -> str:
    """The first line whole, cut at a word: click stops at the first full stop, and Russian
    citations are full of them ("прил. 2", "ст. 193")."""
    line = (help_text or "").strip().split("\n", 1)[0].strip()
    if len(line) <= limit:
        return line
    return line[: limit - 1].rsplit(" ", 1)[0] + "…"


class RuCommand(TyperCommand):
    def get_help(self, ctx) -> str:  # noqa: ANN001 - click's context
        return russian(super().get_help(ctx))

    def make_parser(self, ctx):  # noqa: ANN001, ANN201 - click's objects
        parser = super().make_parser(ctx)
        _one_of_each_pair(parser)
        return parser

    def format_options(self, ctx, formatter) -> None:  # noqa: ANN001 - click's objects
        _format_params(self, ctx, formatter)

    def get_short_help_str(self, limit: int = 45) -> str:
        return self.short_help or short_help(self.help, limit)


class FlagConflict(UsageError):
    """A flag and its opposite both given: a usage error whose message is already Russian (cli._usage_message)."""


def _one_of_each_pair(parser: Any) -> None:
    """`--given --refused`: click lets the last name of a flag pair win; sopcli refuses the pair instead.

    Watched where the parser stores the flag (not in the raw words), so an option's value that happens to
    read `--refused` (`--note --refused`) is that value, not the flag."""
    seen: dict[str, tuple[Any, str]] = {}
    options = {id(o): o for o in [*parser._long_opt.values(), *parser._short_opt.values()]}
    for option in options.values():
        if option.action == "store_const" and getattr(option.obj, "secondary_opts", None):
            name = option.obj.opts[0] if option.const else option.obj.secondary_opts[0]
            option.process = _watched(option.process, option.dest, option.const, name, seen)


def _watched(process: Any, dest: str, const: Any, name: str, seen: dict[str, tuple[Any, str]]) -> Any:
    def watched(value: Any, state: Any) -> None:
        before = seen.setdefault(dest, (const, name))
        if before[0] != const:
            raise FlagConflict(f"Параметры {before[1]} и {name} исключают друг друга: укажите один. "
                              "Справка: --help.")
        process(value, state)

    return watched


class RuGroup(TyperGroup):
    #: The order `--help` lists the subcommands in (the order of the work, CLI.md); the rest follow
    #: in the order they were registered. Typer puts all commands before all groups, click sorts them.
    order: tuple[str, ...] = ()

    def get_help(self, ctx) -> str:  # noqa: ANN001 - click's context
        return russian(super().get_help(ctx))

    def format_options(self, ctx, formatter) -> None:  # noqa: ANN001 - click's objects
        _format_params(self, ctx, formatter)
        self.format_commands(ctx, formatter)

    def list_commands(self, ctx) -> list[str]:  # noqa: ANN001 - click's context
        names = list(self.commands)
        rank = {name: n for n, name in enumerate(self.order)}
        return sorted(names, key=lambda name: (rank.get(name, len(rank)), names.index(name)))

    def get_short_help_str(self, limit: int = 45) -> str:
        return self.short_help or short_help(self.help, limit)
