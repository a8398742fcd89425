"""The public-page guard: which pages it visits and what it measures on each.

Pages come from the URL configuration, never from a hand list: every pattern under the language
prefix is resolved, its path parameters filled from a small scene of real objects, and requested
once without signing in. By rule, not by name, a pattern is left out when it:

- answers 405 to GET (a POST-only endpoint),
- sends an anonymous visitor to a sign-in page or answers 403 (it needs sign-in),
- answers with something other than an HTML page, or as an attachment (a file download).

Everything else is a public page and is visited in each language.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern
from django.utils import translation
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, ViewportSize

AXE = Path(__file__).with_name("node_modules") / "axe-core" / "axe.min.js"
LANGUAGES = ("vi", "ja", "en")
VIEWPORT: ViewportSize = {"width": 360, "height": 740}
SIGN_IN = {"web:login", "admin:login"}
SKIPPED_NAMESPACES = {"admin"}  # Django's own admin site: staff only, not a public page

# Visible text on Vietnamese and Japanese pages must not carry these.
RULE_ID = re.compile(r"\b[A-Z]{2,}(?:-[A-Z0-9]+){2,}\b")  # VN-SERVICE-FEE-CAP
HASH = re.compile(
    r"(?<![0-9A-Za-z])(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{12,}(?![0-9A-Za-z])"
)
ISO_DATE = re.compile(r"(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)")

# Targets under 24 x 24 CSS px, with the exceptions of WCAG 2.2 SC 2.5.8: inline links in a
# block of text, controls left as the browser draws them, and the spacing exception (a 24 px
# circle centred on the target meets no other target).
TAP_TARGETS_JS = Path(__file__).with_name("tap_targets.js").read_text(encoding="utf-8")

# Primary actions (the submit button of a form in the page's main part) are at least 44 px high.
PRIMARY_JS = Path(__file__).with_name("primary_actions.js").read_text(encoding="utf-8")


# htmx is loaded only by pages that use it (an element with an hx- attribute).
HTMX_JS = """() => ({
  loaded: !!document.querySelector('script[src*="htmx"]'),
  used: [...document.querySelectorAll('*')]
    .some(el => [...el.attributes].some(a => a.name.startsWith('hx-'))),
})"""


# Numbers in SVG geometry written with a decimal comma (36,92) draw nothing.
SVG_COMMA_JS = """() => [...document.querySelectorAll('svg, svg *')].flatMap(el =>
  ['x', 'y', 'x1', 'x2', 'y1', 'y2', 'cx', 'cy', 'r', 'width', 'height', 'viewBox']
    .filter(a => /\\d,\\d/.test(el.getAttribute(a) || ''))
    .map(a => `${el.tagName}[${a}="${el.getAttribute(a)}"]`))"""


@dataclass(frozen=True)
class Failure:
    url_name: str
    language: str
    check: str
    detail: str

    def __str__(self) -> str:
        return f"{self.url_name} [{self.language}] {self.check}: {self.detail}"


@dataclass
class PublicPage:
    url_name: str
    kwargs: dict[str, Any]

    def path(self, language: str) -> str:
        with translation.override(language):
            return reverse(self.url_name, kwargs=self.kwargs)


@dataclass
class Enumeration:
    pages: list[PublicPage] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # url name -> rule
    failures: list[Failure] = field(default_factory=list)


def _patterns(
    entries: list[Any], namespace: str = "", inside_language: bool = False
) -> Iterator[tuple[str, list[str]]]:
    """(qualified name, parameter names) of each named pattern under the language prefix."""
    for entry in entries:
        if isinstance(entry, URLResolver):
            here = inside_language or isinstance(entry.pattern, LocalePrefixPattern)
            prefix = namespace
            if entry.namespace:
                if entry.namespace in SKIPPED_NAMESPACES:
                    continue
                prefix = f"{namespace}{entry.namespace}:"
            yield from _patterns(entry.url_patterns, prefix, here)
        elif isinstance(entry, URLPattern) and inside_language and entry.name:
            pattern = entry.pattern
            if isinstance(pattern, RoutePattern):
                params = list(pattern.converters)
            elif isinstance(pattern, RegexPattern):
                params = list(pattern.regex.groupindex)
            else:
                params = []
            yield f"{namespace}{entry.name}", params


DUMMY = {"int": 1, "slug": "x", "str": "x", "kind": "csv"}


def _classify(client: Client, path: str) -> str:
    """'page', or the rule that leaves the pattern out, or 'missing' for a 404."""
    response = client.get(path)
    if response.status_code == 405:
        return "POST-only"
    if response.status_code == 403:
        return "needs sign-in"
    if response.status_code in (301, 302, 303, 307, 308):
        target = urlsplit(response["Location"]).path
        try:
            match = resolve(target)
        except Resolver404:
            return "page"
        return "needs sign-in" if match.view_name in SIGN_IN else "page"
    if response.status_code == 404:
        return "missing"
    content_type = response.get("Content-Type", "")
    if not content_type.startswith("text/html") or "attachment" in response.get(
        "Content-Disposition", ""
    ):
        return "file download"
    return "page"


def enumerate_public_pages(scene: dict[str, dict[str, Any]]) -> Enumeration:
    """Every public page of the URL configuration, its parameters taken from ``scene``."""
    client = Client()
    found = Enumeration()
    for name, params in _patterns(get_resolver().url_patterns):
        if params and name not in scene:
            kwargs: dict[str, Any] = {p: DUMMY["int"] if p == "pk" else "x" for p in params}
        else:
            kwargs = dict(scene.get(name, {}))
        with translation.override("vi"):
            try:
                path = reverse(name, kwargs=kwargs)
            except Exception as error:  # a parameter the dummy values cannot fill
                found.failures.append(Failure(name, "-", "enumeration", f"cannot build: {error}"))
                continue
        verdict = _classify(client, path)
        if verdict == "page":
            found.pages.append(PublicPage(name, kwargs))
        elif verdict == "missing":
            reason = "no object for it in the scene" if params else "404 without parameters"
            found.failures.append(Failure(name, "-", "enumeration", f"{path}: {reason}"))
        else:
            found.skipped[name] = verdict
    return found


@dataclass
class Measure:
    weight: int = 0
    width: int = 0
    axe: dict[str, int] = field(default_factory=dict)
    axe_rules: list[str] = field(default_factory=list)


def _visible_text(page: Page) -> str:
    return str(page.evaluate("document.body.innerText"))


def axe_violations(page: Page) -> list[dict[str, Any]]:
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,"
        " target: String(v.nodes[0] && v.nodes[0].target)}))"
    )
    return list(result)


def visit(
    context: BrowserContext, base: str, page_spec: PublicPage, language: str
) -> tuple[list[Failure], Measure]:
    """Open one page on a cold cache and run every check on it."""
    name = page_spec.url_name
    failures: list[Failure] = []
    console: list[str] = []
    page = context.new_page()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            console.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: console.append(f"page error: {error}"))
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    sizes: list[int] = []
    cdp.on("Network.loadingFinished", lambda event: sizes.append(int(event["encodedDataLength"])))
    measure = Measure()
    try:
        page.goto(base + page_spec.path(language), wait_until="load")
        measure.weight = sum(sizes)
        measure.width = int(page.evaluate("document.documentElement.scrollWidth"))
        if measure.width > VIEWPORT["width"]:
            failures.append(Failure(name, language, "overflow", f"{measure.width}px wide"))
        for violation in axe_violations(page):
            impact = str(violation["impact"])
            measure.axe[impact] = measure.axe.get(impact, 0) + 1
            measure.axe_rules.append(f"{violation['id']} ({impact})")
            if impact in ("serious", "critical"):
                failures.append(
                    Failure(
                        name,
                        language,
                        "axe",
                        f"{violation['id']} ({impact}, {violation['nodes']} nodes,"
                        f" e.g. {violation['target']})",
                    )
                )
        htmx = page.evaluate(HTMX_JS)
        if htmx["loaded"] != htmx["used"]:
            failures.append(
                Failure(
                    name,
                    language,
                    "htmx",
                    "loaded but unused" if htmx["loaded"] else "used but not loaded",
                )
            )
        commas = list(page.evaluate(SVG_COMMA_JS))
        if commas:
            failures.append(Failure(name, language, "svg-number", "; ".join(commas[:5])))
        small = list(page.evaluate(TAP_TARGETS_JS))
        if small:
            failures.append(Failure(name, language, "tap-target", "; ".join(small[:5])))
        low = list(page.evaluate(PRIMARY_JS))
        if low:
            failures.append(Failure(name, language, "primary-action", "; ".join(low[:5])))
        if language in ("vi", "ja"):
            text = _visible_text(page)
            for check, pattern in (("rule-id", RULE_ID), ("hash", HASH), ("iso-date", ISO_DATE)):
                hits = sorted(set(pattern.findall(text)))
                if hits:
                    failures.append(Failure(name, language, check, ", ".join(hits[:5])))
    finally:
        cdp.detach()
        page.close()
    for message in console:
        failures.append(Failure(name, language, "console", message[:200]))
    return failures, measure


def write_report(path: Path, rows: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(rows, indent=1, ensure_ascii=False), encoding="utf-8")


def report_path() -> Path:
    return Path(settings.BASE_DIR) / "var" / "e2e-public-pages.json"
