"""Issue 17, point 2: a batch credits the JP its schedule earns

No schema change and no data change, on purpose.

What changes is the amount a completed batch credits: the JP its sessions earn under the
conversion table in force (portal/trainings/ledger/schedule.py: contact minutes in 45-minute JP,
the form's daily cap, at most the batch's and the curriculum's JP), instead of the batch's
nominal ``jp``. That amount is computed from the sessions, which are already stored, so nothing
new is stored: ``training_batches.jp`` keeps its column and now reads as the most a batch
credits (by default the curriculum's JP), and the ledger entry already has room for the raw
duration (``quantity`` and ``unit``) beside the converted ``jp`` (DOMAIN.md §2.4).

Ledger entries already credited by completed batches are NOT recomputed. The ledger is history:
those records were verified, may already have been exported to SIASN ("riwayat kursus",
``jumlahJam``) and match the JP printed on the certificates issued with them. Rewriting them here
would make the portal disagree with SIASN and with the paper in the ASN's hands, silently and
without an audit trail (the same rule as the conversion table: a later change never rewrites
what was recorded, conversion.py). A BKPSDM admin who finds an over-credited record corrects it
through SIASN's own correction procedure; only batches completed from now on credit their
schedule's JP.

Revision ID: b3d1e0a47c21
Revises: a7c2e5f83d14
Create Date: 2026-12-08 00:00:00

"""


# revision identifiers, used by Alembic.
revision = 'b3d1e0a47c21'
down_revision = 'a7c2e5f83d14'
branch_labels = None
depends_on = None


def upgrade():
    pass  # nothing to store or rewrite: see the docstring


def downgrade():
    pass
