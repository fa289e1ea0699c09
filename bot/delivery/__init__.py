"""Delivering the outbox to Slack: one message per step, paced, each result recorded, and
those in doubt settled.
"""
