"""The Typer app and the one place that turns errors into exit codes (CLI.md).

Exit codes: 0 done; 2 input refused (one Russian line on stderr, nothing
written); 3 overdue found by `--fail-if-overdue`; 4 `audit verify` found the
audit trail broken; 1 an unexpected fault — a
short message only, because a traceback may carry a child's name (152-ФЗ);
`--debug` shows it.
"""

from __future__ import annotations

import re
import sys
from typing import Annotated, Any, Optional

import typer

from sopcli import __version__
from sopcli.render.help import RuCommand, RuGroup, short_help

# The order of the work (issue 13): a signal, its check, recognition and the urgent steps, the programme,
# its reports and control, the moves, the closure, the terms; then the papers, then administration.
# Each name → (module under sopcli.commands, attribute): a Typer app is a group, a function a command.
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("init", "init"), "signal": ("signal", "app"), "check": ("steps", "check"),
    "recognize": ("steps", "recognize"), "emergency": ("emergency", "app"),
    "consent": ("emergency", "consent"), "plan": ("plan", "app"), "report": ("work", "report"),
    "control": ("work", "control"), "transfer": ("work", "transfer"), "release": ("work", "release"),
    "graduates": ("work", "graduates"), "close": ("steps", "close"), "deadlines": ("deadlines", "app"),
    "case": ("case", "app"), "person": ("person", "app"), "screen": ("screen", "screen"),
    "doc": ("doc", "doc"), "remind": ("remind", "remind"), "export": ("export", "export"),
    "reconcile": ("reconcile", "reconcile"),
    "measures": ("measures", "app"), "school": ("school", "app"),
    "agency": ("agency", "app"), "signer": ("signer", "app"), "audit": ("audit", "app"),
    "calendar": ("calendar", "app"),
    "rules": ("rules", "app"), "admin": ("admin", "app"), "import": ("import_", "app"),
    "backup": ("backup", "backup"), "restore": ("backup", "restore"), "completion": ("completion", "completion"),
}
ORDER = tuple(COMMANDS)


def _target(name: str):  # a Typer app or a command function
    from importlib import import_module

    module, attr = COMMANDS[name]
    return getattr(import_module(f"sopcli.commands.{module}"), attr)


def build_command(name: str):  # noqa: ANN201 - click's command
    """One command's click tree, built from its signatures only when it is run, completed or shown.

    Typer builds the whole tree from every signature before it parses a word (~0.35 s for
    sopcli's 70 commands, more than most steps take); a secretary's `sopcli signal add` needs
    only `signal`'s."""
    import typer.main

    target = _target(name)
    one = typer.Typer(rich_markup_mode=None, pretty_exceptions_enable=False, add_completion=False, cls=RuGroup)
    if isinstance(target, typer.Typer):
        # under a parent, as the whole tree was built: a sub-app of one command stays a group (`import bank`)
        one.add_typer(target, name=name)
        cmd = typer.main.get_command(one).commands[name]
    else:
        one.command(name, cls=RuCommand)(target)
        cmd = typer.main.get_command(one)  # a lone command is the command itself
    cmd.name = name
    return cmd


