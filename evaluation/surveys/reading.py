"""Small readers shared by the survey loader: each checks one value of a TOML table and
records what is wrong in a :class:`Report` instead of stopping at the first problem."""

from __future__ import annotations

import difflib
import re
from typing import Any

from evaluation.surveys.definitions import Text

SLUG = re.compile(r"^[a-z0-9]+(?:[_-][a-z0-9]+)*$")
MAX_ID = 60


class Report:
    """The problems found in one file, each as "where: what"."""

    def __init__(self, source: str):
        self.source = source
        self.problems: list[str] = []

    def add(self, where: str, what: str) -> None:
        place = f"{self.source}, {where}" if where else self.source
        self.problems.append(f"{place}: {what}")


def check_keys(raw: dict, known: tuple[str, ...], where: str, report: Report, **misplaced) -> None:
    """Report keys outside ``known``; ``misplaced`` maps a key to why it does not belong."""
    for key in raw:
        if key in known:
            continue
        if key in misplaced:
            report.add(where, f"{key!r} {misplaced[key]}")
            continue
        close = difflib.get_close_matches(key, list(known) + list(misplaced), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else f"; known keys: {', '.join(known)}"
        report.add(where, f"unknown key {key!r}{hint}")


def read_slug(value: Any, what: str, where: str, report: Report, limit: int = MAX_ID) -> str | None:
    """An id: lowercase letters, digits, ``-`` or ``_`` between them."""
    if value is None:
        report.add(where, f"{what} is missing")
    elif not isinstance(value, str) or not SLUG.match(value) or len(value) > limit:
        report.add(
            where,
            f"{what} must be lowercase letters and digits, with - or _ between them, "
            f"at most {limit} characters (got {value!r})",
        )
    else:
        return value
    return None


def read_text(
    raw: dict, key: str, where: str, report: Report, *, limit: int, required: bool = True
) -> Text | None:
    """A ``{ fr = "…", en = "…" }`` table, each at most ``limit`` characters."""
    value = raw.get(key)
    if value is None:
        if required:
            report.add(where, f'{key!r} is missing: give it as {{ fr = "…", en = "…" }}')
        return None
    if not isinstance(value, dict):
        report.add(where, f'{key!r} must be a table {{ fr = "…", en = "…" }}, got {value!r}')
        return None
    check_keys(value, ("fr", "en"), f"{where}, {key}", report)
    texts = {}
    for language in ("fr", "en"):
        text = value.get(language)
        if not isinstance(text, str) or not text.strip():
            report.add(where, f"{key}.{language} must be a non-empty text")
        elif len(text.strip()) > limit:
            report.add(
                where,
                f"{key}.{language} is {len(text.strip())} characters long; "
                f"Slack takes at most {limit} here",
            )
        texts[language] = text.strip() if isinstance(text, str) else ""
    return Text(**texts)


def read_int(
    raw: dict, key: str, where: str, report: Report, *, default: int | None, minimum: int = 1
) -> int | None:
    """A whole number of at least ``minimum``, or ``default`` when absent."""
    value = raw.get(key)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        report.add(where, f"{key!r} must be a whole number of at least {minimum}, got {value!r}")
        return default
    return value


def read_any_int(raw: dict, key: str, where: str, report: Report, default: int) -> int:
    """A whole number, negative or not."""
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        report.add(where, f"{key!r} must be a whole number, got {value!r}")
        return default
    return value


def read_number(raw: dict, key: str, where: str, report: Report) -> float | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        report.add(where, f"{key!r} must be a number, got {value!r}")
        return None
    return value


def read_bool(raw: dict, key: str, where: str, report: Report, default: bool | None) -> bool:
    value = raw.get(key, default)
    if not isinstance(value, bool):
        shown = "is missing" if value is None else f"must be true or false, got {value!r}"
        report.add(where, f"{key!r} {shown}")
        return bool(default)
    return value


def read_table(raw: dict, key: str, where: str, report: Report) -> dict | None:
    value = raw.get(key)
    if value is not None and not isinstance(value, dict):
        report.add(where, f"{key!r} must be a table, got {value!r}")
        return None
    return value


def read_list(raw: dict, key: str, where: str, report: Report) -> list | None:
    value = raw.get(key)
    if value is not None and not isinstance(value, list):
        report.add(where, f"{key!r} must be a list, got {value!r}")
        return None
    return value
