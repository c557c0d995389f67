"""Issue 13: a secretary who follows only `--help` meets Russian words, types Russian words, reads Russian words.

Every `--help` page of the command tree (found by walking the click group, not by a hand list) and
Click's own error paths are scanned for English; the fixed-value options take the Russian words in
any case and print them back, and a wrong word is refused with the words that are allowed.
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
import sys

import pytest

# What may stay Latin in a Russian text: names of standards and formats, the env variables a script sets.
ALLOWED = {
    "sopcli", "SQLite", "PostgreSQL", "JSON", "XLSX", "DOCX", "CSV", "TOML", "URL", "UTF", "cron", "Word",
    "Excel", "ID", "id", "bash", "zsh", "eval", "bashrc", "zshrc", "TA", "BA", "none", "ZIP", "PDF", "II",
    "iCalendar", "Outlook", "Thunderbird",  # the calendar export's format and the programs that import it
}
_CODES = re.compile(r"\((?:[a-z0-9-][a-z0-9.:_\-–]*(?:[,;]\s*|\s+или\s+)?)+\)")  # "(not-confirmed)", "(red.1–6)"
_IGNORED = [
    re.compile(r"(?<![\w-])--?[a-z][a-z0-9-]*"),            # option names
    re.compile(r"\b_?SOPCLI_[A-Z_]+\b"),                    # the env variables
    re.compile(r"[\w.~/-]*\.(?:docx|xlsx|csv|txt|zip|toml|db|sqlite|ics)\b"),  # file-name examples
    re.compile(r"\[\[\w+\]\]"),                             # TOML tables in `rules check`
    re.compile(r"\b[a-z]+(?:\.[a-z0-9-]+)+"),                # rule ids (fed.threat, me.check)
    re.compile(r"\b[a-z_]+=(?=\S)"),                          # "name=Ф.И.О." in an example of --columns
    re.compile(r"ГГГГQN|\b\d{4}Q\d\b|Europe/Moscow"),         # the formats of a quarter and a time zone
    _CODES,
]


def english_words(text: str) -> list[str]:
    """The Latin words a person would read, after the allowed kinds are taken out (command names too:
    they are typed like option names)."""
    text = re.sub(r"-\n\s*", "-", text)  # click wraps "colony-short" at the hyphen
    for pattern in _IGNORED:
        text = pattern.sub(" ", text)
    names = _command_words()
    return [w for w in re.findall(r"[A-Za-z]{2,}", text) if w not in ALLOWED and w not in names]


def _command_words() -> set[str]:
    return {part for path in command_paths() for name in path for part in name.split("-")}


@functools.cache
def _tree() -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(p) for p in _walk())


def command_paths() -> list[list[str]]:
    return [list(p) for p in _tree()]


def _walk() -> list[list[str]]:
    """Every command and group of the app, from click's own tree (a command added later is walked too)."""
    import typer

    from sopcli.cli import app

    out: list[list[str]] = [[]]

    def walk(cmd, path: list[str]) -> None:
        if not hasattr(cmd, "list_commands"):
            return
        ctx = cmd.make_context("sopcli", ["--help"], resilient_parsing=True)
        for name in cmd.list_commands(ctx):  # the root builds its commands only when asked (cli.TopGroup)
            out.append([*path, name])
            walk(cmd.get_command(ctx, name), [*path, name])

    walk(typer.main.get_command(app), [])
    return out


def test_the_tree_is_walked_whole():
    paths = {" ".join(p) for p in command_paths()}
    assert {"", "signal add", "check", "plan edit", "deadlines done", "admin", "completion"} <= paths
    assert len(paths) > 40


def _help(path: list[str]) -> subprocess.CompletedProcess:
    from tests import forkserver

    code, out, err = forkserver.run([*path, "--help"], dict(os.environ), timeout=60)
    return subprocess.CompletedProcess(path, code, out, err)


NOT_YET: set[str] = set()


def test_every_help_page_is_russian():
    found = {}
    for path in command_paths():
        if " ".join(path) in NOT_YET:
            continue
        r = _help(path)
        assert r.returncode == 0, (path, r.stderr)
        bad = english_words(r.stdout + r.stderr)
        if bad:
            found[" ".join(path) or "sopcli"] = sorted(set(bad))
    assert not found, found


def test_help_decorations_are_russian():
    top = " ".join(_help([]).stdout.split())
    assert "[переменная окружения: SOPCLI_COMMISSION]" in top
    add = " ".join(_help(["signal", "add"]).stdout.split())
    assert "[по умолчанию: письменно]" in add and "телефон (phone)" in add
    year = _help(["signal", "list"]).stdout
    assert "--year ЧИСЛО" in year and "[от 1991 до 2100]" in year and "int range" not in year


