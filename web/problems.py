"""A file's problems on a page in the reader's language: the core gives each as catalog
messages and their parameters where it can, else only in English, which the page marks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bulletins.errors import Part, RowProblem
from web.i18n import gettext


@dataclass(frozen=True)
class ShownProblem:
    line: int  # 0: the whole file
    text: str
    english: bool = False  # the core's English, not translated


def _translated(part: Part) -> str:
    message, params = part
    return gettext(message, **{key: _value(value) for key, value in params.items()})


def _value(value: object) -> object:
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], Mapping):
        return _translated(value)  # a nested part
    return value


def shown(problems: Iterable[RowProblem]) -> list[ShownProblem]:
    return [
        ShownProblem(p.line, "; ".join(_translated(part) for part in p.parts))
        if p.parts
        else ShownProblem(p.line, p.reason, english=True)
        for p in problems
    ]
