"""Issue 15, pictures: the scorecard's and the year's charts read back with openpyxl, and the terminal's bars.

The charts are native (DrawingML referencing cells), so the test reads the chart's ranges and then the
cells they name: the picture is right when the cells under it hold the registry's figures, as a flow
through the CLI made them (a term met, one missed, one never done), on SQLite and PostgreSQL.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries

from tests.conftest import EDU, PDN, SOCIAL, drain, ok


@pytest.fixture
def flow(sopr):
    """Two signals in 2024 (one checked), one in 2025 that became a case with three measures: the police's done
    on time, social protection's late, education's never (overdue at the end of 2025). The two schools the
    signals come from are in the directory (issue 28: `--source` names an agency; «Поликлиника» is health)."""
    for school in ("Школа № 3", "Школа № 5"):
        ok(sopr("agency", "add", school, "--kind", "образование"))
    ok(sopr("signal", "add", "--received", "14.05.2024 10:00", "--source", "Школа № 3", "--child",
            "Котов Илья Андреевич, 02.02.2013", "--problem", "Пропуски", "--no-threat"))
    ok(sopr("check", "1", "--concluded", "16.05.2024", "--level", "low", "--outcome", "not-confirmed"))
    ok(sopr("signal", "add", "--received", "20.09.2024 10:00", "--source", "Поликлиника", "--child",
            "Орлов Денис Сергеевич, 14.05.2011", "--problem", "Не наблюдается у врача", "--no-threat"))
    ok(sopr("signal", "add", "--received", "03.03.2025 11:00", "--source", "Школа № 5", "--child",
            "Сидоров Пётр Ильич, 10.02.2010", "--child", "Сидорова Мария Ильинична, 21.07.2012",
            "--problem", "Мать злоупотребляет спиртным", "--no-threat"))
    ok(sopr("check", "3", "--concluded", "05.03.2025", "--level", "high", "--outcome", "sop"))
    ok(sopr("recognize", "3", "--date", "12.03.2025", "--resolution", "9-п", "--curator", "Петрова Анна"))
    for title, who, due in (("Беседа", PDN, "15.04.2025"), ("Пособие", SOCIAL, "30.04.2025"),
                            ("Лагерь", EDU, "30.05.2025")):
        ok(sopr("plan", "add", "1", "--measure", title, "--executor", who, "--due", due))
    ok(sopr("plan", "approve", "1", "--date", "24.03.2025", "--resolution", "12-п"))
    ids = [m["id"] for m in ok(sopr("plan", "show", "1", "--json")).json()["measures"]]
    ok(sopr("report", "1", str(ids[0]), "--date", "10.04.2025", "--status", "done", "--text", "Проведена"))
    ok(sopr("report", "1", str(ids[1]), "--date", "12.05.2025", "--status", "done", "--text", "Назначено"))
    return sopr


def charts(path):
    """{sheet title: [charts]} of the workbook, and the workbook to read the cells the charts name."""
    wb = load_workbook(path)
    return {ws.title: ws._charts for ws in wb.worksheets if ws._charts}, wb


def cells(wb, ref: str) -> list:
    """The values of a chart's range «'Лист'!$B$5:$B$9», read from the workbook's cells."""
    sheet, rng = ref.rsplit("!", 1)
    ws = wb[sheet.strip("'").replace("''", "'")]
    c0, r0, c1, r1 = range_boundaries(rng.replace("$", ""))
    return [ws.cell(r, c0).value for r in range(r0, r1 + 1)] if c0 == c1 else []


def title_of(chart) -> str:
    return "".join(run.t for p in chart.title.tx.rich.p for run in (p.r or []))


def test_scorecard_carries_a_stacked_bar_chart_of_its_cells(flow, tmp_path):
    out = tmp_path / "scorecard.xlsx"
    ok(flow("export", "scorecard", "--year", "2025", "--as-of", "31.12.2025", "--known-now", "-o", str(out)))
    found, wb = charts(out)
    assert list(found) == ["Диаграмма"] and wb.sheetnames == ["Своевременность", "Диаграмма"]
    (chart,) = found["Диаграмма"]
    assert (chart.type, chart.grouping, chart.overlap) == ("bar", "stacked", 100)
    assert title_of(chart).startswith("Своевременность исполнения сроков по органам, 01.01.2025–31.12.2025")
    names = [s.tx.v for s in chart.series]
    assert names == ["в срок", "с опозданием", "не исполнено", "просрочено"]
    agencies = cells(wb, chart.series[0].cat.strRef.f)
    assert {PDN, SOCIAL, EDU} <= set(agencies)
    assert all(s.cat.strRef.f == chart.series[0].cat.strRef.f for s in chart.series)
    charted = {name: dict(zip(agencies, cells(wb, s.val.numRef.f), strict=True))
               for name, s in zip(names, chart.series, strict=True)}
    # the flow: the police on time, social protection late, education never
    assert [charted[k][PDN] for k in names] == [1, 0, 0, 0]
    assert [charted[k][SOCIAL] for k in names] == [0, 1, 0, 0]
    assert [charted[k][EDU] for k in names] == [0, 0, 0, 1]
    # every agency, as `deadlines stats` counts it
    stats = ok(flow("deadlines", "stats", "--from", "01.01.2025", "--to", "31.12.2025", "--as-of", "31.12.2025",
                    "--known-now", "--json")).json()["agencies"]
    keys = ["on_time", "late", "lapsed", "overdue"]
    assert {a["who"]: [a[k] for k in keys] for a in stats} == {
        who: [charted[k][who] for k in names] for who in agencies}
    # the cached values a non-recalculating reader shows are the cells' own
    cache = [int(p.v) for p in chart.series[3].val.numRef.numCache.pt]
    assert sum(cache) == sum(charted["просрочено"].values())


def test_stat_charts_the_year_against_the_one_before(flow, tmp_path):
    out = tmp_path / "stat.xlsx"
    ok(flow("export", "stat", "--year", "2025", "--as-of", "31.12.2025", "--known-now", "-o", str(out)))
    found, wb = charts(out)
    (chart,) = found["Диаграмма"]
    assert (chart.type, chart.grouping) == ("bar", "clustered")
    assert title_of(chart) == "Основные показатели: 2025 в сравнении с 2024"
    assert [s.tx.v for s in chart.series] == ["2024", "2025"]
    ws = wb["Сведения за год"]
    header = [c.value for c in next(r for r in ws.iter_rows() if r[0].value == "№ п/п")]
    assert header == ["№ п/п", "Показатель", "2025", "2024 (АППГ)"]
    labels = cells(wb, chart.series[0].cat.strRef.f)
    before, now = (dict(zip(labels, cells(wb, s.val.numRef.f), strict=True)) for s in chart.series)
    assert labels[0] == "Поступило сигналов (журнал первичного учета)" and len(labels) == 6
    assert (now[labels[0]], before[labels[0]]) == (1, 2)
    checks = "Проведено проверок (заключения об установлении обстоятельств)"
    assert (now[checks], before[checks]) == (1, 1)
    assert (now["— признано находящимися в СОП в году"], before["— признано находящимися в СОП в году"]) == (1, 0)
    assert (now["— из них несовершеннолетних в этих делах"], before["— из них несовершеннолетних в этих делах"]) \
        == (2, 0)
    # the previous year's column is also the table's: the rows below the chart's six hold it too
    rows = {r[1]: (r[2], r[3]) for r in ws.iter_rows(values_only=True) if isinstance(r[0], int)}
    assert rows["— исполнено в срок"][0] >= 1 and rows["Сроков по обязанностям в году"][1] >= 1


def test_stat_of_a_year_still_running_sets_it_against_the_same_days_of_the_last(flow, tmp_path):
    """On 01.07.2025 the year so far (one signal, March) is set against 01.01–01.07.2024 (the May signal), not
    against the whole of 2024 (May and September): a running year would otherwise always seem to fall."""
    out = tmp_path / "stat-july.xlsx"
    ok(flow("export", "stat", "--year", "2025", "--as-of", "01.07.2025", "--known-now", "-o", str(out)))
    found, wb = charts(out)
    (chart,) = found["Диаграмма"]
    labels = cells(wb, chart.series[0].cat.strRef.f)
    before, now = (dict(zip(labels, cells(wb, s.val.numRef.f), strict=True)) for s in chart.series)
    assert (now[labels[0]], before[labels[0]]) == (1, 1)
    texts = [c for row in wb["Сведения за год"].iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert any("с 01.01.2024 по 01.07.2024" in t for t in texts), texts[:5]


def test_stat_anonymised_keeps_the_small_counts_rule_in_both_years(flow, tmp_path):
    """«<3» in a charted cell is a text: it charts as a gap, and the cache never carries the hidden number."""
    out = tmp_path / "stat-anon.xlsx"
    ok(flow("export", "stat", "--year", "2025", "--as-of", "31.12.2025", "--known-now", "--anonymize",
            "-o", str(out)))
    found, wb = charts(out)
    (chart,) = found["Диаграмма"]
    before, now = (cells(wb, s.val.numRef.f) for s in chart.series)
    assert now[0] == "<3" and before[0] == "<3"  # 1 signal in 2025, 2 in 2024
    for s in chart.series:
        shown = cells(wb, s.val.numRef.f)
        cached = {p.idx: p.v for p in s.val.numRef.numCache.pt}
        assert all(i not in cached for i, v in enumerate(shown) if v == "<3")
        assert all(float(cached[i]) == v for i, v in enumerate(shown) if isinstance(v, int))


def run_on_terminal(env: dict[str, str], *args: str) -> str:
    """`sopcli ARGS` with its stdout on a pseudo-terminal (as a secretary at a console sees it)."""
    import pty

    env = {k: v for k, v in env.items() if k != "NO_COLOR"}
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "sopcli", *args], env={**env, "COLUMNS": "120"}, stdout=slave,
                            stderr=subprocess.PIPE)
    os.close(slave)
    shown = drain(master)
    proc.wait(timeout=120)
    os.close(master)
    assert proc.returncode == 0, proc.stderr.read().decode()
    return shown.decode()


BLOCKS = re.compile("[\u2580-\u259f]")
ESCAPE = "\x1b["


def test_deadlines_stats_draws_bars_on_a_terminal_and_plain_text_under_cron(flow, reg_env):
    args = ("deadlines", "stats", "--from", "01.01.2025", "--to", "31.12.2025", "--as-of", "31.12.2025",
            "--known-now")
    shown = run_on_terminal(reg_env, *args)
    assert ESCAPE in shown
    bars = [line for line in shown.splitlines() if BLOCKS.search(line)]
    plain = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(bars))
    assert any(line.strip().startswith(PDN) for line in plain.splitlines())
    assert "в срок" in plain and "с опозданием" in plain and "просрочено" in plain  # the legend
    piped = ok(flow(*args)).out  # stdout a pipe, as under cron
    assert ESCAPE not in piped and not BLOCKS.search(piped)
    assert PDN in piped and "сроков" in piped  # the table is still there
    data = ok(flow(*args, "--json")).json()
    assert {a["who"] for a in data["agencies"]} >= {PDN, SOCIAL, EDU}