def test_commands_are_listed_in_the_order_of_the_work():
    top = _help([]).stdout
    listed = re.findall(r"^  ([a-z]+)  ", top.split("Команды:")[1], re.M)
    assert listed[:15] == ["init", "signal", "check", "recognize", "emergency", "consent", "plan", "report",
                           "control", "transfer", "release", "graduates", "close", "deadlines", "case"]
    assert listed.index("doc") < listed.index("agency") < listed.index("restore")


ERRORS = [
    (["deadlinez"], "Может быть, вы имели в виду «deadlines»?"),
    (["signal", "lst"], "Может быть, вы имели в виду «list»?"),
    (["signal", "list", "--yaer", "2025"], "Нет такого параметра: --yaer. Может быть, вы имели в виду «--year»?"),
    (["check", "1", "--levle", "низкий"], "Нет такого параметра: --levle"),
    (["calendar", "due"], "Не указан обязательный параметр НАЧАЛО"),
    (["signal", "list", "--year", "абв"], "ожидается целое число"),
    (["signal", "list", "--year", "1800"], "допустимо от 1991 до 2100"),
    (["signal", "show", "0"], "вне допустимого диапазона"),
    (["signal", "list", "--year"], "Параметру --year нужно значение"),
    (["check", "1", "2"], "Лишние аргументы"),
    (["signal", "show", "1", "--json=да"], "Параметр --json пишется без значения"),
    (["completion", "fish"], "bash, zsh"),
    (["completion"], "Не указан обязательный параметр ОБОЛОЧКА"),
    # issue 32 §5: a global option typed after the command is told where it goes
    (["signal", "show", "10", "--db", "x.db"], "--db — общий параметр: пишется перед командой"),
]


@pytest.mark.parametrize(("args", "said"), ERRORS, ids=[" ".join(a) for a, _ in ERRORS])
def test_click_errors_are_one_russian_line(sop, args, said):
    r = sop(*args)
    assert r.code == 2, (r.code, r.err)
    assert said in r.err
    assert len(r.err.strip().splitlines()) == 1, r.err
    typed = {w for a in args for w in re.findall(r"[A-Za-z]+", a)}  # what the person typed is quoted back
    assert not [w for w in english_words(r.err) if w not in typed], r.err


def test_a_wrong_fixed_word_is_refused_with_the_allowed_words(sop):
    r = sop("case", "list", "--status", "архив")
    assert r.code == 2
    assert "открыто (open)" in r.err and "закрыто (closed)" in r.err


def test_completion_offers_the_russian_words(sop_env):
    env = {**os.environ, **sop_env, "_SOPCLI_COMPLETE": "complete_bash", "COMP_WORDS": "sopcli check 1 --level к",
           "COMP_CWORD": "4"}
    r = subprocess.run([sys.executable, "-m", "sopcli"], env=env, capture_output=True, text=True, timeout=60)
    assert r.stdout.split() == ["критический"]
    script = subprocess.run([sys.executable, "-m", "sopcli", "completion", "zsh"], env={**os.environ, **sop_env},
                            capture_output=True, text=True, timeout=60).stdout
    assert "compdef" in script and "_SOPCLI_COMPLETE=complete_zsh" in script


def test_the_russian_words_are_taken_and_printed_back(sopr):
    assert sopr("agency", "add", "Школа № 1", "--kind", "образование").code == 0  # the source (issue 28)
    add = sopr("signal", "add", "--no-threat",
               "--received", "10.03.2025 09:00", "--source", "Школа № 1", "--channel", "Телефон",
               "--child", "Орлов Иван Петрович, 01.01.2012", "--parent", "Орлова Анна Ивановна",
               "--problem", "Пропуски")
    assert add.code == 0, add.err
    assert "зарегистрирован" in sopr("signal", "list").out
    check = sopr("check", "1", "--concluded", "12.03.2025", "--level", "Критический", "--outcome", "сОп")
    assert check.code == 0, check.err
    assert "уровень критический, итог СОП" in check.out
    shown = sopr("signal", "show", "1").out
    assert "(телефон)" in shown and "уровень критический, итог СОП" in shown and "проверен" not in shown
    doc = sopr("signal", "show", "1", "--json").json()
    assert doc["channel"] == "phone" and doc["check"]["level"] == "critical" and doc["check"]["outcome"] == "sop"
    rec = sopr("recognize", "1", "--date", "14.03.2025", "--resolution", "7", "--curator", "Петрова Анна",
               "--subject", "семья")
    assert rec.code == 0, rec.err
    case = sopr("case", "show", "1").out
    assert "(семья), открыто" in case and "уровень критический" in case
    assert "открыто" in sopr("case", "list", "--status", "Открытые").out
    assert sopr("control", "1", "--date", "20.03.2025", "--decision", "продолжить").out.startswith(
        "Контроль по делу № 1: продолжить реализацию программы.")
    closed = sopr("close", "1", "--date", "21.03.2025", "--resolution", "8", "--ground", "улучшение положения в семье",
                  "--outcome", "достигнута полная реабилитация")
    assert closed.code == 0, closed.err
    assert "закрыто: улучшение положения в семье" in closed.out
    assert sopr("case", "show", "1", "--json").json()["close_ground"] == "improved"
    audit = sopr("audit", "list", "--limit", "1000").out
    assert "создание, сигнал № 1" in audit and "закрытие, дело № 1" in audit
    # issue 32 §5: the details in words, dates as the secretary writes them, no «None», no «key=value»
    assert "основание: улучшение положения в семье" in audit and "срок: " in audit
    assert "None" not in audit and not re.search(r"\b[a-z_]+=", audit) and not re.search(r"\d{4}-\d\d-\d\d", audit)
    assert "записей запечатано" in audit and "(obligation" not in audit


