"""The web console over real HTTP, signed in with Slack through the stand-in: what each
role sees, what strangers, people of another workspace and people off the roster get, and
how sign-in holds against replays, expired sessions and forms from elsewhere."""

from __future__ import annotations

import io
import json
import re
import urllib.parse
import zipfile
from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from bulletins.db.models import Heartbeat, Membership, OutboxMessage, Person, Team, TeamFacts
from bulletins.i18n import gettext
from bulletins.messages import Message, Section
from bulletins.outbox import enqueue
from evaluation.facts.indicators import add_indicator, record_value
from evaluation.facts.sheets import parse_facts, record_facts
from evaluation.results.document import WITHHELD, result_blocks
from evaluation.results.tally import FEW, campaign_results, find_campaign
from tests.support.console import Browser
from tests.support.cycle import file
from tests.support.french import french_mistakes
from tests.support.programme import data_file, paris
from tests.support.results_world import campaign, mixed

FELLOW = "UWG7U498MB0"  # Yanis Girard, ACOSS-Plateforme
MENTOR = "USMV5YEWH0S"  # Élodie Fournier, ACOSS-Plateforme
STAFF = "U0CPT72AN0H"  # Louis André, programme team
OTHER_FELLOW = "UFYL2GLUGZ5"  # Anaïs Bonnet, ADLER
OUTSIDER = "UOUTSIDER01"  # in the workspace, not on the roster
CAMPAIGN = "bilan:2026"
FILED = paris(2026, 3, 2, 9, 30)  # before the clock: 10:00

STAFF_PAGES = [
    "cohort",
    "cohort/participation.svg",
    "cohort/mood.svg",
    "surveys",
    f"surveys/{CAMPAIGN}/results",
    f"surveys/{CAMPAIGN}/answers.csv",
    "snapshot",
    "snapshot/snapshot.html",
    "snapshot/snapshot.html?download=1",
    "snapshot/snapshot.pdf",
    "snapshot.zip",
    "exports",
    "exports/bulletins.csv",
    "outbox",
    "outbox?all=1",
    "facts",
    "roster",
    "check",
    "jobs",
    "settings",
    "settings/bulletins.toml",
    f"people?slack_id={FELLOW}",
    f"people/{FELLOW}/data.json",
]


@pytest.fixture
def console(workspace):
    """Two teams' bulletins, a survey campaign, a person of the workspace off the roster."""
    file(workspace, "ACOSS-Plateforme", FILED, priority="Ouvrir l'API <script>x</script>",
         help_request="Un contact à la DINUM", key_date=date(2026, 4, 1),
         key_date_label="Mise en production")  # fmt: skip
    file(workspace, "ADLER", FILED, priority="Secret d'ADLER: le modèle de fraude")
    with workspace.services.sessions.begin() as session:
        campaign(session, mixed(3, 6), {"fellow": 4, "mentor": 8}, key=CAMPAIGN)
    workspace.standin.add_user(OUTSIDER, "Visiteur", locale="fr-FR")
    return workspace


def team_id(workspace, name: str) -> int:
    with workspace.services.sessions() as session:
        person = session.scalar(select(Person).where(Person.slack_user_id == FELLOW))
        teams = {m.team.name: m.team.id for m in person.memberships}
        if name in teams:
            return teams[name]
        other = session.scalar(select(Person).where(Person.slack_user_id == OTHER_FELLOW))
        return {m.team.name: m.team.id for m in other.memberships}[name]


def signed_in(workspace, user: str) -> Browser:
    browser = Browser.of(workspace)
    page = browser.sign_in(user)
    assert page.status == 200, page.text
    return browser


def to_sign_in(page) -> bool:
    return page.status == 302 and urllib.parse.urlsplit(page.location).path == "/app/login"


def test_after_signing_in_a_stranger_lands_on_the_page_they_asked_for(console):
    browser = Browser.of(console)
    own = team_id(console, "ACOSS-Plateforme")
    asked = browser.get(f"teams/{own}?q=dinum")
    assert to_sign_in(asked)
    back = browser.slack_authorize(FELLOW, path=asked.location)
    landing = browser.get(back)
    assert landing.location.endswith(f"/app/teams/{own}?q=dinum")
    assert "1 bulletin contient" in browser.follow(landing).words


