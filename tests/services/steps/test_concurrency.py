"""Two secretaries add signals while cron prints the digest: nothing lost, nothing locked."""

from __future__ import annotations

import subprocess
from concurrent.futures import ThreadPoolExecutor

from tests import forkserver

PER_WRITER = 6


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    code, out, err = forkserver.run(args, env, timeout=300)  # each its own process, forked at once
    return subprocess.CompletedProcess(args, code, out, err)


def _writer(env: dict[str, str], who: int) -> list[subprocess.CompletedProcess]:
    out = []
    for i in range(PER_WRITER):
        out.append(_run(env, "signal", "add", "--no-threat", "--received", f"1{who}.03.2025 {9 + i:02d}:{10 * who:02d}",
                        "--source", f"Школа № {who}", "--child", f"Ученик Номер{'а' * (i + 1)} Тестовый, 01.01.2012",
                        "--problem", "Пропуски занятий", "--json"))
    return out


def _reader(env: dict[str, str]) -> list[subprocess.CompletedProcess]:
    return [_run(env, "deadlines", "--as-of", "20.03.2025", "--known-now", "--json") for _ in range(PER_WRITER)]


def test_concurrent_writers_and_a_digest(sopr, reg_env):
    for who in (1, 2):  # the schools the signals come from, in the directory (issue 28)
        assert sopr("agency", "add", f"Школа № {who}", "--kind", "образование").code == 0
    with ThreadPoolExecutor(3) as pool:
        jobs = [pool.submit(_writer, reg_env, 1), pool.submit(_writer, reg_env, 2), pool.submit(_reader, reg_env)]
        results = [r for job in jobs for r in job.result()]
    failures = [(r.args[3:5], r.stderr) for r in results if r.returncode != 0]
    assert failures == []
    assert not any("locked" in r.stderr for r in results)
    signals = sopr("signal", "list", "--json").json()["signals"]
    assert len(signals) == 2 * PER_WRITER
    assert sorted(int(s["number"].split("/")[0]) for s in signals) == list(range(1, 2 * PER_WRITER + 1))
    digest = sopr("deadlines", "--as-of", "01.04.2025", "--known-now", "--overdue", "--json").json()
    # every signal's own terms once: the check (004 §4.6) waits; the detecting agency's notices (001 §2.5,
    # §2.5.1 а) are the signal's receipt, fulfilled at registration (issue 28)
    assert sorted(o["rule"] for o in digest["obligations"]) == ["me.check"] * (2 * PER_WRITER)
    for s in signals:
        shown = sopr("signal", "show", str(s["id"]), "--json").json()
        assert sorted((o["rule"], o["status"]) for o in shown["obligations"]) == [
            ("fed.inform.immediate", "fulfilled"), ("fed.sop.signs", "fulfilled"), ("me.check", "open")]
    trail = sopr("audit", "verify", "--json")  # the writers queued on the chain's head: one unforked chain
    assert trail.code == 0 and trail.json()["ok"], trail.err
