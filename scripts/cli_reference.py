"""Write docs/cli.md, the command reference, from the Typer app itself (issue 16, STYLE.md §11).

Usage: python scripts/cli_reference.py            rewrite docs/cli.md
       python scripts/cli_reference.py --check    exit 1 with a diff when docs/cli.md is stale

sqlite-utils keeps docs/cli-reference.rst true with `cog --check`; here one script plays both parts,
so regenerating after a change of help is one command and tests/commands/test_cli_reference.py
fails until it is run. The page is built from click's objects (the command tree, each parameter's
type, default, bounds, environment variable and vocabulary), not from `--help` text, so the
terminal's width and the locale cannot change a byte of it. The examples are the app's own (its
help text carries a few) and, for every command, the first line of README.md's code blocks that
runs it: the README's examples are run by tests/stories/test_readme.py, so they are known to work.
"""

from __future__ import annotations

import difflib
import os
import re
import shlex
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "docs" / "cli.md"
README = ROOT / "README.md"
GLOBAL_WITH_VALUE = {"--db", "--commission"}  # the root's options that take a value, skipped before a command
_ID_BOUND = 2**31 - 1  # an id's bound says nothing to a reader (render/help.py drops it from --help too)
# The variables sopcli reads outside click's options; tests/commands/test_cli_reference.py finds every
# SOPCLI_* name in src/ here, so a new one cannot go undocumented. (_SOPCLI_COMPLETE is the shell's.)
ENVIRONMENT = {
    "SOPCLI_DB": "Файл реестра SQLite или URL PostgreSQL, если не указан `--db`; иначе — файл в папке данных "
                 "пользователя.",
    "SOPCLI_COMMISSION": "Код комиссии в общем реестре PostgreSQL, если не указан `--commission`.",
    "SOPCLI_BUSY_TIMEOUT": "Сколько секунд ждать реестр, занятый другой командой (по умолчанию 120).",
    "SOPCLI_CONFIG_DIR": "Папка настроек: календарь до `init`, свои шаблоны Word (`doc --where`).",
    "SOPCLI_CACHE_DIR": "Папка кэша: федеральный календарь и разобранный свод сроков.",
}

HEAD = """\
# Справочник команд sopcli

<!-- Создан scripts/cli_reference.py из самого приложения; не правьте руками.
     Обновить: python scripts/cli_reference.py (проверить: --check). -->

Все команды и параметры, как их знает программа: тип, значение по умолчанию, допустимые
значения, переменная окружения. Русские слова значений понимаются наравне с кодами
в скобках. Пример под командой — первая строка README, которая её запускает.
"""


def fix_environment() -> None:
    """Nothing of the machine may reach the page: a fixed width and locale for whatever click formats."""
    os.environ["COLUMNS"] = "100"
    os.environ["LC_ALL"] = "C.UTF-8"
    os.environ.pop("SOPCLI_COMMISSION", None)  # an envvar's value would become a shown default


# -- the tree ---------------------------------------------------------------------------------------
def walk(cmd: Any, path: tuple[str, ...], ctx: Any) -> Iterator[tuple[tuple[str, ...], Any, Any]]:
    """Every command with its path and context, in the order `--help` lists them (the order of the work)."""
    yield path, cmd, ctx
    for name in subcommands(cmd, ctx):
        sub = cmd.get_command(ctx, name)
        if sub is not None and not sub.hidden:
            yield from walk(sub, (*path, name), sub.context_class(sub, info_name=name, parent=ctx))


def subcommands(cmd: Any, ctx: Any) -> list[str]:
    return list(cmd.list_commands(ctx)) if hasattr(cmd, "list_commands") else []


def tree() -> list[tuple[tuple[str, ...], Any, Any]]:
    import typer.main

    from sopcli.cli import app

    root = typer.main.get_command(app)  # click's objects (typer ≥ 0.28 vendors click as typer._click)
    return list(walk(root, ("sopcli",), root.context_class(root, info_name="sopcli")))


