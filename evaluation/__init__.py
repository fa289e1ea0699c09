"""Evaluation of the programme: surveys, team facts, indicators and snapshots."""
