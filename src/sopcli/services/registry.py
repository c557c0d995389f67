"""The open registry: engine, settings, calendar and rules, who is acting."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from sopcli.deadlines.calendar import DayMark, WorkCalendar
from sopcli.deadlines.rulebook import Rulebook, rulebook_with
from sopcli.errors import NotFound
from sopcli.models import CalendarOverride, RegistrySetting
from sopcli.registry_settings import merge
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
    """The shared settings, merged as the read path merges them (`registry_settings.merge`)."""
    from sopcli.services.reading.db import reader_on

    stored = {s.key: s.value for s in session.exec(select(RegistrySetting))}
    name = reader_on(session).commission_name(acting) if acting is not None and acting.scoped else ""
    return merge(stored, name)
