"""The working-day calendar: federal production calendar, regional days, overrides.

The federal part comes from `holidays.RU`, which knows public holidays, days off
moved by government decree and weekend days made working (DEADLINES.md: never
re-implement weekends by hand). It is frozen into `FederalData` — plain dicts —
so the shell can cache it and a command does not pay for importing the whole
`holidays` package (0.15 s) on every run.

Layers, later ones win: federal → region preset → decree preset → the
registry's own overrides.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sopcli.deadlines.dates import fmt_date
from sopcli.deadlines.errors import InvalidInput
from sopcli.deadlines.regions import DECREE_DAYS, RegionPreset

FIRST_YEAR = 1991  # holidays.RU starts here
LAST_YEAR = 2100
_SUBSTITUTED = re.compile(r"перенесено с (\d{2})\.(\d{2})\.(\d{4})")


@dataclass(frozen=True)
class DayMark:
    """A day whose status is set by something other than the week: why, and by whom."""

    day: date
    working: bool
    reason: str
    origin: str  # federal | region | decree | override
    source: str = ""


@dataclass(frozen=True)
class DayInfo:
    day: date
    working: bool
    kind: str  # workday | weekend | holiday | worked-weekend | region | decree | override
    reason: str

    def to_json(self) -> dict[str, object]:
        return {"date": self.day.isoformat(), "working": self.working, "kind": self.kind,
                "reason": self.reason}


@dataclass
class FederalData:
    """The federal production calendar, as plain data."""

    holidays: dict[date, str]
    working_weekends: dict[date, str]
    covered_until: int  # last year for which the package has the government's decree
    package_version: str

    @classmethod
    def from_package(cls) -> FederalData:
        from holidays.countries.russia import RU, RussiaStaticHolidays
        from holidays.version import __version__

        ru = RU(years=range(FIRST_YEAR, LAST_YEAR + 1), language="ru")
        days = {d: str(name) for d, name in ru.items()}
        moved_to: dict[date, date] = {}
        for d, name in days.items():
            m = _SUBSTITUTED.search(name)
            if m:
                moved_to[date(int(m[3]), int(m[2]), int(m[1]))] = d
        working = {}
        for d in ru.weekend_workdays:
            target = moved_to.get(d)
            working[d] = (
                f"выходной перенесён на {fmt_date(target)} (постановление Правительства РФ)" if target
                else "перенос выходного (постановление Правительства РФ)"
            )
        decree_years = set(RussiaStaticHolidays.special_public_holidays)
        decree_years |= set(RussiaStaticHolidays.special_public_holidays_observed)
        return cls(days, working, max(decree_years), __version__)

    def to_json(self) -> dict[str, object]:
        return {
            "package_version": self.package_version,
            "covered_until": self.covered_until,
            "holidays": {d.isoformat(): n for d, n in sorted(self.holidays.items())},
            "working_weekends": {d.isoformat(): n for d, n in sorted(self.working_weekends.items())},
        }

    @classmethod
    def from_json(cls, data: dict) -> FederalData:
        return cls(
            {date.fromisoformat(k): v for k, v in data["holidays"].items()},
            {date.fromisoformat(k): v for k, v in data["working_weekends"].items()},
            int(data["covered_until"]),
            str(data["package_version"]),
        )


class WorkCalendar:
    """Answers "is this a working day" and counts working days fast.

    Per-year tables of cumulative working-day counts turn "the N-th working day
    after D" into a bisect, so a term of 200 working days costs no more than one
    of 3 (the engine must do a million of them in seconds).
    """

    def __init__(self, federal: FederalData, marks: Iterable[DayMark] = (),
                 region: RegionPreset | None = None, presets: Iterable[str] = ()) -> None:
        self.federal = federal
        self.region = region
        self.presets = tuple(presets)
        self.marks: dict[date, DayMark] = {}
        self._tables: dict[int, tuple[int, bytes, list[int]]] = {}
        self._info: dict[date, DayInfo] = {}
        self._off: dict[int, list[int]] = {}  # ordinals of non-working days, per year
        self._worked: dict[int, list[int]] = {}  # ordinals of weekend days made working
        if region is not None:
            for year in range(FIRST_YEAR, LAST_YEAR + 1):
                for rd in region.days(year):
                    self.marks[rd.day] = DayMark(rd.day, False, rd.name, "region", rd.source)
        if "decrees" in self.presets:
            for dd in DECREE_DAYS:
                self.marks[dd.day] = DayMark(dd.day, False, "нерабочий день по указу Президента РФ",
                                             "decree", dd.source)
        for mark in marks:
            self.marks[mark.day] = mark

    # -- single days -------------------------------------------------------
    def info(self, d: date) -> DayInfo:
        cached = self._info.get(d)
        if cached is None:
            cached = self._info[d] = self._make_info(d)
        return cached

    def _make_info(self, d: date) -> DayInfo:
        mark = self.marks.get(d)
        if mark is not None:
            reason = mark.reason + (f" ({mark.source})" if mark.source else "")
            return DayInfo(d, mark.working, mark.origin, reason)
        if d in self.federal.working_weekends:
            return DayInfo(d, True, "worked-weekend", self.federal.working_weekends[d])
        name = self.federal.holidays.get(d)
        if name is not None:
            return DayInfo(d, False, "holiday", name)
        if d.weekday() >= 5:
            return DayInfo(d, False, "weekend", "выходной день")
        return DayInfo(d, True, "workday", "рабочий день")

    def is_working(self, d: date) -> bool:
        start, flags, _ = self._table(d.year)
        return bool(flags[d.toordinal() - start])

    # -- tables ------------------------------------------------------------
    def _table(self, year: int) -> tuple[int, bytes, list[int]]:
        """(ordinal of 1 January, working flag per day, cumulative working days)."""
        table = self._tables.get(year)
        if table is None:
            if not FIRST_YEAR <= year <= LAST_YEAR:
                raise InvalidInput(
                    f"Год {year} вне производственного календаря ({FIRST_YEAR}–{LAST_YEAR})."
                )
            start = date(year, 1, 1)
            n = (date(year + 1, 1, 1) - start).days
            flags = bytes(self._make_info(start + timedelta(i)).working for i in range(n))
            cum, total = [], 0
            for f in flags:
                total += f
                cum.append(total)
            first = start.toordinal()
            off = [first + i for i, f in enumerate(flags) if not f]
            worked = [first + i for i, f in enumerate(flags) if f and (start + timedelta(i)).weekday() >= 5]
            table = self._tables[year] = (first, flags, cum)
            self._off[year], self._worked[year] = off, worked
        return table

    def nth_working_day_after(self, d: date, n: int) -> date:
        """The N-th working day strictly after `d` (N ≥ 1)."""
        if n < 1:
            raise ValueError("n must be ≥ 1")
        year = d.year
        start, _, cum = self._table(year)
        base = cum[d.toordinal() - start]
        while True:
            start, _, cum = self._table(year)
            if cum[-1] - base >= n:
                return date.fromordinal(start + bisect_left(cum, base + n))
            n -= cum[-1] - base
            year, base = year + 1, 0

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in (a, b]: how late a fulfilment was, in working days."""
        if b <= a:
            return 0
        total = 0
        year = a.year
        start, _, cum = self._table(year)
        base = cum[a.toordinal() - start]
        while year < b.year:
            total += cum[-1] - base
            year, base = year + 1, 0
            start, _, cum = self._table(year)
        return total + cum[b.toordinal() - start] - base

    def _days(self, a: date, b: date, index: dict[int, list[int]]) -> list[DayInfo]:
        """Days of `index` (non-working or worked weekends) in [a, b], via bisect."""
        out = []
        lo, hi = a.toordinal(), b.toordinal()
        for year in range(a.year, b.year + 1):
            self._table(year)
            days = index[year]
            for o in days[bisect_left(days, lo):bisect_left(days, hi + 1)]:
                out.append(self.info(date.fromordinal(o)))
        return out

    def on_or_after(self, d: date) -> date:
        while not self.is_working(d):
            d += timedelta(days=1)
        return d

    def on_or_before(self, d: date) -> date:
        while not self.is_working(d):
            d -= timedelta(days=1)
        return d

    def non_working_in(self, a: date, b: date) -> list[DayInfo]:
        """Non-working days in the closed range [a, b], with the reason for each."""
        return self._days(a, b, self._off) if a <= b else []

    def worked_weekends_in(self, a: date, b: date) -> list[DayInfo]:
        """Saturdays and Sundays made working in [a, b]: counted, and said so."""
        return self._days(a, b, self._worked) if a <= b else []

    def working_days_in_month(self, year: int, month: int) -> int:
        first = date(year, month, 1)
        last = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
        return self.working_days_between(first - timedelta(days=1), last)

    # -- coverage ----------------------------------------------------------
    def warnings(self, years: Iterable[int]) -> list[str]:
        """Say which years the data does not fully know (DEADLINES.md: never silent)."""
        out = []
        for year in sorted(set(years)):
            if year > self.federal.covered_until:
                out.append(
                    f"Производственный календарь на {year} год не утверждён в данных пакета "
                    f"holidays {self.federal.package_version} (известен по {self.federal.covered_until} год): "
                    "переносы выходных не учтены, только праздники ст. 112 ТК РФ; "
                    "добавьте их через `sopcli calendar set`."
                )
            until = self.region.dated_until if self.region else None
            if self.region is not None and until is not None and year > until:
                out.append(
                    f"Даты Ураза-байрама и Курбан-байрама ({self.region.name}) на {year} год "
                    f"не внесены (известны по {until} год): добавьте их через `sopcli calendar set`."
                )
        return out
