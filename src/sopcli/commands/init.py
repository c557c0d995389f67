"""`sopcli init`: create or upgrade the registry (idempotent)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from sopcli.commands._common import now, registry, state
from sopcli.commands._options import JsonOpt
from sopcli.render.output import emit_json

# 001 §2.1: the prevention system's bodies; a commission edits the list (`agency add`).
AGENCIES = [
    ("КДН и ЗП", "kdn"), ("Орган опеки и попечительства", "guardianship"),
    ("Орган социальной защиты населения", "social"), ("Орган внутренних дел (ПДН)", "police"),
    ("Орган управления образованием", "education"), ("Орган управления здравоохранением", "health"),
    ("Орган по делам молодёжи", "youth"), ("Орган службы занятости", "employment"),
    ("Уголовно-исполнительная инспекция", "uii"), ("Прокуратура", "prosecutor"),
    ("Орган управления культурой", "culture"), ("Орган управления физической культурой и спортом", "sport"),
]


def _rules_help() -> str:
    from sopcli.deadlines.rulebook import DEFAULT_SET, set_names
    from sopcli.vocab import RULE_SET_LABELS

    names = "; ".join(f"{RULE_SET_LABELS.get(n, n)} ({n})" for n in set_names())
    return (f"Набор правил: {names}; по умолчанию {RULE_SET_LABELS.get(DEFAULT_SET, DEFAULT_SET)} — или файл "
            ".toml со своим сводом региона (sopcli rules check ФАЙЛ).")


def init(
    rules: Annotated[Optional[str], typer.Option("--rules", help=_rules_help())] = None,
    region: Annotated[Optional[str], typer.Option("--region", help="Регион (TA, BA) или none.")] = None,
    tz: Annotated[Optional[str], typer.Option("--tz", help="Часовой пояс реестра, например Europe/Moscow.")] = None,
    municipality: Annotated[Optional[str], typer.Option("--municipality", help="Муниципальное образование.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Создать реестр или обновить его схему (повторный запуск безопасен)."""
    from sqlalchemy import literal_column, text
    from sqlmodel import select

    from sopcli.db import make_engine, resolve_url, sqlite_path, upgrade
    from sopcli.models import Agency, RegistrySetting
    from sopcli.services.papers import anonymize, calendar_feed
    from sopcli.services.registry import DEFAULTS, validate_settings
    from sopcli.services.steps.standing import ensure_standing, replay_waiting_signals, switch_rules
    from sopcli.services.trust import audit
    from sopcli.services.trust.commissions import regrant
    from sopcli.tenancy import DEFAULT_COMMISSION
    from sopcli.vocab import RULE_SET_LABELS, pick

    rules = (pick(rules, RULE_SET_LABELS) or rules) if rules else rules
    given = {"rules": rules, "region": region, "tz": tz, "municipality": municipality}
    changes = {k: ("" if v.lower() == "none" and k == "region" else v.strip())
               for k, v in given.items() if v is not None}
    if rules is not None and rules.strip().lower().endswith(".toml"):
        changes.update(own_rulebook(rules.strip()))
    validate_settings({**DEFAULTS, **changes})  # refused input writes nothing, not even the schema
    url = resolve_url(state["db"])
    engine = make_engine(url, create=True)
    try:
        applied = upgrade(engine)
    finally:
        engine.dispose()
    with registry("init", standing=False) as (reg, session):
        if "rules" in changes and "rulebook" not in changes and changes["rules"] in reg.rulebook.sets:
            changes["rulebook"] = reg.settings.get("rulebook", "") if reg.rulebook.sets[changes["rules"]].own else ""
        merged = {**reg.settings, **changes}
        validate_settings(merged)
        left = reg.settings["rules"]
        for key, value in changes.items():
            row = session.get(RegistrySetting, key)
            if row is None:
                session.add(RegistrySetting(key=key, value=value))
            elif row.value != value:
                row.value = value
        if changes:
            audit.record(session, reg, "settings", "registry", None,
                         **{k: (v if k != "rulebook" else f"{len(v)} знаков") for k, v in changes.items()})
        if "municipality" in changes:  # the file's own commission (0007) signs with the municipality
            session.execute(text("UPDATE commission SET name = :n WHERE code = :c"),
                            {"n": changes["municipality"], "c": DEFAULT_COMMISSION})
        regrant(session)  # a schema upgrade may have added tables the commissions' roles need
        added = 0
        if session.exec(select(Agency.id).where(literal_column("commission") == reg.commission)).first() is None:
            for name, kind in AGENCIES:
                session.add(Agency(name=name, kind=kind))
                added += 1
            audit.record(session, reg, "create", "agency", None, count=added)
        anonymize.ensure_key(session, reg)  # export --anonymize: pseudonyms stable within this registry
        calendar_feed.ensure_uid(session, reg)  # export ics: the events' UIDs, stable within this registry
        imported = _import_calendar_file(session, reg)
        if imported is not None:
            merged = {**merged, **{k: v for k, v in imported.items() if k in DEFAULTS and not merged[k]}}
        reg.settings = merged
        switched, replayed = [], []
        if merged["rules"] != left:
            switched = switch_rules(session, reg, left, merged["rules"], now())
            replayed = replay_waiting_signals(session, reg)
        standing = ensure_standing(session, reg, now().astimezone(reg.tz).date())
        result = {
            "db": str(sqlite_path(url) or url.split("@")[-1]), "migrations_applied": applied,
            "standing_opened": [{"rule": o.rule, "due": o.due} for o in standing],
            "cancelled_by_switch": [{"id": o.id, "rule": o.rule} for o in switched],
            "opened_by_switch": [{"id": o.id, "rule": o.rule, "signal": o.signal_id} for o in replayed],
            "settings": {k: merged[k] for k in DEFAULTS}, "agencies_added": added,
            "calendar_overrides_imported": imported["count"] if imported else 0,
        }
    if as_json:
        emit_json(result)
        return
    typer.echo(f"Реестр готов: {result['db']}")
    typer.echo("Схема обновлена: " + (", ".join(applied) if applied else "изменений нет"))
    s = result["settings"]
    typer.echo(f"Набор правил: {s['rules']}; регион: {s['region'] or 'не задан'}; часовой пояс: {s['tz']}")
    if result["cancelled_by_switch"]:
        typer.echo(f"Отменены сроки прежнего набора правил: {len(result['cancelled_by_switch'])} "
                   f"({', '.join(sorted({o['rule'] for o in result['cancelled_by_switch']}))})")
    if result["opened_by_switch"]:
        typer.echo(f"Открыты сроки нового набора по непроверенным сигналам: {len(result['opened_by_switch'])} "
                   f"({', '.join(sorted({o['rule'] for o in result['opened_by_switch']}))})")
    grouped: dict[tuple[str, object], int] = {}
    for o in result["standing_opened"]:
        grouped[(o["rule"], o["due"])] = grouped.get((o["rule"], o["due"]), 0) + 1
    for (rule, due), n in grouped.items():
        typer.echo(f"Открыт срок периода: {rule}{f' (органов: {n})' if n > 1 else ''} до {due:%d.%m.%Y}")
    if added:
        typer.echo(f"Справочник органов заполнен ({added}); изменить: sopcli agency add/list")
    if imported:
        typer.echo(f"Перенесены настройки календаря из файла: поправок {imported['count']}")


