"""What really happened to an account's invitation; the people of each roster import (issue 18)

Accounts get the last invitation e-mail queued for them (its outbox row says queued, sent or
failed) and when it was queued. Accounts still waiting for their password that were invited
before are matched to their latest invitation e-mail in the outbox (the e-mail carries the
``/invitation/<token>`` link). A confirmed roster import keeps its counts and its people.

Revision ID: d1b2e3f4a5b6
Revises: c0a1d2e3f4a5
Create Date: 2026-12-09 00:00:00

"""
from alembic import op
import sqlalchemy as sa

import portal.db


# revision identifiers, used by Alembic.
revision = 'd1b2e3f4a5b6'
down_revision = 'c0a1d2e3f4a5'
branch_labels = None
depends_on = None

def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invited_at', portal.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('invitation_email_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_users_invitation_email_id_outbox_emails'),
            'outbox_emails', ['invitation_email_id'], ['id'], ondelete='SET NULL',
        )
    # The latest outbox row addressed to an account still waiting for its password that
    # carries an invitation link.
    op.execute(
        "UPDATE users SET invitation_email_id = (SELECT MAX(o.id) FROM outbox_emails o "
        "WHERE o.recipient = users.email AND o.body_text LIKE '%/invitation/%') "
        "WHERE password_hash IS NULL"
    )
    op.execute(
        "UPDATE users SET invited_at = (SELECT o.created_at FROM outbox_emails o "
        "WHERE o.id = users.invitation_email_id) WHERE invitation_email_id IS NOT NULL"
    )
    op.create_table('roster_imports',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('created_at', portal.db.UTCDateTime(), nullable=False),
        sa.Column('rows', sa.Integer(), nullable=False),
        sa.Column('created', sa.Integer(), nullable=False),
        sa.Column('updated', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_roster_imports_actor_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_roster_imports')),
    )
    with op.batch_alter_table('roster_imports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_roster_imports_actor_id'), ['actor_id'], unique=False)
    op.create_table('roster_import_people',
        sa.Column('import_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['import_id'], ['roster_imports.id'], name=op.f('fk_roster_import_people_import_id_roster_imports'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_roster_import_people_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('import_id', 'user_id', name=op.f('pk_roster_import_people')),
    )
    with op.batch_alter_table('roster_import_people', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_roster_import_people_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('roster_import_people', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_roster_import_people_user_id'))
    op.drop_table('roster_import_people')
    with op.batch_alter_table('roster_imports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_roster_imports_actor_id'))
    op.drop_table('roster_imports')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_users_invitation_email_id_outbox_emails'), type_='foreignkey')
        batch_op.drop_column('invitation_email_id')
        batch_op.drop_column('invited_at')
