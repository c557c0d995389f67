"""The suite's forked commands behave as fresh `python -m sopcli` processes (tests/forkserver.py)."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from tests import forkserver
from tests.conftest import ok


def _both(args: list[str], env: dict[str, str], stdin: str | None = None) -> tuple[tuple, tuple]:
    forked = forkserver.run(args, env, stdin)
    os.environ["SOPCLI_TEST_FRESH"] = "1"
    try:
        fresh = forkserver.run(args, env, stdin)
    finally:
        del os.environ["SOPCLI_TEST_FRESH"]
    return forked, fresh


@pytest.mark.parametrize("args", [
    ["--version"],
    ["calendar", "due", "29.12.2025", "10", "--json"],  # the real calendar, through the whole CLI
    ["deadlinez"],  # a refusal: exit 2, one Russian line
    ["deadlines"],  # no registry yet: what to do next, exit 2
])
def test_a_forked_command_answers_as_a_fresh_process(args, sop_env):
    forked, fresh = _both(args, sop_env)
    assert forked == fresh
    if args[0] == "deadlinez":
        assert forked[0] == 2 and "deadlines" in forked[2]


def test_the_environment_folder_and_umask_are_the_commands_own(sop, tmp_path, monkeypatch):
    ok(sop("init", "--new"))
    paths = list((tmp_path / "xdg_data_home").rglob("registry.db"))  # this test's XDG folder, not the zygote's
    assert len(paths) == 1 and oct(paths[0].stat().st_mode & 0o777) == "0o600"  # sopcli's umask, not ours
    monkeypatch.chdir(tmp_path)
    ok(sop("export", "ics", "-o", "feed.ics"))  # a relative name is the caller's folder
    assert (tmp_path / "feed.ics").read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")


def test_a_killed_command_reports_the_signal_and_leaves_the_zygote_serving(sop_env):
    proc = forkserver.Process(["calendar", "due", "29.12.2025", "10"], sop_env)
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(timeout=60) == -signal.SIGKILL
    code, out, _ = forkserver.run(["--version"], sop_env)
    assert code == 0 and out.strip()


def test_a_signal_that_races_the_end_reaches_the_ended_command_only(sop_env):
    """The command ends, and the kill meant for it comes after: no error, and its pid is still its own."""
    proc = forkserver.Process(["--version"], sop_env)
    stat = Path(f"/proc/{proc.pid}/stat")
    for _ in range(6000):
        if stat.read_text().split(") ", 1)[1][0] == "Z":  # ended, not yet reaped: the pid is not free for reuse
            break
        time.sleep(0.01)
    else:
        pytest.fail("the command did not end")
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(timeout=60) == 0  # it had ended on its own


def test_a_different_locale_gets_a_fresh_interpreter(sop_env):
    """The interpreter reads LANG and PYTHON* as it starts: a fork would inherit the zygote's."""
    env = dict(sop_env, PYTHONIOENCODING="cp1251")
    code, out, _ = forkserver.run(["--version"], env)
    assert code == 0 and out.strip()
    assert forkserver._server(env) is None and forkserver._server(sop_env) is not None
