"""An evaluation snapshot as a PDF on A4, the file Slack previews in the staff channel and
the one to print: its title, the line saying when it was generated, the key figures, who
answered, the headline figures, the bulletins' table and charts, each team's section and
the method's limits.

Drawn with fpdf2 from the same view as the HTML and the Markdown
(:mod:`evaluation.snapshot.view`, :mod:`evaluation.snapshot.view_parts`,
:mod:`evaluation.snapshot.view_teams`), with the charts as PNG. Text is set in DejaVu Sans,
which matplotlib ships and which has every French letter; people's text is only ever
drawn as text, and only the http(s) links of facts sheets become links. The document's
dates are those of the snapshot's day, so the same snapshot gives the same bytes but for
the generated line.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC, datetime, time
from pathlib import Path

import matplotlib
from fpdf import FPDF, FontFace
from fpdf.enums import XPos, YPos
from PIL import Image

from evaluation.charts import DPI
from evaluation.snapshot.compose import Snapshot
from evaluation.snapshot.render import Chart, charts
from evaluation.snapshot.view import Table, Words, campaign_tables, headline_blocks
from evaluation.snapshot.view_parts import (
    key_figures,
    limits,
    openness_table,
    participation_table,
    planned_table,
    tools_table,
    topics_table,
)
from evaluation.snapshot.view_teams import TeamBlock, team_blocks

FONT = "DejaVu"
FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}
MARGIN = 15  # mm
LINE = 5  # mm: the height of a line of body text
INK, MUTED, ACCENT = (30, 30, 30), (92, 92, 92), (0, 0, 145)
HEADING_SIZES = {0: 15, 1: 12}  # points, by outline level
LINK_STYLE = FontFace(color=ACCENT, emphasis="UNDERLINE")
MM_PER_INCH = 25.4


class SnapshotDocument(FPDF):
    """An A4 page in DejaVu Sans, numbered at its foot."""

    def __init__(self, footer: str):
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.footer_text = footer
        for style, name in FONT_FILES.items():
            self.add_font(FONT, style, FONTS / name)
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN)
        self.set_text_color(*INK)
        self.set_font(FONT, size=10)

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font(FONT, size=8)
        self.set_text_color(*MUTED)
        self.cell(0, 4, f"{self.footer_text} · {self.page_no()}/{{nb}}", align="C")
        self.set_text_color(*INK)

    def heading(self, text: str, level: int = 0) -> None:
        """A heading kept with what follows it, and an entry of the outline."""
        if self.will_page_break(30):
            self.add_page()
        self.ln(4 if level else 6)
        self.start_section(text, level)
        self.set_font(FONT, "B", HEADING_SIZES[level])
        self.multi_cell(0, 7, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, size=10)
        self.ln(1)

    def paragraph(self, text: str, style: str = "", colour: tuple[int, int, int] = INK) -> None:
        self.set_font(FONT, style, 10)
        self.set_text_color(*colour)
        self.multi_cell(0, LINE, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*INK)
        self.set_font(FONT, size=10)
        self.ln(1.5)

    def grid(
        self,
        rows: Sequence[Sequence[str | tuple[str, str | None]]],
        widths: Sequence[float] | None = None,
        headings: bool = True,
        caption: str = "",
    ) -> None:
        """A table; a cell given as (text, address) is a link when it has an address."""
        if caption:
            self.paragraph(caption, "I", MUTED)
        self.set_font(FONT, size=9)
        with self.table(
            col_widths=widths,
            first_row_as_headings=headings,
            text_align="LEFT",
            borders_layout="HORIZONTAL_LINES",
            line_height=4.5,
            width=self.epw,
        ) as table:
            for cells in rows:
                row = table.row()
                for cell in cells:
                    if isinstance(cell, tuple):
                        text, address = cell
                        style = LINK_STYLE if address else None
                        row.cell(text, style=style, link=address)
                    else:
                        row.cell(cell)
        self.set_font(FONT, size=10)
        self.ln(3)

    def chart(self, chart: Chart) -> None:
        """A chart at its drawn size, smaller when the page cannot hold it, then its title."""
        with Image.open(io.BytesIO(chart.image)) as image:
            width, height = (pixels / DPI * MM_PER_INCH for pixels in image.size)
        scale = min(1.0, self.epw / width, (self.eph - 2 * LINE) / height)
        width, height = width * scale, height * scale
        if self.will_page_break(height + LINE):
            self.add_page()
        self.image(
            io.BytesIO(chart.image), x=self.l_margin, w=width, h=height,
            title=chart.title, alt_text=chart.alt,
        )  # fmt: skip
        self.paragraph(f"{chart.title}. {chart.alt}", "I", MUTED)


def table_rows(table: Table) -> list[list[str]]:
    return [table.header, *table.rows]


def render_pdf(snapshot: Snapshot, generated: str | None = None) -> bytes:
    """The snapshot as PDF bytes, in its language."""
    _ = Words(snapshot.locale, snapshot.k)
    title = _("Evaluation snapshot: %(cohort)s", cohort=snapshot.cohort)
    pdf = SnapshotDocument(f"{title} — {_.day(snapshot.as_of)}")
    pdf.set_creation_date(datetime.combine(snapshot.as_of, time(0, 0), tzinfo=UTC))
    pdf.set_title(title)
    pdf.set_author(snapshot.programme)
    pdf.set_lang(snapshot.locale)
    pdf.add_page()
    _opening(pdf, snapshot, title, generated, _)
    _questionnaires(pdf, snapshot, _)
    _facts(pdf, snapshot, _)
    _bulletins(pdf, snapshot, _)
    pdf.heading(_("Team by team"))
    for block in team_blocks(snapshot, _):
        _team(pdf, block, _)
    pdf.heading(_("Limits of the method"))
    for limit in limits(snapshot, _):
        pdf.paragraph(f"• {limit}")
    return bytes(pdf.output())


def _opening(
    pdf: SnapshotDocument, snapshot: Snapshot, title: str, generated: str | None, _: Words
) -> None:
    pdf.set_font(FONT, "B", 20)
    pdf.multi_cell(0, 9, title, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    if snapshot.cohort_ends:
        span = _(
            "As of %(day)s; the cohort runs from %(start)s to %(end)s.",
            day=_.day(snapshot.as_of),
            start=_.day(snapshot.cohort_starts),
            end=_.day(snapshot.cohort_ends),
        )
    else:
        span = _(
            "As of %(day)s; the cohort started on %(start)s.",
            day=_.day(snapshot.as_of),
            start=_.day(snapshot.cohort_starts),
        )
    pdf.paragraph(f"{snapshot.programme}. {span}", colour=MUTED)
    if generated:
        pdf.paragraph(generated, colour=MUTED)
    pdf.heading(_("Key figures"))
    pdf.grid(key_figures(snapshot, _), widths=(3, 2), headings=False)


def _questionnaires(pdf: SnapshotDocument, snapshot: Snapshot, _: Words) -> None:
    pdf.heading(_("Who was asked, who answered"))
    tables = campaign_tables(snapshot, _)
    if not tables:
        pdf.paragraph(_("No end-of-cohort questionnaire had been sent by then."))
    for table in tables:
        pdf.grid(table_rows(table), caption=table.caption)
    pdf.heading(_("What the questionnaires say"))
    for block in headline_blocks(snapshot, _):
        pdf.heading(block.title, 1)
        if block.definition:
            pdf.paragraph(block.definition, colour=MUTED)
        for table in block.tables:
            pdf.grid(table_rows(table), caption=table.caption)
        for note in block.notes:
            pdf.paragraph(note, "I")


def _facts(pdf: SnapshotDocument, snapshot: Snapshot, _: Words) -> None:
    pdf.heading(_("What the teams built"))
    pdf.paragraph(
        _("Facts declared by the teams, as they stood on %(day)s.", day=_.day(snapshot.as_of))
    )
    pdf.grid(table_rows(tools_table(snapshot, _)), widths=(2, 1, 4))
    planned = planned_table(snapshot, _)
    if planned.rows:
        pdf.heading(_("Tools planned, by date"), 1)
        pdf.grid(table_rows(planned))
    pdf.heading(_("Open code and data, trainings, people hired"), 1)
    pdf.grid(table_rows(openness_table(snapshot, _)), widths=(4, 1, 1))
    topics = topics_table(snapshot, _)
    if topics.rows:
        pdf.heading(_("Training topics"), 1)
        pdf.grid(table_rows(topics), widths=(4, 1))


def _bulletins(pdf: SnapshotDocument, snapshot: Snapshot, _: Words) -> None:
    pdf.heading(_("Weekly bulletins"))
    part = snapshot.participation
    if not part.weeks:
        pdf.paragraph(_("No week of the cohort had reached its deadline by then."))
        return
    pdf.paragraph(
        _(
            "Over %(weeks)s weeks, from the week of %(first)s to that of %(last)s: %(rate)s of "
            "the expected bulletins came, on time or late.",
            weeks=len(part.weeks),
            first=_.day(part.weeks[0].monday),
            last=_.day(part.weeks[-1].monday),
            rate=_.pct(part.total.rate),
        )
    )
    pdf.grid(table_rows(participation_table(snapshot, _)), widths=(4, 1, 1, 1, 1, 1))
    for chart in charts(snapshot, _, "png"):
        pdf.chart(chart)


def _team(pdf: SnapshotDocument, block: TeamBlock, _: Words) -> None:
    pdf.heading(block.title, 1)
    if block.administration:
        pdf.paragraph(block.administration, "I", MUTED)
    rows: list[list[str | tuple[str, str | None]]] = [list(pair) for pair in block.facts]
    for label, links in block.links:
        for index, link in enumerate(links):
            rows.append([label if index == 0 else "", (link.text, link.url)])
    pdf.grid(rows, widths=(2, 3), headings=False)
    pdf.paragraph(f"{block.participation} {block.mood}".strip())
    if block.indicators:
        pdf.grid(table_rows(block.indicators), widths=(3, 1.5, 1.5, 2.5, 1.2))
    else:
        pdf.paragraph(_("No indicator by then."), colour=MUTED)
