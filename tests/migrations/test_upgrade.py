"""`sopcli init` upgrades an old registry with real data through every migration (STYLE.md §8, issue 7 §2).

The registry is built at the first revision and filled by SQL shaped by that
revision's schema (not by today's models), then upgraded one revision at a
time, each revision adding rows that use its own new tables and columns, and
finally `sopcli init` runs. Every row written on the way must read back with
the same values, and the CLI must work on the result.

The revisions are walked from Alembic's script directory, so a new migration
is upgraded through without an edit here; a filler keyed by its id adds its
data (no filler: the upgrade runs with no new data).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import select, text

from sopcli.db import alembic_config, make_engine, upgrade
from sopcli.services.trust.backup import tables
from tests.conftest import runner

CHILD, PARENT, CHILD2 = "Сидоров Пётр Ильич", "Сидорова Анна Петровна", "Орлова Мария Ивановна"


@dataclass
class Written:
    """Rows the fillers wrote, with their values as Python (dates, aware moments), keyed by table and id."""

    pg: bool
    rows: dict[str, dict[Any, dict[str, Any]]] = field(default_factory=dict)

    def add(self, conn: Any, table: str, **values: Any) -> Any:
        cols = ", ".join(f'"{c}"' for c in values)
        params = ", ".join(f":{c}" for c in values)
        conn.execute(text(f'INSERT INTO "{table}" ({cols}) VALUES ({params})'),
                     {k: self._param(v) for k, v in values.items()})
        key = values.get("id", values.get("key"))
        self.rows.setdefault(table, {})[key] = values
        return key

    def move_sequences(self, conn: Any) -> None:
        """PostgreSQL: the fillers give ids, as sopcli's own inserts would have moved the sequences past them."""
        if not self.pg:
            return
        for table, rows in self.rows.items():
            if all(isinstance(k, int) for k in rows):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), {max(rows)})"))

    def _param(self, v: Any) -> Any:
        """What each engine stores: SQLite naive UTC text and ISO dates (SQLModel's types), PostgreSQL values."""
        if self.pg:
            return v
        if isinstance(v, datetime):
            return v.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
        if isinstance(v, date):
            return v.isoformat()
        return v


def at(s: str) -> datetime:
    return datetime.fromisoformat(s).replace(tzinfo=UTC)


def d(s: str) -> date:
    return date.fromisoformat(s)