def test_an_unknown_word_is_refused_with_the_allowed_words(sopr):
    assert sopr("agency", "add", "Школа № 1", "--kind", "образование").code == 0  # the source (issue 28)
    sopr("signal", "add", "--no-threat", "--received", "10.03.2025 09:00", "--source", "Школа № 1", "--child",
         "Орлов Иван Петрович, 01.01.2012", "--problem", "Пропуски")
    r = sopr("check", "1", "--concluded", "12.03.2025", "--level", "ужасный", "--outcome", "СОП")
    assert r.code == 2
    assert "низкий (low); средний (medium); высокий (high); критический (critical)" in r.err
    assert sopr("signal", "show", "1", "--json").json()["check"] is None  # nothing written
    bad = sopr("signal", "add", "--no-threat",
               "--received", "10.03.2025 09:00", "--source", "Школа № 1", "--channel", "голубь",
               "--child", "Орлов Пётр Петрович, 01.01.2013", "--problem", "x")
    assert bad.code == 2 and "телефон (phone)" in bad.err and "Орлов" not in bad.err


def test_a_missing_registry_names_the_db_to_create_and_a_future_moment_names_its_time(sop, sop_env, tmp_path):
    """Issue 32 §5: «Реестр не найден» says how to create that very registry; a call later today is refused with
    its time, not only its date (the date alone reads as today, not as the future)."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    missing = tmp_path / "опечатка" / "registry.db"
    r = sop("--db", str(missing), "signal", "list")
    assert r.code == 2 and f"sopcli --db {missing} init" in r.err and not missing.parent.exists()
    now = datetime.now(ZoneInfo("Europe/Moscow"))  # the registry's clock (init's default time zone)
    later = now + timedelta(minutes=30)
    if later.date() != now.date():
        pytest.skip("half an hour from now is tomorrow: the moment and the day agree")
    ok = sop("init", "--new")
    assert ok.code == 0, ok.err
    r = sop("signal", "add", "--received", f"{later:%d.%m.%Y %H:%M}", "--source", "ПДН", "--child",
            "Сидоров Пётр Ильич, 10.02.2010", "--problem", "Безнадзорность", "--no-threat")
    assert r.code == 2 and f"в будущем: {later:%d.%m.%Y %H:%M} (сейчас " in r.err, r.err


def test_kinds_and_labels_are_taken_in_the_secretarys_short_words(sop, tmp_path):
    """Issue 32 §5: `export банк`, `export сводка`, a doc kind by its first word, `close --outcome частичное`;
    a wrong one is refused with the Russian words (the codes after them, for scripts)."""
    assert sop("init", "--new").code == 0
    out = tmp_path / "сроки.xlsx"
    r = sop("export", "сводка", "-o", str(out))
    assert r.code == 0 and out.exists(), r.err
    r = sop("export", "бланк", "-o", str(tmp_path / "x.xlsx"))
    assert r.code == 2 and "банк данных (bank)" in r.err and "сводка сроков (digest)" in r.err
    r = sop("doc", "проект", "1", "-o", str(tmp_path / "x.docx"))  # two drafts begin so: named, not guessed
    assert r.code == 2 and "проект постановления о признании (resolution-recognition)" in r.err
    from sopcli.vocab import OUTCOMES_APP4, RESULTS_APP4, code_for

    assert code_for("частичное", OUTCOMES_APP4, "итога") == "partial"
    assert code_for("оптимизация семейных отношений", RESULTS_APP4, "результата") == "relations"
