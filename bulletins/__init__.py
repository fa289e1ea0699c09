"""Bulletins' core: configuration, storage, calendar, roster and the bulletin cycle.

Nothing here knows about Slack: the ``bot`` package adapts this core to it.
"""

__version__ = "0.1.0"
