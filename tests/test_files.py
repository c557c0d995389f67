"""files.atomic_private: the one way sopcli writes a file (152-ФЗ: 0600, never half-written)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from sopcli.files import atomic_private, private_dir, write_private


@pytest.fixture
def loose_umask():
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_written_under_another_name_then_renamed_0600(tmp_path, loose_umask):
    target = tmp_path / "выгрузка.xlsx"
    with atomic_private(target) as tmp:
        assert tmp.parent == tmp_path and tmp.name != target.name and target.name not in tmp.name
        assert not target.exists()
        tmp.write_bytes(b"data")  # a writer that opens the path itself, as zipfile and docx do
    assert target.read_bytes() == b"data" and _mode(target) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


@pytest.mark.parametrize("error", [KeyboardInterrupt, RuntimeError])
def test_any_exception_removes_the_temporary_and_keeps_the_old_file(tmp_path, error):
    target = tmp_path / "акт.xlsx"
    target.write_bytes(b"old")
    with pytest.raises(error), atomic_private(target) as tmp:
        tmp.write_bytes(b"half")
        raise error()
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_a_writer_that_recreates_the_file_cannot_widen_it(tmp_path, loose_umask):
    target = tmp_path / "doc.docx"
    with atomic_private(target) as tmp:
        tmp.unlink()
        tmp.write_bytes(b"new")  # recreated under umask 022: 0644
        assert _mode(tmp) == 0o644
    assert _mode(target) == 0o600


def test_private_folders_are_0700_at_every_level_made(tmp_path, loose_umask):
    deep = tmp_path / "a" / "b" / "c"
    tmp_path.chmod(0o755)
    write_private(deep / "settings.json", b"{}")
    for folder in (tmp_path / "a", tmp_path / "a" / "b", deep):
        assert _mode(folder) == 0o700, folder
    assert _mode(deep / "settings.json") == 0o600
    private_dir(deep)  # idempotent
    assert _mode(tmp_path) == 0o755  # a folder sopcli did not make is left as it was


def test_a_missing_folder_is_not_made_for_an_export(tmp_path):
    with pytest.raises(FileNotFoundError), atomic_private(tmp_path / "нет" / "x.xlsx"):
        pass
    assert not (tmp_path / "нет").exists()


def _readme_leftovers() -> list:
    """The temporary names README gives (`.sopcli-….xlsx.part`, `.ИМЯ.zip.….part`…) as patterns."""
    import re

    from tests.conftest import REPO

    found = []
    for word in re.findall(r"`([^`\s]*\.part[^`\s]*)`", (REPO / "README.md").read_text(encoding="utf-8")):
        rx = re.escape(word).replace("ИМЯ", "[^/]+").replace("…", "[^/]+").replace("таблица", "[a-z_]+")
        found.append(re.compile(rx.replace("PID", r"\d+").replace(r"part\.N", r"part\.\d+")))
    return found


def _named_in_readme(name: str) -> bool:
    return any(rx.fullmatch(name) for rx in _readme_leftovers())


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_readme_names_every_temporary_file_as_it_is(sopr, reg_env, tmp_path, monkeypatch):
    """What a killed command can leave is named in README as it really is (issue 27 §6)."""
    from sopcli.services.trust import restore_side
    from sopcli.services.trust.backup import write_backup

    names = []
    real = os.replace
    monkeypatch.setattr(os, "replace", lambda src, dst: (names.append(Path(src).name), real(src, dst))[1])
    write_backup(reg_env["SOPCLI_DB"], tmp_path / "копия.zip")
    monkeypatch.undo()
    for suffix in (".xlsx", ".docx"):
        with atomic_private(tmp_path / f"выгрузка{suffix}") as tmp:
            names.append(tmp.name)
            tmp.write_bytes(b"")
    scratch = restore_side.scratch_path(Path(reg_env["SOPCLI_DB"]), "obligation")
    names.append(restore_side.part(scratch, 3).name)
    assert len(names) == 4 and names[0].startswith(".копия.zip.")
    assert [n for n in names if not _named_in_readme(n)] == []


def test_a_name_is_cut_by_bytes_after_a_whole_word():
    from sopcli.files import cut_to_bytes

    assert cut_to_bytes("Школа № 5", 100) == "Школа № 5"  # fits: as it is
    cut = cut_to_bytes("Управление образования администрации городского округа", 60)
    assert cut == "Управление образования…" and len(cut.encode()) <= 60
    assert cut_to_bytes("Управление, образования", 24) == "Управление…"  # no comma left hanging
    long_word = cut_to_bytes("Ж" * 100, 21)
    assert long_word == "Ж" * 9 + "…" and len(long_word.encode()) == 21  # one word: cut, never half a letter


def test_a_batch_places_every_file_or_none_and_puts_an_old_one_back(tmp_path):
    from sopcli.files import atomic_batch

    (tmp_path / "а.docx").write_bytes(b"old")
    (tmp_path / "в.docx").mkdir()  # the third file's place is taken: its rename fails after two are placed
    with pytest.raises(IsADirectoryError), atomic_batch() as batch:
        for name in ("а.docx", "б.docx", "в.docx"):
            batch.file(tmp_path / name).write_bytes(b"new")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["а.docx", "в.docx"]
    assert (tmp_path / "а.docx").read_bytes() == b"old"
    (tmp_path / "в.docx").rmdir()
    with atomic_batch() as batch:
        for name in ("а.docx", "б.docx", "в.docx"):
            batch.file(tmp_path / name).write_bytes(name.encode())
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == {n: n.encode() for n in ("а.docx", "б.docx",
                                                                                               "в.docx")}
    assert all(_mode(p) == 0o600 for p in tmp_path.iterdir())


@pytest.mark.parametrize("error", [KeyboardInterrupt, RuntimeError])
def test_a_batch_that_fails_before_its_end_leaves_nothing(tmp_path, error):
    from sopcli.files import atomic_batch

    with pytest.raises(error), atomic_batch() as batch:
        batch.file(tmp_path / "а.docx").write_bytes(b"x")
        raise error
    assert list(tmp_path.iterdir()) == []
