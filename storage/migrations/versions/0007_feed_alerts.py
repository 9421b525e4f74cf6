"""Feeds count the alerts their polls produced (for /feed list and `pitboard feeds`).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 12:30:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0007'
down_revision: Union[str, Sequence[str], None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('feeds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('alerts_produced', sa.Integer(), nullable=False,
                                      server_default=sa.text('0')))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('feeds', schema=None) as batch_op:
        batch_op.drop_column('alerts_produced')
