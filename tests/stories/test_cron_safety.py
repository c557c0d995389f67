"""A wrong path is never an «all clear», and a script answers every question that opens terms (issue 32 §1–2).

The README's cron recipe is run as written, under `env -i` with no terminal, against a registry path
with a typo and against a disk that is not mounted: it must fail with one Russian line and leave
nothing behind. The morning digest names the registry it read, so an empty one shows in the mail.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ok, refused
from tests.services.directory.test_people import _talk

README = Path(__file__).resolve().parents[2] / "README.md"
SOPCLI = str(Path(sys.executable).with_name("sopcli"))  # the installed command, as cron calls it
RUSSIAN_LINE = re.compile(r"^Ошибка: [А-Яа-яЁё][^\n]*\n$")


def _cron_line() -> str:
    """The README's morning digest, as a person copies it into `crontab -e` (the schedule fields dropped)."""
    text = README.read_text("utf-8")
    line = next(x for x in text.splitlines() if "deadlines --fail-if-overdue" in x and x.startswith("0 8"))
    command = line.split(None, 5)[5]
    return command.replace("/opt/sopcli/.venv/bin/sopcli", SOPCLI)


def _as_cron(command: str, db: str, home: Path) -> subprocess.CompletedProcess:
    """`command` as cron runs it: `env -i` with the crontab's variables, no terminal, sh."""
    env = ["env", "-i", f"HOME={home}", "PATH=/usr/bin:/bin", f"SOPCLI_DB={db}",
           f"XDG_DATA_HOME={home / 'data'}", f"XDG_CONFIG_HOME={home / 'config'}", "LANG=C.UTF-8"]
    return subprocess.run([*env, "sh", "-c", command], capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL)


def _tree(root: Path) -> list[str]:
    """Every file and folder under `root` but the user's home (the rulebook's cache may be written there)."""
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if root / "home" not in (p, *p.parents))


@pytest.mark.parametrize("where", ["typo", "unmounted"])
def test_readme_cron_recipe_on_a_wrong_path_fails_in_one_line_and_creates_nothing(tmp_path, where):
    home = tmp_path / "home"
    home.mkdir()
    srv = tmp_path / "srv" / "kdn"
    srv.mkdir(parents=True)
    # a typo in the file's name; or the disk holding the registry's folder is not mounted (its folder is gone)
    db = srv / "registy.db" if where == "typo" else tmp_path / "mnt" / "kdn" / "registry.db"
    before = _tree(tmp_path)
    run = _as_cron(_cron_line(), str(db), home)
    assert run.returncode == 2, (run.returncode, run.stdout, run.stderr)
    assert run.stdout == ""  # no «просрочено 0» in the mail
    assert RUSSIAN_LINE.match(run.stderr), run.stderr
    assert "Реестра нет" in run.stderr and str(db) in run.stderr and "init --new" in run.stderr
    if where == "unmounted":
        assert f"нет папки {tmp_path / 'mnt'}" in run.stderr
    assert _tree(tmp_path) == before  # no registry, no folder


