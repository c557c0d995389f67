"""`import bank`: municipal App. 8 exports merged into a regional registry, idempotently (004 §5.7)."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from tests.conftest import runner

FAMILY = ["--child", "Иванов Иван Иванович, 01.02.2015", "--child", "Иванова Мария Ивановна, 03.04.2016",
          "--parent", "Иванова Анна Петровна", "--address", "г. Волжск, ул. Мира, 1"]


def _municipal(sop_env: dict, tmp_path: Path, name: str, municipality: str, extra_child: str) -> tuple:
    run = runner(dict(sop_env, SOPCLI_DB=str(tmp_path / f"{name}.db")))
    assert run("init", "--new", "--municipality", municipality).code == 0
    for i, child in enumerate((FAMILY, ["--child", extra_child, "--address", "ул. Лесная, 2"]), start=1):
        r = run("signal", "add", "--no-threat", "--received", f"1{i}.11.2026 10:00", "--source", "школа", *child,
                "--problem", "ненадлежащее исполнение родительских обязанностей")
        assert r.code == 0, r.err
        assert run("check", str(i), "--concluded", f"1{i}.11.2026", "--level", "high", "--outcome", "sop",
                   "--criterion", "1").code == 0
        r = run("recognize", str(i), "--date", "16.11.2026", "--resolution", f"{i}", "--curator",
                "Орган опеки и попечительства")
        assert r.code == 0, r.err
    return run


def _bank(run, path: Path) -> list[tuple]:
    assert run("export", "bank", "--all", "-o", str(path)).code == 0
    rows = list(openpyxl.load_workbook(path, read_only=True).active.iter_rows(values_only=True))
    return [r for r in rows if r and isinstance(r[0], int)]


def test_municipal_banks_merge_once_and_follow_closures(sop_env, db_url, tmp_path):
    volzhsk = _municipal(sop_env, tmp_path, "volzhsk", "г. Волжск", "Петров Пётр Петрович, 05.06.2012")
    zvenigovo = _municipal(sop_env, tmp_path, "zvenigovo", "Звениговский район", "Сидоров Семён, 07.08.2011")
    v_rows, z_rows = _bank(volzhsk, tmp_path / "v.xlsx"), _bank(zvenigovo, tmp_path / "z.xlsx")
    region = runner(dict(sop_env, SOPCLI_DB=db_url))
    assert region("init", "--new", "--municipality", "Республика Марий Эл").code == 0
    before = region("case", "list", "--json").out
    # no commission for the municipality yet: refused, nothing written
    r = region("import", "bank", str(tmp_path / "v.xlsx"))
    assert r.code == 2 and "г. Волжск" in r.err
    assert region("case", "list", "--json").out == before
    for code, name in (("volzhsk", "г. Волжск"), ("zvenigovo", "Звениговский район")):
        assert region("admin", "commission", "add", code, "--name", name, "--no-login").code == 0
    first = region("import", "bank", str(tmp_path / "v.xlsx"), "--json")
    assert first.code == 0, first.err
    assert first.json()["added"] == 2 and first.json()["added_by_commission"] == {"volzhsk": 2}
    # the same family in another municipality is another commission's case; the same file twice adds nothing
    assert region("import", "bank", str(tmp_path / "z.xlsx"), "--json").json()["added"] == 2
    again = region("import", "bank", str(tmp_path / "v.xlsx"), "--json").json()
    assert (again["added"], again["unchanged"], again["closed"]) == (0, 2, 0)
    # the municipality closes a case; its next bank closes it in the region, once
    assert volzhsk("close", "1", "--date", "20.11.2026", "--resolution", "9", "--ground", "improved").code == 0
    _bank(volzhsk, tmp_path / "v2.xlsx")
    closed = region("import", "bank", str(tmp_path / "v2.xlsx"), "--json").json()
    assert (closed["added"], closed["closed"], closed["unchanged"]) == (0, 1, 1)
    assert region("import", "bank", str(tmp_path / "v2.xlsx"), "--json").json()["closed"] == 0
    # the consolidated bank carries every municipal row as it was sent, under its municipality
    consolidated = _bank(region, tmp_path / "all.xlsx")
    assert len(consolidated) == 4
    sent = [r[1:] for r in _bank(volzhsk, tmp_path / "v3.xlsx")] + [r[1:] for r in z_rows]
    assert sorted(map(repr, (r[1:] for r in consolidated))) == sorted(map(repr, sent))
    assert {r[1] for r in v_rows} == {"г. Волжск"}
    # the import is in the audit trail with the file's checksum, and every registry write stayed whole
    assert region("import", "bank", str(tmp_path / "nope.xlsx")).code == 2


def test_a_broken_bank_is_refused_whole(sop_env, db_url, tmp_path):
    region = runner(dict(sop_env, SOPCLI_DB=db_url))
    assert region("init", "--new").code == 0
    assert region("admin", "commission", "add", "volzhsk", "--name", "г. Волжск", "--no-login").code == 0
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Наименование муниципалитета", "ФИО несовершеннолетнего, дата рождения", "Дата постановки на учет"])
    ws.append(["г. Волжск", "Иванов Иван, 01.02.2015", "16.11.2026"])
    ws.append(["г. Волжск", "Петров Пётр, 05.06.2012", ""])  # no date: the whole file is refused
    ws.append(["г. Волжск", "Сидоров Семён, 07.08.2011", "16.11.2026"])
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    before = region("case", "list", "--json").out
    r = region("import", "bank", str(bad))
    assert r.code == 2 and "строка 3" in r.err and "Traceback" not in r.err
    assert region("case", "list", "--json").out == before
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"PK\x03\x04 not a workbook")
    assert region("import", "bank", str(junk)).code == 2
    other = tmp_path / "other.csv"
    other.write_text("Фамилия;Имя\nИванов;Иван\n", encoding="utf-8")
    r = region("import", "bank", str(other))
    assert r.code == 2 and "прил. 8" in r.err
    assert region("case", "list", "--json").out == before