def test_a_stranger_is_sent_to_sign_in_from_every_page_and_download(console):
    browser = Browser.of(console)
    welcome = browser.get("")
    assert welcome.status == 200
    assert "Se connecter avec Slack" in welcome.text
    own = team_id(console, "ACOSS-Plateforme")
    for path in ["bulletins", f"teams/{own}", "me", "me/data.json", *STAFF_PAGES]:
        page = browser.get(path)
        assert to_sign_in(page), (path, page.status)
    assert "Un contact" not in welcome.text


def test_a_fellow_reads_their_team_and_searches_only_within_it(console):
    browser = signed_in(console, FELLOW)
    home = browser.get("")
    assert "Bonjour Yanis Girard" in home.text
    assert "ACOSS-Plateforme" in home.words and "EIG de l'équipe" in home.words
    assert "1er avril 2026" in home.words and "Mise en production" in home.words  # a key date
    team = browser.get(f"teams/{team_id(console, 'ACOSS-Plateforme')}")
    assert team.status == 200
    assert "Ouvrir l&#39;API &lt;script&gt;x&lt;/script&gt;" in team.text  # escaped
    assert "<script>x" not in team.text
    assert "Un contact à la DINUM" in team.text
    # Another team's page is as missing as a team that does not exist.
    assert browser.get(f"teams/{team_id(console, 'ADLER')}").status == 404
    assert browser.get("teams/999999").status == 404
    everything = browser.get("bulletins")
    assert "Ouvrir l" in everything.text and "Secret d" not in everything.text
    searched = browser.get("bulletins?q=" + urllib.parse.quote("modèle fraude"))
    assert "Secret d" not in searched.text and "0 bulletin contient" in searched.text
    assert "1 bulletin contient" in browser.get("bulletins?q=dinum").text


def test_fellows_and_mentors_get_403_on_every_staff_page_and_download(console):
    for user in (FELLOW, MENTOR):
        browser = signed_in(console, user)
        for path in STAFF_PAGES:
            page = browser.get(path)
            assert page.status == 403, (user, path, page.status)
            assert "réservée à l'équipe du programme" in page.words


def test_a_mentor_reads_the_team_they_mentor_with_its_facts_and_indicators(console):
    with console.services.sessions.begin() as session:
        mentor = session.scalar(select(Person).where(Person.slack_user_id == MENTOR))
        team = session.scalar(select(Team).where(Team.name == "ACOSS-Plateforme"))
        facts = parse_facts(
            {"tool_status": "in_production", "repositories": "https://git.example/api"}
        )
        record_facts(session, team, mentor, facts, FILED)
        indicator = add_indicator(session, team, mentor, "Réduire les délais", "Délai moyen",
                                  None, "jours", 30.0, 10.0, FILED)  # fmt: skip
        record_value(session, indicator, mentor, 20.0, date(2026, 3, 1), FILED)
    browser = signed_in(console, MENTOR)
    assert "mentor de l'équipe" in browser.get("").words
    page = browser.get(f"teams/{team_id(console, 'ACOSS-Plateforme')}").words
    assert "En production" in page and "https://git.example/api" in page
    assert "Délai moyen" in page and "50 %" in page  # from 30 to 20 days, on the way to 10
    assert "Ouvrir l" in browser.get(f"teams/{team_id(console, 'ACOSS-Plateforme')}").text
    assert browser.get(f"teams/{team_id(console, 'ADLER')}").status == 404


def test_staff_search_every_team_and_see_the_cohort(console):
    browser = signed_in(console, STAFF)
    assert "1 bulletin contient" in browser.get("bulletins?q=fraude").text
    assert browser.get(f"teams/{team_id(console, 'ADLER')}").status == 200
    cohort = browser.get("cohort")
    assert cohort.status == 200
    assert "Un contact à la DINUM" in cohort.text  # a help request of the last weeks
    assert "Pas encore de proposition d'aide" in cohort.words
    yet_to_write = cohort.words.split("Équipes qui n'ont pas encore écrit")[1].split("<h2>")[0]
    assert "ADLER" not in yet_to_write and "CartoBio" in yet_to_write
    assert "Équipes qui n'ont pas encore écrit, semaine du 2 mars 2026" in cohort.visible
    assert "3,0" in cohort.visible  # the mean mood, written as in French
    for page in (cohort, browser.get("")):  # (bulletins quote people, as they wrote)
        assert french_mistakes(page.visible) == [], page.visible
    chart = browser.get("cohort/participation.svg")
    assert chart.headers["Content-Type"].startswith("image/svg+xml")
    assert b"<svg" in chart.body


