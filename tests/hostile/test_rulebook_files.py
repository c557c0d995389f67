"""Issue 27 part 4: a region's rulebook file is hostile input, for `rules check` and `init --rules` alike.

Found: a symbolic link to /dev/zero was read before the 1 MB check (MemoryError), a FIFO hung for
ever, deep nesting ended in «Внутренняя ошибка (RecursionError)», and NUL, CR LF or U+202E in a title
or `who` passed the check, were stored, and broke every later `signal add` on PostgreSQL. Each is
refused now: exit 2, one Russian line, nothing written. A file with sharp but lawful edges (CRLF line
ends, brackets in strings and comments, the longest texts the registry's columns hold) loads on both
engines, and the next `signal add` stores its texts as written.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests import forkserver
from tests.conftest import ok, runner
from tests.hostile.conftest import assert_refused, snapshot

RULE = '''[[set]]
id = "{set}"
title = "г. Казань: постановление КДН № 5 поверх 001"
extends = ["federal"]

[[rule]]
id = "{set}.check"
section = "signal"
title = {title}
who = {who}
to = "КДН"
term = "10wd"
source = "Постановление КДН г. Казани № 5, п. 3"
sets = ["{set}"]
opens = ["signal.registered"]
'''
TITLE_LINE, WHO_LINE = 9, 10


def rulebook(title: str = '"Проверить информацию"', who: str = '"КДН"', set_id: str = "kazan") -> str:
    return RULE.format(set=set_id, title=title, who=who)


def _write(text: str | bytes) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return make


def _folder(path: Path) -> None:
    path.mkdir()


# name → (how the file is made, the words of its refusal)
HOSTILE: dict[str, tuple[Callable[[Path], None], str]] = {
    "zero": (lambda p: p.symlink_to("/dev/zero"), "не обычный файл"),
    "fifo": (lambda p: os.mkfifo(p), "не обычный файл"),
    "folder": (_folder, "папка"),
    "big": (_write(b"# " + b"x" * 1_000_000 + b"\n"), "больше 1 МБ"),
    "deep-arrays": (_write("a = " + "[" * 100_000 + "]" * 100_000 + "\n"), "вложенность"),
    "deep-tables": (_write("a = " + "{b = " * 5_000 + "1" + "}" * 5_000 + "\n"), "вложенность"),
    "title-crlf": (_write(rulebook(title=r'"Проверить\r\nинформацию"')), f"строка {TITLE_LINE}: поле title"),
    "title-nul": (_write(rulebook(title=r'"Проверить\u0000"')), "U+0000"),
    "title-rlo": (_write(rulebook(title=r'"Проверить\u202Eинформацию"')), "U+202E"),
    "title-isolate": (_write(rulebook(title=r'"Проверить\u2066"')), "U+2066"),
    "title-c1": (_write(rulebook(title=r'"Проверить\u0085"')), "U+0085"),
    "title-lines": (_write(rulebook(title='"""Проверить\nинформацию"""')), "U+000A"),
    "who-nul": (_write(rulebook(who=r'"ПДН\u0000"')), f"строка {WHO_LINE}: поле who — управляющий"),
    "who-lrm": (_write(rulebook(who=r'"ПДН\u200E"')), "U+200E"),
    "raw-nul": (_write(rulebook(title='"Проверить\x00"')), f"строка {TITLE_LINE}: управляющий или невидимый знак"),
    "raw-rlo": (_write("# \u202e\n" + rulebook()), "строка 1: управляющий или невидимый знак U+202E"),
    "raw-del": (_write(rulebook(who='"ПДН\x7f"')), "U+007F"),
    "lone-cr": (_write(rulebook().replace("to = ", "to\r= ")), "U+000D"),
    "long-who": (_write(rulebook(who=f'"{"П" * 301}"')), "поле who длиннее 300"),
    "long-id": (_write(rulebook(set_id="k" * 40)), "поле id длиннее 40"),
    "number-title": (_write(rulebook(title="5")), "поле title должно быть строкой"),
}


def _run(env: dict[str, str], *args: str):
    """`sopcli ARGS`, failing (not hanging) after 30 s: a FIFO read again would block for ever."""
    from tests.conftest import Result

    try:
        return Result(*forkserver.run(args, env, None, timeout=30))
    except subprocess.TimeoutExpired:
        pytest.fail(f"sopcli {' '.join(args)} hung on the file")


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_rulebook_is_refused_by_check_and_by_init(hostile_registry, tmp_path: Path, name: str):
    make, words = HOSTILE[name]
    path = tmp_path / f"{name}.toml"
    make(path)
    before = snapshot(hostile_registry.db)
    for command in (("rules", "check"), ("init", "--new", "--rules")):
        r = _run(hostile_registry.env, *command, str(path))
        assert_refused(r, words)
        assert "Внутренняя ошибка" not in r.err
    assert snapshot(hostile_registry.db) == before


def test_a_path_with_a_line_break_is_named_on_one_line(hostile_registry, tmp_path: Path):
    r = _run(hostile_registry.env, "rules", "check", str(tmp_path / "нет\nтакого.toml"))
    assert_refused(r, "нет такого файла")
    assert "U+000A" in r.err


EDGY_TITLE = "Проверить [[[ {{{ «сведения» \\\" \\\\ ё"  # as TOML writes it: brackets, quotes, a backslash
WHO_300 = "Орган внутренних дел " + "П" * 279
SOURCE_100 = "Постановление КДН " + "№" * 82


def edgy(set_id: str, crlf: bool) -> str:
    """Sharp but lawful: comments and strings full of brackets (deeper than MAX_DEPTH if they were counted),
    tabs for layout, the longest id, `who` and source the registry's columns hold."""
    rule_id = (set_id + ".") .ljust(40, "x")
    text = f'''# [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ {{{{{{{{{{{{{{{{{{{{{{{{{{{{{{ «комментарий»
[[set]]
id = "{set_id}"
title = '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ свод с краями'
extends = ["federal"]

[[rule]]
\tid = "{rule_id}"
\tsection = "signal"
\ttitle = """{EDGY_TITLE}"""
\twho = "{WHO_300}"
\tto = "КДН"
\tterm = "10wd"
\tsource = "{SOURCE_100}"
\tsets = [ "{set_id}" , ]  # [[[[[[[[[[[[[[[[[[[[[[[[
\topens = ["signal.registered"]
'''
    return text.replace("\n", "\r\n") if crlf else text


