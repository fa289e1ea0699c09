"""Errors of the core, each carrying a message meant for the person who can fix it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


class BulletinsError(Exception):
    """Base of every error the product explains to a person instead of crashing."""


class ConfigError(BulletinsError):
    """The configuration file or environment holds a bad key or value."""


# An English message id and its parameters; a parameter may itself be a Part.
Part = tuple[str, Mapping[str, object]]


def filled(part: Part) -> str:
    """The English text of ``part``."""
    message, params = part
    return message % {k: filled(v) if _is_part(v) else v for k, v in params.items()}


def _is_part(value: object) -> bool:
    return isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], Mapping)


@dataclass(frozen=True)
class RowProblem:
    line: int
    reason: str  # in English, as the command line prints it
    # The reason as messages of the catalogs, joined by "; " (``reason`` filled in), for a
    # page in the reader's language; empty where the reason exists only in English.
    parts: tuple[Part, ...] = ()

    @classmethod
    def of(cls, line: int, *parts: Part) -> RowProblem:
        reason = "; ".join(filled(part) for part in parts)
        return cls(line, reason, parts)

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}" if self.line else self.reason


class RosterError(BulletinsError):
    """A roster file has bad rows; nothing was imported."""

    def __init__(self, source: str, problems: list[RowProblem]):
        self.source = source
        self.problems = problems
        listing = "\n".join(f"  {source}, {problem}" for problem in problems)
        super().__init__(f"{source}: {len(problems)} bad row(s), nothing imported:\n{listing}")