def _import_calendar_file(session, reg) -> dict | None:  # noqa: ANN001
    """One-time move of the engine issue's calendar.json overrides into the registry."""
    from datetime import UTC, date, datetime

    from sopcli.models import CalendarOverride, RegistrySetting
    from sopcli.services.trust import audit
    from sopcli.settings import CalendarSettings, settings_path

    if session.get(RegistrySetting, "calendar_file_imported") is not None or not settings_path().exists():
        return None
    file = CalendarSettings.load()
    count = 0
    for iso, entry in sorted(file.overrides.items()):
        session.add(CalendarOverride(day=date.fromisoformat(iso), working=bool(entry["working"]),
                                     reason=entry["reason"], created_at=datetime.now(UTC),
                                     created_by=reg.os_user))
        count += 1
    if file.region and not reg.settings["region"]:
        session.merge(RegistrySetting(key="region", value=file.region))
    if file.presets and not reg.settings["presets"]:
        session.merge(RegistrySetting(key="presets", value=",".join(file.presets)))
    session.add(RegistrySetting(key="calendar_file_imported", value=str(settings_path())))
    audit.record(session, reg, "import", "calendar_override", None, count=count, file=str(settings_path()))
    return {"count": count, "region": file.region or "", "presets": ",".join(file.presets)}


def own_rulebook(path: str) -> dict[str, str]:
    """A region's own rulebook file, validated in full before anything is written: its set and its text."""
    from pathlib import Path

    from sopcli.deadlines.rulebook import own_set, rulebook_with
    from sopcli.errors import InvalidInput

    file = Path(path).expanduser()
    try:
        text = file.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        raise InvalidInput(f"Файл свода «{path[:80]}» не читается (нужен TOML в UTF-8).") from None
    if len(text) > 1_000_000:
        raise InvalidInput(f"Файл свода «{path[:80]}» больше 1 МБ: это не свод правил.")
    return {"rules": own_set(rulebook_with(text)), "rulebook": text}