def test_the_packaged_rulebook_and_the_edges_load_on_both_engines_and_signals_follow(reg_env, tmp_path: Path):
    run = runner(reg_env)
    ok(run("init", "--new"))  # the packaged rulebook, read in full (a private cache): the screens pass it
    ok(run("signal", "add", "--no-threat", "--received", "23.11.2026 10:00", "--source", "ПДН",
           "--child", "Орлов Иван Петрович, 01.03.2012", "--problem", "Не посещает школу"))
    for n, (set_id, crlf) in enumerate((("edge-lf", False), ("edge-crlf", True)), 2):
        path = tmp_path / f"{set_id}.toml"
        path.write_bytes(edgy(set_id, crlf).encode("utf-8"))
        assert "своих правил 1" in ok(run("rules", "check", str(path))).out
        ok(run("init", "--new", "--rules", str(path)))
        sig = ok(run("signal", "add", "--no-threat", "--received", f"2{n}.11.2026 10:00", "--source", "ПДН", "--json",
                     "--child", f"Орлов Пётр Петрович, 0{n}.03.2012", "--problem", "Не посещает школу")).json()
        rule_id = (set_id + ".").ljust(40, "x")
        assert rule_id in {o["rule"] for o in sig["obligations"]}
        digest = ok(run("deadlines", "--as-of", "30.11.2026", "--known-now", "--within", "400", "--json")).json()
        mine = [o for o in digest["obligations"] if o["rule"] == rule_id]
        assert mine and mine[0]["who"] == WHO_300
        listed = {r["id"]: r for r in ok(run("rules", "--json")).json()["rules"]}
        assert listed[rule_id]["title"] == 'Проверить [[[ {{{ «сведения» " \\ ё'
        assert listed[rule_id]["source"] == SOURCE_100
