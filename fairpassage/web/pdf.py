"""PDF rendering with embedded Noto Sans JP, which covers Vietnamese and Japanese.

The machines that run Fair Passage may have no Japanese font: the font ships in
``fairpassage/web/fonts`` and every PDF embeds it, so no glyph prints as an empty box.
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
    """Render a template to PDF bytes; only the shipped fonts and no network are used."""
    # WeasyPrint takes about a second to import: it is loaded when the first PDF is made, not
    # when the site starts.
    from weasyprint import CSS, HTML  # noqa: PLC0415

    html = render_to_string(template, context)
    pdf: bytes = HTML(string=html, base_url=str(FONTS), url_fetcher=_local_only).write_pdf(
        stylesheets=[CSS(string=FONT_FACES)]
    )
    return pdf


def _local_only(url: str, timeout: int = 10, ssl_context: Any = None) -> dict[str, Any]:
    """Fetch only the shipped fonts; a PDF never reaches the network."""
    if not url.startswith(FONTS.as_uri()):
        raise ValueError(f"PDF resources must be local fonts, not {url}")
    path = Path(url.removeprefix("file://"))
    return {"file_obj": path.open("rb"), "mime_type": "font/ttf"}