def test_survey_results_withhold_what_the_cli_withholds(console):
    browser = signed_in(console, STAFF)
    listing = browser.get("surveys")
    assert CAMPAIGN in listing.text and "9 / 12" in listing.text
    page = browser.get(f"surveys/{CAMPAIGN}/results")
    assert page.status == 200
    assert gettext("fr", WITHHELD[FEW], k=5) in page.words  # 3 fellows answered, under k
    with console.services.sessions() as session:
        results = campaign_results(session, find_campaign(session, None, CAMPAIGN), 5)
        blocks = result_blocks(results, "fr")
    headings = [b.text for b in blocks if type(b).__name__ == "Heading"]
    assert headings and all(text in page.words for text in headings)
    answers = browser.get(f"surveys/{CAMPAIGN}/answers.csv")
    assert answers.status == 200 and "attachment" in answers.headers["Content-Disposition"]


def test_staff_download_the_snapshot_and_the_bulletins_export(console):
    browser = signed_in(console, STAFF)
    page = browser.get("snapshot/snapshot.html?as_of=2026-03-06")
    assert page.status == 200 and "<svg" in page.text
    archive = zipfile.ZipFile(io.BytesIO(browser.get("snapshot.zip?as_of=2026-03-06").body))
    assert {"snapshot.html", "snapshot.md", "snapshot.pdf", "team-facts.csv"} <= set(
        archive.namelist()
    )
    assert archive.read("snapshot.pdf").startswith(b"%PDF")
    pdf = browser.get("snapshot/snapshot.pdf?as_of=2026-03-06")
    assert pdf.status == 200 and pdf.body.startswith(b"%PDF")
    assert pdf.headers["Content-Type"] == "application/pdf"
    assert 'filename="snapshot-2026-03-06.pdf"' in pdf.headers["Content-Disposition"]
    assert browser.get("snapshot/snapshot.pdf?as_of=not-a-day").status == 400
    assert "snapshot/snapshot.pdf" in browser.get("snapshot?as_of=2026-03-06").text
    assert browser.get("snapshot.zip?as_of=not-a-day").status == 400
    export = browser.get("exports/bulletins.csv")
    assert export.body.startswith("\ufeff".encode())
    assert "Secret d'ADLER" in export.body.decode("utf-8-sig")


def test_the_deployment_check_is_served_only_by_bulletins_serve(console):
    page = signed_in(console, STAFF).get("check")
    assert page.status == 200 and "seul un serveur lancé par bulletins serve" in page.words


def test_everyone_downloads_their_own_data(console):
    browser = signed_in(console, FELLOW)
    data = json.loads(browser.get("me/data.json").body)
    assert data["person"]["slack_user_id"] == FELLOW


def test_a_member_of_another_workspace_is_refused(console):
    browser = Browser.of(console)
    page = browser.sign_in(FELLOW, team_as="T0THER")
    assert page.status == 403
    assert "espace Slack du programme" in page.text
    assert to_sign_in(browser.get("bulletins"))


def test_a_person_off_the_roster_is_refused(console):
    browser = Browser.of(console)
    page = browser.sign_in(OUTSIDER)
    assert page.status == 403
    assert "pas dans la liste des participants" in page.text
    assert to_sign_in(browser.get("bulletins"))


def test_a_replayed_sign_in_is_refused(console):
    browser = Browser.of(console)
    back = browser.slack_authorize(FELLOW)
    assert browser.follow(browser.get(back)).status == 200
    replayed = browser.get(back)  # the state was used: the session no longer holds it
    assert replayed.status == 400 and "déjà servi" in replayed.text
    thief = Browser.of(console)  # the same address in another browser: no state there
    assert thief.get(back).status == 400
    assert to_sign_in(thief.get("bulletins"))


def test_a_sign_in_with_another_state_is_refused(console):
    browser = Browser.of(console)
    back = browser.slack_authorize(FELLOW)
    forged = back.replace("state=", "state=x")
    assert browser.get(forged).status == 400
    assert to_sign_in(browser.get("bulletins"))


def test_someone_taken_off_the_roster_loses_access_at_their_next_request(console):
    browser = signed_in(console, FELLOW)
    assert browser.get("bulletins").status == 200
    with console.services.sessions.begin() as session:
        person = session.scalar(select(Person).where(Person.slack_user_id == FELLOW))
        session.execute(
            update(Membership)
            .where(Membership.person_id == person.id)
            .values(until=date(2026, 3, 1))
        )
    assert to_sign_in(browser.get("bulletins"))
    assert to_sign_in(browser.get("me/data.json"))


