"""Issue 17, point 3: technical competencies city-wide, standards by position and jenjang

Technical competencies get a field (bidang/urusan) and stop being limited to their OPD's
positions; positions get the field of their jabatan and its instansi pembina; a table holds the
required levels of each JF jenjang (defaults: see portal/competency/models.py,
JENJANG_DEFAULT_LEVELS; to be confirmed with BKPSDM). Existing rows: a technical competency takes
the field of its seeded code, else of its OPD's urusan (read from the OPD's name), else "lainnya";
a position takes the field and pembina of a known jabatan fungsional, else its OPD's field.
Standards already saved are kept: a misassigned one (a Pranata Komputer scored on an OPD's
health competency) is for the admin to correct with the new rule of thumb.

Revision ID: d5f3a2c69e43
Revises: c4e2f1b58d32
Create Date: 2026-12-08 00:00:00

"""
from alembic import op
import sqlalchemy as sa

import portal.db


# revision identifiers, used by Alembic.
revision = 'd5f3a2c69e43'
down_revision = 'c4e2f1b58d32'
branch_labels = None
depends_on = None

FIELDS = (
    'informatika', 'kesehatan', 'pendidikan', 'keuangan', 'perencanaan', 'kepegawaian',
    'kebijakan', 'pemerintahan', 'kependudukan', 'perhubungan', 'sosial', 'pekerjaan_umum',
    'lingkungan_hidup', 'ekonomi', 'pertanian', 'tenaga_kerja', 'pengawasan', 'ketertiban',
    'kearsipan', 'lainnya',
)

# A frozen copy of portal/competency (catalogue.FIELDS, fields.AGENCY_WORDS, fields.JABATAN,
# models.JENJANG_DEFAULT_LEVELS) as they were when this migration was written.
CODE_PREFIXES = {
    'T.KOM': 'informatika', 'T.BAP': 'perencanaan', 'T.BKP': 'kepegawaian', 'T.KES': 'kesehatan',
    'T.DIK': 'pendidikan', 'T.DUK': 'kependudukan', 'T.HUB': 'perhubungan', 'T.RS': 'kesehatan',
    'T.KEC': 'pemerintahan', 'T.SET': 'pemerintahan', 'T.KEB': 'kebijakan',
}
AGENCY_WORDS = (
    ('informatika', 'informatika'), ('kominfo', 'informatika'), ('dinkes', 'kesehatan'),
    ('bappeda', 'perencanaan'), ('bkpsdm', 'kepegawaian'), ('disdik', 'pendidikan'),
    ('dukcapil', 'kependudukan'), ('dishub', 'perhubungan'), ('kec.', 'pemerintahan'),
    ('setda', 'pemerintahan'), ('kesehatan', 'kesehatan'), ('rsud', 'kesehatan'),
    ('rumah sakit', 'kesehatan'), ('pendidikan', 'pendidikan'), ('perencanaan', 'perencanaan'),
    ('kepegawaian', 'kepegawaian'), ('kependudukan', 'kependudukan'),
    ('perhubungan', 'perhubungan'), ('pendapatan', 'keuangan'), ('keuangan', 'keuangan'),
    ('aset', 'keuangan'), ('sosial', 'sosial'), ('pekerjaan umum', 'pekerjaan_umum'),
    ('perumahan', 'pekerjaan_umum'), ('lingkungan hidup', 'lingkungan_hidup'),
    ('perdagangan', 'ekonomi'), ('koperasi', 'ekonomi'), ('penanaman modal', 'ekonomi'),
    ('pangan', 'pertanian'), ('pertanian', 'pertanian'), ('tenaga kerja', 'tenaga_kerja'),
    ('inspektorat', 'pengawasan'), ('polisi pamong', 'ketertiban'), ('pemadam', 'ketertiban'),
    ('kearsipan', 'kearsipan'), ('perpustakaan', 'kearsipan'), ('kecamatan', 'pemerintahan'),
    ('sekretariat', 'pemerintahan'),
)
JABATAN = {
    'pranata komputer': ('informatika', 'Badan Pusat Statistik (BPS)'),
    'analis kebijakan': ('kebijakan', 'Lembaga Administrasi Negara (LAN)'),
    'perencana': ('perencanaan', 'Kementerian PPN/Bappenas'),
    'analis sumber daya manusia aparatur': ('kepegawaian', 'Badan Kepegawaian Negara (BKN)'),
    'arsiparis': ('kearsipan', 'Arsip Nasional Republik Indonesia (ANRI)'),
    'epidemiolog kesehatan': ('kesehatan', 'Kementerian Kesehatan'),
    'perawat': ('kesehatan', 'Kementerian Kesehatan'),
    'analis keuangan pusat dan daerah': ('keuangan', 'Kementerian Keuangan'),
    'auditor': ('pengawasan', 'Badan Pengawasan Keuangan dan Pembangunan (BPKP)'),
}
JENJANG_DEFAULTS = (
    ('Ahli Pertama', 2, 2), ('Ahli Muda', 3, 3), ('Ahli Madya', 4, 4), ('Ahli Utama', 5, 5),
    ('Pemula', 1, 1), ('Terampil', 1, 2), ('Mahir', 2, 2), ('Penyelia', 3, 3),
)


