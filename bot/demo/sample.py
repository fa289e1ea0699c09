"""A sample cohort for the demo: fifteen teams inspired by real EIG challenges, with
fictional people.

Everything is generated in code, deterministically, so the demo runs anywhere and
gives the same result every time. Slack ids are made from the names (``U`` and ten
capital letters or digits), emails end in ``example.gouv.fr``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from bulletins.roster.csv_file import RosterRow, team_slug

COHORT = "EIG démo"

# (team, administration, description): inspired by the EIG 3 challenges, not copied.
TEAMS: tuple[tuple[str, str, str], ...] = (
    ("ACOSS-Plateforme", "Agence centrale des organismes de sécurité sociale",
     "Simplifier les démarches des cotisants avec les données des Urssaf"),
    ("ADLER", "Ministère de l'Action et des Comptes publics",
     "Repérer les circuits financiers illicites"),
    ("CartoBio", "Agence Bio", "Cartographier les parcelles cultivées en agriculture biologique"),
    ("CibNav", "Direction des affaires maritimes", "Mieux cibler les visites de navires"),
    ("DataJust", "Ministère de la Justice", "Éclairer l'indemnisation des préjudices corporels"),
    ("DataReg", "Arcep", "Exploiter les données de la régulation des télécoms"),
    ("EIG Link", "Direction interministérielle du numérique", "Faire vivre la promotion"),
    ("ExploCode", "Direction générale du Travail", "Rendre le Code du travail lisible"),
    ("IA Flash", "Agence nationale du traitement automatisé des infractions",
     "Fiabiliser la lecture des plaques par reconnaissance d'images"),
    ("Karfu'R", "Délégation interministérielle à l'accueil et à l'intégration des réfugiés",
     "Accompagner les réfugiés dans leurs démarches"),
    ("LexImpact", "Assemblée nationale",
     "Évaluer l'impact des réformes socio-fiscales sur les foyers"),
    ("Open Chronic", "Direction de la recherche, des études et des statistiques",
     "Mieux connaître les maladies chroniques"),
    ("Open Justice", "Cour de cassation",
     "Ouvrir la jurisprudence en pseudonymisant les décisions"),
    ("Plume", "Cour des comptes", "Outiller l'écriture des rapports des juridictions financières"),
    ("Polygraphe", "DGCCRF", "Détecter les pratiques commerciales trompeuses en ligne"),
)  # fmt: skip

FIRST_NAMES = (
    "Camille", "Léa", "Hugo", "Inès", "Mathis", "Chloé", "Yanis", "Manon", "Nathan", "Sarah",
    "Lucas", "Jade", "Théo", "Emma", "Rayan", "Louise", "Noah", "Zoé", "Adam", "Lina",
    "Jules", "Alice", "Sacha", "Nina", "Paul", "Anaïs", "Malik", "Julie", "Tom", "Aïcha",
)  # fmt: skip
LAST_NAMES = (
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert",
    "Bonnet", "François", "Martinez", "Legrand", "Garnier",
)  # fmt: skip


@dataclass(frozen=True)
class SamplePerson:
    name: str
    slack_user_id: str
    email: str


def slack_id(name: str) -> str:
    """A valid-looking Slack user id made from ``name``: ``U`` and ten capitals or digits."""
    digest = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big")
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    chars = []
    for _ in range(10):
        digest, index = divmod(digest, len(alphabet))
        chars.append(alphabet[index])
    return "U" + "".join(chars)


def person(index: int) -> SamplePerson:
    """The ``index``-th fictional person; distinct indexes give distinct names."""
    first = FIRST_NAMES[index % len(FIRST_NAMES)]
    last = LAST_NAMES[(index * 7 + index // len(FIRST_NAMES)) % len(LAST_NAMES)]
    name = f"{first} {last}"
    email = f"{team_slug(first)}.{team_slug(last)}@example.gouv.fr"
    return SamplePerson(name, slack_id(name), email)


def mentors_of(team_index: int) -> int:
    """One or two mentors: every other team has two."""
    return 2 if team_index % 2 == 0 else 1


def sample_roster(cohort: str = COHORT) -> list[RosterRow]:
    """The sample cohort as roster rows: two fellows and one or two mentors a team, two staff."""
    rows: list[RosterRow] = []
    counter = iter(range(10_000))
    for team_index, (team, administration, description) in enumerate(TEAMS):
        roles = ["fellow", "fellow"] + ["mentor"] * mentors_of(team_index)
        for role in roles:
            who = person(next(counter))
            rows.append(
                RosterRow(
                    line=len(rows) + 2,
                    cohort=cohort,
                    team=team,
                    role=role,
                    name=who.name,
                    slack_user_id=who.slack_user_id,
                    email=who.email,
                    administration=administration,
                    description=description,
                )
            )
    for _ in range(2):
        who = person(next(counter))
        rows.append(
            RosterRow(len(rows) + 2, cohort, "", "staff", who.name, who.slack_user_id, who.email)
        )
    return rows


def fellows(rows: list[RosterRow], team: str) -> list[RosterRow]:
    return [row for row in rows if row.team == team and row.role == "fellow"]


def staff(rows: list[RosterRow]) -> list[RosterRow]:
    return [row for row in rows if row.role == "staff"]


def mentors(rows: list[RosterRow], team: str | None = None) -> list[RosterRow]:
    """The mentors of ``team``, or of every team."""
    return [row for row in rows if row.role == "mentor" and team in (None, row.team)]
