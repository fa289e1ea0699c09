"""SQLite on a platform: said when the host sets PORT, and only then."""

from __future__ import annotations

import pytest

from bulletins.hosting import sqlite_on_paas


@pytest.mark.parametrize(
    ("url", "env", "warned"),
    [
        ("sqlite:///bulletins.db", {"PORT": "8080"}, True),
        ("sqlite:///bulletins.db", {}, False),
        ("sqlite:///bulletins.db", {"PORT": ""}, False),
        ("postgresql+psycopg://u@db/b", {"PORT": "8080"}, False),
    ],
)
def test_sqlite_is_refused_only_on_a_platform(url, env, warned):
    warning = sqlite_on_paas(url, env)
    assert (warning is not None) == warned
    if warned:
        assert "does not survive a deploy" in warning and "PostgreSQL add-on" in warning
