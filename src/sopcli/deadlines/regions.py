"""Regional days off and decree presets: data with their sources.

The federal production calendar does not know that a republic has its own
non-working days (Labour Code art. 6: a subject of the RF may declare religious
holidays non-working). Each preset cites the regional law and, for feasts whose
date follows the lunar calendar, the act that fixed each year's date. A year
for which the act is not in this table is reported as not covered, so nobody
mistakes an absent feast for a working day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class RegionalDay:
    day: date
    name: str
    source: str


@dataclass(frozen=True)
class RegionPreset:
    code: str
    name: str
    aliases: tuple[str, ...]
    fixed: tuple[tuple[int, int, str], ...]  # (month, day, name): every year
    fixed_source: str
    dated: dict[int, tuple[tuple[int, int, str], ...]] = field(default_factory=dict)
    dated_source: str = ""
    weekend_rule: str = ""

    def days(self, year: int) -> list[RegionalDay]:
        out = [RegionalDay(date(year, m, d), n, self.fixed_source) for m, d, n in self.fixed]
        out += [
            RegionalDay(date(year, m, d), n, self.dated_source)
            for m, d, n in self.dated.get(year, ())
        ]
        return out

    @property
    def dated_until(self) -> int | None:
        return max(self.dated) if self.dated else None


URAZA = "Ураза-байрам"
KURBAN = "Курбан-байрам"

# Dates of the two feasts, fixed each year by the republics' acts (the same
# dates in both republics for 2023–2026).
_FEASTS: dict[int, tuple[tuple[int, int, str], ...]] = {
    2023: ((4, 21, URAZA), (6, 28, KURBAN)),
    2024: ((4, 10, URAZA), (6, 16, KURBAN)),
    2025: ((3, 30, URAZA), (6, 6, KURBAN)),
    2026: ((3, 20, URAZA), (5, 27, KURBAN)),
}

REGIONS: dict[str, RegionPreset] = {
    "TA": RegionPreset(
        code="TA",
        name="Республика Татарстан",
        aliases=("16", "RU-TA", "TATARSTAN", "ТАТАРСТАН"),
        fixed=(
            (8, 30, "День Республики Татарстан"),
            (11, 6, "День Конституции Республики Татарстан"),
        ),
        fixed_source="Закон РТ от 02.03.1999 № 2045 «О праздничных и памятных днях в Республике Татарстан», ст. 1",
        dated=_FEASTS,
        dated_source="Указы Раиса (Президента) РТ о датах Ураза-байрама и Курбан-байрама на каждый год",
        weekend_rule="праздник, совпавший с выходным, не переносится (закон РТ)",
    ),
    "BA": RegionPreset(
        code="BA",
        name="Республика Башкортостан",
        aliases=("02", "RU-BA", "BASHKORTOSTAN", "БАШКОРТОСТАН"),
        fixed=((10, 11, "День Республики Башкортостан"),),
        fixed_source="Закон РБ от 27.02.1992 № ВС-10/21 «О праздничных и памятных днях в Республике Башкортостан»",
        dated=_FEASTS,
        dated_source=(
            "Постановления Правительства РБ о нерабочих праздничных днях (Ураза-байрам, Курбан-байрам) на каждый год"
        ),
        weekend_rule=(
            "перенос праздника, совпавшего с выходным, объявляется постановлением Правительства РБ: "
            "добавьте его через `calendar set`"
        ),
    ),
}


def find_region(code: str) -> RegionPreset | None:
    key = code.strip().upper()
    for preset in REGIONS.values():
        if key == preset.code or key in preset.aliases:
            return preset
    return None


@dataclass(frozen=True)
class DecreeDay:
    day: date
    source: str


def _span(first: date, last: date, source: str) -> list[DecreeDay]:
    n = (last - first).days
    return [DecreeDay(date.fromordinal(first.toordinal() + i), source) for i in range(n + 1)]


_U206 = "Указ Президента РФ от 25.03.2020 № 206"
_U239 = "Указ Президента РФ от 02.04.2020 № 239"
_U294 = "Указ Президента РФ от 28.04.2020 № 294"
_U242 = "Указ Президента РФ от 23.04.2021 № 242"
_U595 = "Указ Президента РФ от 20.10.2021 № 595"

# DEADLINES.md: days declared non-working by presidential decree are not in the
# package; whether they stop a statutory term is the registry's legal choice,
# so this preset is off unless switched on (`calendar preset decrees --on`).
DECREE_DAYS: list[DecreeDay] = [
    *_span(date(2020, 3, 30), date(2020, 4, 3), _U206),
    *_span(date(2020, 4, 4), date(2020, 4, 30), _U239),
    *_span(date(2020, 5, 6), date(2020, 5, 8), _U294),
    DecreeDay(date(2020, 6, 24), "Указ Президента РФ от 01.06.2020 № 354 (парад Победы)"),
    DecreeDay(date(2020, 7, 1), "Указ Президента РФ от 02.06.2020 № 345 (голосование по поправкам к Конституции)"),
    *_span(date(2021, 5, 4), date(2021, 5, 7), _U242),
    *_span(date(2021, 11, 1), date(2021, 11, 3), _U595),
]

PRESETS = {"decrees": "нерабочие дни по указам Президента РФ 2020–2021 гг. (с сохранением зарплаты)"}
