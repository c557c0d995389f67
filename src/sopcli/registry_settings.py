"""The registry's settings (`registry_setting` rows): their defaults, how the stored ones override them, what is valid.

Why a module of its own, at the top of the package, and not in `services/registry.py`:
two paths read the settings and must agree — the write path (`services.registry.load_settings`,
through an ORM session) and the read path (`services.reading`'s `Reader`, plain DB-API so that
a digest never imports SQLAlchemy). `services/registry.py` imports sqlmodel at load; this module
imports only the standard library (the rulebook and the regions load when a value is checked).
Not `sopcli/settings.py` either: that is the calendar settings *file* of a computer without a
registry, a different thing with a different life.
"""

from __future__ import annotations

from collections.abc import Mapping
from zoneinfo import ZoneInfo

from sopcli.errors import InvalidInput

#: What a registry that never set a key reads: the federal rules, Moscow time, no region, no presets.
#: `municipality_genitive`: the secretary's own genitive of the municipality (issue 31 §4), empty while she gave none.
DEFAULTS = {"rules": "federal", "region": "", "tz": "Europe/Moscow", "municipality": "", "presets": "",
            "municipality_genitive": ""}


def merge(stored: Mapping[str, str], commission_name: str = "") -> dict[str, str]:
    """The defaults under the stored values; a commission of a shared registry signs with its own name."""
    settings = {**DEFAULTS, **stored}
    if commission_name:
        if commission_name != settings["municipality"]:  # the genitive given was the registry's municipality's
            settings["municipality_genitive"] = ""
        settings["municipality"] = commission_name
    return settings


def municipality_genitive(settings: Mapping[str, str]) -> tuple[str, str]:
    """(the municipality in the genitive as the papers print it, where that form comes from): the secretary's
    own form («given»), else the rules of `declension` («declined»), else the words as typed («as-typed»)."""
    if settings.get("municipality_genitive"):
        return settings["municipality_genitive"], "given"
    from sopcli.services.directory.declension import municipality_genitive as declined

    typed = settings.get("municipality", "")
    done = declined(typed) if typed else None
    return (done, "declined") if done else (typed, "as-typed")


def validate_settings(values: Mapping[str, str]) -> None:
    """Refuse a rule set the rulebook lacks, an unknown region or time zone, before anything is written."""
    from sopcli.deadlines.rulebook import rulebook_with

    rulebook_with(values.get("rulebook", "")).check_set(values["rules"])
    if values["region"]:
        from sopcli.deadlines.regions import find_region

        if find_region(values["region"]) is None:
            raise InvalidInput(f"Неизвестный регион «{values['region']}»: есть TA (Татарстан), BA (Башкортостан).")
    genitive = values.get("municipality_genitive", "")
    if len(genitive) > 300 or any(not ch.isprintable() for ch in genitive):
        raise InvalidInput("Родительный падеж муниципального образования (--municipality-genitive): одна строка "
                           "до 300 знаков, например «городского округа «Город Йошкар-Ола»».")
    try:
        ZoneInfo(values["tz"])
    except (ValueError, KeyError, OSError):
        raise InvalidInput(f"Неизвестный часовой пояс «{values['tz']}».") from None