def fill_0001(conn: Any, w: Written) -> None:
    """Signals, persons, a check, a case, obligations in every state, settings, an override, audit entries."""
    for i, (name, kind) in enumerate((("КДН и ЗП", "kdn"), ("Орган опеки и попечительства", "guardianship"),
                                      ("Орган внутренних дел (ПДН)", "police"),
                                      ("Орган социальной защиты населения", "social")), 1):
        w.add(conn, "agency", id=i, name=name, kind=kind, is_active=i != 4)
    w.add(conn, "registry_setting", key="rules", value="mari-el")
    w.add(conn, "registry_setting", key="municipality", value="г. Йошкар-Ола")
    w.add(conn, "calendar_override", id=1, day=d("2025-03-05"), working=False, reason="местный праздник",
          created_at=at("2025-01-02 09:00:00"), created_by="secretary", removed_at=None, removed_by="",
          removed_reason="")
    w.add(conn, "person", id=1, full_name=CHILD, name_key="сидоров петр ильич", birth_date=d("2008-02-10"))
    w.add(conn, "person", id=2, full_name=PARENT, name_key="сидорова анна петровна", birth_date=None)
    w.add(conn, "person", id=3, full_name=CHILD2, name_key="орлова мария ивановна", birth_date=d("2012-05-05"))
    w.add(conn, "signal", id=1, year=2024, seq=1, received_at=at("2024-12-27 14:30:00"), source="МБОУ СОШ № 5",
          channel="phone", address="ул. Ленина, 1", problem="Не посещает школу", help_needed="", threat=True,
          result="", status="checked", created_at=at("2024-12-27 14:31:07.123456"))
    w.add(conn, "signal", id=2, year=2025, seq=1, received_at=at("2025-01-15 07:00:00"), source="Школа № 2",
          channel="written", address="", problem="Пропуски", help_needed="", threat=False, result="",
          status="registered", created_at=at("2025-01-15 07:01:00"))
    for i, (sig, person, role) in enumerate(((1, 1, "child"), (1, 2, "parent"), (2, 3, "child")), 1):
        w.add(conn, "signal_person", id=i, signal_id=sig, person_id=person, role=role)
    w.add(conn, "check_conclusion", id=1, signal_id=1, concluded_on=d("2025-01-13"), level="critical",
          outcome="sop", criteria="1,4", family="мать, сын", housing="квартира", income="пособие", support="нет",
          note="«кавычки» и\nперевод строки", created_at=at("2025-01-13 08:00:00"))
    w.add(conn, "sop_case", id=1, signal_id=1, subject="minor", recognized_on=d("2025-01-20"), resolution_no="7-п",
          curator="Петрова Анна Викторовна", members="Прокуратура", until=None, status="open", closed_on=None,
          close_resolution="", close_ground="", close_note="", created_at=at("2025-01-20 10:00:00"))
    base = dict(recipient="КДН", cancel_reason="", note="", target=None, due_at=None, fulfilled_at=None,
                late_wd=None, person_id=None, case_id=None)
    w.add(conn, "obligation", id=1, **{**base, "rule": "fed.threat", "title": "Проинформировать", "who": "МБОУ СОШ № 5",
                                       "source": "001 §2.5", "signal_id": 1, "trigger_at": at("2024-12-27 14:30:00"),
                                       "due": d("2024-12-28"), "due_at": at("2024-12-28 14:30:00"),
                                       "status": "fulfilled", "fulfilled_at": at("2024-12-28 13:00:00"),
                                       "late_wd": 0, "created_at": at("2024-12-27 14:31:07")})
    w.add(conn, "obligation", id=2, **{**base, "rule": "me.check", "title": "Проверка", "who": "КДН",
                                       "source": "004 §4.6", "signal_id": 1, "trigger_at": at("2024-12-27 14:30:00"),
                                       "due": d("2025-01-14"), "status": "fulfilled",
                                       "fulfilled_at": at("2025-01-13 08:00:00"), "late_wd": 0,
                                       "created_at": at("2024-12-27 14:31:07")})
    w.add(conn, "obligation", id=3, **{**base, "rule": "me.card", "title": "Карта", "who": "куратор",
                                       "source": "004 §5.3", "signal_id": 1, "case_id": 1, "person_id": 1,
                                       "trigger_at": at("2025-01-20 10:00:00"), "due": d("2025-02-03"),
                                       "status": "open", "created_at": at("2025-01-20 10:00:00")})
    w.add(conn, "obligation", id=4, **{**base, "rule": "me.check", "title": "Проверка", "who": "КДН",
                                       "source": "004 §4.6", "signal_id": 2, "trigger_at": at("2025-01-15 07:00:00"),
                                       "due": d("2025-01-29"), "target": d("2025-01-22"), "status": "open",
                                       "created_at": at("2025-01-15 07:01:00")})
    for i, (action, entity, eid) in enumerate((("create", "signal", 1), ("create", "check", 1),
                                               ("create", "case", 1), ("create", "signal", 2)), 1):
        w.add(conn, "audit_entry", id=i, at=at(f"2025-01-{i + 10:02d} 09:00:00"), os_user="secretary",
              command="signal add", action=action, entity=entity, entity_id=eid, detail='{"n": 1}')


def fill_0002(conn: Any, w: Written) -> None:
    """A programme with measures, a proposal, a report, a control event; an obligation on a measure, cancelled."""
    w.add(conn, "plan", id=1, case_id=1, version=1, status="approved", goal="Вывести семью из СОП", consilium="",
          situation="Мать не работает", tasks="", potential="initial=low", reaction="", patronage="", meetings="",
          approved_on=d("2025-02-03"), resolution_no="12-п", created_at=at("2025-01-24 08:00:00"))
    w.add(conn, "measure", id=1, plan_id=1, case_id=1, seq=1, title="Профилактическая беседа", content="",
          executor="Орган внутренних дел (ПДН)", due_text="14.02.2025", start=None, due=d("2025-02-14"),
          status="done", carried_from=None, created_at=at("2025-01-24 08:00:00"))
    w.add(conn, "measure", id=2, plan_id=1, case_id=1, seq=2, title="Летний лагерь", content="путёвка",
          executor="Орган социальной защиты населения", due_text="01.06.2025-31.08.2025", start=d("2025-06-01"),
          due=d("2025-08-31"), status="planned", carried_from=None, created_at=at("2025-01-24 08:00:00"))
    w.add(conn, "proposal", id=1, case_id=1, agency="Орган внутренних дел (ПДН)", received_on=d("2025-01-24"),
          situation="", tasks="", measures="Беседа; февраль", created_at=at("2025-01-24 08:00:00"))
    w.add(conn, "report", id=1, case_id=1, measure_id=1, reported_on=d("2025-02-14"), status="done",
          text="Беседа проведена", created_at=at("2025-02-14 12:00:00"))
    w.add(conn, "case_event", id=1, case_id=1, kind="control", day=d("2025-07-21"), place="", decision="continue",
          note="", created_at=at("2025-07-21 09:00:00"))
    w.add(conn, "obligation", id=5, rule="plan.measure", title="Лагерь", who="Орган социальной защиты населения",
          recipient="КДН", source="004 §5.5", signal_id=None, case_id=1, person_id=None, measure_id=2,
          trigger_at=at("2025-02-03 00:00:00"), due=d("2025-08-31"), due_at=None, target=None, status="cancelled",
          fulfilled_at=None, late_wd=None, cancel_reason="мероприятие исключено", note="",
          cancelled_at=at("2025-03-01 10:00:00"), created_at=at("2025-02-03 09:00:00"))


