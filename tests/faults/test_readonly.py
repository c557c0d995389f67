"""A read-only registry (issue 7 §2 c): a read-only file, a read-only folder, a read-only export folder.

Expected: exit 1 with one Russian line naming the cause (README: the
environment's fault), no traceback, and no damage — every table's content the
same, integrity_check ok, no file left at the target.
"""

from __future__ import annotations

import os
import stat

import pytest

from tests.faults import probe
from tests.faults.conftest import generate
from tests.faults.environment import Sandbox, refused_cleanly, same

pytestmark = pytest.mark.slow

SIGNAL = ["signal", "add", "--no-threat", "--received", "03.03.2025 10:00", "--source", "ПДН", "--child",
          "Смирнова Мария Олеговна, 01.09.2013", "--problem", "Безнадзорность"]


@pytest.fixture
def box():
    b = Sandbox()
    r = b.run("init", "--new", as_user=False)
    assert r.code == 0, r.err
    generate(f"sqlite:///{b.db}", 200)
    yield b
    b.close()


def test_a_read_only_registry_file_is_read_but_never_written(box):
    os.chmod(box.db, 0o400)
    before = box.state()
    refused_cleanly(box.run(*SIGNAL), "только для чтения")
    assert stat.S_IMODE(box.db.stat().st_mode) == 0o400, "sopcli made a read-only registry writable"
    r = box.run("deadlines", "--json")
    assert r.code == 0, r.err  # reading a read-only registry still works
    same(before, box.state())
    assert probe.sqlite_health(str(box.db)) == []


def test_a_read_only_folder_where_the_wal_cannot_be_created(box):
    folder = box.db.parent
    before = box.state()
    assert probe.sqlite_health(str(box.db)) == []  # the last connection to close takes the -wal and -shm away
    for extra in ("-wal", "-shm"):
        assert not os.path.exists(f"{box.db}{extra}")
    os.chmod(folder, 0o500)
    try:
        refused_cleanly(box.run(*SIGNAL), "только для чтения")
        refused_cleanly(box.run("case", "list"), "только для чтения")  # not "Реестр не создан"
    finally:
        os.chmod(folder, 0o700)
    same(before, box.state())
    assert probe.sqlite_health(str(box.db)) == []


def test_a_read_only_export_folder(box):
    out = box.root / "out"
    out.mkdir()
    os.chmod(out, 0o500)
    target = out / "банк.xlsx"
    r = box.run("export", "bank", "--all", "-o", str(target))
    # the folder named in -o is checked first: the user's input refused (exit 2), not a fault met halfway
    assert r.code == 2 and r.err.strip() == f"Ошибка: В папку для выгрузки нельзя записать: {out}", (r.code, r.err)
    assert list(out.iterdir()) == []


def test_a_reconciliation_whose_act_cannot_be_written_is_not_recorded(box):
    src = box.root / "пдн.csv"
    src.write_text("ФИО;Дата рождения\nОрлов Иван Петрович;01.01.2012\n", encoding="utf-8")
    out = box.root / "acts"
    out.mkdir()
    os.chmod(out, 0o500)
    before = box.state()
    r = box.run("reconcile", str(src), "--agency", "Орган внутренних дел (ПДН)", "--quarter", "2025Q1",
                "--date", "31.03.2025", "-o", str(out / "акт.xlsx"))
    assert r.code == 2 and "В папку для выгрузки нельзя записать" in r.err, (r.code, r.err)
    assert list(out.iterdir()) == []
    same(before, box.state())
