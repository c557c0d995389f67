"""`sopcli doc KIND ID -o FILE.docx [--sent DATE]`: letters, requests, notices, resolution drafts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from sopcli.commands._common import day, now, reading, registry
from sopcli.commands._options import SIGNAL_HELP, JsonOpt, SignalRef, output_option, signal_ref
from sopcli.commands._options import signal_id as signal_id_of
from sopcli.render.output import emit_json, lateness
from sopcli.vocab import DOC_LABELS, allowed_words, choice_help, code_for, completer


def _render_sent(kind: str, ref: SignalRef, output: Path, sent: str) -> tuple[Path, list]:
    """One write transaction: check and fulfil the term, render the document; no file unless committed."""
    from sopcli.commands._common import obligations_json
    from sopcli.errors import InvalidInput
    from sopcli.files import atomic_private
    from sopcli.services.papers import documents
    from sopcli.services.reading.db import reader_on
    from sopcli.services.steps import obligations

    target = documents.document_target(output)
    # renamed into place only after the commit: a refused or failed step leaves no document
    with atomic_private(target) as tmp, registry("doc") as (reg, session):
        at = now()
        when = day(sent, "дата отправки")
        if when > at.astimezone(reg.tz).date():
            raise InvalidInput("Дата отправки в будущем.")
        r = reader_on(session)
        ident = signal_id_of(r, ref)
        ctx = documents.context(r, kind, ident, at)
        fulfilled = []
        for ob_id in documents.open_to_fulfil(r, kind, ident):
            ob = obligations.get(session, ob_id)
            obligations.fulfil(session, reg, ob, reg.start_of(when),
                               f"{documents.KINDS[kind].title}: {output.name[:100]}")
            fulfilled += obligations_json([ob], reg)
        documents.fill(kind, ctx).save(tmp)
    return target, fulfilled


def doc(
    kind: Annotated[Optional[str], typer.Argument(
        metavar="ВИД", help=choice_help("Документ", DOC_LABELS), autocompletion=completer(DOC_LABELS))] = None,
    ident: Annotated[Optional[SignalRef], typer.Argument(
        metavar="ID", parser=signal_ref, help=f"Дело; для запроса по прежнему месту — сигнал ({SIGNAL_HELP[0].lower()}"
        f"{SIGNAL_HELP[1:]}).", show_default=False)] = None,
    output: Annotated[Optional[Path], output_option("Файл .docx.")] = None,
    sent: Annotated[Optional[str], typer.Option(
        "--sent", help="Документ отправлен этой датой: исполнить соответствующий срок.")] = None,
    where: Annotated[bool, typer.Option("--where", help="Показать, где лежат шаблоны пользователя.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Документ по шаблону Word (копия шаблона в папке настроек важнее встроенной)."""
    from sopcli.errors import InvalidInput
    from sopcli.services.papers import documents

    if where:
        typer.echo(str(documents.user_templates()))
        return
    if not kind:
        raise InvalidInput(f"Не указан документ: {allowed_words(DOC_LABELS)}.")
    kind = code_for(kind, DOC_LABELS, "документа")  # «письмо о переезде», «уведомление»: Russian words too
    if ident is None or output is None:
        raise InvalidInput("Укажите номер дела (сигнала) и файл: sopcli doc ВИД ID -o ФАЙЛ.docx.")
    if documents.KINDS[kind].of == "case" and ident.id is None:
        raise InvalidInput(f"«{kind}» — документ по делу: укажите номер дела, а не номер сигнала из журнала.")
    documents.document_target(output)  # a wrong -o is refused before the registry is read
    if sent is None:
        with reading() as r:
            ctx = documents.context(r, kind, signal_id_of(r, ident), now())
        path = documents.render(kind, ctx, output)
        fulfilled: list = []
    else:
        path, fulfilled = _render_sent(kind, ident, output, sent)
    if as_json:
        emit_json({"kind": kind, "file": str(path), "fulfilled": fulfilled})
        return
    typer.echo(f"Документ: {path}")
    for o in fulfilled:
        typer.echo(f"Исполнено: [{o['id']}] {o['rule']}{lateness(o)}")
