"""`-o` into a system folder (issue 27 §4): refused, exit 2, one line, before anything is read or written.

sopcli often runs as root under cron, where no permission stops a write into /etc or /proc (`remind --all -o
/proc` used to end in an internal error halfway). One rule for every path a paper or a backup is written to
(files.refuse_system_folder), with symbolic links resolved: a link in the user's folder that leads into /etc
is /etc.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from sopcli.errors import InvalidInput
from sopcli.files import output_target, refuse_system_folder, writable_folder
from tests.conftest import ok, refused


def _etc() -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in Path("/etc").iterdir()
            if p.is_file() and not p.is_symlink() and p.stat().st_size < 1 << 20}


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_every_output_path_into_a_system_folder_is_refused(sopr, tmp_path):
    (tmp_path / "к-etc").symlink_to("/etc")
    (tmp_path / "пароли.xlsx").symlink_to("/etc/passwd")
    (tmp_path / "копия.zip").symlink_to("/etc/sopcli-копия.zip")
    before = _etc()
    runs = {
        ("remind", "--all", "-o", "/proc"): "/proc",
        ("remind", "--all", "-o", "/sys/kernel"): "/sys",
        ("remind", "--all", "-o", "/dev"): "/dev",
        ("remind", "--all", "-o", "/"): "/",
        ("remind", "--all", "-o", "/usr/local/share"): "/usr",
        ("remind", "--all", "-o", str(tmp_path / "к-etc")): "/etc",
        ("remind", "--who", "опека", "-o", str(tmp_path / "к-etc" / "письмо.docx")): "/etc",
        ("export", "bank", "--all", "-o", "/etc/банк.xlsx"): "/etc",
        ("export", "bank", "--all", "-o", str(tmp_path / "пароли.xlsx")): "/etc",
        ("export", "ics", "-o", "/dev/сроки.ics"): "/dev",
        ("export", "ics", "-o", "/var/lib/сроки.ics"): "/var/lib",
        ("doc", "closure-notice", "1", "-o", "/boot/x.docx"): "/boot",
        ("backup", "/proc/копия.zip"): "/proc",
        ("backup", str(tmp_path / "копия.zip")): "/etc",
        ("backup", str(tmp_path / "к-etc" / "новая" / "копия.zip")): "/etc",
    }
    try:
        for args, where in runs.items():
            refused(sopr(*args), "системную папку", f"папку {where}:")
    finally:
        for stray in ("банк.xlsx", "sopcli-копия.zip", "письмо.docx"):  # had anything slipped through
            Path("/etc", stray).unlink(missing_ok=True)
    assert _etc() == before and not Path("/etc/новая").exists()
    assert [p for p in Path("/etc").iterdir() if p.name.startswith((".sopcli-", ".sopcli"))] == []


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_users_own_folder_is_not_a_system_one(sopr, tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "ссылка").symlink_to(tmp_path / "out")
    ok(sopr("remind", "--all", "-o", str(tmp_path / "ссылка")))
    ok(sopr("backup", str(tmp_path / "ссылка" / "копия.zip")))
    assert (tmp_path / "out" / "копия.zip").exists()


@pytest.mark.parametrize("path", ["/home", "/srv", "/media", "/mnt", "/run", "/var", "/opt"])
def test_a_top_folder_is_refused_its_subfolders_are_people(path):
    with pytest.raises(InvalidInput):
        refuse_system_folder(Path(path), "выгрузки")
    refuse_system_folder(Path(path) / "kdn", "выгрузки")  # /home/anna, /srv/kdn, /run/media/anna/флешка


def test_the_shared_helpers_hold_the_rule(tmp_path):
    (tmp_path / "lib").symlink_to("/usr/lib")
    for call in (lambda: writable_folder(tmp_path / "lib", "писем"),
                 lambda: output_target(tmp_path / "lib" / "акт.xlsx", ".xlsx", "выгрузки"),
                 lambda: output_target(Path("/etc/x.docx"), ".docx", "документа")):
        with pytest.raises(InvalidInput, match=r"системную папку /(usr|etc)"):
            call()