def fill_0003(conn: Any, w: Written) -> None:
    w.add(conn, "reconciliation", id=1, agency="Орган внутренних дел (ПДН)", quarter="2025Q1", done_on=d("2025-03-28"),
          file_name="пдн.xlsx", matched=1, mismatched=0, only_registry=0, only_agency=2,
          created_at=at("2025-03-28 11:00:00"))


def fill_0004(conn: Any, w: Written) -> None:
    w.add(conn, "measure_complex", id=1, title="Комплекс мер 2025–2026", span_from=2025, span_to=2026,
          file_name="002.txt", created_at=at("2025-02-01 08:00:00"))
    w.add(conn, "complex_measure", id=1, complex_id=1, section="I", number="1.1", text="Мониторинг",
          period="IV квартал", executors="КДН\nПДН", unread="", created_at=at("2025-02-01 08:00:00"))
    w.add(conn, "obligation", id=6, rule="cm.report", title="Мониторинг", who="КДН", recipient="КДН",
          source="002 п. 1.1", signal_id=None, case_id=None, person_id=None, measure_id=None, complex_measure_id=1,
          trigger_at=at("2025-02-01 08:00:00"), due=d("2025-12-31"), due_at=None, target=None, status="open",
          fulfilled_at=None, late_wd=None, cancel_reason="", note="", cancelled_at=None,
          created_at=at("2025-02-01 08:00:00"))


def fill_0005(conn: Any, w: Written) -> None:
    """A school pupil's case with its 003 §II categories and observation file."""
    w.add(conn, "check_conclusion", id=2, signal_id=2, concluded_on=d("2025-01-20"), level="high", outcome="sop",
          criteria="2", family="", housing="", income="", support="", note="", created_at=at("2025-01-20 08:00:00"))
    w.add(conn, "sop_case", id=2, signal_id=2, subject="minor", recognized_on=d("2025-01-27"), resolution_no="8-п",
          curator="Иванова Ольга Петровна", members="", until=d("2026-01-27"), status="closed",
          closed_on=d("2025-12-01"), close_resolution="40", close_ground="improved", close_note="",
          outcome="partial", outcome_results="age-18", zones="red.1,yellow.5", file_items="characteristic,plan",
          created_at=at("2025-01-27 10:00:00"))


def fill_0010(conn: Any, w: Written) -> None:
    """The forms' fields (issue 14): a card's registration and assignment, a signatory."""
    w.add(conn, "case_registration", id=1, case_id=1, agency_kind="pdn", registered_on=d("2025-01-10"),
          protocol="12", reason="ст. 5.35 КоАП")
    w.add(conn, "case_assignment", id=1, case_id=1, kind="school", text="Школа № 5, 7 «Б»")
    w.add(conn, "signatory", id=1, role="chair", position="Председатель КДН и ЗП", name="И.И. Иванова")


def fill_0014(conn: Any, w: Written) -> None:
    """A term bound to its owner when it opened (issue 28): the police's report on measure 1, done."""
    w.add(conn, "obligation", id=7, rule="plan.measure", title="Беседа", who="Орган внутренних дел (ПДН)",
          recipient="КДН", source="004 §5.5", signal_id=None, case_id=1, person_id=None, measure_id=1,
          trigger_at=at("2025-02-03 00:00:00"), due=d("2025-02-14"), due_at=None, target=None, status="fulfilled",
          fulfilled_at=at("2025-02-14 12:00:00"), late_wd=0, cancel_reason="", note="", cancelled_at=None,
          created_at=at("2025-02-14 12:00:00"), role="орган-исполнитель", owner_kind="agency", agency_id=3)


