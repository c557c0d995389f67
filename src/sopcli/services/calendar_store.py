"""The calendar settings kept in the registry once it exists (the file is imported once by `init`).

It offers the same face as `sopcli.settings.CalendarSettings`, so `sopcli calendar`
works the same before and after `init`; saving writes the difference in one
transaction: an override is never deleted, only retired with who, when and why,
and every change goes to the audit trail.

Reading alone (`calendar due`, `calendar show`) goes through the ORM-free reader
(`read_settings`): the ORM's start-up (about 0.35 s) was most of those commands'
time (issue 17 §4), so SQLModel is imported only by the writes, inside them.
"""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from sopcli.settings import CalendarSettings

if TYPE_CHECKING:
    from sopcli.services.reading.db import Reader


def read_settings(r: Reader) -> CalendarSettings:
    """The registry's calendar as `RegistryCalendarSettings.load_from` gives it, read over plain DB-API."""
    rows = r.rows("SELECT day, working, reason FROM calendar_override WHERE removed_at IS NULL ORDER BY id")
    overrides = {o["day"].isoformat(): {"working": o["working"], "reason": o["reason"]} for o in rows}
    settings = r.settings
    return CalendarSettings(settings["region"] or None, settings["tz"],
                            [p for p in settings["presets"].split(",") if p], overrides, [])


class RegistryCalendarSettings(CalendarSettings):
    db: str | None = None
    _loaded: dict[str, Any] | None = None

    @classmethod
    def load_from(cls, db: str | None) -> RegistryCalendarSettings:
        from sqlmodel import select

        from sopcli.models import CalendarOverride
        from sopcli.services.unit_of_work import registry

        with registry("calendar", write=False) as (reg, session):
            rows = session.exec(select(CalendarOverride).where(CalendarOverride.removed_at.is_(None)))
            overrides = {o.day.isoformat(): {"working": o.working, "reason": o.reason} for o in rows}
            self = cls(reg.settings["region"] or None, reg.settings["tz"],
                       [p for p in reg.settings["presets"].split(",") if p], overrides, [])
        self.db = db
        self._loaded = {"region": self.region, "presets": list(self.presets),
                        "overrides": copy.deepcopy(self.overrides)}
        return self

    def save(self, path: Any = None) -> list[dict[str, Any]]:
        """Write the change in one transaction and move the open terms it touches; returns those moves."""
        from sqlmodel import select

        from sopcli.models import CalendarOverride, RegistrySetting
        from sopcli.services.steps.obligations import recompute_open
        from sopcli.services.trust import audit
        from sopcli.services.unit_of_work import registry

        assert self._loaded is not None
        with registry("calendar") as (reg, session):
            old = self._loaded["overrides"]
            for iso in sorted(set(old) | set(self.overrides)):
                if old.get(iso) == self.overrides.get(iso):
                    continue
                why = next((e.get("reason", "") for e in reversed(self.log) if e.get("date") == iso), "")
                for row in session.exec(select(CalendarOverride).where(
                        CalendarOverride.day == date.fromisoformat(iso), CalendarOverride.removed_at.is_(None))):
                    row.removed_at, row.removed_by = datetime.now(UTC), reg.os_user
                    row.removed_reason = why if iso not in self.overrides else "заменена новой поправкой"
                if iso in self.overrides:
                    new = self.overrides[iso]
                    session.add(CalendarOverride(day=date.fromisoformat(iso), working=new["working"],
                                                 reason=new["reason"], created_at=datetime.now(UTC),
                                                 created_by=reg.os_user))
            for key, value in (("region", self.region or ""), ("presets", ",".join(self.presets))):
                if (self._loaded[key] if key == "region" else ",".join(self._loaded[key])) != value:
                    session.merge(RegistrySetting(key=key, value=value))
                reg.settings[key] = value  # the recompute below uses the calendar as it is now
            for entry in self.log:
                audit.record(session, reg, entry["action"], "calendar", None,
                             **{k: v for k, v in entry.items() if k not in ("action", "at", "by")})
            session.flush()
            why = "; ".join(f"{e['action']} {e.get('date', '')} {e.get('reason', '')}".strip() for e in self.log)
            moved = recompute_open(session, reg, f"изменение календаря: {why}")
            tz = reg.tz
            return [{"id": ob.id, "rule": ob.rule, "case": ob.case_id, "signal": ob.signal_id,
                     "was": old.astimezone(tz) if isinstance(old, datetime) else old,
                     "due": ob.due_at.astimezone(tz) if ob.due_at else ob.due} for ob, old in moved]
