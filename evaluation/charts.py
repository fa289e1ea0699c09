"""Charts for the programme team: bulletin participation and the teams' mood, as PNG or SVG.

Pure functions of the figures they draw: no database, no clock. The same data always gives
the same bytes (fixed size and resolution, no software or date metadata, a fixed SVG hash
salt), so a snapshot can be compared and published as it is. Colours come from the
Okabe-Ito palette, which stays distinct for the common colour-vision deficiencies; faces of
the mood scale are written as words, since emoji fonts are rarely installed on servers.

Weeks come as ISO keys (``2026-W10``) and are labelled by their Monday ("2 mars"). A chart
fits the width of an A4 page whatever the cohort's length: columns narrow as weeks are added,
and labels, always horizontal, skip weeks when they would not fit. PNGs are drawn at twice
the resolution of a screen, sharp on high-density displays and in print.
"""

from __future__ import annotations

import functools
import io
import math
from collections.abc import Callable, Sequence
from typing import ParamSpec, TypeVar

import matplotlib

matplotlib.use("Agg")  # no display: charts are files

from babel.numbers import format_decimal  # noqa: E402
from matplotlib import pyplot as plt  # noqa: E402
from matplotlib.colors import BoundaryNorm, ListedColormap  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from bulletins.cycle.export import MOOD_LABELS  # noqa: E402
from bulletins.dates import week_start  # noqa: E402
from bulletins.i18n import gettext  # noqa: E402

DPI = 200  # 2× a screen's 100 dpi: figure sizes below are in inches
PAGE_WIDTH = 7.2  # inches: an A4 page less its margins
NAMES_WIDTH = 2.4  # inches kept left of the grid for the teams' names
COLUMN_WIDTH = 0.6  # inches a week at most: room for its label
LABEL_WIDTH = 0.55  # inches an 8-point label such as "30 sept." needs
SVG_SALT = "bulletins"  # SVG element ids derive from it: fixed, so the output is too
NAME_CHARS = 32  # longer team names are cut, so 50 teams stay readable


def _(message: str) -> str:
    """Mark ``message`` for extraction; it is translated where it is drawn."""
    return message


# Status → (colour, legend label): Okabe-Ito blue, sky blue, yellow, vermillion.
STATUS_STYLE = {
    "filed": ("#0072B2", _("On time")),
    "late": ("#56B4E9", _("Late")),
    "excused": ("#F0E442", _("Excused")),
    "silent": ("#D55E00", _("Silent")),
    "waiting": ("#FFFFFF", _("Not due yet")),
    None: ("#E5E5E5", _("Not in the programme")),
}
_CODES = {status: code for code, status in enumerate(STATUS_STYLE)}
_RC = {"font.family": "DejaVu Sans", "svg.hashsalt": SVG_SALT, "svg.fonttype": "path"}


P = ParamSpec("P")
R = TypeVar("R")


def _styled(draw: Callable[P, R]) -> Callable[P, R]:
    """Draw with the fixed style, whatever the local matplotlibrc says."""

    @functools.wraps(draw)
    def styled(*args: P.args, **kwargs: P.kwargs) -> R:
        with plt.rc_context(_RC):
            return draw(*args, **kwargs)

    return styled


def _short(name: str) -> str:
    return name if len(name) <= NAME_CHARS else name[: NAME_CHARS - 1] + "…"


def _column_width(weeks: int, reserved: float) -> float:
    return min(COLUMN_WIDTH, (PAGE_WIDTH - reserved) / max(weeks, 4))


def _heatmap_size(teams: int, weeks: int) -> tuple[float, float]:
    """Inches: rows of a quarter inch (enough for 8-point names), the width of a page at most."""
    width = NAMES_WIDTH + 0.4 + _column_width(weeks, NAMES_WIDTH + 0.4) * max(weeks, 4)
    return width, 1.8 + 0.26 * max(teams, 1)


def _week_ticks(weeks: Sequence[str], column: float, locale: str) -> tuple[list[int], list[str]]:
    """Which weeks get a label, and the labels: every week when they fit side by side,
    otherwise every second, fourth… week, always the first."""
    step = max(1, math.ceil(LABEL_WIDTH / column))
    shown = list(range(0, len(weeks), step))
    return shown, [week_start(weeks[j], locale, "d MMM") for j in shown]


