"""Builds the working calendar for a command: federal data (cached), settings.

Importing `holidays` costs ~0.15 s because it loads every country; the federal
part is therefore frozen to JSON in the user cache folder, keyed by the exact
installed `holidays` files, so a new package version rebuilds it and a stale
cache can never answer.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from sopcli.deadlines.calendar import FederalData, WorkCalendar
from sopcli.deadlines.errors import InvalidInput
from sopcli.deadlines.regions import find_region
from sopcli.files import cache_dir, write_json
from sopcli.settings import CalendarSettings


def _package_key() -> str:
    spec = importlib.util.find_spec("holidays")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("holidays package is not installed")
    root = Path(next(iter(spec.submodule_search_locations)))
    parts = []
    for rel in ("version.py", "countries/russia.py"):
        st = (root / rel).stat()
        parts.append(f"{st.st_size}-{st.st_mtime_ns}")
    return "_".join(parts)


def federal_data() -> FederalData:
    path = cache_dir() / f"ru-calendar-{_package_key()}.json"
    try:
        return FederalData.from_json(json.loads(path.read_text("utf-8")))
    except (OSError, ValueError, KeyError):
        pass
    data = FederalData.from_package()
    try:
        write_json(path, data.to_json())
    except OSError:
        pass  # a read-only cache folder only costs speed
    return data


def build_calendar(settings: CalendarSettings, region: str | None = None) -> WorkCalendar:
    code = region if region is not None else settings.region
    preset = None
    if code:
        preset = find_region(code)
        if preset is None:
            raise InvalidInput(
                f"Неизвестный регион «{code}»: есть пресеты TA (Татарстан), BA (Башкортостан)."
            )
    return WorkCalendar(federal_data(), settings.marks(), region=preset, presets=settings.presets)
