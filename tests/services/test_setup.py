"""`init`'s settings are refused before the schema is touched (services/setup.py), and a new agency's
name before the registry is opened (directory.agencies.new_agency_name): plain functions, no database."""

from __future__ import annotations

import pytest

from sopcli.errors import InvalidInput
from sopcli.services.directory.agencies import new_agency_name
from sopcli.services.setup import AGENCIES, requested_settings


def test_only_given_settings_change_and_none_clears_the_region() -> None:
    assert requested_settings(None, "none", None, "  Город  ") == {"region": "", "municipality": "Город"}
    assert requested_settings(None, None, None, None) == {}


@pytest.mark.parametrize("args", [("nosuchset", None, None, None), (None, "XX", None, None),
                                  (None, None, "Mars/Base", None)])
def test_a_refused_setting_is_refused_before_anything_is_written(args) -> None:
    with pytest.raises(InvalidInput):
        requested_settings(*args)


def test_an_own_rulebook_that_cannot_be_read_is_refused(tmp_path) -> None:
    with pytest.raises(InvalidInput, match=r"missing\.toml» не подходит: нет такого файла"):
        requested_settings(str(tmp_path / "missing.toml"), None, None, None)
    (tmp_path / "cp1251.toml").write_bytes("title = 'Проверка'".encode("cp1251"))
    with pytest.raises(InvalidInput, match="не читается"):
        requested_settings(str(tmp_path / "cp1251.toml"), None, None, None)


def test_the_seeded_directory_has_one_agency_of_each_kind() -> None:
    kinds = [kind for _name, kind in AGENCIES]
    assert len(kinds) == len(set(kinds)) == 12


def test_a_new_agency_name_is_collapsed_and_bounded() -> None:
    assert new_agency_name("  Орган   опеки ") == "Орган опеки"
    for bad in ("   ", "я" * 301):
        with pytest.raises(InvalidInput, match="от 1 до 300"):
            new_agency_name(bad)


def test_the_municipalitys_genitive_is_given_cleared_or_refused() -> None:
    given = requested_settings(None, None, None, None, " городского округа «Город Йошкар-Ола» ")
    assert given == {"municipality_genitive": "городского округа «Город Йошкар-Ола»"}
    assert requested_settings(None, None, None, None, "none") == {"municipality_genitive": ""}  # back to the rules
    for bad in ("я" * 301, "городского\nокруга"):
        with pytest.raises(InvalidInput, match="--municipality-genitive"):
            requested_settings(None, None, None, None, bad)