class TopGroup(RuGroup):
    """The root: its subcommands are built on first use, and its help lists them without building them."""

    order = ORDER

    def list_commands(self, ctx) -> list[str]:  # noqa: ANN001 - click's context
        return list(ORDER)

    def get_command(self, ctx, cmd_name: str):  # noqa: ANN001, ANN201 - click's objects
        if cmd_name not in COMMANDS:
            return None
        built = self.__dict__.setdefault("_built", {})
        if cmd_name not in built:
            built[cmd_name] = build_command(cmd_name)
        return built[cmd_name]

    def resolve_command(self, ctx, args):  # noqa: ANN001, ANN201 - click's objects
        """Typer suggests near names from the commands already built; the root's are built lazily."""
        from difflib import get_close_matches

        try:
            return super().resolve_command(ctx, args)
        except Exception as err:
            near = get_close_matches(args[0], ORDER) if args else []
            message = getattr(err, "message", None)
            if near and isinstance(message, str) and "Did you mean" not in message:
                err.message = f"{message.rstrip('.')}. Did you mean {', '.join(repr(n) for n in near)}?"
            raise

    def format_commands(self, ctx, formatter) -> None:  # noqa: ANN001 - click's objects
        import typer

        limit = formatter.width - 6 - max(map(len, ORDER))
        rows = []
        for name in ORDER:
            target = _target(name)
            text = target.info.help if isinstance(target, typer.Typer) else target.__doc__
            rows.append((name, short_help(text, limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


app = typer.Typer(
    name="sopcli",
    help="sopcli — реестр семей и несовершеннолетних в СОП для КДН и ЗП: сроки, сигналы, дела.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    add_completion=False,
    cls=TopGroup,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"sopcli {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    db: Annotated[Optional[str], typer.Option(
        "--db", help="Файл реестра SQLite или URL PostgreSQL (иначе SOPCLI_DB или папка данных).")] = None,
    commission: Annotated[Optional[str], typer.Option(
        "--commission", envvar="SOPCLI_COMMISSION",
        help="Код комиссии в общем реестре PostgreSQL (иначе SOPCLI_COMMISSION или роль входа).")] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Показывать трассировку внутренних ошибок.")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Версия программы.")] = False,
) -> None:
    """sopcli — реестр СОП для КДН и ЗП."""
    from sopcli.commands._common import state

    state["db"] = db
    state["commission"] = commission.strip() if commission and commission.strip() else None


def _click_exceptions():
    """Typer ≥ 0.2x vendors click as `typer._click`; older ones use click itself."""
    try:
        from typer._click import exceptions
    except ImportError:  # pragma: no cover - older typer
        from click import exceptions  # type: ignore[no-redef]
    return exceptions


def _param_name(err: Exception) -> str:
    param = getattr(err, "param", None)
    name = getattr(param, "metavar", None) or getattr(param, "name", None) or ""
    return str(name).upper() if param is not None and getattr(param, "param_type_name", "") == "argument" \
        else (f"--{name}".replace("_", "-") if name and not str(name).startswith("-") else str(name))


def _maybe(names: list[str] | tuple[str, ...] | None) -> str:
    """Click's "Did you mean …?" in Russian: the near names of commands or options, quoted."""
    names = sorted(set(names or ()))
    return f" Может быть, вы имели в виду {', '.join(f'«{n}»' for n in names)}?" if names else ""


def _range(err: Exception) -> str:
    """The bounds of an int option ("от 1991 до 2100"), from the parameter, not from click's English."""
    from sopcli.commands._options import ID_MAX

    kind = getattr(getattr(err, "param", None), "type", None)
    lo, hi = getattr(kind, "min", None), getattr(kind, "max", None)
    if lo is not None and hi is not None and hi < ID_MAX:
        return f": допустимо от {lo} до {hi}"
    if lo is not None:
        return f": допустимо не меньше {lo}"
    return f": допустимо не больше {hi}" if hi is not None else ""


def _global_after_command(err: Any) -> str:
    """`signal show 10 --db X`: an option of the root (`--db`, `--commission`, `--debug`), read from the root's
    own parameters, typed after the command; say where it goes."""
    option, ctx = err.option_name, getattr(err, "ctx", None)
    root = {o for p in ctx.find_root().command.params for o in p.opts} if ctx is not None else set()
    if option not in root or option in ("--help", "--version"):
        return ""
    return f" {option} — общий параметр: пишется перед командой (sopcli {option} … КОМАНДА …)."


