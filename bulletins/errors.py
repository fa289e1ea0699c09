"""Errors of the core, each carrying a message meant for the person who can fix it."""

from __future__ import annotations

from dataclasses import dataclass


class BulletinsError(Exception):
    """Base of every error the product explains to a person instead of crashing."""


class ConfigError(BulletinsError):
    """The configuration file or environment holds a bad key or value."""


@dataclass(frozen=True)
class RowProblem:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}" if self.line else self.reason


class RosterError(BulletinsError):
    """A roster file has bad rows; nothing was imported."""

    def __init__(self, source: str, problems: list[RowProblem]):
        self.source = source
        self.problems = problems
        listing = "\n".join(f"  {source}, {problem}" for problem in problems)
        super().__init__(f"{source}: {len(problems)} bad row(s), nothing imported:\n{listing}")
