"""The old form of headline figures, ``tag = "…"``, still read: each tag becomes the headline
(see :mod:`evaluation.surveys.headlines`) it stood for, with its old wording.

====================  ===================  ==============================================
tag                   question types       the headline it becomes
====================  ===================  ==============================================
project_satisfaction  scale                counts its ``top_box`` values
expectations          scale                counts its ``top_box`` values ("met or exceeded")
digest_reading        single               counts its ``counts_as`` choices
skills_outside_field  yes_no or multiple   yes_no: counts ``counts_as`` (default "yes");
                                           multiple: each choice
support_formats       rank                 the ranking
====================  ===================  ==============================================

Old campaigns keep their definition as launched: :mod:`evaluation.surveys.as_json` converts
their tags the same way.
"""

from __future__ import annotations

import difflib
from typing import Any

from evaluation.surveys.definitions import Headline, Text
from evaluation.surveys.reading import Report, read_list, read_slug

TAG_TYPES: dict[str, tuple[str, ...]] = {
    "project_satisfaction": ("scale",),
    "expectations": ("scale",),
    "digest_reading": ("single",),
    "skills_outside_field": ("yes_no", "multiple"),
    "support_formats": ("rank",),
}
TAGS = tuple(TAG_TYPES)
TAG_LABELS = {
    "project_satisfaction": Text(
        "Satisfaits ou très satisfaits des résultats du projet",
        "Satisfied or very satisfied with the project's results",
    ),
    "expectations": Text("Attentes satisfaites ou dépassées", "Expectations met or exceeded"),
    "digest_reading": Text(
        "Lecture du récapitulatif hebdomadaire au moins une fois par mois",
        "Reading the weekly digest at least monthly",
    ),
    "skills_outside_field": Text(
        "Compétences acquises hors de son métier", "Skills learned outside one's own field"
    ),
    "support_formats": Text(
        "Les formats d'accompagnement du programme, classés",
        "The programme's support formats, ranked",
    ),
}
COUNTS_AS_TYPES = ("single", "multiple", "yes_no")
HOW = 'write [pages.questions.headline] with counts = […], fr = "…" and en = "…" instead'


def tag_headline(
    tag: str, kind: str, top_box: tuple[int, ...], counts_as: tuple[str, ...]
) -> Headline | None:
    """The headline an old tag stood for (None when it does not fit the question)."""
    if tag not in TAG_TYPES or kind not in TAG_TYPES[tag]:
        return None
    label = TAG_LABELS[tag]
    if kind == "scale":
        return Headline(label, tuple(str(v) for v in top_box)) if top_box else None
    if kind == "rank":
        return Headline(label)
    if kind == "multiple":
        return Headline(label, each=True)
    if kind == "yes_no":
        return Headline(label, counts_as or ("yes",))
    return Headline(label, counts_as) if counts_as else None


def read_tag(
    raw: dict, kind: str, top_box: tuple[int, ...], answers: tuple[str, ...], where: str,
    report: Report,
) -> Headline | None:  # fmt: skip
    """The headline of an old ``tag`` (and ``counts_as``), each problem saying how to write
    it the new way."""
    tag, counts_as = raw.get("tag"), _counts_as(raw, kind, answers, where, report)
    if tag is None:
        if counts_as:
            report.add(where, f"counts_as only goes with the old tag; {HOW}")
        return None
    if "headline" in raw:
        report.add(where, f"give the headline or the old tag {tag!r}, not both")
        return None
    if read_slug(tag, "the tag", where, report) is None:
        return None
    if tag not in TAG_TYPES:
        close = difflib.get_close_matches(tag, TAGS, n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"known tags: {', '.join(TAGS)}"
        report.add(where, f"unknown tag {tag!r}; {hint}; or {HOW}")
        return None
    if kind not in TAG_TYPES[tag]:
        types = " or ".join(TAG_TYPES[tag])
        report.add(where, f"the tag {tag!r} needs a {types} question, not a {kind}; or {HOW}")
        return None
    headline = tag_headline(tag, kind, top_box, counts_as)
    if headline is None and kind == "scale":
        report.add(where, f"the tag {tag!r} needs top_box: the values it counts; or {HOW}")
    elif headline is None:
        report.add(where, f"the tag {tag!r} needs counts_as: the choices it counts; or {HOW}")
    return headline


def _counts_as(
    raw: dict, kind: str, answers: tuple[str, ...], where: str, report: Report
) -> tuple[str, ...]:
    if kind not in COUNTS_AS_TYPES:
        return ()
    values: list[Any] = read_list(raw, "counts_as", where, report) or []
    if any(not isinstance(value, str) for value in values):
        report.add(where, f"counts_as must list choice ids as strings, got {values!r}")
        return ()
    wrong = [value for value in values if value not in answers]
    if wrong:
        report.add(
            where,
            f"counts_as lists {wrong}, which are not among its choices ({', '.join(answers)})",
        )
        return ()
    return tuple(dict.fromkeys(values))


def json_headline(data: dict) -> Headline | None:
    """The headline of a question kept as JSON by a campaign: its own, or its old tag's."""
    headline = data.get("headline")
    if headline:
        label = Text(headline["label"]["fr"], headline["label"]["en"])
        counts = tuple(str(v) for v in headline.get("counts", ()))
        return Headline(
            label, counts, headline.get("each", False), headline.get("pool_roles", False)
        )
    if data.get("tag"):
        top_box = tuple(data.get("top_box", ()))
        return tag_headline(data["tag"], data["type"], top_box, tuple(data.get("counts_as", ())))
    return None