def test_readme_cron_recipe_on_the_registry_names_it_first(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    db = tmp_path / "srv" / "registry.db"
    made = _as_cron(f"{SOPCLI} init --new --municipality 'г. Йошкар-Ола' >/dev/null", str(db), home)
    assert made.returncode == 0 and made.stderr == "", made.stderr
    assert oct(db.stat().st_mode & 0o777) == "0o600" and oct(db.parent.stat().st_mode & 0o777) == "0o700"
    run = _as_cron(_cron_line(), str(db), home)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[0] == "Реестр: КДН и ЗП г. Йошкар-Олы — 0 дел, в работе 0"
    assert run.stdout.splitlines()[1].startswith("Сроки на ")


def test_init_without_new_refuses_a_missing_registry_in_a_script(sop, sop_env, tmp_path):
    db = tmp_path / "nomount" / "kdn" / "registry.db"
    sop_env["SOPCLI_DB"] = str(db)
    refused(sop("init", "--municipality", "г. Йошкар-Ола"), "Реестра нет", "sopcli --db", "init --new")
    assert not (tmp_path / "nomount").exists()
    r = ok(sop("init", "--new", "--municipality", "г. Йошкар-Ола"))
    assert r.out.startswith(f"Реестр готов: {db}") and db.exists()
    again = ok(sop("init"))  # an existing registry is only upgraded: no --new needed, nothing asked
    assert "изменений нет" in again.out
    twice = ok(sop("init", "--new"))  # --new on a registry that is there: the same upgrade, nothing replaced
    assert "изменений нет" in twice.out


def test_init_on_an_empty_postgresql_database_needs_new_too(sop, pg_db):
    run = sop("--db", pg_db, "init")
    refused(run, "Реестра нет", "sopcli init --new")
    assert "@" not in run.err  # the address without its credentials
    assert sop("--db", pg_db, "deadlines").code == 2  # still no schema: nothing was created
    ok(sop("--db", pg_db, "init", "--new"))
    assert ok(sop("--db", pg_db, "deadlines")).out.startswith("Реестр: КДН и ЗП")


@pytest.mark.parametrize("answer", ["нет", "да"])
def test_init_at_a_terminal_asks_before_creating(sop_env, tmp_path, answer):
    db = tmp_path / "new" / "registry.db"
    code, seen = _talk({**sop_env, "SOPCLI_DB": str(db)}, ["init"],
                       [("Создать новый реестр и папку", answer)])
    assert f"Реестра нет: {db}." in seen
    if answer == "нет":
        assert code == 2 and "Реестр не создан." in seen and not (tmp_path / "new").exists()
    else:
        assert code == 0 and "Реестр готов" in seen and db.exists()


def test_digest_first_line_names_the_commission_and_its_cases(sopr):
    first = sopr("deadlines").out.splitlines()[0]
    assert re.fullmatch(r"Реестр: КДН и ЗП \S.* — \d+ дел\S*, в работе \d+", first), first
    doc = sopr("deadlines", "--json").json()["registry"]
    assert set(doc) == {"commission", "cases", "open_cases"} and doc["cases"] == doc["open_cases"] == 0
    ok(sopr("signal", "add", "--received", "02.11.2026 09:40", "--source", "ПДН", "--child",
            "Орлов Иван Петрович, 01.03.2012", "--problem", "Не ночует дома", "--no-threat"))
    ok(sopr("check", "1", "--concluded", "06.11.2026", "--level", "высокий", "--outcome", "СОП"))
    ok(sopr("recognize", "1", "--date", "10.11.2026", "--resolution", "15-п", "--curator", "Петрова А.В.",
            "--member", "ПДН", "--until", "10.05.2027"))
    assert sopr("deadlines").out.splitlines()[0].endswith(" — 1 дело, в работе 1")
    # a past moment: only the cases there then (in either reading), and no «в работе» it cannot know
    assert sopr("deadlines", "--as-of", "09.11.2026").out.splitlines()[0].endswith(" — 0 дел")
    assert sopr("deadlines", "--as-of", "09.11.2026", "--known-now").out.splitlines()[0].endswith(" — 0 дел")
    assert sopr("deadlines", "--as-of", "11.11.2026", "--known-now").out.splitlines()[0].endswith(" — 1 дело")


SIGNAL = ["signal", "add", "--received", "02.11.2026 09:40", "--source", "ПДН", "--child", "Орлов Иван Петрович",
          "--problem", "Не ночует дома"]


def test_signal_add_in_a_script_must_say_whether_there_is_a_threat(sopr):
    before = sopr("audit", "list", "--json").json()
    refused(sopr(*SIGNAL), "угроза жизни или здоровью", "--threat", "--no-threat")
    assert sopr("signal", "list", "--json").json()["signals"] == []
    assert sopr("audit", "list", "--json").json() == before  # nothing written
    threat = ok(sopr(*SIGNAL, "--threat", "--json")).json()
    assert "fed.threat" in {o["rule"] for o in threat["obligations"] + threat["fulfilled"]}
    calm = ok(sopr(*[("03.11.2026 10:00" if a == "02.11.2026 09:40" else a) for a in SIGNAL], "--no-threat",
                   "--json")).json()
    assert "fed.threat" not in {o["rule"] for o in calm["obligations"] + calm["fulfilled"]}


def test_signal_add_help_says_the_threat_is_required_in_a_script(sop):
    text = " ".join(sop("signal", "add", "--help").out.split())
    assert "обязателен в сценарии" in text and "[по умолчанию: нет]" not in text.split("--threat")[1][:120]

