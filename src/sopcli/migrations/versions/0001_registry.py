"""registry: signals, checks, cases, obligations, audit

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-23 09:27:55.525343
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "agency",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    with op.batch_alter_table("agency", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agency_kind"), ["kind"], unique=False)

    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("os_user", sa.String(length=100), nullable=False),
        sa.Column("command", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_entry_at"), ["at"], unique=False)

    op.create_table(
        "calendar_override",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("working", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("removed_by", sa.String(), nullable=False),
        sa.Column("removed_reason", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("calendar_override", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_calendar_override_day"), ["day"], unique=False)

    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("full_name", sa.String(length=300), nullable=False),
        sa.Column("name_key", sa.String(length=300), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_name_key"), ["name_key"], unique=False)

    op.create_table(
        "registry_setting",
        sa.Column("key", sa.String(length=50), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "signal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("address", sa.String(), nullable=False),
        sa.Column("problem", sa.String(), nullable=False),
        sa.Column("help_needed", sa.String(), nullable=False),
        sa.Column("threat", sa.Boolean(), nullable=False),
        sa.Column("result", sa.String(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("year", "seq", name="uq_signal_year_seq"),
    )
    with op.batch_alter_table("signal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_signal_received_at"), ["received_at"], unique=False)

    op.create_table(
        "check_conclusion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("signal_id", sa.Integer(), nullable=False),
        sa.Column("concluded_on", sa.Date(), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("criteria", sa.String(), nullable=False),
        sa.Column("family", sa.String(), nullable=False),
        sa.Column("housing", sa.String(), nullable=False),
        sa.Column("income", sa.String(), nullable=False),
        sa.Column("support", sa.String(), nullable=False),
        sa.Column("note", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["signal_id"],
            ["signal.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("signal_id"),
    )
    op.create_table(
        "signal_person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("signal_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["signal_id"],
            ["signal.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("signal_id", "person_id", "role", name="uq_signal_person"),
    )
    with op.batch_alter_table("signal_person", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_signal_person_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_signal_person_signal_id"), ["signal_id"], unique=False)

    op.create_table(
        "sop_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("signal_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=10), nullable=False),
        sa.Column("recognized_on", sa.Date(), nullable=False),
        sa.Column("resolution_no", sa.String(length=50), nullable=False),
        sa.Column("curator", sa.String(length=300), nullable=False),
        sa.Column("members", sa.String(), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("close_resolution", sa.String(), nullable=False),
        sa.Column("close_ground", sa.String(), nullable=False),
        sa.Column("close_note", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["signal_id"],
            ["signal.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("signal_id"),
    )
    with op.batch_alter_table("sop_case", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sop_case_recognized_on"), ["recognized_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_sop_case_status"), ["status"], unique=False)

    op.create_table(
        "obligation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("who", sa.String(length=300), nullable=False),
        sa.Column("recipient", sa.String(), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("signal_id", sa.Integer(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("trigger_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("target", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("fulfilled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("late_wd", sa.Integer(), nullable=True),
        sa.Column("cancel_reason", sa.String(), nullable=False),
        sa.Column("note", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["sop_case.id"],
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["signal_id"],
            ["signal.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("obligation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_obligation_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_obligation_rule"), ["rule"], unique=False)
        batch_op.create_index(batch_op.f("ix_obligation_signal_id"), ["signal_id"], unique=False)
        batch_op.create_index("ix_obligation_status_due", ["status", "due"], unique=False)
        batch_op.create_index(batch_op.f("ix_obligation_who"), ["who"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("obligation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_obligation_who"))
        batch_op.drop_index("ix_obligation_status_due")
        batch_op.drop_index(batch_op.f("ix_obligation_signal_id"))
        batch_op.drop_index(batch_op.f("ix_obligation_rule"))
        batch_op.drop_index(batch_op.f("ix_obligation_case_id"))

    op.drop_table("obligation")
    with op.batch_alter_table("sop_case", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sop_case_status"))
        batch_op.drop_index(batch_op.f("ix_sop_case_recognized_on"))

    op.drop_table("sop_case")
    with op.batch_alter_table("signal_person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signal_person_signal_id"))
        batch_op.drop_index(batch_op.f("ix_signal_person_person_id"))

    op.drop_table("signal_person")
    op.drop_table("check_conclusion")
    with op.batch_alter_table("signal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signal_received_at"))

    op.drop_table("signal")
    op.drop_table("registry_setting")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_name_key"))

    op.drop_table("person")
    with op.batch_alter_table("calendar_override", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calendar_override_day"))

    op.drop_table("calendar_override")
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_entry_at"))

    op.drop_table("audit_entry")
    with op.batch_alter_table("agency", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agency_kind"))

    op.drop_table("agency")
