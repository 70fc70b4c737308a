"""Issue 17, point 4: SIASN training-type codes and a complete export

Every curriculum gets a SIASN training type (``curricula.training_type``, a key of
``portal.trainings.ledger.training_types``): until now every portal training was exported as
"Pelatihan teknis". Existing curricula are typed from the competencies they target
(DOMAIN.md §2.6: a course maps to the competencies it closes): only managerial targets →
Pelatihan Manajerial, only socio-cultural → Pelatihan Sosial Kultural, anything else (technical,
mixed, none) → Pelatihan Teknis. BKPSDM can change any of them on the proposal form.
``asn_profiles.nip_lama`` holds the 9-digit old NIP where known (SIASN ``nipLama``).

Revision ID: c4e2f1b58d32
Revises: a7c2e5f83d14
Create Date: 2026-12-08 00:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4e2f1b58d32'
down_revision = 'a7c2e5f83d14'
branch_labels = None
depends_on = None


def _only(competency_type: str) -> str:
    """Curricula with targets, all of them competencies of ``competency_type``."""
    return (
        "EXISTS (SELECT 1 FROM curriculum_targets t WHERE t.curriculum_id = curricula.id) "
        "AND NOT EXISTS (SELECT 1 FROM curriculum_targets t JOIN competencies c "
        "ON c.id = t.competency_id WHERE t.curriculum_id = curricula.id "
        f"AND c.type <> '{competency_type}')"
    )


def upgrade():
    # A plain ADD COLUMN (with a constant default, batch mode does not copy the table).
    with op.batch_alter_table('curricula', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'training_type',
                sa.String(length=40),
                server_default='pelatihan_teknis',
                nullable=False,
            )
        )
    with op.batch_alter_table('asn_profiles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('nip_lama', sa.String(length=9), nullable=True))
    op.execute(
        f"UPDATE curricula SET training_type = 'pelatihan_manajerial' WHERE {_only('manajerial')}"
    )
    op.execute(
        "UPDATE curricula SET training_type = 'pelatihan_sosial_kultural' "
        f"WHERE {_only('sosial_kultural')}"
    )


def downgrade():
    # Native DROP COLUMN (SQLite >= 3.35, PostgreSQL): batch mode would copy and drop these
    # tables, and with foreign keys on, dropping a parent deletes or blocks its children.
    op.drop_column('asn_profiles', 'nip_lama')
    op.drop_column('curricula', 'training_type')
