"""`sopcli deadlines`: the morning digest, and `deadlines done`."""

from __future__ import annotations

import os
import sys
from datetime import date, datetime
from typing import Annotated, Any, Optional

import typer

from sopcli.commands._common import as_of as parse_as_of
from sopcli.commands._common import no_cycle_collection, obligations_json, reading, registry
from sopcli.commands._options import (
    AsOfOpt,
    JsonOpt,
    KnownNowOpt,
    SignalRef,
    id_argument,
    id_option,
    signal_option,
    who_option,
)
from sopcli.commands._options import signal_id as signal_id_of
from sopcli.render.help import RuCommand, RuGroup
from sopcli.render.output import emit_json, full_stop, lateness

app = typer.Typer(help="Сроки: сводка просроченного и предстоящего; отметка об исполнении.",
                  rich_markup_mode=None, cls=RuGroup, invoke_without_command=True)


@app.callback(invoke_without_command=True, cls=RuGroup)
def digest(
    ctx: typer.Context,
    overdue: Annotated[bool, typer.Option("--overdue", help="Только просроченные.")] = False,
    within: Annotated[int, typer.Option("--within", help="Предстоящие на N дней вперёд.")] = 7,
    case: Annotated[Optional[int], id_option("--case", "Только по делу.")] = None,
    who: Annotated[Optional[str], who_option("Только для органа: название, сокращение или код вида.")] = None,
    as_of: AsOfOpt = None,
    known_now: KnownNowOpt = False,
    fail_if_overdue: Annotated[bool, typer.Option("--fail-if-overdue", help="Код 3, если есть просрочка.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Сводка: сначала просроченное, затем срок в ближайшие --within дней, по исполнителям."""
    if ctx.invoked_subcommand is not None:
        return
    from sopcli.errors import InvalidInput
    from sopcli.services.reading.reads import digest as query
    from sopcli.services.reading.reads import registry_summary

    if within < 0 or within > 3660:
        raise InvalidInput("--within: число дней от 0 до 3660.")
    with no_cycle_collection():  # 24,000 rows and documents, no cycle among them
        with reading() as r:
            tz = r.tz
            at = parse_as_of(as_of, tz)
            rows = query(r, at, within, overdue, case, who, known_now=known_now)
            held = registry_summary(r, at, known_now)
            reminders: list[dict] = []
            heads = [] if as_of is not None else _heads(r)  # the evidence's anchor, kept by the cron mail
            # today's registry only (a past --as-of would need the date's history) and the commission's own work
            if as_of is None and who is None:
                from sopcli.services.directory.persons import without_birth_date

                reminders = without_birth_date(r, case)
        late = [o for o in rows if o["overdue"]]
        soon = [o for o in rows if not o["overdue"]]
        marked = by_hand(late, r.settings.get("rulebook", ""))
        if as_json:
            emit_json({"as_of": at.astimezone(tz), "registry": held, "obligations": late + soon,
                       "closed_by_hand": marked,
                       "birth_dates_missing": reminders, "audit_heads": heads})
        else:
            text = registry_line(held) + digest_text(late, soon, at.astimezone(tz), within,
                                                     plain=not sys.stdout.isatty() or "NO_COLOR" in os.environ)
            if reminders:  # not terms (no rule gives one): what the secretary should establish, after the terms
                from sopcli.services.directory.persons import reminder_line

                text += "УСТАНОВИТЬ ДАТУ РОЖДЕНИЯ\n" + "".join(reminder_line(e) + "\n" for e in reminders)
            text += by_hand_line(marked) + _heads_text(heads)
            sys.stdout.write(text)
    if fail_if_overdue and late:
        raise typer.Exit(3)


def _heads(r: Any) -> list[dict]:
    """The audit chains' heads (imported here: a past moment's digest shows none)."""
    from sopcli.services.trust.audit_read import chain_heads

    return chain_heads(r)


def _heads_text(heads: list[dict]) -> str:
    if not heads:
        return ""
    from sopcli.services.trust.audit_read import head_line

    return "".join(head_line(h) + "\n" for h in heads)


def by_hand(late: list[dict], own_rulebook: str) -> list[int]:
    """The overdue terms no step of the registry fulfils: said in the digest, so none sits overdue unexplained."""
    if not late:
        return []
    from sopcli.deadlines.rulebook import by_hand_rules

    silent = by_hand_rules(own_rulebook)
    return [o["id"] for o in late if o["rule"] in silent]


def by_hand_line(marked: list[int]) -> str:
    if not marked:
        return ""
    from sopcli.deadlines.rulebook import BY_HAND

    return (f"Просроченные [{'], ['.join(str(i) for i in marked[:20])}]"
            f"{' и другие' if len(marked) > 20 else ''} закрываются только {BY_HAND}\n")


def where_of(o: dict) -> str:
    """"дело 5", "сигнал 7", or the registry itself for the quarter's and the year's obligations."""
    if o.get("case"):
        return f"дело {o['case']}"
    return f"сигнал {o['signal']}" if o.get("signal") else "реестр"


def registry_line(held: dict) -> str:
    """The digest's first line: whose registry was read and how large it is (issue 32 §1)."""
    from sopcli.vocab import plural

    cases = f"{held['cases']} {plural(held['cases'], 'дело', 'дела', 'дел')}"
    now = f", в работе {held['open_cases']}" if held["open_cases"] is not None else ""
    return f"Реестр: {held['commission']} — {cases}{now}\n"


def digest_text(late: list[dict], soon: list[dict], at: datetime, within: int, plain: bool) -> str:
    """The digest as one text: overdue first, then soon; grouped by who must act (cron mail reads it)."""
    out = [f"Сроки на {at:%d.%m.%Y %H:%M}: просрочено {len(late)}, в ближайшие {within} дн. — {len(soon)}"]
    when = _DueShown(at.date())
    for title, group, colour in (("ПРОСРОЧЕНО", late, "red"), ("СКОРО", soon, "yellow")):
        if not group:
            continue
        out.append(title if plain else typer.style(title, fg=colour, bold=True))
        by_who: dict[str, list[dict]] = {}
        for o in group:
            by_who.setdefault(o["who"], []).append(o)
        for who in sorted(by_who):
            out.append(f"  {who}:")
            out += [f"    [{o['id']}] {when(o['due'], o['overdue'])}  {o['rule']} ({o['source']}): {o['title']} → "
                    f"{o['to']}; {where_of(o)}" for o in by_who[who]]
    return "\n".join(out) + "\n"


class _DueShown:
    """A due date as the digest prints it, with the days overdue: each distinct (day, overdue) written once.

    strftime per line was a third of the text's time on the national digest (24,000 lines, a few
    thousand days; issue 17). A kept moment (an immediate term, a few) is written each time: equal
    moments in two zones would print apart.
    """

    def __init__(self, today: date) -> None:
        self.today = today
        self.seen: dict[tuple[date, bool], str] = {}

    def __call__(self, due: date, overdue: bool) -> str:
        if isinstance(due, datetime):
            return self.shown(f"{due:%d.%m.%Y %H:%M}", due.date(), overdue)
        shown = self.seen.get((due, overdue))
        if shown is None:
            shown = self.seen[(due, overdue)] = self.shown(f"{due:%d.%m.%Y}", due, overdue)
        return shown

    def shown(self, when: str, day: date, overdue: bool) -> str:
        return f"{when} (просрочено на {max((self.today - day).days, 0)} дн.)" if overdue else when


@app.command("done", cls=RuCommand)
def done(
    obligation: Annotated[Optional[int], id_argument(
        "ОБЯЗАННОСТЬ", "Номер обязанности (или --rule с --case/--signal).")] = None,
    date_: Annotated[str, typer.Option("--date", help="Когда исполнено: ДД.ММ.ГГГГ [ЧЧ:ММ].")] = "",
    rule: Annotated[Optional[str], typer.Option("--rule", help="Правило, например fed.threat.")] = None,
    case: Annotated[Optional[int], id_option("--case", "Дело.")] = None,
    signal: Annotated[Optional[SignalRef], signal_option()] = None,
    note: Annotated[str, typer.Option("--note", help="Примечание (исходящий номер и т. п.).")] = "",
    as_json: JsonOpt = False,
) -> None:
    """Отметить обязанность исполненной (с датой; опоздание считается в рабочих днях)."""
    from sopcli.commands._common import ask, now
    from sopcli.services.steps import obligations

    date_ = ask(date_, "Дата исполнения (ДД.ММ.ГГГГ [ЧЧ:ММ])", "--date")
    with registry("deadlines done") as (reg, session):
        if obligation is not None:
            ob = obligations.get(session, obligation)
        else:
            ob = obligations.find_open(session, rule, case, signal_id_of(session, signal))
        opened = obligations.fulfil_at(session, reg, ob, date_, now(), note)
        doc = {"obligation": obligations_json([ob], reg)[0], "obligations": obligations_json(opened, reg)}
    if as_json:
        emit_json(doc)
        return
    o = doc["obligation"]
    late = lateness(o)
    typer.echo(full_stop(f"Обязанность [{o['id']}] {o['rule']} исполнена{late}"))
    for n in doc["obligations"]:
        typer.echo(f"Следующая: [{n['id']}] {n['rule']} до {n['due']:%d.%m.%Y}")


@app.command("open", cls=RuCommand)
def open_term(
    rule: Annotated[str, typer.Argument(metavar="ПРАВИЛО", help="Правило, которое открывает решение, например "
                                        "sv.request (sopcli rules: «по решению»).", show_default=False)],
    date_: Annotated[str, typer.Option("--date", help="Когда принято решение (поступил запрос): "
                                       "ДД.ММ.ГГГГ [ЧЧ:ММ].")] = "",
    case: Annotated[Optional[int], id_option("--case", "Дело.")] = None,
    signal: Annotated[Optional[SignalRef], signal_option()] = None,
    agency: Annotated[str, typer.Option("--agency", help="Орган, которому адресован запрос (из справочника).")] = "",
    reason: Annotated[str, typer.Option("--reason", help="Основание: чей запрос, чьё решение (в журнал).")] = "",
    due: Annotated[str, typer.Option("--due", help="Срок, который установил запрос (для правил со сроком "
                                     "запроса): ДД.ММ.ГГГГ.")] = "",
    as_json: JsonOpt = False,
) -> None:
    """Открыть срок, который открывает решение человека («при необходимости», «по запросу»)."""
    from sopcli.commands._common import ask, day, now, step_doc, step_report
    from sopcli.services.steps.standing import open_requested

    date_ = ask(date_, "Дата решения или запроса (ДД.ММ.ГГГГ [ЧЧ:ММ])", "--date")
    with registry("deadlines open") as (reg, session):
        from sopcli.deadlines.dates import parse_moment

        when = parse_moment(date_, reg.tz, "дата решения")
        res = open_requested(session, reg, rule, when, now(), case_id=case, signal_id=signal_id_of(session, signal),
                             agency=agency, reason=reason, due=day(due, "срок по запросу") if due else None)
        doc = step_doc(res, reg, {"rule": rule})
    where = f"делу № {case}" if case is not None else f"сигналу № {signal}"
    step_report(doc, as_json, f"Срок по {where} открыт решением.")


@app.command("stats", cls=RuCommand)
def stats(
    from_: Annotated[Optional[str], typer.Option("--from", help="Срок с (дата; по умолчанию — начало года).")] = None,
    to: Annotated[Optional[str], typer.Option("--to", help="Срок по (дата; по умолчанию — сегодня).")] = None,
    as_of: AsOfOpt = None,
    known_now: KnownNowOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Своевременность реагирования (001 §3.4): по органам — сроки, в срок, с опозданием, просрочено."""
    from sopcli.commands._common import day
    from sopcli.errors import InvalidInput
    from sopcli.services.reading.reads import scorecard

    with reading() as r:
        tz = r.tz
        at = parse_as_of(as_of, tz)
        today = at.astimezone(tz).date()
        end = day(to, "дата --to") if to else today
        start = day(from_, "дата --from") if from_ else end.replace(month=1, day=1)
        if start > end:
            raise InvalidInput("--from позже --to.")
        rows = scorecard(r, start, end, at, known_now=known_now)
    if as_json:
        emit_json({"from": start, "to": end, "as_of": at.astimezone(tz), "agencies": rows})
        return
    typer.echo(f"Своевременность: сроки с {start:%d.%m.%Y} по {end:%d.%m.%Y}, на {at.astimezone(tz):%d.%m.%Y %H:%M}")
    typer.echo(f"  {'орган':<40} {'сроков':>6} {'в срок':>6} {'позже':>6} {'медиана':>8} {'не исп.':>7} "
               f"{'просроч.':>8} {'ждут':>5}")
    for a in rows:
        med = ("—" if a["median_late_working_days"] is None  # one decimal mark, the Russian comma
               else f"{a['median_late_working_days']:g}".replace(".", ",") + " раб. дн.")
        typer.echo(f"  {a['who'][:40]:<40} {a['due']:>6} {a['on_time']:>6} {a['late']:>6} {med:>8} "
                   f"{a['lapsed']:>7} {a['overdue']:>8} {a['pending']:>5}")
    typer.echo("  не исп. — срок истёк, обязанность снята без исполнения (например, при прекращении дела).")
    # issue 15: on a terminal, the same as bars; under cron (mail) the table alone, no escape codes
    if sys.stdout.isatty() and "NO_COLOR" not in os.environ and rows:
        import shutil

        from sopcli.render.bars import timeliness_bars

        width = min(60, shutil.get_terminal_size().columns - 52)
        typer.echo("")
        sys.stdout.write(timeliness_bars(rows, width, lambda text, colour: typer.style(text, fg=colour)))


@app.command("explain", cls=RuCommand)
def explain(
    obligation: Annotated[int, id_argument("ОБЯЗАННОСТЬ", "Номер обязанности.")],
    as_of: AsOfOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Почему срок такой: правило и источник, событие, расчёт по календарю, история, опоздание."""
    from sopcli.services.reading.explain import explain as query

    with reading() as r:
        doc = query(r, obligation, parse_as_of(as_of, r.tz))
    if as_json:
        emit_json(doc)
        return
    sys.stdout.write(explain_text(doc))


_STATUS = {"open": "открыта", "fulfilled": "исполнена", "cancelled": "отменена"}


def explain_text(doc: dict) -> str:
    """The explanation as a secretary reads it aloud: what, from what, until when, what happened, how late."""
    out = [f"Обязанность [{doc['id']}] {doc['rule']}: {doc['title']}",
           f"Исполняет: {doc['who']} → {doc['to']}; {where_of(doc)}; основание: {doc['source']}",
           owner_line(doc),
           f"Статус: {_STATUS.get(doc['status'], doc['status'])}"
           + (f": {doc['cancel_reason']}" if doc["cancel_reason"] else "")]
    if doc["rule_info"]:
        out.append(f"Как исполняется: {doc['rule_info']['closed_by']}")
    a = doc["anchor"]
    what = [f"{a['at']:%d.%m.%Y %H:%M}" if isinstance(a["at"], datetime) else f"{a['at']:%d.%m.%Y}"]
    if a["signal"]:
        what.append(f"сигнал № {a['signal']['number']}")
    if a["case"]:
        what.append(f"дело № {a['case']}")
    if a["emergency"]:
        e = a["emergency"]
        what.append(f"экстренная ситуация № {e['id']} ({e['label']}, {e['at']:%d.%m.%Y %H:%M}"
                    + (f", {e['agency']})" if e["agency"] else ")"))
    if a["measure"]:
        what.append(f"мероприятие программы (id {a['measure']})")
    out.append("Событие-основание: " + ", ".join(what))
    out += doc["term"]["explanation"]
    if doc["history"]:
        out.append("История:")
        out += [f"  {h['at']:%d.%m.%Y %H:%M}  {h['text']}" for h in doc["history"]]
    out.append(lateness_text(doc["lateness"], doc["as_of"]))
    return "\n".join(out) + "\n"


_OWNER_KINDS = {"agency": "орган справочника", "commission": "сама комиссия",
                "curator": "куратор случая", "unbound": "не определён — назначьте: sopcli agency bind"}


def _curator_role(role: str | None) -> bool:
    """The rulebook's curator roles (owners.CURATOR_ROLES), read only for a term no step could bind."""
    from sopcli.services.steps.owners import CURATOR_ROLES

    return role in CURATOR_ROLES


def owner_line(doc: dict) -> str:
    """Who the rule's role was bound to when the term opened (issue 28); a curator not yet named is no agency."""
    role = f"по правилу — «{doc['owner_role']}»; " if doc.get("owner_role") else ""
    if doc["owner_kind"] == "unbound" and _curator_role(doc.get("owner_role")):
        return f"Исполнитель: {role}куратор ещё не назначен (назначается при признании: sopcli recognize … --curator)"
    return f"Исполнитель: {role}{_OWNER_KINDS.get(doc['owner_kind'], doc['owner_kind'])}"


def lateness_text(late: dict, at: datetime) -> str:
    state = late["state"]
    if state == "pending":
        return "Срок не истёк."
    if state == "cancelled":
        return "Отменена: опоздание не считается."
    by = f"{late['working_days']} раб. дн."
    if late["hours"] is not None:  # a kept moment (immediate): late by hours, and working days as the scorecard
        by = f"{late['hours']:g}".replace(".", ",") + " ч." + (f" ({by})" if late["working_days"] else "")
    if state == "overdue":
        return f"Просрочена на {at:%d.%m.%Y %H:%M}: на {by}"
    return f"Исполнена с опозданием на {by}" if late["late"] else "Исполнена в срок."