def test_an_expired_session_sends_to_sign_in_again(console):
    browser = signed_in(console, STAFF)
    console.clock.now += timedelta(hours=12, minutes=1)  # the default lasts 12 hours
    assert "Votre session a pris fin" in browser.get("").words
    assert to_sign_in(browser.get("cohort"))
    again = signed_in(console, STAFF)
    console.clock.now += timedelta(hours=12, minutes=1)
    assert to_sign_in(again.get("cohort"))


def test_signing_out_needs_the_form_s_token(console):
    browser = signed_in(console, FELLOW)
    assert browser.post("logout", {}).status == 400
    assert browser.post("logout", {"csrf": "forged"}).status == 400
    assert browser.get("bulletins").status == 200  # still signed in
    assert browser.sign_out().status == 302
    assert to_sign_in(browser.get("bulletins"))


def test_after_sign_in_only_a_console_path_is_followed(console):
    own = team_id(console, "ACOSS-Plateforme")
    for wanted, landing in [
        (f"/app/teams/{own}", f"/app/teams/{own}"),
        ("https://evil.example/app/", "/app/"),
        ("//evil.example/app/", "/app/"),
        ("/slack/events", "/app/"),
        ("/app/../slack/events", "/app/"),
    ]:
        browser = Browser.of(console)
        back = browser.slack_authorize(FELLOW, path="login?next=" + urllib.parse.quote(wanted))
        page = browser.get(back)
        assert page.status == 302
        assert page.location == landing or page.location.endswith(landing), (wanted, page.location)
        assert urllib.parse.urlsplit(page.location).netloc in ("", urllib.parse.urlsplit(
            console.console_url).netloc)  # fmt: skip


def test_the_session_cookie_is_http_only_and_same_site(console):
    browser = Browser.of(console)
    page = browser.get("login")
    cookie = page.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/app" in cookie
    assert page.headers["Content-Security-Policy"].startswith("default-src 'self'")


def test_the_console_speaks_the_language_slack_gives(console):
    console.standin.add_user(OTHER_FELLOW, "Anaïs Bonnet", locale="en-US")
    browser = signed_in(console, OTHER_FELLOW)
    home = browser.get("")
    assert "Hello Anaïs Bonnet" in home.text and "Sign out" in home.text


def test_staff_launch_a_survey_once_and_others_cannot(console):
    def invitations() -> int:
        with console.services.sessions() as session:
            rows = session.scalars(select(OutboxMessage.key)).all()
        return sum(1 for key in rows if key.startswith("survey:pulse-mentors"))

    fellow = signed_in(console, FELLOW)
    token = fellow.get("").csrf()
    assert fellow.post("surveys/launch", {"csrf": token, "survey": "pulse-mentors"}).status == 403
    browser = signed_in(console, STAFF)
    listing = browser.get("surveys")
    assert browser.post("surveys/launch", {"survey": "pulse-mentors"}).status == 400  # no token
    assert invitations() == 0
    form = {"csrf": listing.csrf(), "survey": "pulse-mentors"}
    launched = browser.follow(browser.post("surveys/launch", form))
    sent = invitations()
    assert sent > 0 and f"invitations envoyées\u00a0: {sent}" in launched.words
    assert "pulse-mentors:2026-03" in launched.words
    mentor_home = signed_in(console, MENTOR).get("").words
    assert "Vos questionnaires" in mentor_home and "à remplir, ouvert jusqu'au" in mentor_home
    assert "Vos questionnaires" not in fellow.get("").words  # fellows were not asked
    again = browser.follow(browser.post("surveys/launch", form))
    assert "déjà été lancé" in again.words and invitations() == sent
    unknown = browser.follow(browser.post("surveys/launch", form | {"cohort": "EIG 9"}))
    assert "Aucune promotion ne s'appelle «\u00a0EIG 9\u00a0»" in unknown.words


