"""A full disk (issue 7 §2 b): a file-size limit (RLIMIT_FSIZE → EFBIG) and a really full filesystem (ENOSPC).

Expected: exit 1 with one Russian line naming the cause (README: the
environment's fault), no traceback, and no damage — integrity_check ok, every
table's content the same, no partial file at the target — and once there is
room again the same command goes through.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Result
from tests.faults import probe
from tests.faults.conftest import generate
from tests.faults.environment import Sandbox, refused_cleanly, same
from tests.faults.test_kill import _complex

pytestmark = pytest.mark.slow


@pytest.fixture
def box():
    b = Sandbox()
    r = b.run("init", "--new", as_user=False)
    assert r.code == 0, r.err
    yield b
    b.close()


def _quiet(path: Path) -> None:
    """Close every connection's leftovers: no -wal, so the next write starts the WAL from nothing."""
    assert probe.sqlite_health(str(path)) == []
    assert not Path(f"{path}-wal").exists()


def test_an_export_past_the_file_size_limit(box):
    generate(f"sqlite:///{box.db}", 2000)
    out = box.root / "out"
    out.mkdir()
    whole = box.run("export", "bank", "--all", "-o", str(out / "all.xlsx"))
    assert whole.code == 0, whole.err
    limit = 64 * 1024
    assert (out / "all.xlsx").stat().st_size > 2 * limit  # the limit cuts the file, not a header
    (out / "all.xlsx").unlink()
    before = box.state()
    refused_cleanly(box.run("export", "bank", "--all", "-o", str(out / "банк.xlsx"), fsize=limit),
                    "превысил допустимый размер")
    assert list(out.iterdir()) == []  # neither the target nor the temporary file
    same(before, box.state())
    assert probe.sqlite_health(str(box.db)) == []


def test_a_registry_write_past_the_file_size_limit(box):
    _quiet(box.db)
    # SQLite writes a transaction to the -wal first and into the registry file only at the checkpoint:
    # a limit of 64 KB stops the WAL in the middle of a large import
    assert box.db.stat().st_size > 64 * 1024
    before = box.state()
    src = _complex(box.root, 1)
    refused_cleanly(box.run("measures", "import", str(src), fsize=64 * 1024), "не удалось записать реестр")
    assert probe.sqlite_health(str(box.db)) == []
    same(before, box.state())


def test_a_registry_near_the_limit_keeps_a_committed_step_in_the_wal(box):
    """The WAL fits, the checkpoint cannot grow the registry file: the step is done and nothing is lost."""
    _quiet(box.db)
    limit = box.db.stat().st_size + 4096  # the registry near the limit: one more page
    before = box.state()
    r = box.run("measures", "import", str(_complex(box.root, 1, measures=20)), "--json", fsize=limit)
    assert r.code == 0, r.err
    assert box.db.stat().st_size <= limit and Path(f"{box.db}-wal").exists()
    assert probe.sqlite_health(str(box.db)) == []  # a connection with room checkpoints it
    after = box.state()
    assert after.counts["complex_measure"] == before.counts["complex_measure"] + 20
    assert probe.invariants(str(box.db), before) == []


def _unshare() -> list[str]:
    """A private mount namespace where a tiny tmpfs can be mounted (root, or user namespaces allowed)."""
    cmd = ["unshare", "--user", "--map-root-user", "--mount"]
    if shutil.which("unshare") is None or subprocess.run([*cmd, "true"], capture_output=True).returncode != 0:
        pytest.skip("no mount namespace here (unshare): the file-size limit tests stand in for a full disk")
    return cmd


def _on_a_full_disk(box: Sandbox, args: list[str], free: int, registry_there: bool) -> tuple[Result, Path]:
    """`sopcli ARGS` with `free` bytes left on the tmpfs at box.root/small (and the registry on it, if asked).

    Returns the run and a folder with what was left: the registry's files copied back and `left`, the tmpfs listing.
    """
    small, out = box.root / "small", box.root / "after"
    small.mkdir()
    out.mkdir()
    size = (box.db.stat().st_size if registry_there else 0) + free + 256 * 1024
    db = '"$1/registry.db"' if registry_there else '"$2"'
    copy = 'cp "$2" "$1/registry.db" && ' if registry_there else ""
    script = (
        f'mount -t tmpfs -o size={size} tmpfs "$1" && {copy}'
        f'avail=$(df -B1 --output=avail "$1" | tail -1) && {{ head -c $((avail - {free})) /dev/zero > "$1/filler"; '
        f'SOPCLI_DB={db} "$3" -m sopcli "${{@:5}}" 2> "$4/err"; echo $? > "$4/code"; '
        f'cp "$1"/registry.db* "$4/" 2>/dev/null; ls -A "$1" > "$4/left"; }}')
    subprocess.run([*_unshare(), "bash", "-c", script, "sh", str(small), str(box.db), sys.executable, str(out),
                    *args], env=box.env, check=True, timeout=300)
    return Result(int((out / "code").read_text()), "", (out / "err").read_text()), out


def test_a_registry_on_a_full_disk(box):
    _quiet(box.db)
    before = box.state()
    r, out = _on_a_full_disk(box, ["measures", "import", str(_complex(box.root, 2))], 64 * 1024, True)
    refused_cleanly(r, "не хватает места")
    copy = out / "registry.db"
    assert probe.sqlite_health(str(copy)) == []
    same(before, probe.state(str(copy)))


def test_an_export_onto_a_full_disk(box):
    generate(f"sqlite:///{box.db}", 2000)
    _quiet(box.db)
    r, out = _on_a_full_disk(box, ["export", "bank", "--all", "-o", str(box.root / "small" / "банк.xlsx")], 0, False)
    refused_cleanly(r, "не хватает места")
    assert (out / "left").read_text().split() == ["filler"]  # no export, no temporary file


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_restore_whose_side_loader_meets_a_full_disk(box, sopr, tmp_path):
    """The largest table loads in a second process (restore_side.py) into scratch files beside the registry:
    the disk filled there is said as in one process, not as the second process's internal error (issue 27 §1)."""
    from tests.services.trust.test_restore_bulk import _small_story
    from tests.services.trust.test_restore_side import _grown

    _small_story(sopr)
    good, big = tmp_path / "good.zip", tmp_path / "big.zip"
    assert sopr("backup", str(good)).code == 0
    _grown(good, big)  # past restore_side.SIDE_ROWS: the side loader takes the obligations
    _quiet(box.db)
    before = box.state()
    r, out = _on_a_full_disk(box, ["restore", str(big), "--replace"], 256 * 1024, True)
    refused_cleanly(r, "не хватает места")
    copy = out / "registry.db"
    assert probe.sqlite_health(str(copy)) == []
    same(before, probe.state(str(copy)))
    assert sorted((out / "left").read_text().split()) == ["filler", "registry.db"]  # no scratch file left
