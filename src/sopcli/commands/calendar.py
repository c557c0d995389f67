"""`sopcli calendar`: due dates with their reasons, the year's calendar, overrides."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Optional

import typer

from sopcli.commands._options import JsonOpt
from sopcli.render.help import RuCommand, RuGroup
from sopcli.render.output import emit_json

app = typer.Typer(help="Производственный календарь и расчёт сроков.", no_args_is_help=True,
                  rich_markup_mode=None, cls=RuGroup)

RegionOpt = Annotated[Optional[str], typer.Option(
    "--region", help="Код региона с собственными нерабочими днями (TA, BA); по умолчанию из настроек.")]


def _settings():
    """The registry's calendar once it exists, to change it; before `init`, the settings file."""
    from sopcli.commands._common import registry_exists, state
    from sopcli.settings import CalendarSettings

    if registry_exists():
        from sopcli.services.calendar_store import RegistryCalendarSettings

        return RegistryCalendarSettings.load_from(state["db"])
    return CalendarSettings.load()


def _read_settings():
    """The calendar only to compute with (`due`, `show`): on a registry through the ORM-free reader, so the
    command never pays the ORM's start-up (issue 17 §4)."""
    from sopcli.commands._common import reading, registry_exists
    from sopcli.settings import CalendarSettings

    if registry_exists():
        from sopcli.services.calendar_store import read_settings

        with reading(light=True) as r:
            return read_settings(r)
    return CalendarSettings.load()


def _report_moves(moved: list[dict]) -> None:
    """A calendar change in a registry moves open terms: say which, so nobody relies on an old date."""
    from datetime import datetime

    from sopcli.commands.deadlines import where_of

    def shown(d: object) -> str:
        return f"{d:%d.%m.%Y %H:%M}" if isinstance(d, datetime) else f"{d:%d.%m.%Y}"

    if not moved:
        return
    typer.echo(f"Пересчитаны сроки открытых обязанностей: {len(moved)}")
    for m in moved:
        where = where_of(m)
        typer.echo(f"  [{m['id']}] {m['rule']}: {shown(m['was'])} → {shown(m['due'])}; {where}")


def _zone(name: str):
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from sopcli.errors import InvalidInput

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(f"Неизвестный часовой пояс «{name}».") from None


