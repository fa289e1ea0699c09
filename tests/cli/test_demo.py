"""``bulletins demo`` and ``bulletins export bulletins``, run as a person runs them: the
default run plays five weeks into April (monthly digest, mentors' pulse), then the
end-of-cohort questionnaires, their results and the evaluation snapshot."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from bot import listeners
from bot.demo.filing import DemoError
from bot.demo.run import run_demo
from bulletins.config import settings_from_dict
from tests.support.cli import run
from tests.support.french import french_mistakes

pytestmark = pytest.mark.slow  # runs the app or the command line as processes


class Page(HTMLParser):
    """The text a person reads on a page, and the links it holds."""

    def __init__(self, path: Path):
        super().__init__()
        self.text: list[str] = []
        self.links: list[str] = []
        self._skip = 0
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("style", "script")
        if tag == "a":
            self.links.append(dict(attrs)["href"])

    def handle_endtag(self, tag):
        self._skip -= tag in ("style", "script")

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)

    @property
    def read(self) -> str:
        return re.sub(r"\s+", " ", " ".join(self.text))


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[Path, str]:
    cwd = tmp_path_factory.mktemp("demo")
    result = run("demo", "--out", "tmp", cwd=cwd)
    assert result.returncode == 0, result.stderr
    return cwd / "tmp", result.stdout


def test_it_says_where_everything_is(demo):
    out, stdout = demo
    assert all(f"2026-W{week}" in stdout for week in range(10, 15))
    assert "end-fellows 24 of 30 answered; end-mentors 17 of 23 answered" in stdout
    assert "tmp/index.html" in stdout and "tmp/bulletins.csv" in stdout
    assert "Traceback" not in stdout


def test_the_digest_reads_as_in_slack_help_requests_first(demo):
    out, _ = demo
    page = Page(out / "2026-W10" / "digest.html").read
    assert "semaine du 2 mars" in page and "W10" not in page
    assert page.index("Demandes d'aide") < page.index("Nouvelles des équipes")
    assert "LexImpact" in page and "CartoBio" in page
    assert any(emoji in page for emoji in "😀🙂😐☹️")
    assert "Publié par" in page
    assert "&lt;" not in page and "*" not in page  # markup is rendered, not shown


def test_late_bulletins_are_shown_in_the_digest_thread(demo):
    out, _ = demo
    html = (out / "2026-W10" / "digest.html").read_text(encoding="utf-8")
    thread = html[html.index('<div class="thread">') :]
    assert "en retard" in re.sub(r"<[^>]+>", " ", thread)


def test_the_digest_counts_the_late_bulletins_and_someone_offers_help(demo):
    out, _ = demo
    digest = (out / "2026-W10" / "digest.md").read_text(encoding="utf-8")
    top = digest[: digest.index("↳")]  # the digest as it reads after its updates
    assert "**Bulletins reçus\u00a0: 12/15**" in top
    assert "⌛ **Publiés en retard, dans le fil**  \nADLER, Karfu'R" in top
    assert "propose son aide à ACOSS-Plateforme" in digest[digest.index("↳") :]
    (group,) = (out / "2026-W10").glob("dm-group-*.md")
    text = group.read_text(encoding="utf-8")
    assert "propose son aide à **ACOSS-Plateforme**" in text and "> Quelqu'un a-t-il" in text


def test_reminders_and_home_tabs_are_written_as_html_and_markdown(demo):
    out, _ = demo
    week = out / "2026-W10"
    reminders = sorted(week.glob("dm-*.html"))
    homes = sorted(week.glob("home-*.html"))
    assert reminders and homes
    assert "pas encore écrit son bulletin" in Page(reminders[0]).read
    for page in reminders + homes:
        assert page.with_suffix(".md").is_file()


def test_a_fellow_of_a_silent_team_is_reminded_again_an_hour_after_asking(demo):
    out, _ = demo
    (snoozed,) = [
        page
        for page in (out / "2026-W10").glob("dm-*.md")
        if "⏰" in page.read_text(encoding="utf-8")
    ]
    text = snoozed.read_text(encoding="utf-8")
    assert "⏰ Je vous le rappelle à 15:02" in text
    assert "**Bulletins** · vendredi 6 mars 15:02" in text  # the reminder, again
    assert text.count("pas encore écrit son bulletin") == 3  # 14:00, 14:45 and 15:02


def test_the_csv_holds_every_bulletin_and_excused_week(demo):
    out, _ = demo
    data = (out / "bulletins.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    per_week = Counter((row["week"], row["status"]) for row in rows)
    for week in ("2026-W10", "2026-W11", "2026-W12", "2026-W13", "2026-W14"):
        assert per_week[(week, "filed")] == 10
        assert per_week[(week, "late")] == 2
        assert per_week[(week, "excused")] == 1
    assert [row["week"] for row in rows] == sorted(row["week"] for row in rows)


def test_every_link_of_the_index_exists(demo):
    out, _ = demo
    index = Page(out / "index.html")
    assert len(index.links) > 10
    for href in index.links:
        assert (out / href).is_file(), href
    for href in Page(out / "2026-W10" / "digest.html").links:
        if not href.startswith("http"):
            assert (out / "2026-W10" / href).is_file(), href


def test_the_index_tours_the_monthly_digest_with_its_two_charts(demo):
    out, _ = demo
    index = Page(out / "index.html")
    # The page is read as a person sees it, its spaces (no-break ones too) as plain ones.
    assert "Avril 2026 : la synthèse mensuelle de l'équipe du programme" in index.read
    charts = [href for href in index.links if href.endswith(".png")]
    assert charts == ["2026-W14/monthly-2026-03-heatmap.png", "2026-W14/monthly-2026-03-mood.png"]
    assert "2026-W14/staff.html" in index.links
    digest = (out / "2026-W14" / "staff.html").read_text(encoding="utf-8")
    assert "synthèse du mois, mars 2026" in Page(out / "2026-W14" / "staff.html").read
    for name in ("monthly-2026-03-heatmap.png", "monthly-2026-03-mood.png"):
        assert f'<img src="{name}"' in digest
        assert (out / "2026-W14" / name).read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    markdown = (out / "2026-W14" / "staff.md").read_text(encoding="utf-8")
    assert "(<monthly-2026-03-heatmap.png>)" in markdown


def test_the_pulse_answered_with_its_buttons_shows_them_answered(demo):
    out, _ = demo
    index = Page(out / "index.html")
    assert "Le pouls des mentors" in index.read and "16 mentors sur 23" in index.read
    line = next(li for li in (out / "index.md").read_text().splitlines() if "Le pouls auquel" in li)
    page = Page(out / re.search(r"\(<([^>]+\.html)>\)", line)[1]).read
    assert page.count("Répondu (anonyme") == 3 and "Merci" in page  # anonymous: no answer shown
    assert "Votre réponse\u00a0:" not in page


def test_end_of_cohort_results_pass_the_threshold_and_come_with_open_data(demo):
    out, _ = demo
    index = Page(out / "index.html")
    results = Page(out / "results" / "end-fellows-eig-demo.html").read
    assert "24 sur 30 EIG, 80" in results and "Travailler pour l'intérêt général" in results
    assert "17 sur 23 mentors" in Page(out / "results" / "end-mentors-eig-demo.html").read
    for name in ("answers-end-fellows-eig-demo.csv", "answers-end-mentors-eig-demo.schema.json"):
        assert f"results/{name}" in index.links
    rows = (out / "results" / "answers-end-fellows-eig-demo.csv").read_text().splitlines()
    assert len(rows) == 1 + 24
    page1 = Page(out / "end-of-cohort" / "questionnaire-page-1.html").read
    assert "page 1 sur 7" in page1
    assert any("après la relance" in text for text in index.text)


def test_the_evaluation_snapshot_is_written_with_its_charts(demo):
    out, _ = demo
    links = Page(out / "index.html").links
    assert "snapshot/snapshot.html" in links and "snapshot/snapshot.pdf" in links
    assert (out / "snapshot" / "snapshot.pdf").read_bytes().startswith(b"%PDF-")
    html = (out / "snapshot" / "snapshot.html").read_text(encoding="utf-8")
    assert html.count("<svg") >= 2
    assert "Bilan d'évaluation" in html and "EIG démo" in html
    for name in ("snapshot.md", "participation.svg", "mood.svg", "team-facts.csv", "README.md"):
        assert (out / "snapshot" / name).is_file(), name
    facts = (out / "snapshot" / "team-facts.csv").read_text(encoding="utf-8")
    assert "https://github.com/eig-demo/leximpact-simulateur" in facts
    markdown = (out / "snapshot" / "snapshot.md").read_text(encoding="utf-8")
    for headline in (  # as the shipped questionnaires word them, fellows and mentors apart
        "Ont appris des compétences hors de leur domaine",
        "Attentes dépassées",
        "Ont lu le récapitulatif au moins une fois par mois",
    ):
        figures = r"Les EIG \d+ sur 24 \(\d+(,\d)?[\u00a0\u202f]%\); Les mentors \d+ sur 17 "
        assert re.search(rf"- \*\*{headline}\*\*\u00a0: {figures}", markdown), headline
    assert "satisfaites ou dépassées" not in markdown
    team = markdown.split("\n### LexImpact\n")[1].split("\n### ")[0]
    repository = "https://github.com/eig-demo/leximpact-simulateur"
    assert f"- **Dépôts de code**\u00a0: [{repository}]({repository})" in team
    assert "Semaines jouées\u00a0: 5\u202f;" in team


def test_the_snapshot_counts_the_weeks_played_whatever_the_day(demo, tmp_path):
    out, _ = demo
    env = {"DATABASE_URL": f"sqlite:///{out / 'bulletins.db'}"}

    def participation(folder: Path) -> str:
        text = (folder / "snapshot.md").read_text(encoding="utf-8")
        (line,) = [line for line in text.splitlines() if line.startswith("Sur ")]
        return line

    played = participation(out / "snapshot")
    assert played.startswith("Sur 5 semaines, de la semaine du 2 mars 2026 à celle du 30 mars 2026")
    for day in ("2026-04-05", "2027-01-04"):
        later = run("snapshot", "--as-of", day, "--out", day, cwd=tmp_path, env=env)
        assert later.returncode == 0, later.stderr
        assert participation(tmp_path / day) == played, day
        assert (tmp_path / day / "snapshot.pdf").read_bytes().startswith(b"%PDF-"), day
    limits = (out / "snapshot" / "snapshot.md").read_text(encoding="utf-8")
    assert "non renseignés\u00a0: EIG Link, Open Chronic" in limits
    assert "pas de date de fin" not in limits


def test_export_command_writes_the_csv_and_refuses_an_unknown_cohort(demo, tmp_path):
    out, _ = demo
    env = {"DATABASE_URL": f"sqlite:///{out / 'bulletins.db'}"}
    good = run(
        "export", "bulletins", "--cohort", "EIG démo", "--out", "b.csv", cwd=tmp_path, env=env
    )
    assert good.returncode == 0, good.stderr
    assert (tmp_path / "b.csv").read_bytes() == (out / "bulletins.csv").read_bytes()
    bad = run("export", "bulletins", "--cohort", "EIG 9", "--out", "x.csv", cwd=tmp_path, env=env)
    assert bad.returncode == 2
    assert "unknown cohort 'EIG 9'" in bad.stderr and "EIG démo" in bad.stderr
    assert "Traceback" not in bad.stderr
    assert not (tmp_path / "x.csv").exists()


def test_without_the_form_listeners_the_demo_stops_with_the_reason(tmp_path, monkeypatch):

    monkeypatch.setattr(listeners, "register", lambda app, services: None)
    with pytest.raises(DemoError, match="a pulse button answered HTTP 404.*nothing was answered"):
        run_demo(settings_from_dict({}), 1, tmp_path / "out")
    assert not (tmp_path / "out" / "index.html").exists()


def test_every_page_of_the_tour_reads_as_french_is_written(demo):
    out, _ = demo
    mistakes = {}
    for page in sorted(out.rglob("*.md")):
        # Link targets are file names, where ISO week codes belong.
        text = re.sub(r"\]\(<?[^)\s>]*>?\)", "]", page.read_text(encoding="utf-8"))
        text = re.sub(r"https?://\S+", "", text)
        if found := french_mistakes(text):
            mistakes[str(page.relative_to(out))] = found[:3]
    assert mistakes == {}


def test_the_tour_visits_the_web_console_as_a_fellow_and_as_the_programme_team(demo):
    out, _ = demo
    index = Page(out / "index.html")
    assert "La console web" in index.read
    home = Page(out / "console" / "fellow-home.html").read
    assert "Bonjour" in home and "EIG de l'équipe" in home
    assert "Promotion" not in home  # a fellow's menu has no programme team's pages
    cohort = out / "console" / "staff-cohort.html"
    assert 'src="participation.svg"' in cohort.read_text(encoding="utf-8")
    assert (out / "console" / "participation.svg").read_bytes().lstrip().startswith(b"<?xml")
    assert "Ont répondu" in Page(out / "console" / "staff-surveys.html").read
