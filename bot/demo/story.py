"""What the sample teams write, week after week: the script of the demo.

Each week, by a fixed rotation, most teams write on time (some early in the week,
some only after a reminder), two write late, two stay silent and one is excused.
Moods vary, a few teams ask for help, some announce a key date. The texts are
fictional but sound like the teams' real work.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.demo.sample import TEAMS


class When(StrEnum):
    """When in the week a team writes, relative to the schedule."""

    EARLY = "early"  # Tuesday to Thursday
    MORNING = "morning"  # deadline day, before the first reminder
    AFTER_REMINDER = "after_reminder"  # between the two reminders
    LAST_MINUTE = "last_minute"  # after the second reminder, before the deadline
    LATE = "late"  # after the deadline
    EXCUSED = "excused"  # says there is no bulletin this week
    SILENT = "silent"  # writes nothing


@dataclass(frozen=True)
class Plan:
    """One team's week: when it writes, and what."""

    team: str
    when: When
    mood: int = 3
    priority: str = ""
    ups_and_downs: str = ""
    help_request: str | None = None
    key_date_in_days: int | None = None  # counted from the Monday of the week
    key_date_label: str | None = None
    reason: str | None = None


# Per team: (priorities, ups and downs), used in turn week after week.
TEXTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "ACOSS-Plateforme": (
        ("Ouvrir le simulateur de cotisations aux premiers auto-entrepreneurs testeurs",
         "Stabiliser l'API de calcul avant la démo au comité de direction"),
        ("En haut : 12 entretiens utilisateurs en deux semaines. En bas : l'accès aux données "
         "de production attend toujours une signature.",
         "Bonne nouvelle, la convention de données est signée ! Un peu de fatigue côté recette."),
    ),
    "ADLER": (
        ("Fiabiliser le graphe des liens entre sociétés",
         "Présenter le prototype aux enquêteurs de Bercy"),
        ("Le modèle repère enfin les montages en cascade ; les temps de calcul explosent.",
         "Retours très positifs des enquêteurs, mais la pseudonymisation nous ralentit."),
    ),
    "CartoBio": (
        ("Importer les déclarations PAC de trois nouvelles régions",
         "Livrer l'export des parcelles aux organismes certificateurs"),
        ("Premier import Occitanie réussi ; les géométries de Bretagne sont à reprendre.",
         "Les certificateurs adorent la carte. Moins drôle : deux jours perdus sur un proxy."),
    ),
    "CibNav": (
        ("Mettre le score de ciblage entre les mains de deux centres de sécurité des navires",
         "Expliquer le score aux inspecteurs : quels critères, quel poids"),
        ("Les inspecteurs de Brest l'utilisent tous les jours ; Marseille n'a pas encore accès.",
         "Atelier explicabilité très riche ; le jeu d'historique 2015-2017 est incomplet."),
    ),
    "DataJust": (
        ("Constituer le corpus de décisions d'appel sur l'indemnisation",
         "Répondre aux questions de la CNIL sur le traitement"),
        ("Le corpus dépasse 5 000 décisions & l'annotation avance bien.",
         "Réunion CNIL constructive ; le calendrier de publication glisse d'un mois."),
    ),
    "DataReg": (
        ("Publier en open data la carte de couverture mobile mise à jour",
         "Automatiser la collecte des données des opérateurs"),
        ("La carte est en ligne et déjà reprise par la presse régionale !",
         "Le script de collecte tourne, mais un opérateur envoie encore des fichiers Excel."),
    ),
    "EIG Link": (
        ("Préparer le séminaire de promotion de mi-parcours",
         "Lancer la série de midis partage entre équipes"),
        ("Lieu trouvé pour le séminaire ; programme encore à caler avec les mentors.",
         "Premier midi partage : 40 personnes. Le compte rendu reste à écrire."),
    ),
    "ExploCode": (
        ("Mettre en ligne la recherche dans le Code du travail en version bêta",
         "Améliorer la pertinence des réponses sur les congés"),
        ("Bêta ouverte à 200 agents des DIRECCTE ; les tests < 300 ms sont au vert.",
         "Quelques lenteurs sur la recherche ; reste à traiter les fiches très longues."),
    ),
    "IA Flash": (
        ("Évaluer le modèle de lecture de plaques sur les clichés de nuit",
         "Documenter le protocole d'évaluation pour l'ANTAI"),
        ("Précision de 97 % le jour, 89 % la nuit : on a du travail.",
         "Le protocole est validé ; le serveur GPU tombe une fois par jour."),
    ),
    "Karfu'R": (
        ("Tester le parcours « premiers jours en France » avec des associations",
         "Traduire l'interface en arabe et en dari"),
        ("Trois ateliers avec les associations, des retours qui changent tout.",
         "Traductions reçues ; l'affichage de droite à gauche casse la mise en page."),
    ),
    "LexImpact": (
        ("Simuler l'impact de l'amendement sur la décote de l'impôt sur le revenu",
         "Ouvrir le simulateur aux administrateurs de la commission des finances"),
        ("Le simulateur a servi pendant l'examen du budget en commission !",
         "OpenFisca à jour du dernier PLF ; on manque de temps pour la documentation."),
    ),
    "Open Chronic": (
        ("Croiser les données de l'enquête santé avec le SNDS",
         "Obtenir l'accès au SNDS pour le deuxième fellow"),
        ("Les premiers croisements confirment les hypothèses des chercheurs.",
         "Toujours pas d'accès au SNDS pour le second fellow : on travaille à un seul poste."),
    ),
    "Open Justice": (
        ("Améliorer la pseudonymisation des adresses dans les décisions",
         "Préparer l'ouverture des décisions des cours d'appel"),
        ("Le taux d'erreur sur les adresses est divisé par deux.",
         "Les greffiers ont annoté 1 000 décisions de plus, merci à eux."),
    ),
    "Plume": (
        ("Faire tester l'éditeur collaboratif de rapports à deux chambres régionales",
         "Brancher l'éditeur sur la chaîne de publication"),
        ("Les magistrats testeurs sont conquis ; l'export Word reste fragile.",
         "Publication du premier rapport écrit dans Plume !"),
    ),
    "Polygraphe": (
        ("Détecter les faux avis clients sur les sites de réservation",
         "Partager les alertes avec les enquêteurs en région"),
        ("Le classifieur trouve des faux avis que personne n'avait vus.",
         "Les enquêteurs veulent les alertes par mail, pas dans un nouvel outil."),
    ),
}  # fmt: skip

