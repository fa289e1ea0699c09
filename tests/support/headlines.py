"""A survey file declaring its headline figures as the programme's end-of-cohort
questionnaires ask them: a four-level "did you learn outside your field", an expectations
scale whose headline counts 5 only, and a digest-reading frequency in five levels."""

from __future__ import annotations

import tomllib

from evaluation.surveys.definitions import Survey
from evaluation.surveys.loading import parse_survey

THREE_CASES = """
id = "end-of-cohort"
anonymous = true
audience = { roles = ["fellow", "mentor"] }
window = { days = 7 }
title = { fr = "Bilan de la promotion", en = "The cohort's review" }
intro = { fr = "Trois questions.", en = "Three questions." }

[[pages]]

[[pages.questions]]
id = "learned"
type = "single"
choices = [
  { id = "a_lot", label = { fr = "Oui, beaucoup", en = "Yes, a lot" } },
  { id = "a_little", label = { fr = "Oui, un peu", en = "Yes, a little" } },
  { id = "unusually_little", label = { fr = "Exceptionnellement peu", en = "Unusually little" } },
  { id = "not_at_all", label = { fr = "Pas du tout", en = "Not at all" } },
]

[pages.questions.label]
fr = "Avez-vous acquis des compétences hors de votre cœur de métier ?"
en = "Did you learn skills outside your core field?"

[pages.questions.headline]
counts = ["a_lot", "a_little"]
fr = "ont appris des compétences hors de leur domaine"
en = "learned skills outside their field"

[[pages.questions]]
id = "expectations"
type = "scale"
label = { fr = "A-t-il répondu à vos attentes ?", en = "Did it meet your expectations?" }
low_label = { fr = "Très déçu", en = "Very disappointed" }
high_label = { fr = "Dépassées", en = "Exceeded" }
headline = { counts = [5], fr = "attentes dépassées", en = "expectations exceeded" }

[[pages.questions]]
id = "digest"
type = "single"
label = { fr = "Lisiez-vous le récapitulatif ?", en = "How often did you read the digest?" }
choices = [
  { id = "every_week", label = { fr = "Chaque semaine", en = "Every week" } },
  { id = "most_weeks", label = { fr = "La plupart des semaines", en = "Most weeks" } },
  { id = "monthly", label = { fr = "Une ou deux fois par mois", en = "Once or twice a month" } },
  { id = "rarely", label = { fr = "Moins d'une fois par mois", en = "Less than once a month" } },
  { id = "never", label = { fr = "Jamais", en = "Never" } },
]

[pages.questions.headline]
counts = ["every_week", "most_weeks", "monthly"]
fr = "lisaient le récapitulatif au moins une fois par mois"
en = "read the digest at least monthly"
"""


def survey_file(toml: str = THREE_CASES) -> Survey:
    """The survey of ``toml``, a survey file's text (the three cases by default)."""
    return parse_survey(tomllib.loads(toml), "end-of-cohort.toml")
