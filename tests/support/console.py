"""A browser without JavaScript for the web console's tests: cookies kept, redirects seen
one by one, "Sign in with Slack" through the stand-in's authorize page."""

from __future__ import annotations

import html
import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from email.message import Message

from bot.standin.workspace import SlackWorkspace


@dataclass
class Page:
    status: int
    headers: Message
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    @property
    def words(self) -> str:
        """The text with HTML's character references read, as a person sees it."""
        return html.unescape(self.text)

    @property
    def visible(self) -> str:
        """The words a person reads: no tags, no stylesheet, spaces run together."""
        text = re.sub(r"<style.*?</style>|<[^>]+>", " ", self.text, flags=re.DOTALL)
        return " ".join(html.unescape(text).split())

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")

    def csrf(self) -> str:
        found = re.search(r'name="csrf" value="([^"]+)"', self.text)
        assert found, "no form with a CSRF token on the page"
        return found[1]


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Browser:
    home: str  # the console's home page
    slack: str  # the stand-in's root, where Slack's sign-in page is
    cookies: http.cookiejar.CookieJar = field(default_factory=http.cookiejar.CookieJar)

    @classmethod
    def of(cls, workspace: SlackWorkspace) -> Browser:
        return cls(workspace.console_url, workspace.standin.root_url)

    def __post_init__(self) -> None:
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirects()
        )

    def url(self, path: str) -> str:
        """``path`` of the console (``/app/...``), or an absolute address."""
        if path.startswith("http"):
            return path
        return urllib.parse.urljoin(self.home, path)

    def get(self, path: str, headers: dict[str, str] | None = None) -> Page:
        return self._send(urllib.request.Request(self.url(path), headers=headers or {}))

    def post(self, path: str, form: dict[str, str]) -> Page:
        data = urllib.parse.urlencode(form).encode()
        return self._send(urllib.request.Request(self.url(path), data=data, method="POST"))

    def post_file(self, path: str, form: dict[str, str], name: str, filename: str, data: bytes):
        """A form with one file (multipart/form-data), as a browser sends it."""
        boundary = "----console-test-boundary"
        field = '--{}\r\nContent-Disposition: form-data; name="{}"\r\n\r\n{}\r\n'
        parts = [field.format(boundary, key, value).encode() for key, value in form.items()]
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: text/csv\r\n\r\n'
        )
        body = b"".join(parts) + head.encode() + data + f"\r\n--{boundary}--\r\n".encode()
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        request = urllib.request.Request(self.url(path), data=body, headers=headers)
        return self._send(request)

    def _send(self, request: urllib.request.Request) -> Page:
        try:
            with self._opener.open(request, timeout=30) as response:
                return Page(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            return Page(error.code, error.headers, error.read())

    def follow(self, page: Page, limit: int = 5) -> Page:
        while page.status in (301, 302, 303, 307, 308) and limit:
            page, limit = self.get(self.url(page.location)), limit - 1
        return page

    def slack_authorize(self, login_as: str, team_as: str | None = None, path: str = "login"):
        """Start signing in: the stand-in's authorize page, answered as ``login_as``;
        returns the address Slack sends the browser back to."""
        to_slack = self.get(path)
        assert to_slack.status == 302, to_slack.status
        assert to_slack.location.startswith(self.slack), to_slack.location
        extra = {"login_as": login_as} | ({"team_as": team_as} if team_as else {})
        back = self.get(to_slack.location + "&" + urllib.parse.urlencode(extra))
        assert back.status == 302, back.text
        return back.location

    def sign_in(self, login_as: str, team_as: str | None = None) -> Page:
        """Sign in as ``login_as``; the page the console shows next."""
        return self.follow(self.get(self.slack_authorize(login_as, team_as)))

    def sign_out(self) -> Page:
        page = self.get("")
        return self.post("logout", {"csrf": page.csrf()})
