"""SqlStore: the whole `bot.ports.Store` on SQLAlchemy 2.x async, SQLite or PostgreSQL,
assembled from one part per concern, as lemon24/reader composes its storage."""

from __future__ import annotations

from storage.articles import ArticleStorage
from storage.feeds import FeedStorage
from storage.names import NameStorage
from storage.outbox import OutboxStorage
from storage.seats import SeatStorage
from storage.settings import SettingStorage
from storage.stories import StoryStorage
from storage.subscriptions import SubscriptionStorage


class SqlStore(FeedStorage, ArticleStorage, StoryStorage, SeatStorage, NameStorage,
               SubscriptionStorage, SettingStorage, OutboxStorage):
    """Implements `bot.ports.Store`; see storage.base.StoreBase for the transactions."""
