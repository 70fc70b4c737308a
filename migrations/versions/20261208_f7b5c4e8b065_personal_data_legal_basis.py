"""Issue 17, point 7: legal basis, retention of every record type, erasure, restriction and objection

Adds ``notice_acceptances``: which privacy notice version a person accepted, when, where, and the
optional consents ticked with it. Every account that exists now accepted the notice in force
before this change (version 2026-11, when acceptances were not yet stored): one row per user,
dated at the account's creation, context ``before_versioning``, so the proof says what they
were shown and that it was not the current text.

The request kinds ``restriction`` and ``objection`` and the states ``approved`` and
``in_force`` need no schema change (string enums). The downgrade turns them back into what the
older code knows: restriction/objection requests become corrections whose details start with
the kind, an approved deletion becomes open again (it was not erased), a restriction in force
becomes done.

Revision ID: f7b5c4e8b065
Revises: e6a4b3d7af54
Create Date: 2026-12-08 00:00:00

"""
from alembic import op
import sqlalchemy as sa

import portal.db


# revision identifiers, used by Alembic.
revision = 'f7b5c4e8b065'
down_revision = 'e6a4b3d7af54'
branch_labels = None
depends_on = None

#: The notice version in force before acceptances were stored (PRIVACY_NOTICE_VERSION then).
PREVIOUS_VERSION = "2026-11"


def upgrade():
    # a restriction of processing in force (no restriction request existed before)
    op.add_column(
        'users',
        sa.Column('processing_restricted', sa.Boolean(), server_default=sa.false(),
                  nullable=False),
    )
    op.create_table('notice_acceptances',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('notice_version', sa.String(length=20), nullable=False),
    sa.Column('accepted_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('context', sa.String(length=20), nullable=False),
    sa.Column('optional_purposes', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notice_acceptances_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice_acceptances'))
    )
    with op.batch_alter_table('notice_acceptances', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_acceptances_user_id'), ['user_id'], unique=False)

    op.execute(
        sa.text(
            "INSERT INTO notice_acceptances"
            " (user_id, notice_version, accepted_at, context, optional_purposes)"
            " SELECT id, :version, created_at, 'before_versioning', '' FROM users"
        ).bindparams(version=PREVIOUS_VERSION)
    )


def downgrade():
    for kind in ("restriction", "objection"):
        op.execute(
            sa.text(
                "UPDATE data_requests SET kind = 'correction', details = :prefix || details"
                " WHERE kind = :kind"
            ).bindparams(prefix=f"[{kind}] ", kind=kind)
        )
    op.execute(
        "UPDATE data_requests SET state = 'open', handled_at = NULL, handled_by_id = NULL,"
        " response = NULL WHERE state = 'approved'"
    )
    op.execute("UPDATE data_requests SET state = 'done' WHERE state = 'in_force'")
    with op.batch_alter_table('notice_acceptances', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_acceptances_user_id'))

    op.drop_table('notice_acceptances')
    op.drop_column('users', 'processing_restricted')
