"""Matching rounds (issue 18): a period's intake mode, the applicants' semester and GPA, the OPD's
scores, what the match made of each preference, and the runs of the match

A period is ``rolling`` (what every period was) or ``matching``, with at most
``preference_limit`` preferences per student (default 5) until ``preferences_close_on``;
``matched_at`` is when its match was published. An application gains what the student states
for the OPD's ranking (semester, GPA), the OPD's score or "not acceptable", and, after a match,
its outcome, which choice it was and the mentor whose room the match set aside for it.
``internship_matching_runs`` keeps each run (seed, inputs digest, figures, result).

Every existing period becomes ``rolling`` and every existing application keeps empty matching
columns: nothing changes for them. The downgrade drops the table and the columns (a period
in matching mode becomes what the older code knows: a rolling one).

Revision ID: c0a1d2e3f4a5
Revises: b9d7e6a0d287
Create Date: 2026-12-09 00:00:00

"""
from alembic import op
import sqlalchemy as sa

import portal.db


# revision identifiers, used by Alembic.
revision = 'c0a1d2e3f4a5'
down_revision = 'b9d7e6a0d287'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('internship_periods', schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            'intake_mode',
            sa.Enum('rolling', 'matching', name='intakemode', native_enum=False, length=10),
            nullable=False, server_default='rolling',
        ))
        batch_op.add_column(
            sa.Column('preference_limit', sa.Integer(), nullable=False, server_default='5')
        )
        batch_op.add_column(sa.Column('preferences_close_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('matched_at', portal.db.UTCDateTime(), nullable=True))
        batch_op.create_check_constraint(
            'preference_limit_range', 'preference_limit >= 1 AND preference_limit <= 10'
        )

    with op.batch_alter_table('internship_applications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('semester', sa.SmallInteger(), nullable=True))
        batch_op.add_column(sa.Column('gpa', sa.Numeric(precision=3, scale=2), nullable=True))
        batch_op.add_column(
            sa.Column('opd_score', sa.Numeric(precision=5, scale=2), nullable=True)
        )
        batch_op.add_column(sa.Column(
            'opd_unacceptable', sa.Boolean(), nullable=False, server_default=sa.false()
        ))
        batch_op.add_column(sa.Column('match_outcome', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('match_choice', sa.SmallInteger(), nullable=True))
        batch_op.add_column(sa.Column('matched_mentor_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_internship_applications_matched_mentor_id_users'),
            'users', ['matched_mentor_id'], ['id'], ondelete='SET NULL',
        )
        batch_op.create_check_constraint(
            'semester_range', 'semester IS NULL OR (semester >= 1 AND semester <= 14)'
        )
        batch_op.create_check_constraint('gpa_range', 'gpa IS NULL OR (gpa >= 0 AND gpa <= 4)')
        batch_op.create_check_constraint(
            'opd_score_range', 'opd_score IS NULL OR (opd_score >= 0 AND opd_score <= 100)'
        )

    op.create_table(
        'internship_matching_runs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('period_id', sa.Integer(), nullable=False),
        sa.Column('seed', sa.BigInteger(), nullable=False),
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.Column('figures', sa.JSON(), nullable=False),
        sa.Column('result', sa.JSON(), nullable=False),
        sa.Column('created_at', portal.db.UTCDateTime(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('published_at', portal.db.UTCDateTime(), nullable=True),
        sa.Column('published_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ['period_id'], ['internship_periods.id'],
            name=op.f('fk_internship_matching_runs_period_id_internship_periods'),
            ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['created_by_id'], ['users.id'],
            name=op.f('fk_internship_matching_runs_created_by_id_users'), ondelete='SET NULL',
        ),
        sa.ForeignKeyConstraint(
            ['published_by_id'], ['users.id'],
            name=op.f('fk_internship_matching_runs_published_by_id_users'), ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_internship_matching_runs')),
    )
    with op.batch_alter_table('internship_matching_runs', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_internship_matching_runs_period_id'), ['period_id'], unique=False
        )


def downgrade():
    with op.batch_alter_table('internship_matching_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_internship_matching_runs_period_id'))
    op.drop_table('internship_matching_runs')

    with op.batch_alter_table('internship_applications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_internship_applications_opd_score_range'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_internship_applications_gpa_range'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_internship_applications_semester_range'), type_='check')
        batch_op.drop_constraint(
            batch_op.f('fk_internship_applications_matched_mentor_id_users'), type_='foreignkey'
        )
        for column in ('matched_mentor_id', 'match_choice', 'match_outcome', 'opd_unacceptable',
                       'opd_score', 'gpa', 'semester'):
            batch_op.drop_column(column)

    with op.batch_alter_table('internship_periods', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_internship_periods_preference_limit_range'), type_='check')
        for column in ('matched_at', 'preferences_close_on', 'preference_limit', 'intake_mode'):
            batch_op.drop_column(column)
