"""The demo's visit of the web console: a fellow and a member of the programme team sign in
with Slack through the stand-in, over real HTTP, and the pages they see are kept as files
(``console/``), their stylesheet and charts beside them."""

from __future__ import annotations

import http.cookiejar
import re
import shutil
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from sqlalchemy import select

import web
from bot.demo.filing import DemoError
from bot.demo.sample import fellows, sample_roster, staff
from bot.demo.screens.pages import Link
from bot.standin.workspace import SlackWorkspace
from bulletins.db.models import Campaign
from bulletins.i18n import gettext

FOLDER = "console"
STYLESHEET = Path(web.__file__).parent / "static" / "console.css"


class _Stay(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class _Visitor:
    """A browser without JavaScript: cookies kept, redirects followed one by one."""

    def __init__(self, workspace: SlackWorkspace):
        self._home = workspace.console_url
        jar = http.cookiejar.CookieJar()
        self._opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _Stay())

    def get(self, path: str, redirects: int = 5) -> bytes:
        url = urllib.parse.urljoin(self._home, path)
        for _ in range(redirects + 1):
            try:
                with self._opener.open(url, timeout=30) as answer:
                    return answer.read()
            except urllib.error.HTTPError as error:
                if error.code not in (301, 302, 303) or not error.headers.get("Location"):
                    raise DemoError(f"the console answered {url} with HTTP {error.code}") from None
                url = urllib.parse.urljoin(url, error.headers["Location"])
                if "/openid/connect/authorize" in url and "login_as=" not in url:
                    url += "&" + urllib.parse.urlencode({"login_as": self.user})
        raise DemoError(f"the console sent {path} round in circles")

    def sign_in(self, user: str) -> bytes:
        self.user = user
        return self.get("login")


def _kept(page: bytes) -> str:
    """The page as a file beside its stylesheet and charts."""
    text = page.decode("utf-8").replace('"/app/static/console.css"', '"console.css"')
    return re.sub(r'src="/app/cohort/(\w+\.svg)"', r'src="\1"', text)


def _folder(out: Path) -> Path:
    folder = out / FOLDER
    if not (folder / "console.css").is_file():
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(STYLESHEET, folder / "console.css")
    return folder


def _keep(folder: Path, pages: list[tuple[str, str, bytes]]) -> list[Link]:
    links: list[Link] = []
    for stem, label, page in pages:
        (folder / f"{stem}.html").write_text(_kept(page), encoding="utf-8")
        links.append((label, f"{FOLDER}/{stem}.html", None))
    return links


def visit_as_fellow(workspace: SlackWorkspace, out: Path) -> list[Link]:
    """A fellow signs in (during the cohort: after it, only the programme team may) and
    reads their home and their team's bulletins. Returns the tour's links."""
    locale, rows = workspace.services.settings.locale, sample_roster()
    visitor = _Visitor(workspace)
    home = visitor.sign_in(fellows(rows, rows[0].team)[0].slack_user_id)
    pages = [("fellow-home", gettext(locale, "A fellow's home: their team, key dates"), home)]
    team = re.search(rb'href="(/app/teams/\d+)"', home)
    if team is None:
        raise DemoError("the fellow's home page of the console names no team")
    label = gettext(locale, "Their team's bulletins, week by week, with a search")
    pages.append(("fellow-team", label, visitor.get(team[1].decode())))
    return _keep(_folder(out), pages)


def visit_as_staff(workspace: SlackWorkspace, out: Path) -> list[Link]:
    """A member of the programme team signs in and reads the cohort, the surveys and a
    questionnaire's results. Returns the tour's links."""
    locale, folder = workspace.services.settings.locale, _folder(out)
    visitor = _Visitor(workspace)
    visitor.sign_in(staff(sample_roster())[0].slack_user_id)
    label = gettext(locale, "The programme team's cohort at a glance")
    pages = [("staff-cohort", label, visitor.get("cohort"))]
    for chart in ("participation.svg", "mood.svg"):
        (folder / chart).write_bytes(visitor.get(f"cohort/{chart}"))
    label = gettext(locale, "Survey campaigns, their progress, launching one")
    pages.append(("staff-surveys", label, visitor.get("surveys")))
    with workspace.services.sessions() as session:
        key = session.scalar(select(Campaign.key).where(Campaign.survey_id == "end-fellows"))
    if key is not None:
        label = gettext(locale, "A questionnaire's results, as in the terminal")
        path = f"surveys/{urllib.parse.quote(key)}/results"
        pages.append(("staff-results", label, visitor.get(path)))
    return _keep(folder, pages)
