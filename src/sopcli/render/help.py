"""Russian words around the Russian help texts.

Typer's help frame ("Usage:", "Options:", "[required]") is English and has no
translation catalogue; CLI.md wants everything a person reads in Russian, so the
finished help page is translated word for word here.
"""

from __future__ import annotations

import re

from typer.core import TyperCommand, TyperGroup

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
    (re.compile(r"\{([A-Z_]+)\}"), r"\1"),
]


def russian(text: str) -> str:
    for pattern, repl in _WORDS:
        text = pattern.sub(repl, text)
    return text


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

    def get_short_help_str(self, limit: int = 45) -> str:
        return self.short_help or short_help(self.help, limit)


class RuGroup(TyperGroup):
    def get_help(self, ctx) -> str:  # noqa: ANN001 - click's context
        return russian(super().get_help(ctx))

    def get_short_help_str(self, limit: int = 45) -> str:
        return self.short_help or short_help(self.help, limit)
