"""Reading what people type after ``/bulletin``: the subcommand and its arguments.

Subcommands are English, with French aliases; anything else gets the help and a guess.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date, timedelta

from bulletins.cycle.bulletin import Problem
from bulletins.errors import BulletinsError

NAMES = {
    "": "form",
    "help": "help",
    "aide": "help",
    "history": "history",
    "historique": "history",
    "away": "away",
    "absent": "away",
    "absence": "away",
    "excuse": "excuse",
    "facts": "facts",
    "faits": "facts",
    "fiche": "facts",
    "indicators": "indicators",
    "indicateurs": "indicators",
}
SHOWN = ("help", "history", "away", "excuse", "facts", "indicators")
_UNTIL = re.compile(r"^(until|jusqu'au|jusqu’au|au)\s+", re.IGNORECASE)


class UsageError(BulletinsError):
    """What someone typed cannot be understood; ``problem`` says how to type it."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(problem.message)


@dataclass(frozen=True)
class Command:
    """``name`` is a known subcommand (or "unknown"); ``argument`` is the rest of the text."""

    name: str
    argument: str = ""
    typed: str = ""

    @property
    def suggestion(self) -> str | None:
        """For an unknown subcommand, the known one it most looks like."""
        close = difflib.get_close_matches(self.typed.lower(), list(NAMES)[1:], n=1, cutoff=0.6)
        return NAMES[close[0]] if close else None


def parse_command(text: str) -> Command:
    word, _, rest = (text or "").strip().partition(" ")
    name = NAMES.get(word.lower(), "unknown")
    return Command(name, rest.strip(), word)


def parse_away(argument: str, today: date) -> date:
    """``until 2026-03-20`` (or just the date) → the last day away; raises UsageError."""
    value = _UNTIL.sub("", argument.strip()).strip()
    try:
        until = date.fromisoformat(value)
    except ValueError:
        raise UsageError(
            Problem(
                "Give the last day you are away as YYYY-MM-DD, for example "
                "`/bulletin away until %(example)s`.",
                (("example", (today + timedelta(days=14)).isoformat()),),
            )
        ) from None
    if until < today:
        raise UsageError(Problem("That day is past: give today or a later day."))
    return until