def _usage_message(err: Exception) -> str:
    """Click's usage errors are English; a secretary gets one Russian line (issue 13: not a word of English)."""
    exc = _click_exceptions()
    msg = str(getattr(err, "message", "") or err).rstrip(".")
    if type(err).__name__ == "FlagConflict":  # render/help.py: a flag and its opposite, said in Russian
        return msg + "."
    if isinstance(err, exc.NoSuchOption):
        placed = _global_after_command(err)
        return f"Нет такого параметра: {err.option_name}.{placed or _maybe(err.possibilities)} Справка: --help."
    if isinstance(err, exc.MissingParameter):
        return f"Не указан обязательный параметр {_param_name(err)}. Справка: --help."
    if "is not in the range" in msg:
        return f"Неверное значение {_param_name(err)}: вне допустимого диапазона{_range(err)}."
    if "is not a valid int" in msg:
        return f"Неверное значение {_param_name(err)}: ожидается целое число."
    if "is not a valid float" in msg:
        return f"Неверное значение {_param_name(err)}: ожидается число."
    if "is not a valid boolean" in msg:
        return f"Неверное значение {_param_name(err)}: ожидается да или нет (true, false)."
    if isinstance(err, exc.BadParameter):
        m = re.search(r"is not one of (.*)", msg)
        if m:
            return f"Неверное значение {_param_name(err)}: допустимы {m[1]}."
        if re.search(r"does not exist|is a directory|is a file|is not readable|is not writable", msg):
            return f"Неверное значение {_param_name(err)}: нет такого файла (или к нему нет доступа)."
        return f"Неверное значение {_param_name(err)}. Справка: --help."
    m = re.match(r"Option '([^']+)' requires an argument", msg)
    if m:
        return f"Параметру {m[1]} нужно значение. Справка: --help."
    m = re.match(r"Option '([^']+)' does not take a value", msg)
    if m:
        return f"Параметр {m[1]} пишется без значения. Справка: --help."
    m = re.match(r"Got unexpected extra argument(?:\(s\)|s)? \((.*)\)", msg)
    if m:
        # the values are not echoed: an unquoted ФИО would land in cron mail (152-ФЗ)
        return "Лишние аргументы (ФИО и текст с пробелами берите в кавычки). Справка: --help."
    m = re.match(r"No such command '([^']*)'(?:\. Did you mean (.*)\?)?", msg)
    if m:
        near = re.findall(r"'([^']*)'", m[2] or "")
        return f"Нет такой команды: «{m[1]}».{_maybe(near)} Справка: sopcli --help."
    if msg.startswith("Missing command"):
        return "Не указана команда. Справка: --help."
    m = re.match(r"Option '([^']+)' requires (\d+) arguments", msg)
    if m:
        return f"Параметру {m[1]} нужно значений: {m[2]}. Справка: --help."
    # whatever else click says is not repeated: it is English, and may quote a typed value (152-ФЗ)
    return "Команда не разобрана: проверьте параметры и кавычки. Справка: --help."


# Bidi embeddings, overrides and isolates reorder what a reader sees (CVE-2021-42574, "Trojan Source"):
# a name or a note with one of them prints reversed in the journal and the XLSX forms.
CELL_LIMIT = 32_767  # Excel's (and LibreOffice's XLSX) characters in one cell: the longest text a form can print
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _refused_argument(args: list[str]) -> str | None:
    """A typed value no step can store: bytes that are not UTF-8, control characters, bidi overrides,
    a text longer than a form's cell (32,767 characters: a form would have to cut it).

    Python hands undecodable argv bytes over as lone surrogates (PEP 383): a terminal in CP1251 or
    KOI8-R sends Russian that way, and the database cannot encode it. Control characters (ESC, NUL…)
    would reach the terminal of whoever reads the journal. Tabs and line breaks are whitespace and
    are collapsed by the steps. Only the position is named: the value may be a child's name (152-ФЗ).
    """
    for n, arg in enumerate(args, 1):
        if len(arg) > CELL_LIMIT:  # issue 14: a form never cuts a typed text, so none longer than a cell is taken
            return (f"Аргумент №{n}: {len(arg)} знаков — больше {CELL_LIMIT:,} (предел ячейки Excel и форм); "
                    "сократите текст.").replace(",", " ")
        for k, ch in enumerate(arg, 1):
            code = ord(ch)
            if 0xDC80 <= code <= 0xDCFF:
                return (f"Аргумент №{n} не в кодировке UTF-8 (знак {k}): переключите терминал на UTF-8 "
                        "или сохраните текст в UTF-8.")
            if (code < 32 and ch not in "\t\n\r") or 0x7F <= code <= 0x9F:
                return f"Аргумент №{n}: управляющий символ U+{code:04X} (знак {k}) — уберите его."
            if ch in _BIDI:
                return f"Аргумент №{n}: невидимый знак смены направления текста U+{code:04X} (знак {k}) — уберите его."
    return None


