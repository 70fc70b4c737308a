"""Issue 17, point 6: STTPP content, number format, internship final grade

(placeholder: filled in by the change that needs it)

Revision ID: a8c6d5f9c176
Revises: f7b5c4e8b065
Create Date: 2026-12-08 00:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a8c6d5f9c176'
down_revision = 'f7b5c4e8b065'
branch_labels = None
depends_on = None


COLUMNS = (
    ('serial_year', sa.Integer()),
    ('serial', sa.Integer()),
    ('holder_nip', sa.String(length=18)),
    ('training_type', sa.String(length=200)),
    ('jp', sa.Numeric(precision=6, scale=1, asdecimal=False)),
    ('signer_name', sa.String(length=120)),
    ('signer_nip', sa.String(length=18)),
    ('signer_position', sa.String(length=200)),
    ('final_grade', sa.Float()),
    ('grade_letter', sa.String(length=20)),
)


def upgrade():
    # Plain ADD COLUMNs: batch mode would copy and drop ``certificates``, which recognition
    # proposals point to.
    for name, type_ in COLUMNS:
        op.add_column('certificates', sa.Column(name, type_, nullable=True))
    op.create_index(
        'uq_certificates_serial', 'certificates', ['kind', 'serial_year', 'serial'], unique=True
    )
    # Certificates issued before: copy what the paper would have carried where it is known.
    # Training (STTPP): the holder's NIP, the JP and the form the ledger credited (the
    # signing official is not known for them and stays empty).
    op.execute(
        "UPDATE certificates SET holder_nip = (SELECT a.nip FROM training_registrations r "
        "JOIN asn_profiles a ON a.id = r.asn_id WHERE r.id = certificates.source_id) "
        "WHERE source_type = 'training_registration'"
    )
    op.execute(
        "UPDATE certificates SET jp = COALESCE("
        "(SELECT e.jp FROM ledger_entries e WHERE e.registration_id = certificates.source_id), "
        "(SELECT b.jp FROM training_registrations r JOIN training_batches b ON b.id = r.batch_id "
        "WHERE r.id = certificates.source_id)), "
        "training_type = COALESCE("
        "(SELECT e.form FROM ledger_entries e WHERE e.registration_id = certificates.source_id), "
        "(SELECT c.training_type FROM training_registrations r "
        "JOIN training_batches b ON b.id = r.batch_id JOIN curricula c ON c.id = b.curriculum_id "
        "WHERE r.id = certificates.source_id)) "
        "WHERE source_type = 'training_registration'"
    )
    # Internship: the final grade.
    op.execute(
        "UPDATE certificates SET final_grade = (SELECT g.grade FROM internship_final_grades g "
        "WHERE g.placement_id = certificates.source_id) "
        "WHERE source_type = 'internship_placement'"
    )


def downgrade():
    # Native DROP COLUMN (SQLite >= 3.35, PostgreSQL), for the same reason as above.
    op.drop_index('uq_certificates_serial', table_name='certificates')
    for name, _type in reversed(COLUMNS):
        op.drop_column('certificates', name)
