"""A statement as a PDF, with a CJK font embedded: a reader's machine (or a fresh server) may
have no Chinese font, and without one every name and working would print as empty boxes.

The font is a TrueType file (fpdf2 subsets and embeds it): `settings.DAYI_PDF_FONT`, or the
first of the Debian paths below that exists (scripts/setup installs fonts-wqy-microhei)."""

from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import WrapMode
from fpdf.fonts import FontFace

from .calculator import money
from .statements import Statement

KNOWN_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)
FAMILY = "cjk"
HEADINGS = FontFace(emphasis="", fill_color=(230, 236, 245))


@lru_cache(maxsize=4)
def font_path(configured: str = "") -> Path:
    """The font to embed; refused loudly when none is there, rather than a PDF of boxes."""
    if configured:
        path = Path(configured)
        if not path.is_file():
            raise ImproperlyConfigured(f"DAYI_PDF_FONT={configured} does not exist.")
        return path
    for candidate in KNOWN_FONTS:
        if Path(candidate).is_file():
            return Path(candidate)
    raise ImproperlyConfigured(
        "No CJK font for PDF statements: install fonts-wqy-microhei (scripts/setup) or set DAYI_PDF_FONT."
    )


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return money(value)
    return str(value)


class _Document(FPDF):
    def footer(self):
        self.set_y(-12)
        self.set_font(FAMILY, size=7)
        self.cell(0, 6, _("Page %(page)s") % {"page": self.page_no()}, align="C")


def document(statement: Statement) -> bytes:
    pdf = _Document(orientation="landscape", format="A4")
    pdf.set_title(statement.title)
    pdf.set_creator("Dayi 大仪")
    pdf.add_font(FAMILY, fname=str(font_path(settings.DAYI_PDF_FONT)))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font(FAMILY, size=15)
    pdf.multi_cell(0, 8, statement.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, size=9)
    pdf.multi_cell(0, 6, statement.subtitle, new_x="LMARGIN", new_y="NEXT")
    for table in statement.tables:
        pdf.ln(3)
        pdf.set_font(FAMILY, size=11)
        pdf.multi_cell(0, 7, table.title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FAMILY, size=7)
        rows = [list(map(_text, row)) for row in table.rows]
        if not rows:
            pdf.multi_cell(0, 5, _("None."), new_x="LMARGIN", new_y="NEXT")
            continue
        # Chinese has no spaces to break at: wrap by character.
        with pdf.table(
            col_widths=table.widths,
            headings_style=HEADINGS,
            line_height=3.6,
            text_align="LEFT",
            wrapmode=WrapMode.CHAR,
            padding=0.8,
        ) as grid:
            grid.row([str(h) for h in table.header])
            for row in rows:
                grid.row(row)
    if statement.notes:
        pdf.ln(3)
        pdf.set_font(FAMILY, size=9)
        for label, value in statement.notes:
            pdf.multi_cell(0, 5, f"{label}: {value}", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