FILLERS: dict[str, Callable[[Any, Written], None]] = {
    "0001": fill_0001, "0002": fill_0002, "0003": fill_0003, "0004": fill_0004, "0005": fill_0005,
    "0010": fill_0010, "0014": fill_0014,
}
#: The owner each old term's text is bound to by the first `init` after 0014 (issue 28 §3); the text itself is
#: kept where it came from: the rule's role (`role`), the signal's source, the measure's executor.
BOUND = {1: ("МБОУ СОШ № 5", "unbound"),  # a source no agency of the directory is called: left for a person
         2: ("КДН и ЗП г. Йошкар-Ола", "commission"), 3: ("куратор: Петрова А. В.", "curator"),
         4: ("КДН и ЗП г. Йошкар-Ола", "commission"), 5: ("Орган социальной защиты населения", "agency"),
         6: ("КДН и ЗП г. Йошкар-Ола", "commission"), 7: ("Орган внутренних дел (ПДН)", "agency")}


def ok_signers(sop: Any) -> list[tuple[str, str]]:
    r = sop("signer", "list", "--json")
    assert r.code == 0, r.err
    return [(s["role"], s["name"]) for s in r.json()["signatories"]][:2]


def revisions() -> list[str]:
    """Base to head, as Alembic's script directory has them (a new migration is walked without an edit)."""
    from alembic.script import ScriptDirectory

    return [s.revision for s in reversed(list(ScriptDirectory.from_config(alembic_config()).walk_revisions()))]