@_styled
def heatmap_figure(
    teams: Sequence[str],
    weeks: Sequence[str],
    statuses: Sequence[Sequence[str | None]],
    locale: str = "fr",
    title: str | None = None,
) -> Figure:
    """A team × week grid: ``statuses[i][j]`` is team i's status in week j ("filed",
    "late", "excused", "silent", "waiting", or None when the team was not active)."""
    codes = [[_CODES[str(s) if s is not None else None] for s in row] for row in statuses]
    colours = [colour for colour, _ in STATUS_STYLE.values()]
    fig = Figure(figsize=_heatmap_size(len(teams), len(weeks)), dpi=DPI, layout="constrained")
    ax = fig.add_subplot()
    norm = BoundaryNorm([c - 0.5 for c in range(len(colours) + 1)], len(colours))
    ax.pcolormesh(
        codes or [[_CODES[None]]],
        cmap=ListedColormap(colours),
        norm=norm,
        edgecolors="white",
        linewidth=1.5,
    )
    shown, labels = _week_ticks(weeks, _column_width(len(weeks), NAMES_WIDTH + 0.4), locale)
    ax.set_xticks([j + 0.5 for j in shown], labels, fontsize=8)
    ax.set_yticks([i + 0.5 for i in range(len(teams))], [_short(t) for t in teams])
    ax.tick_params(axis="y", labelsize=8 if len(teams) > 25 else 9, length=0)
    ax.tick_params(axis="x", length=0)
    ax.invert_yaxis()  # the first team on top, as in the list of the message
    ax.set_frame_on(False)
    used = {s for row in codes for s in row}
    handles = [
        Patch(facecolor=colour, edgecolor="#999999", label=gettext(locale, label))
        for status, (colour, label) in STATUS_STYLE.items()
        if _CODES[status] in used or status in ("filed", "late", "excused", "silent")
    ]
    fig.legend(handles=handles, loc="outside lower center", ncols=3, fontsize=8, frameon=False)
    if title:
        ax.set_title(title, fontsize=11, loc="left")
    return fig


@_styled
def mood_figure(
    weeks: Sequence[str],
    means: Sequence[float | None],
    locale: str = "fr",
    title: str | None = None,
) -> Figure:
    """The mean mood of each week's bulletins (1 to 4), a gap where no bulletin came."""
    column = _column_width(len(weeks), 1.6)
    fig = Figure(figsize=(1.6 + column * max(len(weeks), 4), 3.6), dpi=DPI, layout="constrained")
    ax = fig.add_subplot()
    xs = list(range(len(weeks)))
    ys = [math.nan if m is None else m for m in means]
    ax.plot(xs, ys, color="#0072B2", marker="o", linewidth=2)
    if column >= LABEL_WIDTH * 0.75:  # a figure over each point, where they do not overlap
        for x, y in zip(xs, ys, strict=True):
            if not math.isnan(y):
                text = format_decimal(y, "0.0", locale=locale)
                ax.annotate(text, (x, y), textcoords="offset points", xytext=(0, 7),
                            ha="center", fontsize=8)  # fmt: skip
    ax.set_ylim(0.7, 4.4)
    ax.set_yticks([1, 2, 3, 4], [gettext(locale, MOOD_LABELS[n]) for n in (1, 2, 3, 4)])
    shown, labels = _week_ticks(weeks, column, locale)
    ax.set_xticks(shown, labels, fontsize=8)
    ax.set_xlim(-0.5, max(len(weeks), 1) - 0.5)
    ax.grid(axis="y", color="#DDDDDD", linewidth=0.8)
    ax.spines[["top", "right"]].set_visible(False)
    if title:
        ax.set_title(title, fontsize=11, loc="left")
    return fig


@_styled
def to_png(fig: Figure) -> bytes:
    """The figure as PNG bytes, the same for the same figure (no software tag, no time)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


@_styled
def to_svg(fig: Figure) -> bytes:
    """The figure as SVG bytes (UTF-8), the same for the same figure (no date, fixed ids)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def heatmap_png(
    teams: Sequence[str],
    weeks: Sequence[str],
    statuses: Sequence[Sequence[str | None]],
    locale: str = "fr",
    title: str | None = None,
) -> bytes:
    return to_png(heatmap_figure(teams, weeks, statuses, locale, title))


def heatmap_svg(
    teams: Sequence[str],
    weeks: Sequence[str],
    statuses: Sequence[Sequence[str | None]],
    locale: str = "fr",
    title: str | None = None,
) -> bytes:
    return to_svg(heatmap_figure(teams, weeks, statuses, locale, title))


def mood_png(
    weeks: Sequence[str], means: Sequence[float | None], locale: str = "fr", title: str = ""
) -> bytes:
    return to_png(mood_figure(weeks, means, locale, title or None))


def mood_svg(
    weeks: Sequence[str], means: Sequence[float | None], locale: str = "fr", title: str = ""
) -> bytes:
    return to_svg(mood_figure(weeks, means, locale, title or None))
