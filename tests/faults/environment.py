"""The CLI in a hostile environment: a file-size limit, an unprivileged user, a tiny filesystem.

Root ignores file permissions, and CI runs as root: there the CLI runs
without the capabilities that let root do so (CAP_DAC_OVERRIDE,
CAP_DAC_READ_SEARCH, CAP_FOWNER, dropped from the bounding set before exec),
so a read-only file really is read-only to it. (Running it as `nobody` fails
where the interpreter lives under root's 0700 home, as pyenv's does.)
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.conftest import Result
from tests.faults import probe

ROOT = os.geteuid() == 0


_PR_CAPBSET_DROP = 24
_DAC_CAPS = (1, 2, 3)  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER


def drop_root_powers() -> None:
    """In the child before exec: root keeps its uid but obeys file permissions."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for cap in _DAC_CAPS:
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


class Sandbox:
    """A folder (registry, config, cache, exports) of the CLI's own; `run` with a size limit, obeying permissions."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="sopcli-faults-"))
        self.db = self.root / "data" / "registry.db"
        self.env = dict(os.environ, SOPCLI_DB=str(self.db), SOPCLI_CONFIG_DIR=str(self.root / "config"),
                        SOPCLI_CACHE_DIR=str(self.root / "cache"), HOME=str(self.root / "home"), NO_COLOR="1")
        for xdg in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
            self.env[xdg] = str(self.root / xdg.lower())
        (self.root / "home").mkdir()

    def run(self, *args: str, fsize: int | None = None, as_user: bool = True) -> Result:
        def preexec() -> None:
            if fsize is not None:  # Python ignores SIGXFSZ: a write past the limit fails with EFBIG
                resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
            if ROOT and as_user:
                drop_root_powers()

        proc = subprocess.run([sys.executable, "-m", "sopcli", *args], env=self.env, capture_output=True, text=True,
                              timeout=300, preexec_fn=preexec)
        return Result(proc.returncode, proc.stdout, proc.stderr)

    def state(self) -> probe.State:
        return probe.state(str(self.db))

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def refused_cleanly(r: Result, words: str) -> None:
    """Exit 1 (the environment's fault, README), one Russian line naming it, no traceback."""
    assert r.code == 1, (r.code, r.err)
    lines = r.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Ошибка: "), r.err
    assert words in lines[0], r.err
    assert "Traceback" not in r.err and "INSERT" not in r.err and "SELECT" not in r.err


def same(before: probe.State, after: probe.State) -> None:
    assert after.counts == before.counts
    assert after.digest == before.digest
