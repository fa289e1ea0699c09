"""The Slack app's manifest (``manifest.yml``): the bot scopes the app is built to have."""

from __future__ import annotations

from pathlib import Path

import yaml

from bulletins.errors import BulletinsError

FILE = "manifest.yml"
# Where a clone of the repository keeps it, beside the packages.
SHIPPED = Path(__file__).resolve().parents[1] / FILE


def find_manifest(explicit: str | Path | None = None) -> Path | None:
    """``explicit``, else ``./manifest.yml``, else the repository's, if there is one."""
    if explicit:
        return Path(explicit)
    return next((path for path in (Path(FILE), SHIPPED) if path.is_file()), None)


def bot_scopes(path: Path) -> set[str]:
    """The bot scopes ``path`` asks for (``oauth_config.scopes.bot``)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise BulletinsError(f"{path}: cannot be read: {error.strerror or error}") from None
    except yaml.YAMLError as error:
        raise BulletinsError(f"{path}: not valid YAML: {error}") from None
    scopes = (((data or {}).get("oauth_config") or {}).get("scopes") or {}).get("bot")
    if not isinstance(scopes, list) or not all(isinstance(s, str) for s in scopes):
        raise BulletinsError(f"{path}: oauth_config.scopes.bot is not a list of scopes")
    return set(scopes)
