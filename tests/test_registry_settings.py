"""The registry's settings: one set of defaults and one merge for the write path and the read path."""

from __future__ import annotations

import pytest

from sopcli.errors import InvalidInput
from sopcli.registry_settings import DEFAULTS, merge, validate_settings


def test_stored_values_override_the_defaults_and_a_commission_signs_with_its_name():
    assert merge({}) == DEFAULTS and merge({}) is not DEFAULTS
    got = merge({"tz": "Asia/Yekaterinburg", "municipality": "Город"})
    assert got == {**DEFAULTS, "tz": "Asia/Yekaterinburg", "municipality": "Город"}
    assert merge({"municipality": "Город"}, "КДН района")["municipality"] == "КДН района"
    assert merge({"municipality": "Город"}, "")["municipality"] == "Город"  # no name of its own: the registry's


def test_the_defaults_are_written_once():
    """The write path (services/registry.py) and the read path (reading/db.py) both merge through this module:
    a default written anywhere else would let them disagree on a registry that never set it."""
    from tests.conftest import REPO

    written = [str(p.relative_to(REPO)) for p in (REPO / "src").rglob("*.py")
               if '"Europe/Moscow"' in p.read_text(encoding="utf-8")]
    assert written == ["src/sopcli/registry_settings.py"]


@pytest.mark.parametrize(("key", "value", "words"), [("region", "XX", "регион"), ("tz", "Mars/Olympus", "пояс")])
def test_an_unknown_region_or_zone_is_refused(key, value, words):
    with pytest.raises(InvalidInput, match=words):
        validate_settings({**DEFAULTS, key: value})
