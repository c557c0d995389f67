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


def test_both_paths_take_the_same_defaults_and_validation():
    from sopcli.services import registry

    assert registry.DEFAULTS is DEFAULTS and registry.validate_settings is validate_settings


@pytest.mark.parametrize(("key", "value", "words"), [("region", "XX", "регион"), ("tz", "Mars/Olympus", "пояс")])
def test_an_unknown_region_or_zone_is_refused(key, value, words):
    with pytest.raises(InvalidInput, match=words):
        validate_settings({**DEFAULTS, key: value})
