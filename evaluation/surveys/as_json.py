"""A survey as plain JSON, as campaigns keep it (``Campaign.definition``), and back.

The JSON is read back as written, without the loader's checks: a campaign launched with a
survey stays readable even if the rules for survey files tighten later.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path
from typing import Any

from evaluation.surveys.definitions import (
    Audience,
    Choice,
    Condition,
    Page,
    Question,
    Recurrence,
    Survey,
    Text,
    Window,
)
from evaluation.surveys.tags import json_headline


def survey_to_json(survey: Survey) -> dict:
    """Every field of ``survey``, as JSON values (dates as ISO strings)."""
    return _plain(survey)


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    return value


def survey_from_json(data: dict) -> Survey:
    """The survey written by :func:`survey_to_json`."""
    window, recurrence = data.get("window"), data.get("recurrence")
    return Survey(
        id=data["id"],
        title=_text(data["title"]),
        intro=_text(data["intro"]),
        audience=Audience(tuple(data["audience"]["roles"]), data["audience"].get("cohort")),
        anonymous=data["anonymous"],
        pages=tuple(_page(page) for page in data["pages"]),
        window=_window(window) if window else None,
        recurrence=Recurrence(**recurrence) if recurrence else None,
        reminders=tuple(data.get("reminders", ())),
        source=Path(data["source"]) if data.get("source") else None,
    )


def _text(data: dict | None) -> Text | None:
    return Text(data["fr"], data["en"]) if data else None


def _choices(data: list) -> tuple[Choice, ...]:
    return tuple(Choice(c["id"], _text(c["label"]), c.get("other", False)) for c in data)


def _page(data: dict) -> Page:
    return Page(tuple(_question(q) for q in data["questions"]), _text(data.get("title")))


def _question(data: dict) -> Question:
    known = {f.name for f in dataclasses.fields(Question)}
    fields = {key: value for key, value in data.items() if key in known}
    for key in ("label", "help", "low_label", "high_label"):
        fields[key] = _text(data.get(key))
    for key in ("choices", "items"):
        fields[key] = _choices(data.get(key, ()))
    fields["top_box"] = tuple(data.get("top_box", ()))
    fields["headline"] = json_headline(data)
    condition = data.get("show_if")
    if condition:
        fields["show_if"] = Condition(condition["question"], tuple(condition["any_of"]))
    return Question(**fields)


def _window(data: dict) -> Window:
    def day(value: str | None) -> date | None:
        return date.fromisoformat(value) if value else None

    return Window(day(data.get("opens")), day(data.get("closes")), data.get("days"))
