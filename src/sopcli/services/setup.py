"""Setting a registry up (`sopcli init`): the schema, the settings, the seeds and the one-time moves.

Why a module of its own at the root of `services/`, beside `registry.py` and not inside it or one
group: `registry.py` is the open registry every step is handed on every command, while this runs
only when a registry is created, upgraded or re-set; and it calls into several groups at once —
the audit chain and the commissions' roles (`trust/`), the anonymising key and the calendar's UIDs
(`papers/`), the standing terms and a switch of rule sets (`steps/`). It orchestrates them, so it
sits above them. Refused input is refused in `requested_settings`, before the schema is touched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sopcli.progress import SILENT, Progress

# 001 §2.1: the prevention system's bodies; a commission edits the list (`agency add`).
AGENCIES = [
    ("КДН и ЗП", "kdn"), ("Орган опеки и попечительства", "guardianship"),
    ("Орган социальной защиты населения", "social"), ("Орган внутренних дел (ПДН)", "police"),
    ("Орган управления образованием", "education"), ("Орган управления здравоохранением", "health"),
    ("Орган по делам молодёжи", "youth"), ("Орган службы занятости", "employment"),
    ("Уголовно-исполнительная инспекция", "uii"), ("Прокуратура", "prosecutor"),
    ("Орган управления культурой", "culture"), ("Орган управления физической культурой и спортом", "sport"),
]


@dataclass
class SetUp:
    """What `init` changed inside the registry's transaction, for its report."""

    settings: dict[str, str]
    agencies_added: int = 0
    imported: dict[str, Any] | None = None
    standing: list[Any] = field(default_factory=list)
    switched: list[Any] = field(default_factory=list)
    replayed: list[Any] = field(default_factory=list)
    bad_aliases: list[str] = field(default_factory=list)  # «ПДН» → «МБОУ СОШ № 5»: told once (issue 27)
    bound: Any = None  # the upgrade to owners (0014): what was bound, what is left for `agency bind`


def requested_settings(rules: str | None, region: str | None, tz: str | None,
                       municipality: str | None, genitive: str | None = None) -> dict[str, str]:
    """The settings `init` was given, validated against the defaults: refused input writes nothing, not even
    the schema. A rule set may be named in Russian; `--region none` clears the region; a `.toml` is the
    region's own rulebook, read and checked in full here."""
    from sopcli.registry_settings import DEFAULTS, validate_settings
    from sopcli.vocab import RULE_SET_LABELS, pick

    rules = (pick(rules, RULE_SET_LABELS) or rules) if rules else rules
    given = {"rules": rules, "region": region, "tz": tz, "municipality": municipality,
             "municipality_genitive": genitive}
    changes = {k: ("" if v.lower() == "none" and k in ("region", "municipality_genitive") else v.strip())
               for k, v in given.items() if v is not None}
    if rules is not None and rules.strip().lower().endswith(".toml"):
        changes.update(own_rulebook(rules.strip()))
    validate_settings({**DEFAULTS, **changes})
    return changes


def own_rulebook(path: str) -> dict[str, str]:
    """A region's own rulebook file, validated in full before anything is written: its set and its text."""
    from pathlib import Path

    from sopcli.deadlines.rulebook import own_set, rulebook_with
    from sopcli.errors import InvalidInput
    from sopcli.files import NotReadable, read_small

    shown = _shown_path(path)
    try:
        data = read_small(Path(path).expanduser(), RULEBOOK_LIMIT)
    except NotReadable as err:
        raise InvalidInput(f"Файл свода «{shown}» не подходит: {err.reason}.") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(f"Файл свода «{shown}» не читается (нужен TOML в UTF-8).") from None
    return {"rules": own_set(rulebook_with(text)), "rulebook": text}


RULEBOOK_LIMIT = 1_000_000  # a region's rulebook is tens of kilobytes; a megabyte is not a rulebook