HELP_REQUESTS = (
    "Quelqu'un a-t-il déjà obtenu un accès au SNDS ? Nous cherchons le bon interlocuteur.",
    "Besoin d'un regard de designer sur notre parcours d'inscription (30 min suffisent).",
    "Qui connaît bien les marchés publics ? Nous voulons acheter un petit hébergement.",
    "Nous cherchons des retours sur l'accessibilité RGAA de notre formulaire.",
    "Un conseil pour présenter un modèle statistique à un comité de direction ?",
)
KEY_DATES = (
    (10, "Démo au comité de direction"),
    (16, "Mise en production de la bêta"),
    (24, "Atelier utilisateurs en région"),
    (31, "Présentation au séminaire de promotion"),
)
EXCUSE_REASONS = (
    "Toute l'équipe est en formation à Paris cette semaine.",
    "Semaine de congés pour les deux fellows.",
)
MOOD_CYCLE = (4, 3, 3, 2, 3, 4, 2, 1, 3, 3)
# Offsets of the week's rotation that give each team its role (the rest write early
# or on the morning of the deadline).
ROLE_OFFSETS = {
    6: When.EXCUSED,
    3: When.SILENT,
    11: When.SILENT,
    1: When.LATE,
    9: When.LATE,
    2: When.AFTER_REMINDER,
    13: When.AFTER_REMINDER,
    5: When.LAST_MINUTE,
}


def when(week_index: int, team_index: int) -> When:
    """The role of a team in a week, by a rotation that changes every week."""
    offset = (team_index - week_index * 4) % len(TEAMS)
    default = When.EARLY if team_index % 2 else When.MORNING
    return ROLE_OFFSETS.get(offset, default)


def plan(week_index: int, team_index: int) -> Plan:
    """What the ``team_index``-th team does in the ``week_index``-th week of the demo."""
    team = TEAMS[team_index][0]
    role = when(week_index, team_index)
    if role is When.EXCUSED:
        return Plan(team, role, reason=EXCUSE_REASONS[week_index % len(EXCUSE_REASONS)])
    if role is When.SILENT:
        return Plan(team, role)
    priorities, ups = TEXTS[team]
    key_date = None
    if (team_index + 2 * week_index) % 4 == 1:
        key_date = KEY_DATES[(team_index // 4 + week_index) % len(KEY_DATES)]
    return Plan(
        team,
        role,
        mood=MOOD_CYCLE[(team_index * 7 + week_index * 3) % len(MOOD_CYCLE)],
        priority=priorities[week_index % len(priorities)],
        ups_and_downs=ups[week_index % len(ups)],
        help_request=(
            HELP_REQUESTS[(team_index // 5 + week_index) % len(HELP_REQUESTS)]
            if (team_index + week_index) % 5 == 0
            else None
        ),
        key_date_in_days=key_date[0] if key_date else None,
        key_date_label=key_date[1] if key_date else None,
    )


def week_plans(week_index: int) -> list[Plan]:
    """Every team's plan for a week, in the order of TEAMS."""
    return [plan(week_index, team_index) for team_index in range(len(TEAMS))]
