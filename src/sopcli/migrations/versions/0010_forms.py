"""forms: what the appendices' forms ask for and the registry did not hold

Issue 14. The per-case forms of 004 (App. 2 the check's conclusion, App. 3 the
card, App. 4 the programme) and the data bank (App. 8) ask for facts the
registry kept as free text or not at all:

- a person's occupation (place of work or study) and extra education, and each
  person's relation in the family as papers write it ("мать", "отчим", "сын");
- the two addresses, the housing checklist, the seven kinds of income (whole
  roubles, as the family states them) and the children's living conditions, on
  the check's conclusion (App. 2 §3–4, copied into App. 3);
- the family category, the parents' profile and the kinds of danger (App. 3
  §6–8) on the case;
- departmental registration by agency (App. 3 §9) and the assignments to a
  clinic, school, kindergarten, police station and social patronage (§10), in
  tables of their own (one row per agency, never a packed string);
- the reasons for non-execution and the proposals (App. 4's evaluation), on
  the case, written at control;
- the actual date a measure was carried out, on its report;
- the people who sign the forms (`signatory`: chair, secretary, heads), set
  once per commission.

Every new column has a default, so an existing registry upgrades with its
rows intact and its old forms print as before.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 05:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

_TEXT = {'server_default': '', 'nullable': False}
CHECK_TEXT = ('address_registered', 'address_actual', 'housing_kind', 'housing_state', 'sanitary', 'living')
INCOME = ('income_salary', 'income_pension', 'income_benefits', 'income_farm', 'income_alimony',
          'income_stipend', 'income_other')
CASE_TEXT = ('family_category', 'parents_profile', 'danger_kinds', 'nonexec_reasons', 'proposals_note')


def upgrade() -> None:
    bind = op.get_bind()
    pg = bind.dialect.name == 'postgresql'
    commission_default = sa.text('sopcli_commission()') if pg else sa.text("'main'")
    with op.batch_alter_table('person') as t:
        t.add_column(sa.Column('occupation', sa.Text(), **_TEXT))
        t.add_column(sa.Column('extra_education', sa.Text(), **_TEXT))
    with op.batch_alter_table('signal_person') as t:
        t.add_column(sa.Column('relation', sa.String(30), **_TEXT))
    with op.batch_alter_table('check_conclusion') as t:
        for name in CHECK_TEXT:
            t.add_column(sa.Column(name, sa.Text(), **_TEXT))
        t.add_column(sa.Column('housing_area', sa.Numeric(8, 1), nullable=True))
        for name in INCOME:
            t.add_column(sa.Column(name, sa.Integer(), nullable=True))
    with op.batch_alter_table('sop_case') as t:
        for name in CASE_TEXT:
            t.add_column(sa.Column(name, sa.Text(), **_TEXT))
    with op.batch_alter_table('report') as t:
        t.add_column(sa.Column('done_on', sa.Date(), nullable=True))
    op.create_table(
        'case_registration',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('case_id', sa.Integer(), sa.ForeignKey('sop_case.id'), nullable=False, index=True),
        sa.Column('agency_kind', sa.String(20), nullable=False),
        sa.Column('registered_on', sa.Date(), nullable=True),
        sa.Column('protocol', sa.String(50), nullable=False, server_default=''),
        sa.Column('reason', sa.Text(), nullable=False, server_default=''),
        sa.Column('commission', sa.String(40), nullable=False, server_default=commission_default),
        sa.UniqueConstraint('case_id', 'agency_kind', name='uq_case_registration'),
    )
    op.create_index('ix_case_registration_commission', 'case_registration', ['commission'])
    op.create_table(
        'case_assignment',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('case_id', sa.Integer(), sa.ForeignKey('sop_case.id'), nullable=False, index=True),
        sa.Column('kind', sa.String(20), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('commission', sa.String(40), nullable=False, server_default=commission_default),
        sa.UniqueConstraint('case_id', 'kind', name='uq_case_assignment'),
    )
    op.create_index('ix_case_assignment_commission', 'case_assignment', ['commission'])
    op.create_table(
        'signatory',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('role', sa.String(20), nullable=False),
        sa.Column('position', sa.String(300), nullable=False),
        sa.Column('name', sa.String(300), nullable=False),
        sa.Column('commission', sa.String(40), nullable=False, server_default=commission_default),
        sa.UniqueConstraint('commission', 'role', name='uq_signatory_role'),
    )
    op.create_index('ix_signatory_commission', 'signatory', ['commission'])
    if pg:
        for table in ('case_registration', 'case_assignment', 'signatory'):
            _protect(table)


def _protect(table: str) -> None:
    """The row-level security of 0007, for a table born after it (own rows; the region reads)."""
    op.execute(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
    op.execute(f'CREATE POLICY commission_own ON "{table}" '
               'USING (commission = (SELECT sopcli_commission()) AND NOT (SELECT sopcli_is_region())) '
               'WITH CHECK (commission = (SELECT sopcli_commission()) AND NOT (SELECT sopcli_is_region()))')
    op.execute(f'CREATE POLICY region_reads ON "{table}" FOR SELECT USING ((SELECT sopcli_is_region()))')


def downgrade() -> None:
    for table in ('signatory', 'case_assignment', 'case_registration'):
        op.drop_index(f'ix_{table}_commission', table)
        op.drop_table(table)
    with op.batch_alter_table('report') as t:
        t.drop_column('done_on')
    with op.batch_alter_table('sop_case') as t:
        for name in CASE_TEXT:
            t.drop_column(name)
    with op.batch_alter_table('check_conclusion') as t:
        for name in (*CHECK_TEXT, 'housing_area', *INCOME):
            t.drop_column(name)
    with op.batch_alter_table('signal_person') as t:
        t.drop_column('relation')
    with op.batch_alter_table('person') as t:
        t.drop_column('occupation')
        t.drop_column('extra_education')
