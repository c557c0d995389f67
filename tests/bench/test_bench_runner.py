"""bench/run_all.py at a tiny scale: every command it times still runs on both engines, and one report is written.

Speed is not asserted here (it belongs in bench/); what fails here is a runner that no longer works after a
migration or a new command: the generator, a refused argument, a command that exits non-zero.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench"))
import bench_registry  # noqa: E402

FROM_OTHER_BRANCHES = {"backup": ["backup"], "restore": ["restore"], "audit_verify": ["audit", "verify"]}


def has_command(env: dict[str, str], words: list[str]) -> bool:
    sopcli = Path(sys.executable).parent / "sopcli"
    return subprocess.run([str(sopcli), *words, "--help"], env=env, capture_output=True).returncode == 0


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_run_all_times_every_command_and_writes_one_report(engine, sop_env, tmp_path):
    args = [sys.executable, str(REPO / "bench" / "run_all.py"), "--scale", "0.001", "--repeat", "2",
            "--only", engine, "--out", str(tmp_path / "not" / "yet")]  # made before the timings, not after
    admin = os.environ.get("SOPCLI_TEST_PG")
    name = f"sop_bench_{uuid.uuid4().hex[:10]}"
    if engine == "postgresql":
        if not admin:
            if os.environ.get("CI"):
                pytest.fail("CI must run the registry suite on PostgreSQL: SOPCLI_TEST_PG is not set")
            pytest.skip("no PostgreSQL (SOPCLI_TEST_PG)")
        args += ["--pg", admin, "--pg-db", name]
    sop_env.pop("SOPCLI_BENCH_PG", None)
    done = subprocess.run(args, env=sop_env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]

    out = tmp_path / "not" / "yet"
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert list(report["engines"]) == [engine]
    reg = report["engines"][engine]["registry"]
    assert (reg["cases"], reg["generated"]) == (150, True)
    assert reg["obligations"] >= 150 * len(bench_registry.RULES)
    results = report["engines"][engine]["results"]
    for key in ("startup", "digest", "digest_cron", "digest_json", "raw_sql", "case_show", "signal_list", "stats",
                "bank_all", "bank_quarter", "reconcile", "ics_busiest", "ics_all", "calendar_due", "calendar_floor",
                "init"):
        r = results[key]
        assert r["status"] == "ok", (key, r)
        assert len(r["runs"]) == 2 and 0 < r["min"] <= r["median"] <= r["max"] and r["peak_mb"] > 0
        assert 0 < r["cpu_median"]
        assert len(r["load"]) == 3  # the load average beside each figure
    for key, words in FROM_OTHER_BRANCHES.items():  # present after the merge: timed; absent: skipped, not failed
        expected = "ok" if has_command(sop_env, words) else "skipped"
        assert results[key]["status"] == expected, (key, results[key])
    assert 0 < reg["digest_over_raw"] and 0 < reg["digest_json_over_raw"] and 0 < reg["calendar_over_help"]
    assert 0 < reg["calendar_over_floor"]

    text = (out / "REPORT.md").read_text("utf-8")
    title = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[engine]
    assert f"## {title}" in text and "| case show 75 |" in text and "digest --json / raw SQL" in text
    assert "| load (1 min) |" in text
    assert ("calendar due on a registry / the bare driver's read" in text) == (engine == "postgresql")
    assert "## " + ({"sqlite": "PostgreSQL", "postgresql": "SQLite"}[engine]) not in text

    if engine == "postgresql":  # its own database is dropped without --keep
        import psycopg

        with psycopg.connect(admin.replace("postgresql+psycopg://", "postgresql://", 1)) as conn:
            left = conn.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [name + "%"]).fetchall()
        assert left == []


def test_run_all_refuses_an_out_folder_it_cannot_write_before_any_timing(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("", encoding="utf-8")  # a file where the folder should be: mkdir fails
    done = subprocess.run([sys.executable, str(REPO / "bench" / "run_all.py"), "--scale", "0.001", "--only", "sqlite",
                           "--out", str(blocked / "report")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "--out" in done.stderr, done.stderr
    assert "registry:" not in done.stdout  # nothing was generated or timed
