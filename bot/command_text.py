"""Reading what people type after ``/bulletin``: the subcommand and its arguments.

Subcommands are English, with French aliases; anything else gets the help and a guess.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import dateparser

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
# "vendredi prochain" is the coming Friday: the day alone, read as the next one, says so.
_NEXT = re.compile(r"\b(prochain|prochaine)\b", re.IGNORECASE)
_DATES = {
    "DATE_ORDER": "DMY",  # 03/04 is the 3rd of April, in France and in the UK alike
    "PREFER_DATES_FROM": "future",  # "20 mars" in December is next March
    "RETURN_AS_TIMEZONE_AWARE": False,
}


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
    """The last day away, from what people type after ``away``: ``until 2027-03-20``,
    ``20/03``, ``20 mars``, ``vendredi prochain``, ``next friday``…, in French or English;
    raises UsageError for a day that cannot be read or is past."""
    value = _NEXT.sub("", _UNTIL.sub("", argument.strip())).strip()
    until = _read_day(value, today) if value else None
    if until is None:
        raise UsageError(
            Problem(
                "Give the last day you are away, for example `/bulletin away until %(example)s` "
                "or `/bulletin away until next friday`.",
                (("example", (today + timedelta(days=14)).strftime("%d/%m/%Y")),),
            )
        )
    if until < today:
        raise UsageError(Problem("That day is past: give today or a later day."))
    return until


def _read_day(value: str, today: date) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        pass
    base = datetime.combine(today, datetime.min.time())
    settings = {**_DATES, "RELATIVE_BASE": base}
    found = dateparser.parse(value, languages=["fr", "en"], settings=settings)
    return found.date() if found else None
