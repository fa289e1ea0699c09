"""Alphabetical order as people read it: "Écrire" before "Traitement", "ada" beside "Ada".

The database's own order is the bytes' on SQLite and the server's collation on PostgreSQL;
neither is French. Lists shown to people are sorted here, with the Unicode Collation
Algorithm.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from typing import TypeVar

from pyuca import Collator

T = TypeVar("T")


@cache
def _collator() -> Collator:
    return Collator()


def sort_key(text: str) -> tuple[int, ...]:
    return _collator().sort_key(text)


def by_name(items: Iterable[T], name: Callable[[T], str] = lambda item: item.name) -> list[T]:
    """``items`` in alphabetical order of their ``name`` (stable for equal names)."""
    return sorted(items, key=lambda item: sort_key(name(item)))
