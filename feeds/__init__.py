"""Fetching and parsing news feeds."""
