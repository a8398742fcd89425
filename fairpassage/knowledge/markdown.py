"""A small, safe Markdown subset for article bodies.

Everything is HTML-escaped first; only then are the supported forms turned into tags:
paragraphs (separated by a blank line), ``## `` and ``### `` headings, ``- `` lists,
``**bold**`` and ``[links](url)``. A link keeps its text but loses its address unless the
address is ``http(s)://``, ``mailto:``, ``tel:`` or a path on this site.
"""

from __future__ import annotations

import re
from html import escape

from django.utils.safestring import SafeString, mark_safe

_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_LINK = re.compile(r"\[([^\[\]]+)\]\(([^()\s]+)\)")
_SAFE_URL = re.compile(r"^(https?://|mailto:|tel:|/(?!/)|#)", re.IGNORECASE)


def _link(match: re.Match[str]) -> str:
    text, url = match.group(1), match.group(2)
    if not _SAFE_URL.match(url):
        return text
    external = url.lower().startswith(("http://", "https://"))
    rel = ' rel="noopener noreferrer"' if external else ""
    return f'<a href="{url}"{rel}>{text}</a>'


def _inline(text: str) -> str:
    """Inline forms of already escaped text."""
    text = _LINK.sub(_link, text)
    return _BOLD.sub(r"<strong>\1</strong>", text)


def _blocks(source: str) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for raw in source.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.rstrip()
        if not line.strip():
            if blocks[-1]:
                blocks.append([])
            continue
        # A heading always stands alone, even without blank lines around it.
        if line.startswith("#"):
            if blocks[-1]:
                blocks.append([])
            blocks[-1].append(line)
            blocks.append([])
            continue
        blocks[-1].append(line)
    return [b for b in blocks if b]


def _is_item(line: str) -> bool:
    return line.lstrip().startswith(("- ", "* "))


def _flush(html: list[str], paragraph: list[str], items: list[str]) -> None:
    if paragraph:
        html.append("<p>" + _inline(" ".join(paragraph)) + "</p>")
        paragraph.clear()
    if items:
        html.append("<ul>" + "".join(f"<li>{_inline(i)}</li>" for i in items) + "</ul>")
        items.clear()


def _render_block(block: list[str], html: list[str]) -> None:
    first = block[0]
    if len(block) == 1 and first.startswith(("## ", "### ")):
        level = 3 if first.startswith("### ") else 2
        html.append(f"<h{level}>{_inline(first[level + 1 :].strip())}</h{level}>")
        return
    paragraph: list[str] = []
    items: list[str] = []
    for line in block:
        if _is_item(line):
            if paragraph:
                _flush(html, paragraph, items)
            items.append(line.lstrip()[2:].strip())
        elif items and line.startswith((" ", "\t")):
            items[-1] += " " + line.strip()  # continuation of the list item
        else:
            if items:
                _flush(html, paragraph, items)
            paragraph.append(line.strip())
    _flush(html, paragraph, items)


def render(source: str) -> SafeString:
    """HTML for ``source``; safe to insert in a page."""
    html: list[str] = []
    for block in _blocks(escape(source, quote=True)):
        _render_block(block, html)
    return mark_safe("\n".join(html))  # noqa: S308 - built from escaped text only


def plain(source: str) -> str:
    """The text without markup (for search and summaries)."""
    text = _LINK.sub(r"\1", source)
    text = text.replace("**", "")
    return re.sub(r"^\s*(#{1,3}|[-*])\s+", "", text, flags=re.MULTILINE)
