"""The charts: PNG and SVG, readable sizes, the same bytes for the same data."""

from __future__ import annotations

import struct

import pytest

from evaluation import charts

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
WEEKS = ["2026-W10", "2026-W11", "2026-W12", "2026-W13"]
CYCLE = ["filed", "late", "excused", "silent", None]


def grid(teams: int) -> tuple[list[str], list[list[str | None]]]:
    names = [f"Défi {n:02d} · un nom de défi assez long pour être coupé" for n in range(teams)]
    rows = [[CYCLE[(t + w) % len(CYCLE)] for w in range(len(WEEKS))] for t in range(teams)]
    return names, rows


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the PNG's IHDR chunk."""
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("teams", [15, 50])
def test_the_heatmap_is_a_png_tall_enough_for_every_team(teams):
    names, rows = grid(teams)
    data = charts.heatmap_png(names, WEEKS, rows, "fr", "Participation, mars 2026")
    assert data.startswith(PNG_SIGNATURE)
    width, height = png_size(data)
    assert 400 <= width <= 1200
    assert height >= teams * 20  # at least 20 pixels a row: 8-point names stay legible


def test_the_heatmap_is_the_same_bytes_for_the_same_data():
    names, rows = grid(15)
    assert charts.heatmap_png(names, WEEKS, rows) == charts.heatmap_png(names, WEEKS, rows)
    other = [list(row) for row in rows]
    other[0][0] = "silent" if other[0][0] != "silent" else "filed"
    assert charts.heatmap_png(names, WEEKS, other) != charts.heatmap_png(names, WEEKS, rows)


def test_the_svg_variants_are_deterministic_and_dateless():
    names, rows = grid(15)
    first, second = charts.heatmap_svg(names, WEEKS, rows), charts.heatmap_svg(names, WEEKS, rows)
    assert first == second and first.lstrip().startswith(b"<?xml")
    assert b"<dc:date>" not in first
    means = [3.2, None, 2.5, 3.75]
    assert charts.mood_svg(WEEKS, means, "en") == charts.mood_svg(WEEKS, means, "en")


def test_the_mood_trend_is_a_deterministic_png_and_tolerates_empty_weeks():
    means = [3.2, None, 2.5, 3.75]
    data = charts.mood_png(WEEKS, means, "fr", "Humeur")
    assert data.startswith(PNG_SIGNATURE) and data == charts.mood_png(WEEKS, means, "fr", "Humeur")
    assert charts.mood_png(WEEKS, [None] * 4).startswith(PNG_SIGNATURE)


def test_png_carries_no_software_tag():
    names, rows = grid(3)
    assert b"matplotlib" not in charts.heatmap_png(names, WEEKS, rows).lower()


def test_legend_and_faces_are_translated_words():
    names, rows = grid(5)
    svg = charts.to_svg(charts.heatmap_figure(names, WEEKS, rows, "en"))
    # Text is drawn as paths; the labels travel as comments beside them.
    for label in ("On time", "Late", "Excused", "Silent"):
        assert label.encode() in svg
    mood = charts.to_svg(charts.mood_figure(WEEKS, [1.0, 2.0, 3.0, 4.0], "fr"))
    for face in ("Difficile", "Mitigée", "Bonne", "Excellente"):
        assert face.encode() in mood


def test_weeks_are_labelled_by_their_monday_in_the_reader_s_language():
    names, rows = grid(3)
    svg = charts.to_svg(charts.heatmap_figure(names, WEEKS, rows, "fr"))
    assert b"2 mars" in svg and b"23 mars" in svg
    assert b"2026-W10" not in svg
    mood = charts.to_svg(charts.mood_figure(WEEKS, [3.25, None, 2.5, 3.75], "en"))
    assert b"9 Mar" in mood and b"W11" not in mood


def test_the_mood_figures_have_decimal_commas_in_french():
    fr = charts.to_svg(charts.mood_figure(WEEKS, [3.25, None, 2.5, 3.75], "fr"))
    # Text is drawn as paths, each with its words in a comment.
    assert b"<!-- 2,5 -->" in fr and b"<!-- 2.5 -->" not in fr
    en = charts.to_svg(charts.mood_figure(WEEKS, [3.25, None, 2.5, 3.75], "en"))
    assert b"<!-- 2.5 -->" in en


def test_a_forty_week_cohort_fits_an_a4_page_at_twice_a_screen_s_resolution():
    weeks = [f"2026-W{n:02d}" for n in range(10, 50)]
    names = [f"Défi {n}" for n in range(15)]
    rows = [[CYCLE[(t + w) % len(CYCLE)] for w in range(len(weeks))] for t in range(15)]
    for png in (charts.heatmap_png(names, weeks, rows), charts.mood_png(weeks, [3.0] * 40)):
        width, _ = png_size(png)
        # A4 less its margins is 7.2 inches: 1,440 pixels at 200 dpi, a little slack for
        # the layout engine.
        assert 1000 <= width <= 1500
    svg = charts.to_svg(charts.heatmap_figure(names, weeks, rows, "fr"))
    # Labels skip weeks rather than overlap.
    assert b"<!-- 2 mars -->" in svg and b"<!-- 9 mars -->" not in svg