def _shown_path(path: str) -> str:
    """The path as a refusal names it: its last 80 characters (the file's name), the invisible ones as U+XXXX."""
    tail = path if len(path) <= 80 else "…" + path[-79:]
    return "".join(ch if ch.isprintable() else f"U+{ord(ch):04X}" for ch in tail)


def upgrade_schema(url: str, progress: Progress = SILENT) -> list[str]:
    """Create the registry if it is missing and bring its schema to the head: the migrations applied.

    Its own engine, before the registry's transaction opens: the schema must exist for that one to read it.
    `progress` hears one stage, a step per revision: a large registry's upgrade runs for minutes."""
    from sopcli.db import make_engine, upgrade

    engine = make_engine(url, create=True)
    try:
        return upgrade(engine, progress=progress)
    finally:
        engine.dispose()


def registry_missing(url: str) -> bool:
    """No registry at `url` yet: no SQLite file, or a PostgreSQL database without sopcli's schema.

    `init` creates one only when asked (issue 32 §1): under cron a typo in the path or an unmounted disk
    must not become a fresh, empty registry whose digest reads «просрочено 0» every morning."""
    from sqlalchemy import inspect

    from sopcli.db import make_engine, sqlite_path

    path = sqlite_path(url)
    if path is not None:
        return not path.exists()
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return not inspect(conn).has_table("alembic_version")
    finally:
        engine.dispose()


def missing_folders(url: str) -> list[Path]:
    """The folders a new SQLite registry at `url` would create, outermost first (none on a server)."""
    from sopcli.db import sqlite_path

    path = sqlite_path(url)
    if path is None:
        return []
    missing = [p for p in path.absolute().parents if not p.exists()]
    return missing[::-1]


def shown_location(url: str) -> str:
    """The registry as `init` names it: a file's path, or a server's address without its credentials."""
    from sopcli.db import sqlite_path

    return str(sqlite_path(url) or url.split("@")[-1])


def set_up(session: Any, reg: Any, changes: dict[str, str], now: datetime) -> SetUp:
    """Everything `init` does inside the open registry, in this order: the settings and their audit, the
    commissions' grants, the seeded directory, the registry's own keys, the one-time calendar move, then
    the terms a new rule set or a new period opens."""
    from sopcli.services.directory import owners_upgrade
    from sopcli.services.papers import anonymize, calendar_feed
    from sopcli.services.trust.audit import reseal_reshaped, seal_baseline
    from sopcli.services.trust.commissions import ensure_pseudonym_keys, regrant

    seal_baseline(session, reg)  # once, after the upgrade to row seals: what is there now enters the evidence
    reseal_reshaped(session, reg)  # after a migration appended columns (0014): each row still as it was sealed
    bound = owners_upgrade.bind_old(session, reg)  # once, after 0014: the old owners' texts bound where one fits
    left = reg.settings["rules"]
    merged = store_settings(session, reg, changes)
    regrant(session)  # a schema upgrade may have added tables the commissions' roles need
    ensure_pseudonym_keys(session, reg)  # a commission added by hand has none, and its role cannot make one
    done = SetUp(settings=merged, agencies_added=seed_agencies(session, reg))
    anonymize.ensure_key(session, reg)  # export --anonymize: pseudonyms stable within this registry
    calendar_feed.ensure_uid(session, reg)  # export ics: the events' UIDs, stable within this registry
    done.imported = import_calendar_file(session, reg)
    done.bad_aliases = aliases_to_tell(session, reg)
    done.bound = bound
    if done.imported is not None:
        done.settings = _with_imported(done.settings, done.imported)
    reg.settings = done.settings
    _open_terms(session, reg, done, left, now)
    return done


