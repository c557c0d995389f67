"""The load harness (bench/load.py) for a short run on each engine: writers racing on shared families while
digests print; the checker's invariants must hold (issue 7 §3). The 2-minute figures belong to bench/."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import runner

BENCH = Path(__file__).resolve().parents[2] / "bench" / "load.py"


@pytest.mark.slow
def test_writers_and_digests_at_once_lose_and_double_nothing(reg_env, db_url, tmp_path):
    report_file = tmp_path / "load.json"
    proc = subprocess.run(
        [sys.executable, str(BENCH), "--db", db_url, "--writers", "6", "--readers", "2", "--seconds", "25",
         "--base", "24", "--work", str(tmp_path / "work"), "--report", str(report_file)],
        env=reg_env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads(report_file.read_text("utf-8"))
    check = report["check"]
    assert check["violations"] == [] and check["ok"]
    assert report["errors"] == {} and report["hung_workers"] == [] and report["exit_codes"] == [0]
    # the race happened: shared steps were refused with exit 2 ("already …"), and every kind of step ran
    assert report["shared"]["refused"] > 0
    assert {"signal add", "check", "recognize", "plan add", "plan approve", "deadlines done"} <= set(
        check["verified_successes"])
    assert report["digests_printed"] > 0 and report["reads"]["failed"] == 0
    # independently of the checker: the journal as the CLI shows it is the signals that reported success
    signals = runner(reg_env)("signal", "list", "--json").json()["signals"]
    assert len(signals) == check["verified_successes"]["signal add"]
    numbers = Counter(s["number"].split("/")[1] for s in signals)
    for year, n in numbers.items():
        seqs = sorted(int(s["number"].split("/")[0]) for s in signals if s["number"].endswith(f"/{year}"))
        assert seqs == list(range(1, n + 1))