def test_init_upgrades_a_registry_with_data_through_every_migration(reg_env, db_url, tmp_path):
    url = db_url if "://" in db_url else f"sqlite:///{db_url}"
    revs = revisions()
    assert revs[0] == "0001" and set(FILLERS) <= set(revs)
    engine = make_engine(url, create=True)
    w = Written(pg=engine.dialect.name == "postgresql")
    try:
        for rev in revs:  # one transaction per revision, as one sopcli release after another would
            upgrade(engine, rev)  # sopcli's own path (SQLite: foreign keys off while tables are rebuilt)
            with engine.begin() as conn:
                if rev in FILLERS:
                    FILLERS[rev](conn, w)
                    w.move_sequences(conn)
    finally:
        engine.dispose()

    sop = runner(reg_env)
    r = sop("init", "--new", "--json")
    assert r.code == 0, r.err
    # created by a bare `init` when the default was Mari El: it keeps counting by 004 (0008), not by 001 alone
    assert r.json()["settings"]["rules"] == "mari-el"

    # every row is still there with the same values, read through today's models
    engine = make_engine(url)
    heads = {t.name: t for t in tables()}
    with engine.connect() as conn:
        for name, rows in w.rows.items():
            t = heads[name]
            key = next(iter(t.primary_key.columns))
            found = {getattr(row, key.name): row._mapping for row in conn.execute(select(t))}
            for ident, values in rows.items():
                assert ident in found, f"{name} {ident} lost"
                if name == "obligation":  # `who` is now the owner's name; the old text stays in its own place
                    who, kind = BOUND[ident]
                    assert (found[ident]["who"], found[ident]["owner_kind"]) == (who, kind), ident
                    values = {c: v for c, v in values.items() if c != "who"}
                    kept = values.get("role") or found[ident]["role"]
                    assert w.rows[name][ident]["who"] in (kept, who), ident
                assert {c: found[ident][c] for c in values} == values, f"{name} {ident}"
        added_later = conn.execute(select(heads["sop_case"].c.outcome, heads["sop_case"].c.zones)
                                   .where(heads["sop_case"].c.id == 1)).one()
        assert tuple(added_later) == ("", "")  # the columns added after 0001 read their defaults
        person = conn.execute(select(heads["person"].c.occupation, heads["person"].c.extra_education)
                              .where(heads["person"].c.id == 1)).one()
        relations = {r for (r,) in conn.execute(select(heads["signal_person"].c.relation))}
        assert tuple(person) == ("", "") and relations == {""}  # 0010's columns on 0001's rows
        addressees = {a for (a,) in conn.execute(select(heads["case_event"].c.addressee))}
        assert addressees == {""}  # 0015's column on an old control: appended, resealed by `init`
    engine.dispose()

    # the CLI works on the upgraded registry
    case = sop("case", "show", "1", "--json")
    assert case.code == 0, case.err
    doc = case.json()
    assert doc["curator"] == "Петрова Анна Викторовна"
    assert doc["details"]["registrations"] == [{"agency": "pdn", "registered_on": "2025-01-10", "protocol": "12",
                                                "reason": "ст. 5.35 КоАП"}]
    assert ok_signers(sop) == [("chair", "И.И. Иванова"), ("secretary", "")]
    assert {o["id"] for o in doc["obligations"]} >= {1, 2, 3, 5}
    digest = sop("deadlines", "--as-of", "10.02.2025", "--known-now", "--overdue", "--json")
    assert digest.code == 0, digest.err
    assert {o["id"] for o in digest.json()["obligations"]} >= {3, 4}
    out = tmp_path / "journal.xlsx"
    exp = sop("export", "journal", "--year", "2024", "-o", str(out))
    assert exp.code == 0, exp.err
    cells = [c for row in load_workbook(out).worksheets[0].iter_rows(values_only=True) for c in row if c]
    assert any(CHILD in str(c) for c in cells)
    plan = sop("plan", "show", "1", "--json")
    assert plan.code == 0, plan.err
    assert [m["title"] for m in plan.json()["measures"]] == ["Профилактическая беседа", "Летний лагерь"]
    done = sop("deadlines", "done", "3", "--date", "04.02.2025", "--json")  # a new step on an old obligation
    assert done.code == 0, done.err
    assert done.json()["obligation"]["late_working_days"] == 1
    # what the resolver could not bind is listed, and bound by hand, audited; the evidence holds after it all
    left = sop("agency", "unbound", "--json")
    assert left.code == 0, left.err
    assert [(x["text"], x["terms"], x["signals"]) for x in left.json()["unbound"]] == [
        ("МБОУ СОШ № 5", 1, 1), ("Школа № 2", 0, 1)]
    assert sop("agency", "add", "МБОУ СОШ № 5", "--kind", "образование").code == 0
    bound = sop("agency", "bind", "МБОУ СОШ № 5", "--to", "МБОУ СОШ № 5", "--json")
    assert bound.code == 0, bound.err
    assert (bound.json()["obligations"], bound.json()["signals"]) == (1, 1)
    stats = sop("deadlines", "stats", "--from", "01.12.2024", "--to", "31.12.2025", "--as-of", "10.02.2025",
                "--known-now", "--json")
    assert stats.code == 0, stats.err
    # known today, judged on 10.02.2025 (issue 30): social protection's measure (due 31.08.2025) was owed then,
    # not yet due — cancelled only later, it counts as pending then
    assert {a["who"] for a in stats.json()["agencies"]} == {
        "МБОУ СОШ № 5", "КДН и ЗП г. Йошкар-Ола", "куратор: Петрова А. В.", "Орган внутренних дел (ПДН)",
        "Орган социальной защиты населения"}
    social = next(a for a in stats.json()["agencies"] if a["who"] == "Орган социальной защиты населения")
    assert (social["due"], social["pending"]) == (1, 1)
    verified = sop("audit", "verify")
    assert verified.code == 0, verified.out + verified.err
    new = sop("signal", "add", "--no-threat", "--received", "10.03.2025 10:00", "--source", "ПДН", "--child",
              "Новиков Олег Олегович, 01.01.2013", "--problem", "Драка", "--json")
    assert new.code == 0, new.err
    assert new.json()["id"] == 3 and new.json()["number"] == "2/2025"


def test_init_on_a_newer_sopcli_registry_refuses_in_one_line_and_changes_nothing(sopr, reg_env):
    """A registry upgraded by a newer sopcli carries a revision this one has never heard of: `init` must say so
    in Russian (exit 2) and leave the schema alone, not fail with an internal error while counting revisions."""
    from sopcli.db import resolve_url

    engine = make_engine(resolve_url(reg_env["SOPCLI_DB"]))
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
        r = sopr("init", "--new")
        assert r.code == 2 and r.err.count("\n") == 1, r.err
        assert "более новой версией sopcli" in r.err and "9999" in r.err and "Traceback" not in r.err
        with engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "9999"
    finally:
        engine.dispose()