# -- one parameter ------------------------------------------------------------------------------------
def vocabulary(param: Any) -> list[str]:
    """The codes an option's completion offers when they come from sopcli.vocab (fixed words, no registry).

    The completion callback is wrapped by Typer; the vocabularies are found in the closures. A
    callback that reads the registry (agency names) is never called."""
    seen: set[int] = set()
    todo = [getattr(param, "_custom_shell_complete", None)]
    while todo:
        fn = todo.pop()
        if fn is None or id(fn) in seen or not callable(fn):
            continue
        seen.add(id(fn))
        names = getattr(getattr(fn, "__code__", None), "co_freevars", ())
        cells = dict(zip(names, getattr(fn, "__closure__", None) or (), strict=False))
        if getattr(fn, "__module__", "") == "sopcli.vocab" and "vocabularies" in cells:
            return [code for labels in cells["vocabularies"].cell_contents for code in labels]
        todo += [c.cell_contents for c in cells.values() if callable(c.cell_contents)]
    return []


def kind_of(param: Any) -> str:
    """The value's type in a reader's words, with its bounds."""
    t = param.type
    name = type(t).__name__
    if getattr(param, "is_flag", False):
        return "флаг"
    if name == "Choice":
        return "одно из: " + ", ".join(f"`{c}`" for c in t.choices)
    if name in ("IntRange", "FloatRange", "IntParamType", "FloatParamType"):
        return number_kind("целое" if "Int" in name else "число", getattr(t, "min", None), getattr(t, "max", None))
    if getattr(getattr(t, "func", None), "kind", None):  # a parser of our own says what it reads
        return t.func.kind
    if name in ("TyperPath", "Path"):
        if not getattr(t, "file_okay", True):
            return "папка"
        return "файл или папка" if getattr(t, "dir_okay", True) else "файл"
    return "да или нет" if name == "BoolParamType" else "текст"


def number_kind(word: str, lo: float | None, hi: float | None) -> str:
    """Bounds as `--help` words them (render/help.py): an id's 1..2³¹−1 and a count's 0 or 1 go unsaid."""
    if hi is not None and hi >= _ID_BOUND:
        hi = None
    if lo is not None and hi is not None:
        return f"{word}, от {lo} до {hi}"
    if lo is not None and lo > 1:
        return f"{word}, не меньше {lo}"
    return f"{word}, не больше {hi}" if hi is not None else word


def default_of(param: Any) -> str | None:
    """The default as `--help` shows it; None when there is nothing to show (no value, an empty text, off)."""
    shown = getattr(param, "show_default", None)
    if isinstance(shown, str):
        return shown
    value = param.default
    if callable(value) or value in (None, "", False, ()) or shown is False:
        return None
    if value is True and getattr(param, "is_flag", False):
        return param.opts[0]
    return str(value)


def notes_of(param: Any) -> list[str]:
    notes = [kind_of(param)]
    if param.required:
        notes.append("обязательно")
    if param.multiple:
        notes.append("можно несколько")
    default = default_of(param)
    if default is not None:
        notes.append(f"по умолчанию: `{default}`")
    codes = vocabulary(param)
    if codes:
        notes.append("коды: " + ", ".join(f"`{c}`" for c in codes))
    envvar = param.envvar
    for var in [envvar] if isinstance(envvar, str) else list(envvar or ()):
        notes.append(f"переменная окружения: `{var}`")
    return notes


def cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def label_of(param: Any) -> str:
    if param.param_type_name == "argument":
        return f"`{param.metavar or param.name.upper()}`"
    return " / ".join(f"`{opt}`" for opt in (*param.opts, *param.secondary_opts))


def params_table(cmd: Any) -> list[str]:
    rows = [p for p in cmd.params if not getattr(p, "hidden", False)]
    if not rows:
        return []
    out = ["| Аргумент или параметр | Значение | Описание |", "|---|---|---|"]
    for p in sorted(rows, key=lambda p: p.param_type_name != "argument"):  # arguments first, as in the usage
        out.append(f"| {label_of(p)} | {cell('; '.join(notes_of(p)))} | {cell(getattr(p, 'help', None) or '')} |")
    return [*out, ""]


