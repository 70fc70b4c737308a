"""Issue 17, point 5: internship credit the way universities grant it

Three new tables: a university's credit scheme (semester placement of at least N weeks = M SKS,
or H hours = 1 SKS up to M), with its PKS number and dates; the courses a placement converts
into; and the letter-grade scale.

No data moves: existing universities get no scheme, and their placements keep the rule they had
(the planned SKS times the hours per SKS of ``university_settings``) until their staff set one. A
PKS number, the courses and a grade scale cannot be invented for them, and giving every
university "16 weeks = 20 SKS" would change what its students earn without its decision
(DOMAIN.md §5.1: SKS conversion is each university's).

Revision ID: e6a4b3d7af54
Revises: d5f3a2c69e43
Create Date: 2026-12-08 00:00:00

"""
from alembic import op
import sqlalchemy as sa

import portal.db


# revision identifiers, used by Alembic.
revision = 'e6a4b3d7af54'
down_revision = 'd5f3a2c69e43'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('internship_credit_schemes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('university_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('semester', 'hours', name='creditkind', native_enum=False, length=10), nullable=False),
    sa.Column('sks', sa.Integer(), nullable=False),
    sa.Column('min_weeks', sa.Integer(), nullable=True),
    sa.Column('hours_per_sks', sa.Integer(), nullable=True),
    sa.Column('pks_number', sa.String(length=100), nullable=False),
    sa.Column('pks_signed_on', sa.Date(), nullable=True),
    sa.Column('pks_valid_until', sa.Date(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('sks >= 1 AND sks <= 40', name=op.f('ck_internship_credit_schemes_sks_range')),
    sa.CheckConstraint('min_weeks IS NULL OR (min_weeks >= 1 AND min_weeks <= 52)', name=op.f('ck_internship_credit_schemes_weeks_range')),
    sa.CheckConstraint('hours_per_sks IS NULL OR (hours_per_sks >= 1 AND hours_per_sks <= 200)', name=op.f('ck_internship_credit_schemes_hours_range')),
    sa.CheckConstraint("(kind = 'semester' AND min_weeks IS NOT NULL) OR (kind = 'hours' AND hours_per_sks IS NOT NULL)", name=op.f('ck_internship_credit_schemes_kind_figures')),
    sa.CheckConstraint('pks_signed_on IS NULL OR pks_valid_until IS NULL OR pks_valid_until >= pks_signed_on', name=op.f('ck_internship_credit_schemes_pks_dates')),
    sa.ForeignKeyConstraint(['university_id'], ['universities.id'], name=op.f('fk_internship_credit_schemes_university_id_universities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_internship_credit_schemes_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_internship_credit_schemes')),
    sa.UniqueConstraint('university_id', name=op.f('uq_internship_credit_schemes_university_id'))
    )
    op.create_table('internship_credit_courses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scheme_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('sks', sa.Integer(), nullable=False),
    sa.CheckConstraint('sks >= 1 AND sks <= 40', name=op.f('ck_internship_credit_courses_sks_range')),
    sa.ForeignKeyConstraint(['scheme_id'], ['internship_credit_schemes.id'], name=op.f('fk_internship_credit_courses_scheme_id_internship_credit_schemes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_internship_credit_courses')),
    sa.UniqueConstraint('scheme_id', 'code', name=op.f('uq_internship_credit_courses_scheme_id'))
    )
    with op.batch_alter_table('internship_credit_courses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_internship_credit_courses_scheme_id'), ['scheme_id'], unique=False)

    op.create_table('internship_grade_bands',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scheme_id', sa.Integer(), nullable=False),
    sa.Column('min_score', sa.Integer(), nullable=False),
    sa.Column('letter', sa.String(length=3), nullable=False),
    sa.Column('points', sa.Float(), nullable=True),
    sa.CheckConstraint('min_score >= 0 AND min_score <= 100', name=op.f('ck_internship_grade_bands_score_range')),
    sa.CheckConstraint('points IS NULL OR (points >= 0 AND points <= 4.0)', name=op.f('ck_internship_grade_bands_points_range')),
    sa.ForeignKeyConstraint(['scheme_id'], ['internship_credit_schemes.id'], name=op.f('fk_internship_grade_bands_scheme_id_internship_credit_schemes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_internship_grade_bands')),
    sa.UniqueConstraint('scheme_id', 'letter', name=op.f('uq_internship_grade_bands_scheme_id'))
    )
    with op.batch_alter_table('internship_grade_bands', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_internship_grade_bands_scheme_id'), ['scheme_id'], unique=False)


def downgrade():
    with op.batch_alter_table('internship_grade_bands', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_internship_grade_bands_scheme_id'))

    op.drop_table('internship_grade_bands')
    with op.batch_alter_table('internship_credit_courses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_internship_credit_courses_scheme_id'))

    op.drop_table('internship_credit_courses')
    op.drop_table('internship_credit_schemes')
