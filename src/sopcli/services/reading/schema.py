"""The read path's view of the schema: which columns it selects and how a driver's value becomes Python's.

Why written out here and not taken from `SQLModel.metadata` at run time: the read
path exists to answer without importing SQLAlchemy, SQLModel and pydantic (about
0.45 s, `reads.py`), and the metadata is only reachable through them. So the
lists stay literal, and `tests/services/reading/test_schema_match.py` holds them
to the models column by column: every column listed here exists in its table;
every Date, DateTime and Boolean column of every table is converted, by the
converter its type needs; and no column name means a date in one table and
something else in another (conversion is by name, whatever the table).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

#: The newest Alembic revision this code reads; a test keeps it equal to Alembic's head.
SCHEMA_HEAD = "0017"

#: Date columns (SQLite: ISO text → `date`).
DATES = frozenset({"due", "target", "birth_date", "concluded_on", "recognized_on", "until", "closed_on",
                   "approved_on", "received_on", "reported_on", "day", "start", "done_on", "registered_on"})
#: Moments, UTCDateTime (SQLite: naive UTC text → aware `datetime`).
MOMENTS = frozenset({"at", "trigger_at", "due_at", "fulfilled_at", "received_at", "created_at", "cancelled_at",
                     "settled_at", "removed_at", "detected_at"})
#: Booleans (SQLite: 0/1 → `bool`, as PostgreSQL already gives).
BOOLS = frozenset({"threat", "is_active", "working"})


def _cols(*names: str) -> str:
    return ", ".join(names)


OB_COLS = _cols("id", "rule", "title", "who", "recipient", "source", "signal_id", "case_id", "person_id",
                "trigger_at", "due", "due_at", "target", "status", "fulfilled_at", "late_wd", "cancel_reason",
                "note", "created_at", "settled_at", "role", "owner_kind", "agency_id", "cancelled_at")
SIGNAL_COLS = _cols("id", "year", "seq", "received_at", "source", "channel", "address", "problem", "help_needed",
                    "threat", "result", "status", "kind", "source_kind", "source_agency_id", "detected_at")
CASE_COLS = _cols("id", "signal_id", "subject", "recognized_on", "resolution_no", "curator", "members", "until",
                  "status", "closed_on", "close_resolution", "close_ground", "outcome", "outcome_results", "zones",
                  "file_items")
PLAN_COLS = _cols("id", "version", "status", "goal", "consilium", "situation", "tasks", "potential", "reaction",
                  "patronage", "meetings", "approved_on", "resolution_no")
MEASURE_COLS = _cols("id", "seq", "title", "content", "executor", "due_text", "start", "due", "status")
#: The check as the journal shows it (004 App. 1) …
CHECK_COLS = _cols("concluded_on", "level", "outcome", "criteria", "family", "housing", "income", "support", "note")
#: … and as the App. 2 form prints it, with its checklists.
CHECK_FORM_COLS = _cols(CHECK_COLS, "address_registered", "address_actual", "housing_kind", "housing_area",
                        "housing_state", "sanitary", "living", "income_salary", "income_pension", "income_benefits",
                        "income_farm", "income_alimony", "income_stipend", "income_other", "income_salary_kop",
                        "income_pension_kop", "income_benefits_kop", "income_farm_kop", "income_alimony_kop",
                        "income_stipend_kop", "income_other_kop")
CASE_FORM_COLS = _cols("id", "recognized_on", "resolution_no", "curator", "outcome", "outcome_results",
                       "family_category", "parents_profile", "danger_kinds", "nonexec_reasons", "proposals_note")

#: Every list above with the table it selects from: what the schema-match test walks.
READ_COLUMNS: dict[str, tuple[str, ...]] = {
    "obligation": (OB_COLS,), "signal": (SIGNAL_COLS,), "sop_case": (CASE_COLS, CASE_FORM_COLS),
    "plan": (PLAN_COLS,), "measure": (MEASURE_COLS,), "check_conclusion": (CHECK_COLS, CHECK_FORM_COLS),
}


def moment(v: Any) -> datetime | None:
    """SQLite keeps moments as naive UTC text; PostgreSQL gives aware datetimes: both become aware."""
    if v is None:
        return None
    if isinstance(v, str):
        v = datetime.fromisoformat(v)
    return v if v.tzinfo else v.replace(tzinfo=UTC)


def day(v: Any) -> date | None:
    return date.fromisoformat(v) if isinstance(v, str) else v


def converter(name: str) -> Callable[[Any], Any] | None:
    """How a column named `name` is read, whatever its table (the test proves names never disagree)."""
    if name in MOMENTS:
        return moment
    if name in DATES:
        return day
    if name in BOOLS:
        return bool
    return None
