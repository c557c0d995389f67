"""The open registry: engine, settings, calendar and rules, who is acting."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from sopcli.deadlines.calendar import DayMark, WorkCalendar
from sopcli.deadlines.rulebook import Rulebook, rulebook_with
from sopcli.errors import InvalidInput, NotFound
from sopcli.models import CalendarOverride, RegistrySetting
from sopcli.services.reading.reads import DEFAULTS
from sopcli.settings import os_user
from sopcli.tenancy import DEFAULT_COMMISSION, Acting


@dataclass
class Registry:
    engine: Any
    settings: dict[str, str]
    command: str = ""
    os_user: str = field(default_factory=os_user)
    acting: Acting = field(default_factory=lambda: Acting(DEFAULT_COMMISSION, False, False, False))
    _calendar: WorkCalendar | None = None

    @property
    def rule_set(self) -> str:
        return self.settings["rules"]

    @property
    def commission(self) -> str:
        return self.acting.commission

    @property
    def tz(self) -> tzinfo:
        return ZoneInfo(self.settings["tz"])

    @property
    def rulebook(self) -> Rulebook:
        """The packaged rules, with the region's own file when `init --rules FILE` put one in the registry."""
        return rulebook_with(self.settings.get("rulebook", ""))

    def calendar(self, session: Session) -> WorkCalendar:
        """Federal calendar + region + presets + the registry's active overrides."""
        if self._calendar is None:
            from sopcli.calendar_source import federal_data
            from sopcli.deadlines.regions import find_region

            rows = session.exec(select(CalendarOverride).where(CalendarOverride.removed_at.is_(None)))
            marks = [DayMark(o.day, o.working, o.reason, "override", "местная поправка") for o in rows]
            region = find_region(self.settings["region"]) if self.settings["region"] else None
            presets = [p for p in self.settings["presets"].split(",") if p]
            self._calendar = WorkCalendar(federal_data(), marks, region=region, presets=presets)
        return self._calendar

    def forget_calendar(self) -> None:
        """The next `calendar()` reads the overrides again (after a change in this transaction)."""
        self._calendar = None

    def start_of(self, day: date) -> datetime:
        return datetime.combine(day, time(0), tzinfo=self.tz)


def get_or_not_found(session: Session, model: Any, ident: int, message: str) -> Any:
    """A row by id, locked for the step (PostgreSQL `FOR UPDATE`), or NotFound with the caller's message.

    Every caller is about to change the row or depend on its state; the lock
    makes two secretaries closing one case queue instead of both succeeding.
    SQLite has no row locks: its transactions already take the write lock up front.
    """
    row = session.get(model, ident, with_for_update=True)
    if row is None:
        raise NotFound(message)
    return row


def load_settings(session: Session, acting: Acting | None = None) -> dict[str, str]:
    """The shared settings; a commission of a shared registry signs with its own name."""
    from sopcli.services.reading.reads import reader_on

    stored = {s.key: s.value for s in session.exec(select(RegistrySetting))}
    settings = {**DEFAULTS, **stored}
    if acting is not None and acting.scoped:
        settings["municipality"] = reader_on(session).commission_name(acting) or settings["municipality"]
    return settings


def validate_settings(values: dict[str, str]) -> None:
    rulebook_with(values.get("rulebook", "")).check_set(values["rules"])
    if values["region"]:
        from sopcli.deadlines.regions import find_region

        if find_region(values["region"]) is None:
            raise InvalidInput(f"Неизвестный регион «{values['region']}»: есть TA (Татарстан), BA (Башкортостан).")
    try:
        ZoneInfo(values["tz"])
    except (ValueError, KeyError, OSError):
        raise InvalidInput(f"Неизвестный часовой пояс «{values['tz']}».") from None
