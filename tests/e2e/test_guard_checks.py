"""The guard's own checks catch what they are meant to catch (on pages made up here)."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext

from tests.e2e import guard

pytestmark = [pytest.mark.e2e]

PAGE = """<!doctype html><html lang="vi"><body><main>
<p>Xem <a href="#a">luật</a> trước khi ký hợp đồng với công ty.</p>
<p><a href="#b" style="display:inline-block;width:40px;height:30px">to</a></p>
<p><button id="tiny" style="width:16px;height:16px;padding:0">x</button>
   <button id="near" style="width:16px;height:16px;padding:0">y</button></p>
<form><button type="submit" style="height:30px">Gửi</button></form>
<svg width="100" height="20"><rect x="0" y="0" width="36,92" height="10"></rect></svg>
<p>Mã VN-SERVICE-FEE-CAP, 4685e93e56d2 ngày 2025-02-10 và 120.000.000 ₫.</p>
</main></body></html>"""


def test_the_checks_find_small_targets_comma_numbers_and_codes(context: BrowserContext) -> None:
    page = context.new_page()
    page.set_content(PAGE)
    small = page.evaluate(guard.TAP_TARGETS_JS)
    assert any('"x"' in item for item in small) and any('"y"' in item for item in small)
    assert not any("luật" in item for item in small)  # an inline link in a sentence is exempt
    assert not any('"to"' in item for item in small)
    assert page.evaluate(guard.PRIMARY_JS) == ["Gửi 30px"]
    assert page.evaluate(guard.SVG_COMMA_JS) == ['rect[width="36,92"]']
    assert page.evaluate(guard.HTMX_JS) == {"loaded": False, "used": False}
    text = str(page.evaluate("document.body.innerText"))
    assert guard.RULE_ID.findall(text) == ["VN-SERVICE-FEE-CAP"]
    assert guard.HASH.findall(text) == ["4685e93e56d2"]
    assert guard.ISO_DATE.findall(text) == ["2025-02-10"]
    page.close()


def test_axe_core_reports_a_serious_violation(context: BrowserContext) -> None:
    page = context.new_page()
    page.set_content(
        '<!doctype html><html lang="vi"><body><main><img src="x.png"></main></body></html>'
    )
    impacts = {v["id"]: v["impact"] for v in guard.axe_violations(page)}
    assert impacts.get("image-alt") == "critical"
    page.close()