def _quiet_libraries() -> None:
    """152-ФЗ: nothing a library says reaches stderr (cron mail) unless `--debug`.

    A driver's warning or log line can quote a row ("Key (full_name)=(…)",
    a PostgreSQL NOTICE raised by a trigger); sopcli keeps no log of its own.
    A warning is reduced to its category; logging gets a handler that drops
    everything, so Python's last-resort handler never prints a record.
    """
    import logging
    import warnings

    logging.getLogger().addHandler(logging.NullHandler())

    def show(message, category, filename, lineno, file=None, line=None):  # noqa: ANN001
        sys.stderr.write(f"Предупреждение ({category.__name__}). Подробности: --debug.\n")

    warnings.showwarning = show


def _busy(seconds: float) -> str:
    return (f"реестр занят другой командой дольше {seconds:.0f} с: ничего не записано. Повторите позже; "
            "если реестр держит зависшая программа, закройте её.")


_NO_SPACE = "на диске не хватает места (или исчерпана квота)"
_TOO_BIG = "файл превысил допустимый размер (ограничение файловой системы или ulimit -f)"


def _chain(err: BaseException) -> list[BaseException]:
    """The error, what it wraps (SQLAlchemy's `.orig`) and what it was raised from or during."""
    seen: list[BaseException] = []
    todo: list[BaseException | None] = [err]
    while todo:
        e = todo.pop(0)
        if e is None or any(e is s for s in seen) or len(seen) > 20:
            continue
        seen.append(e)
        todo += [getattr(e, "orig", None), e.__cause__, e.__context__]
    return seen


def environment_fault(err: BaseException) -> str | None:
    """A full disk, a read-only file or folder, a refused permission: one Russian line, or None.

    The machine's fault, not the input's: exit 1 like any fault, but the secretary
    (or cron mail) learns what to fix. Only the kind is named and, for a refused
    folder, its path — never the SQL or its parameters, which may hold a child's
    name (152-ФЗ). Every registry write is one transaction and every file is
    written under a temporary name, so after any of these nothing was written.
    """
    import errno

    for e in _chain(err):
        if isinstance(e, OSError) and e.errno is not None:
            if e.errno in (errno.ENOSPC, errno.EDQUOT):
                return f"{_NO_SPACE}: ничего не записано."
            if e.errno == errno.EFBIG:
                return f"{_TOO_BIG}: ничего не записано."
            if e.errno == errno.EROFS:
                return "файловая система только для чтения: ничего не записано."
            if e.errno in (errno.EACCES, errno.EPERM):
                from pathlib import Path

                where = f" (папка {Path(e.filename).parent})" if e.filename else ""
                return f"нет прав доступа{where}: ничего не записано."
            found = _file_fault(e)
            if found is not None:
                return found
        kind = type(e).__module__.split(".")[0]
        if kind == "sqlite3":
            text = str(e).lower()
            if "database or disk is full" in text:
                return f"{_NO_SPACE}: реестр не изменён."
            if "disk i/o error" in text:
                return ("не удалось записать реестр (ошибка ввода-вывода: нет места, превышен размер файла "
                        "или неисправен диск): реестр не изменён.")
            if "readonly database" in text:
                return ("реестр или его папка доступны только для чтения (SQLite пишет рядом с реестром файлы "
                        "-wal и -shm): реестр не изменён.")
            if "unable to open database file" in text:
                return ("не удалось открыть реестр: нет прав на файл реестра или на его папку (SQLite создаёт "
                        "рядом файлы -wal и -shm).")
        if kind == "psycopg" or type(e).__module__ == "sopcli.pg_light":  # libpq read directly: the same codes
            found = _server_fault(getattr(e, "sqlstate", None) or "") or _connection_fault(e)
            if found is not None:
                return found
    return None


