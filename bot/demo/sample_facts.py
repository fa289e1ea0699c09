"""The sample cohort's facts sheets (``bot.demo.sample``), for the demo: fictional but
plausible tools, public repositories, open datasets and trainings.

``IMPORTED`` is what the programme team imports at the start (as ``bulletins facts import``
would); ``TYPED`` is what two teams then type in Slack with ``/bulletin facts``. Two teams
have no sheet yet. Values are written as in the CSV import, read by ``parse_facts``.
"""

from __future__ import annotations

from evaluation.facts.sheets import FactsInput, parse_facts

GITHUB = "https://github.com/eig-demo"
GITLAB = "https://gitlab.com/eig-demo"
CODE = "https://code.gouv.fr/sources/eig-demo"
DATA = "https://www.data.gouv.fr/fr/datasets"

IMPORTED: dict[str, dict[str, str]] = {
    "ACOSS-Plateforme": {
        "tool_status": "in_production", "people_hired": "1",
        "repositories": f"{GITHUB}/simulateur-cotisations {GITHUB}/api-calcul-cotisations",
        "datasets": f"{DATA}/baremes-de-cotisations-demo/",
        "trainings_count": "2", "training_topics": "Python pour les agents|Design de services",
        "accessibility_audit": "yes",
    },
    "ADLER": {
        "tool_status": "planned", "tool_planned_on": "2026-09-15",
        "repositories": f"{GITLAB}/adler-graphe", "trainings_count": "1",
        "training_topics": "Analyse de graphes", "accessibility_audit": "no",
    },
    "CartoBio": {
        "tool_status": "planned", "tool_planned_on": "2026-05-04",
        "repositories": f"{GITHUB}/cartobio",
    },
    "CibNav": {
        "tool_status": "in_production", "people_hired": "1",
        "repositories": f"{CODE}/cibnav-score", "trainings_count": "1",
        "training_topics": "Lire un score de risque", "note": "Utilisé à Brest depuis janvier.",
    },
    "DataJust": {
        "tool_status": "abandoned", "repositories": f"{GITHUB}/datajust-annotation",
        "datasets": f"{DATA}/corpus-decisions-appel-demo/",
        "note": "Le traitement n'a pas été poursuivi ; le corpus annoté est publié.",
    },
    "DataReg": {
        "tool_status": "in_production", "people_hired": "2",
        "repositories": f"{GITHUB}/collecte-operateurs {GITHUB}/carte-couverture",
        "libraries": "https://pypi.org/project/datareg-demo-collecte/",
        "datasets": f"{DATA}/couverture-mobile-demo/ {DATA}/qualite-de-service-demo/",
        "trainings_count": "3", "training_topics": "Open data|SQL|Cartographie",
        "accessibility_audit": "yes",
    },
    "ExploCode": {
        "tool_status": "in_production", "repositories": f"{CODE}/explocode-recherche",
        "libraries": "https://www.npmjs.com/package/@eig-demo/code-du-travail-search",
        "trainings_count": "1", "training_topics": "Rédiger pour le web",
        "accessibility_audit": "yes",
    },
    "IA Flash": {
        "tool_status": "planned", "tool_planned_on": "2026-11-02",
        "repositories": f"{GITLAB}/lecture-plaques-evaluation", "trainings_count": "2",
        "training_topics": "Apprentissage profond|Évaluer un modèle",
    },
    "Karfu'R": {
        "tool_status": "in_production", "repositories": f"{GITHUB}/karfur",
        "contributions": "https://github.com/eig-demo/i18n-rtl/pull/12",
        "trainings_count": "1", "training_topics": "Accessibilité RGAA",
        "accessibility_audit": "yes",
    },
    "Open Justice": {
        "tool_status": "in_production", "people_hired": "1",
        "repositories": f"{GITHUB}/pseudonymisation {GITHUB}/annotation-greffe",
        "libraries": "https://pypi.org/project/pseudo-demo/",
        "datasets": f"{DATA}/decisions-cour-de-cassation-demo/",
        "trainings_count": "2", "training_topics": "Traitement du langage|Annoter un corpus",
    },
    "Plume": {
        "tool_status": "in_production", "repositories": f"{CODE}/plume-editeur",
        "trainings_count": "1", "training_topics": "Écrire à plusieurs",
        "accessibility_audit": "no",
    },
    "Polygraphe": {
        "tool_status": "planned", "tool_planned_on": "2026-10-01",
        "repositories": f"{GITLAB}/polygraphe-classifieur",
        "datasets": f"{DATA}/avis-signales-demo/",
    },
    "LexImpact": {"tool_status": "planned", "tool_planned_on": "2026-04-15"},
}  # fmt: skip

# Typed in Slack by a member of the team, in the demo's first weeks.
TYPED: dict[str, dict[str, str]] = {
    "LexImpact": {
        "tool_status": "in_production", "people_hired": "1",
        "repositories": f"{GITHUB}/leximpact-simulateur\n{GITHUB}/leximpact-api",
        "contributions": "https://github.com/eig-demo/openfisca-france-demo/pull/42",
        "datasets": f"{DATA}/baremes-impot-revenu-demo/",
        "trainings_count": "2", "training_topics": "OpenFisca\nLire un projet de loi de finances",
        "accessibility_audit": "no", "note": "Simulateur utilisé en commission des finances.",
    },
    "CartoBio": {
        "tool_status": "in_production",
        "repositories": f"{GITHUB}/cartobio\n{GITHUB}/cartobio-export",
        "datasets": f"{DATA}/parcelles-en-agriculture-biologique-demo/",
        "trainings_count": "1", "training_topics": "Données géographiques",
        "accessibility_audit": "yes",
    },
}  # fmt: skip


def imported_facts() -> dict[str, FactsInput]:
    """The sheets the programme team imports, by team name."""
    return {team: parse_facts(raw) for team, raw in IMPORTED.items()}