# -- examples -----------------------------------------------------------------------------------------
def readme_examples(paths: set[tuple[str, ...]]) -> dict[tuple[str, ...], str]:
    """The first README line (with its continuation lines) in a code block that runs each command.

    A line counts for the longest command path it names after the global options; a `sopcli deadlines`
    line is the digest's example, a `sopcli deadlines done` line the sub-command's."""
    found: dict[tuple[str, ...], str] = {}
    for block in re.findall(r"^```[a-z]*\n(.*?)^```", README.read_text("utf-8"), re.M | re.S):
        for line in re.findall(r"^(?:\$ )?sopcli\b(?:[^\n]*\\\n)*[^\n]*", block, re.M):
            path = command_of(line, paths)
            if path is not None and path not in found:
                found[path] = line.removeprefix("$ ")
    return found


def command_of(line: str, paths: set[tuple[str, ...]]) -> tuple[str, ...] | None:
    try:
        words = shlex.split(line.removeprefix("$ ").replace("\\\n", " "), comments=True)
    except ValueError:
        return None
    path: list[str] = [words.pop(0)]
    while words and words[0].startswith("-"):  # the root's options before the command
        words = words[2:] if words[0] in GLOBAL_WITH_VALUE else words[1:]
    best = None
    for word in words:
        path.append(word)
        if tuple(path) not in paths:
            break
        best = tuple(path)
    return best


# -- the page -----------------------------------------------------------------------------------------
def usage(path: tuple[str, ...], cmd: Any, ctx: Any) -> str:
    from sopcli.render.help import russian

    pieces = " ".join(cmd.collect_usage_pieces(ctx))
    return russian(f"{' '.join(path)} {pieces}".strip())


def anchor(path: tuple[str, ...]) -> str:
    """GitHub's anchor for a heading `sopcli agency alias add`: lower case, spaces to hyphens."""
    return "-".join(path).lower()


def section(path: tuple[str, ...], cmd: Any, ctx: Any, example: str | None) -> list[str]:
    depth = min(len(path), 4)
    out = [f"{'#' * depth} {' '.join(path)}", "", (cmd.help or "").strip(), ""]
    if cmd.epilog:  # click's place for examples; sopcli's help texts carry theirs in the text itself
        out += [cmd.epilog.strip(), ""]
    out += ["```", usage(path, cmd, ctx), "```", ""]
    subs = [n for n in subcommands(cmd, ctx) if not cmd.get_command(ctx, n).hidden]
    if subs and len(path) > 1:
        links = ", ".join(f"[{n}](#{anchor((*path, n))})" for n in subs)
        out += [f"Команды: {links}.", ""]
    out += params_table(cmd)
    if example:
        out += ["Пример:", "", "```bash", example, "```", ""]
    return out


def environment() -> list[str]:
    rows = [f"| `{name}` | {cell(text)} |" for name, text in ENVIRONMENT.items()]
    return ["## Переменные окружения", "", "| Переменная | Что задаёт |", "|---|---|", *rows, ""]


def reference() -> str:
    """The whole page (the caller fixes the environment first: fix_environment)."""
    commands = tree()
    examples = readme_examples({path for path, _, _ in commands})
    toc = ["## Команды", "", "- [Общие параметры](#общие-параметры), [переменные окружения](#переменные-окружения)"]
    for path, _, _ in commands[1:]:
        toc.append(f"{'  ' * (len(path) - 2)}- [{' '.join(path[1:])}](#{anchor(path)})")
    body: list[str] = []
    for path, cmd, ctx in commands:
        if len(path) == 1:
            body += ["## Общие параметры", "", (cmd.help or "").strip(), "", "```", usage(path, cmd, ctx), "```", "",
                     *params_table(cmd), *environment()]
        else:
            body += section(path, cmd, ctx, examples.get(path))
    return "\n".join([HEAD, *toc, "", *body]).rstrip("\n") + "\n"


def main(argv: list[str]) -> int:
    fix_environment()
    sys.path.insert(0, str(ROOT / "src"))
    text = reference()
    if "--check" in argv:
        old = TARGET.read_text("utf-8") if TARGET.exists() else ""
        if old == text:
            return 0
        sys.stdout.writelines(difflib.unified_diff(
            old.splitlines(keepends=True), text.splitlines(keepends=True), "docs/cli.md", "из приложения"))
        print("docs/cli.md устарел: обновите его командой python scripts/cli_reference.py", file=sys.stderr)
        return 1
    TARGET.write_text(text, "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
