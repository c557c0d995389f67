"""`sopcli init`: create or upgrade the registry (idempotent)."""

from __future__ import annotations

from typing import Annotated, Any, Optional

import typer

from sopcli.commands._common import now, registry, state
from sopcli.commands._options import JsonOpt
from sopcli.render.output import emit_json


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
    genitive: Annotated[Optional[str], typer.Option(
        "--municipality-genitive", help="Муниципальное образование в родительном падеже, как в бланках: "
        "«Комиссия … городского округа «Город Йошкар-Ола»»; none — склонять по правилам.")] = None,
    new: Annotated[bool, typer.Option(
        "--new", help="Создать реестр (и папки к нему), если его нет. Без терминала без --new отказ: опечатка "
                      "в пути или неподключённый диск не станут пустым реестром со сводкой «просрочено 0».")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Создать реестр (--new) или обновить его схему (повторный запуск безопасен)."""
    from sopcli.commands._progress import bars
    from sopcli.db import resolve_url
    from sopcli.services import setup

    changes = setup.requested_settings(rules, region, tz, municipality, genitive)  # refused input writes nothing
    url = resolve_url(state["db"])
    if not new and setup.registry_missing(url):
        _creation_asked(url)
    with bars() as progress:
        applied = setup.upgrade_schema(url, progress)
    with registry("init", standing=False) as (reg, session):
        done = setup.set_up(session, reg, changes, now())
        result = _result(setup.shown_location(url), applied, done)  # the rows are read while the session is open
    if as_json:
        emit_json(result)
        return
    _print(result, done.imported is not None)


def _creation_asked(url: str) -> None:
    """A registry that is not there: created only at a person's yes, never by a script without --new."""
    from sopcli.commands._common import at_terminal, yes_no
    from sopcli.db import sqlite_path
    from sopcli.errors import InvalidInput
    from sopcli.services import setup

    where = setup.shown_location(url)
    folders = setup.missing_folders(url)
    also = f" и папку {folders[0]}" if folders else ""
    if not at_terminal():
        create = f"sopcli --db {where} init --new" if sqlite_path(url) else "sopcli init --new"
        raise InvalidInput(f"Реестра нет: {where}{f' (нет папки {folders[0]})' if folders else ''}. "
                           f"Проверьте путь (--db, SOPCLI_DB); создать новый: {create}.")
    if not yes_no(f"Реестра нет: {where}. Создать новый реестр{also}"):
        raise InvalidInput("Реестр не создан.")


def _result(db: str, applied: list[str], done: Any) -> dict[str, Any]:
    """`init --json`: what the text report says, field by field."""
    from sopcli.registry_settings import DEFAULTS, municipality_genitive

    genitive, how = municipality_genitive(done.settings)
    return {
        "municipality_genitive": {"text": genitive, "source": how} if done.settings["municipality"] else None,
        "db": db, "migrations_applied": applied,
        "standing_opened": [{"rule": o.rule, "due": o.due} for o in done.standing],
        "cancelled_by_switch": [{"id": o.id, "rule": o.rule} for o in done.switched],
        "opened_by_switch": [{"id": o.id, "rule": o.rule, "signal": o.signal_id} for o in done.replayed],
        "settings": {k: done.settings[k] for k in DEFAULTS}, "agencies_added": done.agencies_added,
        "calendar_overrides_imported": done.imported["count"] if done.imported else 0,
        "aliases_taking_words": done.bad_aliases,
        "owners_bound": None if done.bound is None else {
            "obligations": done.bound.obligations, "signals": done.bound.signals,
            "left": [{"text": t, "terms": n} for t, n in sorted(done.bound.left.items())]},
    }


def _print(result: dict[str, Any], calendar_moved: bool) -> None:
    typer.echo(f"Реестр готов: {result['db']}")
    applied = result["migrations_applied"]
    typer.echo("Схема обновлена: " + (", ".join(applied) if applied else "изменений нет"))
    s = result["settings"]
    typer.echo(f"Набор правил: {s['rules']}; регион: {s['region'] or 'не задан'}; часовой пояс: {s['tz']}")
    _print_genitive(result["municipality_genitive"])
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
    if result["agencies_added"]:
        typer.echo(f"Справочник органов заполнен ({result['agencies_added']}); изменить: sopcli agency add/list")
    if result["aliases_taking_words"]:
        typer.echo("Сокращения отнимают слово у другого органа (теперь такие не принимаются): "
                   f"{'; '.join(result['aliases_taking_words'])} — проверьте: sopcli agency alias list")
    bound = result["owners_bound"]
    if bound is not None and (bound["obligations"] or bound["left"]):
        typer.echo(f"Исполнители сроков назначены по справочнику: сроков {bound['obligations']}, "
                   f"источников сигналов {bound['signals']}")
    if bound is not None and bound["left"]:
        shown = "; ".join(f"«{x['text'][:60]}» ({x['terms']})" for x in bound["left"][:5])
        more = f" и ещё {len(bound['left']) - 5}" if len(bound["left"]) > 5 else ""
        typer.echo(f"Без исполнителя остались: {shown}{more} — назначьте: sopcli agency bind «ТЕКСТ» --to ОРГАН "
                   "(список: sopcli agency unbound)")
    if calendar_moved:  # the move is reported even when the file held no overrides
        typer.echo(f"Перенесены настройки календаря из файла: поправок {result['calendar_overrides_imported']}")


_GENITIVE_SOURCES = {"given": "задан вами", "declined": "склонено по правилам — проверьте",
                     "as-typed": "склонить не удалось, напечатано как введено"}


def _print_genitive(genitive: dict[str, str] | None) -> None:
    """The municipality as the papers print it, so that the secretary can correct a wrong genitive once."""
    if genitive is None:
        return
    typer.echo(f"В документах: «Комиссия по делам несовершеннолетних и защите их прав {genitive['text']}» "
               f"({_GENITIVE_SOURCES[genitive['source']]})")
    if genitive["source"] != "given":
        typer.echo("Исправить: sopcli init --municipality-genitive «…» (родительный падеж: кого? чего?)")
