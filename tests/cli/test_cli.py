"""The `fairpassage` command: setup is repeatable, bad input exits 2 with one line."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from fairpassage.cli import main
from fairpassage.core.models import ApiToken, Membership, Organisation, Role, User
from fairpassage.reference.models import Prefecture


@pytest.mark.django_db
def test_setup_twice_creates_the_demo_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with override_settings(VAR_DIR=tmp_path):
        assert main(["--lang", "en", "setup"]) == 0
        first = capsys.readouterr().out
        counts = (
            Organisation.objects.count(),
            User.objects.count(),
            Membership.objects.count(),
            Prefecture.objects.count(),
        )
        assert main(["--lang", "en", "setup"]) == 0
        second = capsys.readouterr().out
    assert counts == (
        Organisation.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        Prefecture.objects.count(),
    )
    assert counts[0] >= 4 and counts[3] == 47
    assert {"VN", "JP"} <= set(Organisation.objects.values_list("country", flat=True))
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    assert User.objects.filter(is_staff=True).exists()
    assert "unchanged" in second and "unchanged" not in first
    # The same passwords are printed each time, and they work.
    assert first.split("Demo accounts")[1] == second.split("Demo accounts")[1]
    username, password = first.split("Demo accounts")[1].splitlines()[1].split()
    assert User.objects.get(username=username).check_password(password)


@pytest.mark.django_db
def test_create_token_for_unknown_user_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "en", "create-token", "nobody"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "username" in err and "nobody" in err


@pytest.mark.django_db
def test_create_token_prints_it_once(capsys: pytest.CaptureFixture[str], member: User) -> None:
    assert main(["create-token", member.username, "--name", "laptop"]) == 0
    token = capsys.readouterr().out.strip()
    assert token.startswith("fp_")
    assert ApiToken.objects.get().name == "laptop"
    assert token not in ApiToken.objects.get().key_hash


def test_generate_key_prints_a_fernet_key(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate-key"]) == 0
    assert len(capsys.readouterr().out.strip()) == 44


def test_openapi_check_detects_drift(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stale = tmp_path / "openapi.json"
    stale.write_text("{}\n")
    assert main(["openapi", "--check", str(stale)]) == 1
    assert "+++ generated" in capsys.readouterr().out
    assert main(["openapi"]) == 0
    stale.write_text(capsys.readouterr().out)
    assert main(["openapi", "--check", str(stale)]) == 0
    assert settings.FAIRPASSAGE_VERSION in stale.read_text()
