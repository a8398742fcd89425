"""Home, menu, help directory and grievance form as a worker on a phone meets them (issue 15,
items 8 and 9)."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client

from fairpassage.cases.models import Case
from fairpassage.reference.models import ProvinceEra, VnProvince
from fairpassage.reference.services import reference_data_load
from fairpassage.registry.services import help_directory_load
from fairpassage.registry.templatetags.registry_tags import phone_numbers
from tests.cases.test_pages import FORM, _key

pytestmark = pytest.mark.django_db


def _menu_labels(html: str) -> list[str]:
    nav = html[html.index("<nav") : html.index("</nav>")]
    return [
        re.sub(r"<[^>]+>", "", label).strip() for label in re.findall(r"<a [^>]*>(.*?)</a>", nav)
    ]


@pytest.mark.parametrize("lang", ["vi", "ja", "en"])
def test_every_menu_label_is_distinct(client: Client, lang: str) -> None:
    labels = _menu_labels(client.get(f"/{lang}/").content.decode())
    assert len(labels) >= 10
    assert len(labels) == len(set(labels)), labels


@pytest.mark.parametrize("lang", ["vi", "ja", "en"])
def test_the_menu_folds_away_without_script(client: Client, lang: str) -> None:
    html = client.get(f"/{lang}/").content.decode()
    details = html.index('<details class="menu">')
    assert details < html.index("<nav") < html.index("</details>")
    assert '<details class="menu" open' not in html


def test_home_opens_on_the_three_things_to_do(client: Client) -> None:
    html = client.get("/vi/").content.decode()
    actions = html[html.index('class="main-actions"') :]
    actions = actions[: actions.index("</ul>")]
    hrefs = re.findall(r'href="([^"]+)"', actions)
    assert hrefs == ["/vi/fee-check/", "/vi/agencies/", "/vi/help/"]
    assert actions.count('class="button big') == 3
    # they come right after the title and one sentence, before anything else
    assert html.index("main-actions") < html.index('id="who-workers"')


@pytest.mark.parametrize(
    ("text", "tels"),
    [
        ("(813) 3466-3311; (813) 3466-3313", ["+81334663311", "+81334663313"]),
        ("84-24-3846-3000", ["+842438463000"]),
        ("+84 981 84 84 84", ["+84981848484"]),
        ("0120-250-168", ["0120250168"]),
        ("024.38249517", ["02438249517"]),
        ("110", ["110"]),
        ("", []),
    ],
)
def test_phone_numbers_are_dialled_as_a_phone_needs(text: str, tels: list[str]) -> None:
    assert [p["tel"] for p in phone_numbers(text)] == tels


def test_every_help_number_is_a_tel_link_and_the_urgent_ones_are_buttons(client: Client) -> None:
    help_directory_load(data_dir=settings.FAIRPASSAGE_DATA_DIR)
    html = client.get("/vi/help/").content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    urgent = main[main.index('class="calls"') : main.index("</ul>", main.index('class="calls"'))]
    for number in ("tel:110", "tel:119", "tel:0120250168", "tel:+81334663311"):
        assert f'href="{number}"' in urgent, number
    assert urgent.count('class="call"') >= 7
    # no number outside a link in the directory's telephone fields
    for dd in re.findall(r"<dt>Điện thoại</dt><dd>(.*?)</dd>", main):
        assert re.sub(r"<a [^>]*>[^<]*</a>|\s|·", "", dd) == "", dd


def test_a_former_province_is_accepted_and_mapped(client: Client) -> None:
    reference_data_load(actor=None, data_dir=settings.FAIRPASSAGE_DATA_DIR)
    former = VnProvince.objects.filter(era=ProvinceEra.LEGACY, name__contains="Hà Tây").first()
    former = former or VnProvince.objects.filter(era=ProvinceEra.LEGACY, code="02").get()
    assert former.successor is not None
    html = client.get("/vi/grievance/").content.decode()
    assert f'value="old-{former.code}"' in html
    assert html.count("<option") >= 1 + 34 + 63
    response = client.post(
        "/vi/grievance/",
        {**FORM, "province": f"old-{former.code}", "idempotency_key": _key(client)},
    )
    assert response.status_code == 200
    case = Case.objects.get()
    assert case.province == former.successor


def test_after_an_urgent_grievance_the_page_says_what_happens_next(client: Client) -> None:
    response = client.post(
        "/vi/grievance/", {**FORM, "urgent": "on", "idempotency_key": _key(client)}
    )
    html = response.content.decode()
    steps = html[html.index('class="next-steps"') :]
    assert steps.count("<li>") == 3
    assert html.index("tel:") < html.index('class="next-steps"')
    calm = client.post("/vi/grievance/", {**FORM, "idempotency_key": _key(client)})
    assert 'class="next-steps"' not in calm.content.decode()