def _field_type():
    return sa.Enum(*FIELDS, name='technicalfield', native_enum=False, length=30)


def _agency_field(name, short_name):
    text = f"{name or ''} {short_name or ''}".lower()
    return next((field for word, field in AGENCY_WORDS if word in text), None)


def upgrade():
    op.create_table('jf_jenjang_levels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('jenjang', sa.String(length=30), nullable=False),
    sa.Column('managerial_level', sa.Integer(), nullable=False),
    sa.Column('technical_level', sa.Integer(), nullable=False),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('managerial_level BETWEEN 1 AND 5', name=op.f('ck_jf_jenjang_levels_managerial_range')),
    sa.CheckConstraint('technical_level BETWEEN 1 AND 5', name=op.f('ck_jf_jenjang_levels_technical_range')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jf_jenjang_levels')),
    sa.UniqueConstraint('jenjang', name=op.f('uq_jf_jenjang_levels_jenjang'))
    )
    with op.batch_alter_table('competencies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('field', _field_type(), nullable=True))
        batch_op.create_index(batch_op.f('ix_competencies_field'), ['field'], unique=False)
    with op.batch_alter_table('positions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('field', _field_type(), nullable=True))
        batch_op.add_column(sa.Column('pembina', sa.String(length=120), nullable=True))

    conn = op.get_bind()
    levels = sa.table(
        'jf_jenjang_levels', sa.column('jenjang'), sa.column('managerial_level'),
        sa.column('technical_level'), sa.column('created_at', portal.db.UTCDateTime()),
        sa.column('updated_at', portal.db.UTCDateTime()),
    )
    now = portal.db.utcnow()
    op.bulk_insert(levels, [
        {'jenjang': j, 'managerial_level': m, 'technical_level': t, 'created_at': now,
         'updated_at': now}
        for j, m, t in JENJANG_DEFAULTS
    ])
    agencies = {
        row.id: _agency_field(row.name, row.short_name)
        for row in conn.execute(sa.text('SELECT id, name, short_name FROM agencies'))
    }
    technical = conn.execute(sa.text(
        "SELECT id, code, agency_id FROM competencies WHERE type = 'teknis'"
    )).all()
    for row in technical:
        field = (
            CODE_PREFIXES.get(row.code.rsplit('.', 1)[0])
            or agencies.get(row.agency_id)
            or 'lainnya'
        )
        conn.execute(
            sa.text('UPDATE competencies SET field = :field WHERE id = :id'),
            {'field': field, 'id': row.id},
        )
    for row in conn.execute(sa.text('SELECT id, name, agency_id FROM positions')).all():
        field, pembina = JABATAN.get(row.name.strip().lower(), (agencies.get(row.agency_id), None))
        conn.execute(
            sa.text('UPDATE positions SET field = :field, pembina = :pembina WHERE id = :id'),
            {'field': field, 'pembina': pembina, 'id': row.id},
        )


def downgrade():
    with op.batch_alter_table('positions', schema=None) as batch_op:
        batch_op.drop_column('pembina')
        batch_op.drop_column('field')
    with op.batch_alter_table('competencies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_competencies_field'))
        batch_op.drop_column('field')
    op.drop_table('jf_jenjang_levels')
