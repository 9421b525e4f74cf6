"""Pitboard: racing news in, driver moves and lineups out."""
