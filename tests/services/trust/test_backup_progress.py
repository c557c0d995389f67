"""Backup and restore show progress bars to a person at a terminal, and nothing at all under cron or in a pipe.

Through the real CLI: stderr on a pseudo-terminal (read from the master side, as a
terminal would), then piped. The registry is small; the bars are drawn per table
whatever the size (issue 17 §3).
"""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from tests.conftest import drain, ok, runner


def on_terminal(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    """`sopcli ARGS` with stderr on a pseudo-terminal; returns (exit code, stdout, what the terminal showed)."""
    env = {k: v for k, v in env.items() if k not in ("NO_COLOR", "TERM")} | {"TERM": "xterm", "COLUMNS": "120"}
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "sopcli", *args], env=env, stdout=subprocess.PIPE,
                            stderr=slave, stdin=subprocess.DEVNULL)
    os.close(slave)
    shown = drain(master)
    out = proc.stdout.read().decode()
    proc.wait(timeout=120)
    os.close(master)
    return proc.returncode, out, shown.decode(errors="replace")


def test_backup_and_restore_show_bars_on_a_terminal_and_nothing_when_piped(sopr, reg_env, tmp_path: Path):
    ok(sopr("signal", "add", "--no-threat", "--received", "03.03.2025 09:15", "--source", "Школа", "--child",
            "Орлова Мария Ивановна, 05.05.2012", "--problem", "Пропуски"))
    out = tmp_path / "b.zip"
    code, stdout, shown = on_terminal(reg_env, "backup", str(out))
    assert code == 0, shown
    assert "Резервная копия: таблица" in shown and " из " in shown  # the bar's stage, in Russian
    assert "Резервная копия:" in stdout  # the result stays on stdout
    target = dict(reg_env, SOPCLI_DB=str(tmp_path / "restored.db"))
    code, stdout, shown = on_terminal(target, "restore", str(out))
    assert code == 0, shown
    assert "Проверка резервной копии" in shown and "Восстановление: таблица" in shown
    assert "Восстановлено записей" in stdout

    piped = ok(runner(reg_env)("backup", str(out), "--force"))  # stderr a pipe, as under cron
    assert piped.err == "" and "Резервная копия:" in piped.out
    (tmp_path / "again.db").unlink(missing_ok=True)
    piped = ok(runner(dict(reg_env, SOPCLI_DB=str(tmp_path / "again.db")))("restore", str(out)))
    assert piped.err == "" and "Восстановлено записей" in piped.out
