"""Surveys: what a survey asks, its file format, and the shipped questionnaires (``*.toml``)."""
