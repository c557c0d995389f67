"""A flag and its opposite together (`consent 1 --given --refused`, issue 27 §5): refused, not the last one
taken. Exit 2, one Russian line naming both, before anything is read or written; found in every command, so
a pair added later is held too."""

from __future__ import annotations

from sopcli.cli import COMMANDS, build_command
from tests.conftest import refused


def _pairs() -> list[tuple[list[str], str, str]]:
    """Every `--yes/--no` flag of the CLI: the words that reach its command, and its two names."""
    found = []

    def walk(cmd, path: list[str]) -> None:
        for name, sub in (getattr(cmd, "commands", None) or {}).items():
            walk(sub, [*path, name])
        for p in cmd.params:
            if getattr(p, "secondary_opts", None) and getattr(p, "is_flag", False):
                found.append((path, p.opts[0], p.secondary_opts[0]))

    for name in COMMANDS:
        walk(build_command(name), [name])
    return found


def test_the_pairs_are_found():
    names = {(tuple(path), yes, no) for path, yes, no in _pairs()}
    assert (("consent",), "--given", "--refused") in names
    assert (("signal", "add"), "--threat", "--no-threat") in names


def test_both_halves_of_a_pair_are_refused_in_either_order(sop, tmp_path):
    for path, yes, no in _pairs():
        for words in ([yes, no], [no, yes]):
            r = refused(sop(*path, *words), yes, no,
                        "исключают друг друга")
            assert r.out == "", (path, r.out)
    assert list(tmp_path.rglob("*.db")) == []  # not a registry opened, let alone made


def test_one_half_twice_or_a_value_that_reads_like_the_other_half_is_not_a_conflict(sop):
    r = sop("consent", "1", "--given", "--given")  # on to the registry, which is not there
    assert "исключают" not in r.err
    r = sop("consent", "1", "--given", "--note", "--refused")
    assert "исключают" not in r.err
