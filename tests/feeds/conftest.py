from tests.fakes.feed_server import feed_server  # noqa: F401