def store_settings(session: Any, reg: Any, changes: dict[str, str]) -> dict[str, str]:
    """Write the changed settings (audited; a rulebook by its length only) and return them merged.

    A packaged rule set drops the region's own rulebook; re-naming the own set keeps it."""
    from sopcli.models import RegistrySetting
    from sopcli.registry_settings import validate_settings
    from sopcli.services.trust import audit

    if "rules" in changes and "rulebook" not in changes and changes["rules"] in reg.rulebook.sets:
        changes["rulebook"] = reg.settings.get("rulebook", "") if reg.rulebook.sets[changes["rules"]].own else ""
    if changes.get("municipality", reg.settings["municipality"]) != reg.settings["municipality"]:
        changes.setdefault("municipality_genitive", "")  # the genitive given was the old municipality's
    merged = {**reg.settings, **changes}
    validate_settings(merged)
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
        from sqlalchemy import text

        from sopcli.tenancy import DEFAULT_COMMISSION

        session.execute(text("UPDATE commission SET name = :n WHERE code = :c"),
                        {"n": changes["municipality"], "c": DEFAULT_COMMISSION})
        audit.touch(session, "commission", DEFAULT_COMMISSION)
    return merged


def seed_agencies(session: Any, reg: Any) -> int:
    """The prevention system's bodies (AGENCIES), once, for a commission whose directory is empty."""
    from sqlalchemy import literal_column
    from sqlmodel import select

    from sopcli.models import Agency
    from sopcli.services.trust import audit

    if session.exec(select(Agency.id).where(literal_column("commission") == reg.commission)).first() is not None:
        return 0
    for name, kind in AGENCIES:
        session.add(Agency(name=name, kind=kind))
    audit.record(session, reg, "create", "agency", None, count=len(AGENCIES))
    return len(AGENCIES)


def aliases_to_tell(session: Any, reg: Any) -> list[str]:
    """The commission's aliases that take a word from another agency, each told by one `init` only.

    An older registry accepted «ПДН» for a school; `agency alias add` refuses it now, but one stored
    stays until a person removes it. The upgrade names them once: what was told is kept in
    `registry_setting` ("aliases/" and the commission), so a later `init` repeats nothing it said.
    """
    from sqlalchemy import text

    from sopcli.models import RegistrySetting
    from sopcli.services.directory import agencies

    mine = {"c": reg.commission}
    entries = agencies.directory_from_rows(
        session.execute(text("SELECT id, name, kind, is_active FROM agency WHERE commission = :c ORDER BY id"), mine),
        session.execute(text("SELECT agency_id, alias FROM agency_alias WHERE commission = :c ORDER BY id"), mine))
    names = {e.id: e.name for e in entries}
    bad = sorted(agencies.bad_aliases(entries))
    key = f"aliases/{reg.commission}"
    row = session.get(RegistrySetting, key)
    told = set(row.value.split("\n")) if row is not None else set()
    new = [f"«{alias}» ({names[agency_id]})" for agency_id, alias in bad if alias not in told]
    if new:
        value = "\n".join(sorted(told | {alias for _, alias in bad}))
        session.merge(RegistrySetting(key=key, value=value))
    return new


def import_calendar_file(session: Any, reg: Any) -> dict[str, Any] | None:
    """One-time move of the engine issue's calendar.json overrides into the registry."""
    from datetime import UTC, date

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


def _with_imported(merged: dict[str, str], imported: dict[str, Any]) -> dict[str, str]:
    """The calendar file's region and presets fill only the settings the registry left empty."""
    from sopcli.registry_settings import DEFAULTS

    return {**merged, **{k: v for k, v in imported.items() if k in DEFAULTS and not merged[k]}}


def _open_terms(session: Any, reg: Any, done: SetUp, left: str, now: datetime) -> None:
    """A new rule set cancels the old set's terms and opens its own for unchecked signals; then the
    current period's standing terms, which `init` opens itself (its registry() opens none)."""
    from sopcli.services.steps.standing import ensure_standing, replay_waiting_signals, switch_rules

    if done.settings["rules"] != left:
        done.switched = switch_rules(session, reg, left, done.settings["rules"], now)
        done.replayed = replay_waiting_signals(session, reg)
    done.standing = ensure_standing(session, reg, now.astimezone(reg.tz).date())
