"""Fake far ends of the wire (news sites, chat platforms) for tests, on 127.0.0.1."""
