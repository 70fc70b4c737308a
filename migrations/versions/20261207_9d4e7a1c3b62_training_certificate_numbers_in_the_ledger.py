"""The number of a portal training's certificate in its JP ledger record (SIASN noSertipikat)

The ledger record of a completed training was written before its certificate was issued, so
its ``certificate_number`` stayed empty (all 42 in the demo). The completion now copies it; this
fills the records written before.

Revision ID: 9d4e7a1c3b62
Revises: 5b1f0c2d7a91
Create Date: 2026-12-07 22:15:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '9d4e7a1c3b62'
down_revision = '5b1f0c2d7a91'
branch_labels = None
depends_on = None

CERTIFICATE = (
    "SELECT c.number FROM certificates c WHERE c.source_type = 'training_registration' "
    "AND c.source_id = ledger_entries.registration_id"
)


def upgrade():
    op.execute(
        f"UPDATE ledger_entries SET certificate_number = ({CERTIFICATE}) "
        f"WHERE registration_id IS NOT NULL AND certificate_number IS NULL "
        f"AND EXISTS ({CERTIFICATE})"
    )


def downgrade():
    op.execute(
        f"UPDATE ledger_entries SET certificate_number = NULL "
        f"WHERE registration_id IS NOT NULL AND certificate_number = ({CERTIFICATE})"
    )
