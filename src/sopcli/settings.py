"""The calendar settings file: region, presets, local overrides, and their log.

Until the registry exists (the registry issue moves this into the database with
a one-time import) the overrides live in `calendar.json` in the user config
folder. Nothing is ever forgotten: every change is appended to `log` with who
(the OS user) and when, so an override can be defended later.
"""

from __future__ import annotations

import getpass
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from sopcli.deadlines.calendar import DayMark
from sopcli.deadlines.errors import InvalidInput
from sopcli.files import config_dir, write_json
from sopcli.registry_settings import DEFAULTS

DEFAULT_TZ = DEFAULTS["tz"]  # the file's zone is the registry's default: `init` imports one into the other


def settings_path() -> Path:
    return config_dir() / "calendar.json"


@dataclass
class CalendarSettings:
    region: str | None = None
    tz: str = DEFAULT_TZ
    presets: list[str] = field(default_factory=list)
    overrides: dict[str, dict] = field(default_factory=dict)  # ISO date → {working, reason}
    log: list[dict] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path | None = None) -> CalendarSettings:
        path = path or settings_path()
        if not path.exists():
            return cls()
        try:
            raw = json.loads(path.read_text("utf-8"))
            return cls(raw.get("region"), raw.get("tz", DEFAULT_TZ), list(raw.get("presets", [])),
                       dict(raw.get("overrides", {})), list(raw.get("log", [])))
        except (ValueError, AttributeError, TypeError):
            raise InvalidInput(f"Файл настроек календаря повреждён: {path}.") from None

    def save(self, path: Path | None = None) -> list[dict]:
        """Write the file; before `init` there are no obligations whose terms could move."""
        write_json(path or settings_path(), {
            "version": 1, "region": self.region, "tz": self.tz, "presets": self.presets,
            "overrides": dict(sorted(self.overrides.items())), "log": self.log,
        })
        return []

    def marks(self) -> list[DayMark]:
        return [
            DayMark(date.fromisoformat(k), bool(v["working"]), v["reason"], "override",
                    "местная поправка")
            for k, v in sorted(self.overrides.items())
        ]

    def record(self, action: str, **details: object) -> None:
        self.log.append({
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
            "by": os_user(), "action": action, **details,
        })


def os_user() -> str:
    """Who is acting, for the audit trail: the OS user (never asked, never typed)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
