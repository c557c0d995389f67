"""`sopcli audit verify / list`: the tamper-evident audit trail (issue 7 §5)."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from sopcli.commands._common import moment, reading
from sopcli.commands._options import JsonOpt, id_option
from sopcli.render.help import RuCommand, RuGroup
from sopcli.render.output import emit_json
from sopcli.vocab import AUDIT_ACTIONS, AUDIT_ENTITIES, completer, label_of, pick

app = typer.Typer(help="Журнал аудита: проверка целостности и просмотр.", no_args_is_help=True,
                  rich_markup_mode=None, cls=RuGroup)

#: CLI.md: 0 done, 1 fault, 2 refused, 3 overdue found, 4 the audit trail is broken.
EXIT_BROKEN = 4


@app.command("verify", cls=RuCommand)
def verify(as_json: JsonOpt = False) -> None:
    """Проверить цепочку хешей журнала аудита (код 4, если журнал нарушен)."""
    from sopcli.services.trust.audit_read import broken_text, shown_chain, summary_line
    from sopcli.services.trust.audit_read import verify as walk

    with reading() as r:
        result = walk(r)
    if as_json:
        emit_json(result)
    else:
        for c in result["chains"]:
            state = "цела" if c["ok"] else f"НАРУШЕНА: {broken_text(c['broken'])}"
            head = f"№ {c['head_seq']}, хеш {c['head_hash']}" if c["head_hash"] else "нет"
            typer.echo(f"Цепочка «{shown_chain(c['chain'])}»: проверено записей {c['checked']}; голова {head}; {state}")
    if not result["ok"]:
        sys.stderr.write(summary_line(result) + "\n")
        raise typer.Exit(EXIT_BROKEN)


@app.command("list", cls=RuCommand)
def list_(
    entity: Annotated[Optional[str], typer.Option(
        "--entity", help="Что менялось: дело (case), сигнал (signal), обязанность (obligation)…",
        autocompletion=completer(AUDIT_ENTITIES))] = None,
    entity_id: Annotated[Optional[int], id_option("--id", "Номер (id) объекта.")] = None,
    since: Annotated[Optional[str], typer.Option("--since", help="С даты (момента) включительно.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=1_000_000, help="Сколько последних записей.")] = 50,
    as_json: JsonOpt = False,
) -> None:
    """Последние записи журнала аудита: кто, когда, какой командой, что изменил."""
    from sopcli.services.trust.audit_read import entries

    with reading() as r:
        start = moment(since, r.tz, "момент --since") if since is not None else None
        code = (pick(entity, AUDIT_ENTITIES) or entity.strip()) if entity else None
        rows = entries(r, code, entity_id, start, limit)
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


def _detail(detail: object) -> str:
    if isinstance(detail, dict):
        return "; ".join(f"{k}={v}" for k, v in detail.items())
    return str(detail)