# CLI.md: a leading "-" types "not later than … before" (`-6m`); let it through as TERM.
@app.command("due", cls=RuCommand, context_settings={"ignore_unknown_options": True})
def due(
    start: Annotated[str, typer.Argument(metavar="НАЧАЛО", help="Дата (момент) события: ДД.ММ.ГГГГ [ЧЧ:ММ].")],
    term: Annotated[Optional[str], typer.Argument(
        metavar="СРОК", help="Срок: фраза («5 рабочих дней») или код (5wd, 3d, 2w, 1m, -6m, until:10.01, 3-5d, "
        "every:6m, quarterly, monthly:30, quarterly:5, 24h, immediate).")] = None,
    rule: Annotated[Optional[str], typer.Option("--rule", help="Правило свода сроков, например me.check.")] = None,
    region: RegionOpt = None,
    tz: Annotated[Optional[str], typer.Option("--tz", help="Часовой пояс реестра.")] = None,
    age: Annotated[Optional[int], typer.Option(
        "--age", min=1, max=100, help="НАЧАЛО — дата рождения; событие — день, когда исполнится столько лет "
        "(как в реестре: ст. 192 ГК РФ, 29.02 → 28.02).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Рассчитать срок от даты события и объяснить расчёт."""
    from sopcli.calendar_source import build_calendar
    from sopcli.commands.rules import registry_book
    from sopcli.deadlines.dates import parse_moment
    from sopcli.deadlines.explain import explain_lines
    from sopcli.deadlines.terms import parse_term
    from sopcli.errors import InvalidInput

    settings = _read_settings()
    zone = _zone(tz or settings.tz)
    if age is not None:
        from sopcli.deadlines.compute import coming_of_age
        from sopcli.deadlines.dates import parse_date

        # the registry opens age.18 on the same day, through the same function (services/directory/names.birthday)
        moment = coming_of_age(parse_date(start, "дата рождения"), age)
    else:
        moment = parse_moment(start, zone, "момент события")
    book = registry_book()[0] if rule else None  # a region's own rule too (init --rules FILE)
    rulebook_rule = book.get(rule) if book is not None and rule else None
    if term is None and rulebook_rule is None:
        raise InvalidInput("Укажите срок (например, 5wd) или правило: --rule me.check.")
    parsed = parse_term(term) if term is not None else None
    if parsed is not None and rulebook_rule is not None and parsed != rulebook_rule.term:
        raise InvalidInput(
            f"Срок «{term}» не совпадает со сроком правила {rule} ({rulebook_rule.term.code})."
        )
    cal = build_calendar(settings, region)
    if rulebook_rule is not None:
        result = book.due(cal, rulebook_rule, moment, zone)  # type: ignore[union-attr]
    else:
        from sopcli.deadlines.compute import compute_due

        result = compute_due(cal, moment, parsed, zone)  # type: ignore[arg-type]
    lines = explain_lines(result, zone, rulebook_rule)
    if as_json:
        emit_json(_due_json(result, zone, rulebook_rule, lines))
        return
    from sopcli.deadlines.explain import fmt_due

    typer.echo(f"Срок истекает: {fmt_due(result, zone)}")
    for line in lines:
        typer.echo(line)


def _due_json(result, zone, rule, lines) -> dict:  # noqa: ANN001 - internal view
    return {
        "start": result.start,
        "term": result.term.code,
        "term_label": result.term.label,
        "due": result.due_at or result.due,
        "due_end": result.end_moment(zone),
        "target": result.target,
        "rule": rule.to_json() if rule else None,
        "explanation": lines,
        "skipped": [i.to_json() for i in result.skipped],
        "worked_weekends": [i.to_json() for i in result.worked],
        "moved_over": [i.to_json() for i in result.moved],
        "occurrences": result.occurrences,
        "warnings": result.warnings,
    }


@app.command("show", cls=RuCommand)
def show(
    year: Annotated[str, typer.Argument(metavar="ГОД", help="Год, например 2025.")],
    region: RegionOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Нерабочие будни, рабочие выходные и местные поправки за год."""
    from sopcli.calendar_source import build_calendar
    from sopcli.deadlines.calendar import FIRST_YEAR, LAST_YEAR
    from sopcli.errors import InvalidInput

    if not year.strip().isdigit() or not FIRST_YEAR <= int(year) <= LAST_YEAR:
        raise InvalidInput(f"Год «{year}» вне производственного календаря ({FIRST_YEAR}–{LAST_YEAR}).")
    settings = _read_settings()
    cal = build_calendar(settings, region)
    view = _year_view(cal, int(year), settings)
    if as_json:
        emit_json(view)
        return
    _print_year(view)


def _year_view(cal, year: int, settings) -> dict:  # noqa: ANN001 - internal view
    from sopcli.deadlines.regions import PRESETS

    days = []
    d = date(year, 1, 1)
    while d.year == year:
        info = cal.info(d)
        weekday = d.weekday() < 5
        if (weekday and not info.working) or (not weekday and info.working) or info.kind in (
                "override", "decree", "region"):
            days.append(info.to_json())
        d += timedelta(days=1)
    months = [cal.working_days_in_month(year, m) for m in range(1, 13)]
    return {
        "year": year,
        "region": cal.region.code if cal.region else None,
        "region_name": cal.region.name if cal.region else None,
        "region_note": cal.region.weekend_rule if cal.region else None,
        "presets": {name: {"enabled": name in cal.presets, "label": label}
                    for name, label in PRESETS.items()},
        "package": f"holidays {cal.federal.package_version}",
        "covered_until": cal.federal.covered_until,
        "days": days,
        "working_days_by_month": months,
        "working_days": sum(months),
        "overrides": [
            {"date": k, **v} for k, v in sorted(settings.overrides.items()) if k.startswith(str(year))
        ],
        "warnings": cal.warnings([year]),
    }


def _print_year(view: dict) -> None:
    from rich.table import Table

    from sopcli.deadlines.dates import MONTHS_GENITIVE, WEEKDAYS_SHORT
    from sopcli.render.output import console

    out = console()
    title = f"Производственный календарь на {view['year']} год"
    if view["region_name"]:
        title += f" — {view['region_name']}"
    table = Table(title=title, show_lines=False)
    for col in ("Дата", "День", "Статус", "Основание"):
        table.add_column(col)
    for day in view["days"]:
        d = date.fromisoformat(day["date"])
        status = "рабочий" if day["working"] else "нерабочий"
        table.add_row(d.strftime("%d.%m.%Y"), WEEKDAYS_SHORT[d.weekday()], status, day["reason"])
    out.print(table)
    months = ", ".join(f"{MONTHS_GENITIVE[i][:3]} {n}" for i, n in enumerate(view["working_days_by_month"]))
    out.print(f"Рабочих дней: {view['working_days']} ({months})")
    if view["region_note"]:
        out.print(f"{view['region_name']}: {view['region_note']}")
    out.print(f"Источник: {view['package']}, постановления Правительства РФ по {view['covered_until']} год")
    for name, preset in view["presets"].items():
        state = "включён" if preset["enabled"] else "выключен"
        toggle = "--off" if preset["enabled"] else "--on"
        out.print(f"Пресет «{name}» ({preset['label']}): {state}; "
                  f"переключить: sopcli calendar preset {name} {toggle}")
    for w in view["warnings"]:
        out.print(f"Внимание: {w}")


@app.command("set", cls=RuCommand)
def set_day(
    day: Annotated[str, typer.Argument(metavar="ДАТА", help="Дата ДД.ММ.ГГГГ.")],
    off: Annotated[bool, typer.Option("--off", help="Сделать день нерабочим.")] = False,
    work: Annotated[bool, typer.Option("--work", help="Сделать день рабочим.")] = False,
    reason: Annotated[str, typer.Option("--reason", help="Основание (акт, номер, дата).")] = "",
    as_json: JsonOpt = False,
) -> None:
    """Местная поправка: день становится нерабочим или рабочим (с основанием)."""
    from sopcli.deadlines.calendar import FIRST_YEAR, LAST_YEAR
    from sopcli.deadlines.dates import fmt_day, parse_date
    from sopcli.errors import InvalidInput

    if off == work:
        raise InvalidInput("Укажите ровно одно: --off (нерабочий) или --work (рабочий).")
    d = parse_date(day)
    if not FIRST_YEAR <= d.year <= LAST_YEAR:
        raise InvalidInput(f"Год {d.year} вне производственного календаря ({FIRST_YEAR}–{LAST_YEAR}).")
    reason = " ".join(reason.split())
    if not reason:
        raise InvalidInput("Укажите основание поправки: --reason «постановление … от … № …».")
    if len(reason) > 500:
        raise InvalidInput("Основание слишком длинное: не более 500 знаков.")
    settings = _settings()
    entry = {"working": work, "reason": reason}
    previous = settings.overrides.get(d.isoformat())
    settings.overrides[d.isoformat()] = entry
    settings.record("set", date=d.isoformat(), previous=previous, **entry)
    moved = settings.save()
    state = "рабочий" if work else "нерабочий"
    if as_json:
        emit_json({"date": d, **entry, "previous": previous, "moved": moved})
    else:
        typer.echo(f"{fmt_day(d)}: {state} день — {reason}")
        _report_moves(moved)


@app.command("unset", cls=RuCommand)
def unset_day(
    day: Annotated[str, typer.Argument(metavar="ДАТА", help="Дата ДД.ММ.ГГГГ.")],
    reason: Annotated[str, typer.Option("--reason", help="Почему поправка отменена.")] = "",
) -> None:
    """Отменить местную поправку (запись остаётся в журнале изменений)."""
    from sopcli.deadlines.dates import fmt_day, parse_date
    from sopcli.errors import InvalidInput, NotFound

    d = parse_date(day)
    reason = " ".join(reason.split())
    if not reason:
        raise InvalidInput("Укажите, почему поправка отменяется: --reason «…».")
    settings = _settings()
    previous = settings.overrides.pop(d.isoformat(), None)
    if previous is None:
        raise NotFound(f"Для {fmt_day(d)} местной поправки нет.")
    settings.record("unset", date=d.isoformat(), previous=previous, reason=reason)
    moved = settings.save()
    typer.echo(f"{fmt_day(d)}: поправка отменена, день считается по производственному календарю.")
    _report_moves(moved)


@app.command("region", cls=RuCommand)
def region_cmd(
    code: Annotated[Optional[str], typer.Argument(
        metavar="КОД", help="TA, BA или none; без аргумента — показать.")] = None,
) -> None:
    """Регион реестра: его собственные нерабочие дни (Татарстан, Башкортостан)."""
    from sopcli.deadlines.regions import REGIONS, find_region
    from sopcli.errors import InvalidInput

    settings = _settings()
    if code is None:
        current = find_region(settings.region) if settings.region else None
        typer.echo(f"Регион: {current.name} ({current.code})" if current else "Регион не задан.")
        typer.echo("Пресеты: " + ", ".join(f"{r.code} — {r.name}" for r in REGIONS.values()))
        return
    if code.lower() == "none":
        new = None
    else:
        preset = find_region(code)
        if preset is None:
            raise InvalidInput(f"Неизвестный регион «{code}»: есть TA (Татарстан), BA (Башкортостан).")
        new = preset.code
    settings.record("region", previous=settings.region, region=new)
    settings.region = new
    moved = settings.save()
    typer.echo(f"Регион: {new or 'не задан'}.")
    _report_moves(moved)


@app.command("preset", cls=RuCommand)
def preset_cmd(
    name: Annotated[str, typer.Argument(metavar="ИМЯ", help="Имя пресета (decrees).")],
    on: Annotated[bool, typer.Option("--on", help="Включить.")] = False,
    off: Annotated[bool, typer.Option("--off", help="Выключить.")] = False,
) -> None:
    """Пресет нерабочих дней по указам Президента РФ 2020–2021 (по умолчанию выключен)."""
    from sopcli.deadlines.regions import PRESETS
    from sopcli.errors import InvalidInput

    if name not in PRESETS:
        raise InvalidInput(f"Неизвестный пресет «{name}»: есть {', '.join(PRESETS)}.")
    if on == off:
        raise InvalidInput("Укажите ровно одно: --on или --off.")
    settings = _settings()
    presets = [p for p in settings.presets if p != name] + ([name] if on else [])
    settings.record("preset", name=name, enabled=on)
    settings.presets = presets
    moved = settings.save()
    typer.echo(f"Пресет «{name}» ({PRESETS[name]}): {'включён' if on else 'выключен'}.")
    _report_moves(moved)
