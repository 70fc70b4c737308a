"""The official's decision on an award nomination: awarded (with the decision letter, SK) or not

Two states of the nomination (``awarded``, ``not_awarded``; the state column is text already)
and the SK's number and date (SIASN riwayat penghargaan ``skNomor``, ``skDate``), with who
recorded them.

Revision ID: a7c2e5f83d14
Revises: 9d4e7a1c3b62
Create Date: 2026-12-07 22:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7c2e5f83d14'
down_revision = '9d4e7a1c3b62'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('award_nominations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('decision_number', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('decision_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('decision_recorded_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_award_nominations_decision_recorded_by_id_users'),
            'users', ['decision_recorded_by_id'], ['id'], ondelete='SET NULL',
        )


def downgrade():
    op.execute(
        "UPDATE award_nominations SET state = 'submitted' "
        "WHERE state IN ('awarded', 'not_awarded')"
    )
    with op.batch_alter_table('award_nominations', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_award_nominations_decision_recorded_by_id_users'), type_='foreignkey'
        )
        batch_op.drop_column('decision_recorded_by_id')
        batch_op.drop_column('decision_date')
        batch_op.drop_column('decision_number')
