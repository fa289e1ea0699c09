"""Bulletins' own Slack test workspace.

``SlackStandIn`` serves a checked, recording stand-in of Slack's Web API on
127.0.0.1; ``SlackDriver`` sends Slack-signed commands, interactions and
events to a running app. Both are used by the tests and by ``bulletins demo``.
"""

from .driver import Response, SlackDriver
from .web_api import Call, SlackStandIn, UploadedFile

__all__ = ["Call", "Response", "SlackDriver", "SlackStandIn", "UploadedFile"]
