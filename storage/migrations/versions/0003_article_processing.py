"""Articles record when their alerts were queued (transactional outbox), so the articles a
dead worker stored but never finished can be found and recovered.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 21:20:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0003'
down_revision: Union[str, Sequence[str], None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

UNPROCESSED = sa.text('processed_at IS NULL')


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('processed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('recovery_claimed_at', sa.DateTime(timezone=True),
                                      nullable=True))

    # Every article stored before this revision went through the whole pipeline as far as
    # anyone can tell now; recovering them all would re-announce the archive.
    articles = sa.table('articles', sa.column('processed_at', sa.DateTime(timezone=True)),
                        sa.column('created_at', sa.DateTime(timezone=True)))
    op.execute(articles.update().values(processed_at=articles.c.created_at))

    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.create_index('ix_articles_unprocessed', ['created_at', 'feed_id'],
                              unique=False, sqlite_where=UNPROCESSED,
                              postgresql_where=UNPROCESSED)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_index('ix_articles_unprocessed', sqlite_where=UNPROCESSED,
                            postgresql_where=UNPROCESSED)
        batch_op.drop_column('recovery_claimed_at')
        batch_op.drop_column('processed_at')
