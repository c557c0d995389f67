"""`sopcli audit verify / list`: the tamper-evident audit trail (issue 7 §5)."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from sopcli.commands._common import moment, reading
from sopcli.commands._options import JsonOpt, SignalRef, signal_ref
from sopcli.commands._options import signal_id as signal_id_of
from sopcli.render.help import RuCommand, RuGroup
from sopcli.render.output import emit_json
from sopcli.vocab import AUDIT_ACTIONS, AUDIT_ENTITIES, AUDIT_FIELDS, AUDIT_VALUES, completer, label_of, pick

app = typer.Typer(help="Журнал аудита: проверка целостности и просмотр.", no_args_is_help=True,
                  rich_markup_mode=None, cls=RuGroup)

#: CLI.md: 0 done, 1 fault, 2 refused, 3 overdue found, 4 the audit trail is broken.
EXIT_BROKEN = 4


@app.command("verify", cls=RuCommand)
def verify(
    quick: Annotated[bool, typer.Option(
        "--quick", help="Быстро: цепочка, печати и число записей каждой таблицы, без сверки каждой записи.")] = False,
    head: Annotated[Optional[str], typer.Option(
        "--head", help="Хеш головы цепочки из прежней сводки (не короче 12 знаков): есть ли он в журнале.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Проверить журнал аудита и данные реестра по нему (код 4, если что-то изменено в обход sopcli)."""
    from sopcli.services.trust.audit_read import summary_line
    from sopcli.services.trust.audit_read import verify as walk

    wanted = _head_hash(head)
    with reading() as r:
        result = walk(r, full=not quick, head=wanted)
    if as_json:
        emit_json(result)
    else:
        _show(result)
    if not result["ok"]:
        sys.stderr.write(summary_line(result) + "\n")
        raise typer.Exit(EXIT_BROKEN)


@app.command("list", cls=RuCommand)
def list_(
    entity: Annotated[Optional[str], typer.Option(
        "--entity", help="Что менялось: дело (case; с --id — и всё, что к нему относится: сигналы, проверка, "
        "программа, отчёты, события, сроки), сигнал (signal), обязанность (obligation)…",
        autocompletion=completer(AUDIT_ENTITIES))] = None,
    ident: Annotated[Optional[SignalRef], typer.Option(
        "--id", metavar="ID", parser=signal_ref, help="Номер (id) объекта; у сигнала — и N/ГГГГ из журнала.")] = None,
    since: Annotated[Optional[str], typer.Option("--since", help="С даты (момента) включительно.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=1_000_000, help="Сколько последних записей.")] = 50,
    as_json: JsonOpt = False,
) -> None:
    """Последние записи журнала аудита: кто, когда, какой командой, что изменил."""
    from sopcli.services.trust.audit_read import entries

    with reading() as r:
        start = moment(since, r.tz, "момент --since") if since is not None else None
        code = (pick(entity, AUDIT_ENTITIES) or entity.strip()) if entity else None
        if ident is not None and ident.id is None and code != "signal":
            from sopcli.errors import InvalidInput

            raise InvalidInput("Номер N/ГГГГ из журнала — только у сигнала (--entity signal); у прочего — id.")
        rows = entries(r, code, signal_id_of(r, ident), start, limit)
    if as_json:
        emit_json({"entries": rows})
        return
    if rows:
        typer.echo(f"{'запись':>7}  {'когда':<19}  кто  команда: что сделано  подробности")
    for e in rows:
        what = f"{label_of(e['action'], AUDIT_ACTIONS)}, {label_of(e['entity'], AUDIT_ENTITIES)}" + (
            f" № {e['entity_id']}" if e["entity_id"] is not None else "")
        when = f"{e['at']:%d.%m.%Y %H:%M:%S}" if e["at"] is not None else f"{'не дата (см. audit verify)':<19}"
        typer.echo(f"{e['id']:>7}  {when}  {e['os_user']}  {e['command']}: {what}  "
                   f"{_detail(e['detail'])}")


def _head_hash(head: str | None) -> str | None:
    """A head as the digest printed it: hexadecimal, 12 to 64 signs (a prefix is enough to find it)."""
    if head is None:
        return None
    value = head.strip().lower()
    if not 12 <= len(value) <= 64 or any(ch not in "0123456789abcdef" for ch in value):
        from sopcli.errors import InvalidInput

        raise InvalidInput("Хеш головы --head: от 12 до 64 шестнадцатеричных знаков (0–9, a–f), как в сводке.")
    return value


def _show(result: dict) -> None:
    from sopcli.services.trust.audit_read import broken_text, shown_chain

    for c in result["chains"]:
        state = "цела" if c["ok"] else f"НАРУШЕНА: {broken_text(c['broken'])}"
        head = f"№ {c['head_seq']}, хеш {c['head_hash']}" if c["head_hash"] else "нет"
        typer.echo(f"Цепочка «{shown_chain(c['chain'])}»: проверено записей {c['checked']}; голова {head}; {state}")
    rows = result["rows"]
    how = "сверена каждая запись" if rows["full"] else "сверено число записей (--quick)"
    if rows["ok"]:
        typer.echo(f"Данные реестра: {how}, всего {rows['checked']}; совпадают с журналом.")
    else:
        typer.echo(f"Данные реестра: {how}; РАСХОДЯТСЯ с журналом — нарушений {rows['problem_count']}:")
        for p in rows["problems"]:
            typer.echo(f"  {p['message']}")
        if rows["problem_count"] > len(rows["problems"]):
            typer.echo(f"  … и ещё {rows['problem_count'] - len(rows['problems'])} (полный список: --json)")
    if "head" in result:
        found = result["head"]["found"]
        typer.echo(f"Хеш {result['head']['hash'][:16]}…: " + (
            f"есть в журнале — цепочка «{shown_chain(found['chain'])}», № {found['seq']}" if found else
            "В ЖУРНАЛЕ НЕТ — журнал переписан после той сводки или хеш с другого реестра"))


def _detail(detail: object) -> str:
    if isinstance(detail, dict) and isinstance(detail.get("rows"), list):  # a `seal` entry: not its hashes
        from sopcli.services.trust.seals import TABLE_WORDS

        tables = sorted({TABLE_WORDS.get(r[0], r[0]) for r in detail["rows"] if isinstance(r, list) and r})
        return f"записей запечатано: {len(detail['rows'])} ({', '.join(tables)})"
    if isinstance(detail, dict):
        return "; ".join(f"{AUDIT_FIELDS.get(k, k)}: {_value(v)}" for k, v in detail.items() if v not in (None, ""))
    return str(detail)


def _value(value: object) -> str:
    """A detail's value as the screen says it: a date as 07.12.2026, a code in words, no «None» (issue 32 §5)."""
    import re

    from sopcli.vocab import (
        CHANNEL_LABELS,
        GROUND_LABELS,
        LEVEL_LABELS,
        OUTCOME_LABELS,
        OUTCOMES_APP4,
    )

    text = str(value)
    iso = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d:\d\d)(?::\d\d(?:\.\d+)?)?(?:[+-]\d\d:\d\d|Z)?)?", text)
    if iso:
        return f"{iso[3]}.{iso[2]}.{iso[1]}" + (f" {iso[4]}" if iso[4] else "")
    for words in (AUDIT_VALUES, GROUND_LABELS, OUTCOMES_APP4, OUTCOME_LABELS, LEVEL_LABELS, CHANNEL_LABELS):
        if text in words:
            return words[text]
    if isinstance(value, list):
        return ", ".join(_value(v) for v in value)
    return text
