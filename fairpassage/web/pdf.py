"""PDF rendering with embedded Noto Sans JP, which covers Vietnamese and Japanese.

The machines that run Fair Passage may have no Japanese font: the font ships in
``fairpassage/web/fonts`` and every PDF embeds it, so no glyph prints as an empty box. Only
``file:`` resources are fetched, so a PDF never reaches the network.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.template.loader import render_to_string

FONTS = Path(__file__).resolve().parent / "fonts"
FONT_FACES = f"""
@font-face {{ font-family: "Fair Passage Sans"; font-weight: 400;
  src: url("{(FONTS / "NotoSansJP_400Regular.ttf").as_uri()}"); }}
@font-face {{ font-family: "Fair Passage Sans"; font-weight: 700;
  src: url("{(FONTS / "NotoSansJP_700Bold.ttf").as_uri()}"); }}
"""


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """Render a template to PDF bytes with the shipped fonts embedded."""
    # WeasyPrint takes about a second to import: it is loaded when the first PDF is made, not
    # when the site starts.
    from weasyprint import CSS, HTML  # noqa: PLC0415
    from weasyprint.text.fonts import FontConfiguration  # noqa: PLC0415
    from weasyprint.urls import URLFetcher  # noqa: PLC0415

    fetcher = URLFetcher(allowed_protocols={"file"}, fail_on_errors=True)
    fonts = FontConfiguration()
    css = CSS(string=FONT_FACES, font_config=fonts, url_fetcher=fetcher)
    html = HTML(
        string=render_to_string(template, context),
        base_url=FONTS.as_uri() + "/",
        url_fetcher=fetcher,
    )
    pdf: bytes = html.write_pdf(stylesheets=[css], font_config=fonts)
    return pdf
