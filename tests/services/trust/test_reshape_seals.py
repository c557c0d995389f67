"""A migration that appends columns (0014) does not break the evidence, nor whitewash a row changed before it.

Sealed rows (0013) hash their backup line; 0014 appends three columns to `signal` (and `obligation`,
`sop_case`), so every line changes though no row did. The first `init` after the upgrade reseals each row
whose line without the appended values still matches its old seal. Here a registry is written through the
CLI, its signals are put back as 0013 left them (the appended values at their defaults, sealed by their old
lines in a `seal` entry, as sopcli of 0013 wrote them), one signal is then changed by hand, and `init` runs:
`audit verify` passes for every row but the one changed behind sopcli's back, which it still names.
"""

from __future__ import annotations

import json

from sqlalchemy import create_engine, text

from tests.conftest import PDN, ok


def _engine(db: str):
    return create_engine(db if "://" in db else f"sqlite:///{db}")


def _as_0013_left_them(db: str) -> None:
    """The signals as a 0013 registry upgraded to 0014 has them: defaults in the new columns, old seals."""
    from sopcli.db import transaction
    from sopcli.services.registry import Registry, load_settings
    from sopcli.services.trust import audit, seals
    from sopcli.services.trust.backup import tables

    engine = _engine(db)
    table = next(t for t in tables() if t.name == "signal")
    with transaction(engine) as session:
        reg = Registry(engine, load_settings(session), command="test 0013")
        session.execute(text("UPDATE signal SET source_kind = '', source_agency_id = NULL, detected_at = NULL"))
        conn = session.connection()
        raw, pg = conn.connection.driver_connection, conn.dialect.name == "postgresql"
        keys = [str(k) for (k,) in session.execute(text("SELECT id FROM signal ORDER BY id"))]
        lines = seals.current_lines(raw, pg, table, keys)
        kept = seals.stored_seals(raw, pg, "signal", keys)
        suffix = b',"",null,null]'
        rows = []
        for key in keys:
            assert lines[key].endswith(suffix), lines[key][-40:]
            old = seals.row_hash("signal", lines[key][:-len(suffix)] + b"]")
            rows.append(["signal", key, kept[key][0], old])
        seq = audit.append(session, reg, "main", "seal", "rows", None, {"rows": rows})
        seals.store(session, "main", seq, rows)
        session.execute(text("INSERT INTO registry_setting (key, value) VALUES ('audit_reshape', :v)"),
                        {"v": json.dumps({"signal": ["", None, None]})})
    engine.dispose()


def _verify(sopr) -> tuple[int, dict]:
    r = sopr("audit", "verify", "--json")
    assert r.code in (0, 4), r.err
    return r.code, json.loads(r.out)


def test_the_upgrade_reseals_what_was_sealed_and_still_names_a_row_changed_before_it(sopr, reg_env) -> None:
    for n, who in enumerate(("Белов Артём Сергеевич, 11.07.2012", "Носов Глеб Андреевич, 01.09.2013"), 1):
        ok(sopr("signal", "add", "--received", f"0{n}.12.2026 10:00", "--source", PDN, "--child", who,
                "--problem", "пропуски", "--no-threat"))
    assert _verify(sopr)[0] == 0
    db = reg_env["SOPCLI_DB"]
    _as_0013_left_them(db)
    code, doc = _verify(sopr)  # before `init`: every signal's line has changed shape
    assert code == 4 and {p["key"] for p in doc["rows"]["problems"] if p["table"] == "signal"} == {"1", "2"}

    engine = _engine(db)
    with engine.begin() as conn:  # someone with the password, between the upgrade and the first `init`
        conn.execute(text("UPDATE signal SET problem = 'исправлено вручную' WHERE id = 2"))
    engine.dispose()
    ok(sopr("init", "--new"))
    code, doc = _verify(sopr)
    assert code == 4, doc
    assert [(p["table"], p["key"], p["kind"]) for p in doc["rows"]["problems"]] == [("signal", "2", "changed")]
    marker = _engine(db)
    with marker.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM registry_setting WHERE key = 'audit_reshape'")).scalar() == 0
    marker.dispose()


def _as_0014_left_them(db: str) -> None:
    """The checks as a 0014 registry upgraded to 0015 has them: no kopecks, sealed by their lines without them."""
    from sopcli.db import transaction
    from sopcli.services.registry import Registry, load_settings
    from sopcli.services.trust import audit, seals
    from sopcli.services.trust.backup import tables

    engine = _engine(db)
    table = next(t for t in tables() if t.name == "check_conclusion")
    with transaction(engine) as session:
        reg = Registry(engine, load_settings(session), command="test 0014")
        conn = session.connection()
        raw, pg = conn.connection.driver_connection, conn.dialect.name == "postgresql"
        keys = [str(k) for (k,) in session.execute(text("SELECT id FROM check_conclusion ORDER BY id"))]
        lines = seals.current_lines(raw, pg, table, keys)
        kept = seals.stored_seals(raw, pg, "check_conclusion", keys)
        suffix = b"," + b",".join([b"null"] * 7) + b"]"
        rows = []
        for key in keys:
            assert lines[key].endswith(suffix), lines[key][-80:]
            old = seals.row_hash("check_conclusion", lines[key][:-len(suffix)] + b"]")
            rows.append(["check_conclusion", key, kept[key][0], old])
        seq = audit.append(session, reg, "main", "seal", "rows", None, {"rows": rows})
        seals.store(session, "main", seq, rows)
        session.execute(text("INSERT INTO registry_setting (key, value) VALUES ('audit_reshape', :v)"),
                        {"v": json.dumps({"check_conclusion": [None] * 7})})
    engine.dispose()


def test_the_kopecks_columns_reseal_the_checks_sealed_before_them(sopr, reg_env) -> None:
    """0015 appends seven `income_*_kop` columns to `check_conclusion`: a check sealed before stays verified."""
    ok(sopr("signal", "add", "--received", "01.12.2026 10:00", "--source", PDN, "--child",
            "Белов Артём Сергеевич, 11.07.2012", "--problem", "пропуски", "--no-threat"))
    ok(sopr("check", "1", "--concluded", "02.12.2026", "--level", "low", "--outcome", "not-confirmed",
            "--income-by", "пенсия=12000"))
    assert _verify(sopr)[0] == 0
    _as_0014_left_them(reg_env["SOPCLI_DB"])
    code, doc = _verify(sopr)
    assert code == 4 and [p["key"] for p in doc["rows"]["problems"] if p["table"] == "check_conclusion"] == ["1"]
    ok(sopr("init", "--new"))
    assert _verify(sopr)[0] == 0
