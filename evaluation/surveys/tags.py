"""Question tags: what a question measures, so that the evaluation snapshot finds its headline
figures by meaning rather than by question id (ids differ between surveys and change).

A tagged question says, in its survey file, which answers count for the headline:

====================  ===================  ==============================================
tag                   question types       counted as the headline's "yes"
====================  ===================  ==============================================
project_satisfaction  scale                its ``top_box`` values (e.g. 4 and 5)
expectations          scale                its ``top_box`` values ("met or exceeded")
digest_reading        single               its ``counts_as`` choices ("at least monthly")
skills_outside_field  yes_no or multiple   yes_no: ``counts_as`` (default "yes");
                                           multiple: each choice, tallied
support_formats       rank                 the ranking itself
====================  ===================  ==============================================

A survey tags a question at most once per tag.
"""

from __future__ import annotations

import difflib

from evaluation.surveys.definitions import YES_NO, Question
from evaluation.surveys.reading import Report

PROJECT_SATISFACTION = "project_satisfaction"
EXPECTATIONS = "expectations"
DIGEST_READING = "digest_reading"
SKILLS_OUTSIDE_FIELD = "skills_outside_field"
SUPPORT_FORMATS = "support_formats"

TAG_TYPES: dict[str, tuple[str, ...]] = {
    PROJECT_SATISFACTION: ("scale",),
    EXPECTATIONS: ("scale",),
    DIGEST_READING: ("single",),
    SKILLS_OUTSIDE_FIELD: ("yes_no", "multiple"),
    SUPPORT_FORMATS: ("rank",),
}
TAGS = tuple(TAG_TYPES)
COUNTS_AS_TYPES = ("single", "multiple", "yes_no")


def check_tag(question: Question, where: str, report: Report) -> None:
    """Report a tag that is unknown or does not fit ``question``'s type and settings."""
    tag = question.tag
    if tag is None:
        return
    if tag not in TAG_TYPES:
        close = difflib.get_close_matches(tag, TAGS, n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"known tags: {', '.join(TAGS)}"
        report.add(where, f"unknown tag {tag!r}; {hint}")
        return
    if question.type not in TAG_TYPES[tag]:
        types = " or ".join(TAG_TYPES[tag])
        report.add(where, f"the tag {tag!r} needs a {types} question, not a {question.type}")
    elif question.type == "scale" and not question.top_box:
        report.add(where, f"the tag {tag!r} needs top_box: the values counted as its headline")
    elif question.type == "single" and not question.counts_as:
        report.add(where, f"the tag {tag!r} needs counts_as: the choices counted as its headline")


def check_counts_as(question: Question, where: str, report: Report) -> None:
    """``counts_as`` must name the question's own choices (yes_no: yes, no, dont_know)."""
    if not question.counts_as:
        return
    allowed = YES_NO if question.type == "yes_no" else tuple(c.id for c in question.choices)
    wrong = [value for value in question.counts_as if value not in allowed]
    if wrong:
        report.add(
            where,
            f"counts_as lists {wrong}, which are not among its choices ({', '.join(allowed)})",
        )


def counted(question: Question) -> tuple[str, ...]:
    """The answers counted as the headline's "yes" for a choice question."""
    if question.counts_as:
        return question.counts_as
    return ("yes",) if question.type == "yes_no" else ()


def tagged(questions: tuple[Question, ...], tag: str) -> Question | None:
    """The question of ``questions`` carrying ``tag``, if any."""
    return next((question for question in questions if question.tag == tag), None)