def test_staff_run_the_jobs_due_now_and_running_them_again_sends_nothing_twice(console):
    fellow = signed_in(console, FELLOW)
    assert fellow.post("jobs", {"csrf": fellow.get("").csrf()}).status == 403
    browser = signed_in(console, STAFF)
    page = browser.get("jobs")
    assert browser.post("jobs", {}).status == 400  # no token
    assert console.standin.messages() == []
    ran = browser.post("jobs", {"csrf": page.csrf()})
    assert ran.status == 200, ran.text
    sent = console.standin.messages()
    assert sent  # Monday 10:00: the call to write this week's bulletin
    assert "Toutes les tâches se sont exécutées." in ran.words
    # Each job's outcome as ``bulletins tick`` prints it, the delivery last.
    assert "monthly_digest: 3" in ran.visible
    assert re.search(r"deliver: [1-9]\d*$", ran.visible.split(" Exécuter")[0])
    with console.services.sessions() as session:
        assert session.scalar(select(Heartbeat.beat_at)) is not None
    again = browser.post("jobs", {"csrf": page.csrf()})
    assert again.status == 200
    assert "monthly_digest: 0" in again.visible and "deliver: 0" in again.visible
    assert console.standin.messages() == sent


def test_staff_see_the_configuration_without_a_secret_and_get_the_starter_file(
    console, monkeypatch
):
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-from-the-environment")
    slack = console.services.settings.slack
    browser = signed_in(console, STAFF)
    page = browser.get("settings")
    assert page.status == 200
    for secret in (slack.bot_token, slack.signing_secret, slack.client_secret, "xapp-from"):
        assert secret and secret not in page.text
    assert "SLACK_BOT_TOKEN renseigné donné au démarrage" in page.visible
    # Read when the server started: set since, it is still said not set, by its variable.
    assert "SLACK_APP_TOKEN non renseigné environnement : SLACK_APP_TOKEN" in page.visible
    assert f"SLACK_CLIENT_ID {slack.client_id} donné au démarrage" in page.visible
    assert "[schedule] deadline friday 15:05 valeur par défaut" in page.visible
    starter = browser.get("settings/bulletins.toml")
    assert starter.status == 200
    assert 'filename="bulletins.toml"' in starter.headers["Content-Disposition"]
    assert "[programme]" in starter.body.decode("utf-8")


def test_staff_see_the_messages_that_could_not_be_delivered_as_the_cli_lists_them(console):
    def failed(session, key: str, channel: str) -> None:
        message = Message(text="Rappel", sections=(Section("Rappel"),))
        row = enqueue(
            session, key=key, kind="reminder", channel=channel, message=message, now=FILED
        )
        row.status, row.attempts, row.error, row.permanent = "failed", 3, "user_not_found", True

    with console.services.sessions.begin() as session:
        failed(session, "reminder:2026-W10:14:00:team-3:person-7", "U0GONE")
        failed(session, f"survey:{CAMPAIGN}:invite:person-42", "U0SECRET")
    browser = signed_in(console, STAFF)
    page = browser.get("outbox").words
    assert "reminder:2026-W10:14:00:team-3:person-7" in page and "user_not_found" in page
    # Whom an anonymous survey's messages went to stays hidden, as in `bulletins outbox`.
    assert f"survey:{CAMPAIGN}:invite:person-…" in page
    assert "person-42" not in page and "U0SECRET" not in page


FACTS_HEADER = (
    "cohort,team,tool_status,tool_planned_on,people_hired,repositories,libraries,datasets,"
    "trainings_count,training_topics,contributions,accessibility_audit,note\n"
)


def facts_saved(workspace) -> int:
    with workspace.services.sessions() as session:
        return len(session.scalars(select(TeamFacts)).all())


def test_a_facts_file_s_problems_are_shown_line_by_line_and_nothing_is_saved(console):
    browser = signed_in(console, STAFF)
    token = browser.get("facts").csrf()
    bad = (
        FACTS_HEADER
        + "EIG 9,ADLER,in_production,,1,,,,0,,,,\n"
        + "EIG 3,ADLER,sometimes,,1,,,,0,,,,\n"
        + "EIG 3,CartoBio,in_production,,2,,,,0,,,yes,<b>Bien</b>\n"
    )
    page = browser.post_file("facts", {"csrf": token}, "file", "faits.csv", bad.encode())
    assert page.status == 400
    assert "2 problèmes, rien n'a été importé" in page.words
    # The core's messages in the reader's language, as the command line gives them in English.
    assert "Ligne 2 : promotion inconnue « EIG 9 »" in page.visible
    assert "Ligne 3 : tool_status : État de l'outil inconnu « sometimes »" in page.visible
    assert "unknown cohort" not in page.words
    assert facts_saved(console) == 0


