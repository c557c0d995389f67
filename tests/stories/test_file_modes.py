"""152-ФЗ: whatever the user's umask, every file sopcli writes is 0600 and every folder it makes is 0700.

A whole flow runs as real processes under `umask 022` (the usual default, which would leave files 0644
and folders 0755, readable by every account on the machine); then every file and folder under the
test's root is stat-ed."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def test_a_whole_flow_under_umask_022(sop_env, tmp_path):
    env = dict(sop_env)
    env["SOPCLI_DB"] = str(tmp_path / "data" / "deep" / "registry.db")  # folders sopcli has to make
    env["SOPCLI_CONFIG_DIR"] = str(tmp_path / "config" / "sopcli")
    env["SOPCLI_CACHE_DIR"] = str(tmp_path / "cache" / "sopcli")
    out = tmp_path / "out"  # the user's own folder for the papers: left as the user made it
    out.mkdir()
    out.chmod(0o755)

    def run(*args: str) -> str:
        proc = subprocess.run([sys.executable, "-m", "sopcli", *args], env=env, capture_output=True, text=True,
                              timeout=120, preexec_fn=lambda: os.umask(0o022))
        assert proc.returncode == 0, (args, proc.stderr)
        return proc.stdout

    assert subprocess.run(["sh", "-c", "umask"], capture_output=True, text=True,
                          preexec_fn=lambda: os.umask(0o022)).stdout.strip() == "0022"
    run("calendar", "set", "05.01.2027", "--off", "--reason", "местный праздник")  # before the registry: a file
    run("init", "--new", "--municipality", "г. Энск")
    run("signal", "add", "--no-threat", "--received", "03.03.2025 10:00", "--source", "ПДН", "--child",
        "Сидоров Пётр Ильич, 10.02.2010", "--parent", "Сидорова Алёна Петровна", "--problem", "Безнадзорность")
    run("check", "1", "--concluded", "05.03.2025", "--level", "high", "--outcome", "sop")
    run("recognize", "1", "--date", "12.03.2025", "--resolution", "9", "--curator", "Петрова Анна Викторовна")
    run("plan", "add", "1", "--measure", "Беседа", "--executor", "Орган внутренних дел (ПДН)", "--due", "15.04.2025")
    run("plan", "approve", "1", "--date", "24.03.2025", "--resolution", "12")
    run("doc", "program-letter", "1", "-o", str(out / "письмо.docx"), "--sent", "26.03.2025")
    run("doc", "resolution-recognition", "1", "-o", str(out / "проект.docx"))
    run("export", "bank", "--quarter", "2025Q1", "-o", str(out / "банк.xlsx"))
    run("export", "stat", "--year", "2025", "--anonymize", "-o", str(out / "сведения.xlsx"))
    run("reconcile", str(out / "банк.xlsx"), "--agency", "Орган внутренних дел (ПДН)", "--quarter", "2025Q1",
        "--date", "31.03.2025", "-o", str(out / "акт.xlsx"))
    run("deadlines", "--as-of", "01.04.2025")

    made = {p.name for p in out.iterdir()}
    assert made == {"письмо.docx", "проект.docx", "банк.xlsx", "сведения.xlsx", "акт.xlsx"}  # no temporary left
    assert (tmp_path / "data" / "deep" / "registry.db").exists() and (tmp_path / "config" / "sopcli").is_dir()
    loose = []
    for root, dirs, files in os.walk(tmp_path):
        for d in dirs:
            path = Path(root) / d
            if path != out and _mode(path) != 0o700:
                loose.append(f"{path.relative_to(tmp_path)}/ {_mode(path):o}")
        for f in files:
            path = Path(root) / f
            if _mode(path) != 0o600:
                loose.append(f"{path.relative_to(tmp_path)} {_mode(path):o}")
    assert loose == []
    assert _mode(out) == 0o755  # a folder sopcli did not make is not sopcli's to close
