"""Feeds remember why Pitboard disabled them, the hash of the last body it parsed, when a
poll last succeeded and how many entries they have given.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 10:50:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0006'
down_revision: Union[str, Sequence[str], None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('feeds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('disabled_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('body_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('last_success_at', sa.DateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('entries_seen', sa.Integer(), nullable=False,
                                      server_default=sa.text('0')))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('feeds', schema=None) as batch_op:
        batch_op.drop_column('entries_seen')
        batch_op.drop_column('last_success_at')
        batch_op.drop_column('body_hash')
        batch_op.drop_column('disabled_reason')