def test_a_facts_file_is_previewed_then_imported_whole_on_confirmation(console):
    browser = signed_in(console, STAFF)
    token = browser.get("facts").csrf()
    good = (
        FACTS_HEADER
        + "EIG 3,ADLER,in_production,,1,https://git.example/adler,,,2,,,,\n"
        + "EIG 3,CartoBio,planned,2026-09-01,0,,,,0,,,yes,<b>Bien</b>\n"
    )
    preview = browser.post_file("facts", {"csrf": token}, "file", "faits.csv", good.encode())
    assert preview.status == 200
    assert "2 équipes à mettre à jour" in preview.words and "En production" in preview.words
    assert facts_saved(console) == 0  # nothing before the confirmation
    assert browser.post("facts/import", {"name": "faits.csv", "text": good}).status == 400
    confirm = {"csrf": preview.csrf(), "name": "faits.csv", "text": good}
    done = browser.follow(browser.post("facts/import", confirm))
    assert "équipes mises à jour\u00a0: 2" in done.words
    assert facts_saved(console) == 2
    again = browser.follow(browser.post("facts/import", confirm))
    assert "équipes mises à jour\u00a0: 0\u202f; inchangées\u00a0: 2" in again.words
    assert facts_saved(console) == 2


def test_only_staff_import_facts(console):
    browser = signed_in(console, MENTOR)
    token = browser.get("").csrf()
    data = (FACTS_HEADER + "EIG 3,ADLER,in_production,,1,,,,0,,,,\n").encode()
    assert browser.post_file("facts", {"csrf": token}, "file", "f.csv", data).status == 403
    assert browser.post("facts/import", {"csrf": token, "text": data.decode()}).status == 403
    assert facts_saved(console) == 0


def test_staff_export_and_erase_a_person_s_data_after_typing_their_id(console):
    fellow = signed_in(console, FELLOW)
    browser = signed_in(console, STAFF)
    page = browser.get(f"people?slack_id={FELLOW}")
    assert "Yanis Girard" in page.words
    data = json.loads(browser.get(f"people/{FELLOW}/data.json").body)
    assert data["person"]["name"] == "Yanis Girard"
    assert browser.get("people/UNOBODY/data.json").status == 404
    wrong = browser.follow(browser.post(f"people/{FELLOW}/erase", {"csrf": page.csrf()}))
    assert "rien n'a été effacé" in wrong.words
    assert fellow.get("bulletins").status == 200
    form = {"csrf": page.csrf(), "confirm": FELLOW}
    done = browser.follow(browser.post(f"people/{FELLOW}/erase", form))
    # The report in the reader's language, as the command line gives it in English.
    assert f"Données effacées pour {FELLOW} :" in done.visible
    assert "appartenances à une équipe : 1" in done.visible
    assert "Erased" not in done.words
    assert to_sign_in(fellow.get("bulletins"))  # their session ends with their data
    with console.services.sessions() as session:
        assert session.scalar(select(Person).where(Person.slack_user_id == FELLOW)) is None


def test_a_roster_is_tried_first_then_imported_and_whoever_it_drops_loses_access(console):
    fellow = signed_in(console, FELLOW)
    browser = signed_in(console, STAFF)
    token = browser.get("roster").csrf()
    lines = data_file("eig3-roster.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    without = "".join(line for line in lines if FELLOW not in line).encode()
    bad = (lines[0] + "EIG 3,ADLER,juggler,Zoé,UZOE\n").encode()
    refused = browser.post_file("roster", {"csrf": token}, "file", "roster.csv", bad)
    assert refused.status == 400
    assert "Ligne 2 : a 5 valeurs mais l'en-tête a 8 colonnes" in refused.visible
    bad = (lines[0] + "EIG 3,ADLER,juggler,Zoé,UZOE,,,\n").encode()
    refused = browser.post_file("roster", {"csrf": token}, "file", "roster.csv", bad)
    assert "Ligne 2 : rôle inconnu « juggler » ; rôles possibles" in refused.visible
    assert "identifiant Slack mal formé « UZOE »" in refused.visible
    preview = browser.post_file("roster", {"csrf": token}, "file", "roster.csv", without)
    assert preview.status == 200
    assert "appartenances 63 inchangé(e)s, 1 terminé(e)s" in preview.visible
    assert "importée" not in preview.words and "unchanged" not in preview.words
    assert fellow.get("bulletins").status == 200  # the preview changed nothing
    form = {"csrf": token, "name": "roster.csv", "text": without.decode(), "start": "", "end": ""}
    done = browser.follow(browser.post("roster/import", form))
    assert "Liste des participants importée : promotions" in done.visible
    assert "appartenances 63 inchangé(e)s, 1 terminé(e)s" in done.visible
    assert to_sign_in(fellow.get("bulletins"))