def _file_fault(e: OSError) -> str | None:
    """Any other fault of a file operation (it names a file): a folder where the file goes, a name too long
    for the file system, an I/O error. Every file is written under a temporary name, and letters all or
    none (files.atomic_batch), so nothing was written. Only the kind and the folder, as for a refused
    permission: a file's own name may carry a child's (152-ФЗ)."""
    import errno
    from pathlib import Path

    name = e.filename2 or e.filename
    if name is None:
        return None  # a socket's or a pipe's: not a file
    folder = Path(str(name)).parent
    where = f" (папка {folder})"
    if e.errno == errno.EISDIR:
        return f"в папке {folder} на месте записываемого файла — папка с тем же именем: ничего не записано."
    if e.errno == errno.ENAMETOOLONG:
        return f"имя файла длиннее, чем допускает файловая система{where}: ничего не записано."
    return f"ошибка файловой системы ({errno.errorcode.get(e.errno, e.errno)}){where}: ничего не записано."


# libpq's own words (English whatever the locale of the client) for a connection it could not make, first
# match wins: the server's FATAL of a login is more precise than the "connection … failed" around it.
# Mapped, never printed: the text names the host, the role and the database.
_CONNECTION_TEXTS = (
    (("server does not support ssl", "ssl was required", "ssl error", "ssl syscall", "sslmode",
      "certificate", "ssl connection"), "ssl"),
    (("password authentication failed", "no password supplied", "authentication failed", "role \"",
      "no pg_hba.conf entry", "pg_hba.conf rejects", "password is required", "not permitted to log in",
      "sasl", "scram"), "login"),
    (("database \"",), "database"),
    (("connection refused", "could not connect", "could not translate host name", "failed to resolve host",
      "name or service not known", "timeout expired", "timed out", "no route to host", "network is unreachable",
      "is the server running", "server closed the connection", "connection to server", "connection failed"),
     "unreachable"),
)
_CONNECTION_STATES = {"28P01": "login", "28000": "login", "3D000": "database"}
_CONNECTION_LINES = {
    "unreachable": "сервер PostgreSQL недоступен (неверный адрес или порт, сервер не запущен или закрыт сетью): "
                   "ничего не записано.",
    "ssl": "сервер PostgreSQL не принял защищённое соединение (SSL), которого требует адрес реестра (sslmode): "
           "ничего не записано.",
    "login": "сервер PostgreSQL не пустил: неверный пароль, неизвестная роль или вход запрещён (pg_hba.conf): "
             "ничего не записано.",
    "database": "на сервере PostgreSQL нет базы данных, названной в адресе реестра: ничего не записано.",
}


def _connection_fault(e: BaseException) -> str | None:
    """A connection to PostgreSQL not made (psycopg or pg_light): one Russian line by its kind, or None.

    Connection failures mostly come without a SQLSTATE (no result to carry one): the kind is read from
    libpq's message, which is mapped and never shown (it names the host, the role, the database)."""
    state = getattr(e, "sqlstate", None) or ""
    if state in _CONNECTION_STATES:
        return _CONNECTION_LINES[_CONNECTION_STATES[state]]
    if type(e).__name__ != "OperationalError" or state[:2] not in ("", "08"):
        return None
    text = str(e).lower()
    for needles, kind in _CONNECTION_TEXTS:
        if any(n in text for n in needles):
            return _CONNECTION_LINES[kind]
    return None


