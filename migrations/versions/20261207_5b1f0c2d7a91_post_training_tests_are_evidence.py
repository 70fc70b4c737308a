"""Post-training tests are learning evidence (Kirkpatrick L2), not official assessments

An official level comes only from a competency assessment (Peraturan BKN 26/2019: assessment
centre or another assessment method by authorised assessors). A multiple-choice post-test taken
in a training was recorded as official and fed the JPM, the demand board and the "JPM up"
recognition; its rows stay, as evidence shown beside the gap. The figures built on them (JPM,
gaps, the board, dashboards) are computed from ``is_official`` when read, so they follow.

Revision ID: 5b1f0c2d7a91
Revises: e874b0518948
Create Date: 2026-12-07 21:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b1f0c2d7a91'
down_revision = 'e874b0518948'
branch_labels = None
depends_on = None

assessments = sa.table(
    'assessments',
    sa.column('method', sa.String),
    sa.column('is_official', sa.Boolean),
)


def upgrade():
    op.execute(
        assessments.update()
        .where(assessments.c.method == 'post_training_test')
        .values(is_official=False)
    )


def downgrade():
    op.execute(
        assessments.update()
        .where(assessments.c.method == 'post_training_test')
        .values(is_official=True)
    )
