"""JP target met is an appreciation, not a recognition rule, by default (issue 17, point 8)

The yearly 20 JP is the minimum every PNS must reach (PP 11/2017 Pasal 203 ayat 4): the portal
thanks the ASN for it and no longer proposes a badge for it unless the city chooses to. The
seeded rule that nobody has edited (``updated_by_id`` empty) is turned off; a rule an admin edited
keeps its setting (that admin chose). Proposals made under it before stay as decided.

Revision ID: b9d7e6a0d287
Revises: a8c6d5f9c176
Create Date: 2026-12-08 00:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b9d7e6a0d287'
down_revision = 'a8c6d5f9c176'
branch_labels = None
depends_on = None


rules = sa.table(
    'recognition_rules',
    sa.column('kind', sa.String),
    sa.column('is_active', sa.Boolean),
    sa.column('updated_by_id', sa.Integer),
)
unedited_jp_rule = sa.and_(rules.c.kind == 'jp_target_met', rules.c.updated_by_id.is_(None))


def upgrade():
    op.execute(rules.update().where(unedited_jp_rule).values(is_active=False))


def downgrade():
    op.execute(rules.update().where(unedited_jp_rule).values(is_active=True))