def _server_fault(state: str) -> str | None:
    """PostgreSQL's SQLSTATE of a fault of the server's, not the input's: one Russian line, or None."""
    if state in ("53100", "53200"):
        return "на сервере PostgreSQL не хватает места (диск или память): реестр не изменён."
    if state == "25006":
        return "сервер PostgreSQL принимает только чтение: реестр не изменён."
    if state == "55P03":
        from sopcli.db import busy_timeout_s

        return _busy(busy_timeout_s())
    if state == "42501":
        return "нет прав на запись в реестр PostgreSQL: реестр не изменён."
    return None


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: run the app, map errors to CLI.md exit codes."""
    import os

    os.umask(0o077)  # 152-ФЗ: whatever the user's umask, what sopcli creates is 0600 / 0700
    args = sys.argv[1:] if argv is None else argv
    refused = _refused_argument(args)
    if refused:
        sys.stderr.write(f"Ошибка: {refused}\n")
        sys.exit(2)
    if "_SOPCLI_COMPLETE" in os.environ:  # the shell asks for completions (`sopcli completion bash`)
        from sopcli.commands.completion import register

        register()
    debug = "--debug" in args
    if not debug:
        _quiet_libraries()
    try:
        rv = app(args=args, prog_name="sopcli", standalone_mode=False)
    except (Exception, KeyboardInterrupt) as err:
        if debug and _unexpected(err):
            raise
        sys.exit(_reported(err))
    if rv == 130:  # typer turns Ctrl-C into a silent exit code 130; no command returns it otherwise
        sys.stderr.write("Прервано: незавершённая запись отменена.\n")
    sys.exit(rv if isinstance(rv, int) else 0)


def _unexpected(err: BaseException) -> bool:
    """What `--debug` shows with its traceback: a fault or a Ctrl-C, not a refusal or a usage error."""
    from sopcli.deadlines.errors import DomainError
    from sopcli.errors import RegistryBusy

    expected = (DomainError, RegistryBusy, typer.Exit, typer.Abort, _click_exceptions().ClickException)
    return isinstance(err, KeyboardInterrupt) or not isinstance(err, expected)


def _reported(err: BaseException) -> int:
    """One line on stderr for what stopped the command, and its exit code (CLI.md)."""
    from sopcli.deadlines.errors import DomainError
    from sopcli.errors import RegistryBusy

    if isinstance(err, DomainError):
        sys.stderr.write(f"Ошибка: {err.message}\n")
        return 2
    if isinstance(err, RegistryBusy):
        sys.stderr.write(f"Ошибка: {_busy(err.seconds)}\n")
        return 1
    if isinstance(err, typer.Exit):
        return err.exit_code
    if isinstance(err, (typer.Abort, KeyboardInterrupt)):
        sys.stderr.write("Прервано: незавершённая запись отменена.\n")
        return 130
    if isinstance(err, _click_exceptions().ClickException):
        return _usage_reported(err)
    return _fault_reported(err)


def _usage_reported(err: Exception) -> int:
    """A bare group prints its help (exit 0); any other usage error is one Russian line (exit 2)."""
    if isinstance(err, _click_exceptions().NoArgsIsHelpError):
        sys.stdout.write(err.ctx.get_help() + "\n")  # type: ignore[union-attr]
        return 0
    sys.stderr.write(f"Ошибка: {_usage_message(err)}\n")
    return 2


def _fault_reported(err: BaseException) -> int:
    """Not a refusal: the wrong file (exit 2), the machine's fault (1), or sopcli's own (1), named by type only."""
    if any(type(e).__module__ == "sqlite3" and "file is not a database" in str(e) for e in _chain(err)):
        from sopcli.db import NOT_A_DATABASE

        sys.stderr.write(f"Ошибка: {NOT_A_DATABASE}\n")
        return 2  # the input named the wrong file (the read path says the same from reading.db.Reader.check_schema)
    fault = environment_fault(err)
    if fault is not None:
        sys.stderr.write(f"Ошибка: {fault}\n")
        return 1
    # only the type: str(err) of a driver error quotes the row ("DETAIL: Key (full_name)=(…)",
    # SQLAlchemy's "[parameters: …]"), and a traceback's frames would too (152-ФЗ)
    sys.stderr.write(f"Внутренняя ошибка ({type(err).__name__}). Повторите с --debug для подробностей.\n")
    return 1
