"""`fairpassage tracker seed` and `fairpassage tracker list`."""

from __future__ import annotations

import json

import pytest

from fairpassage.cli import main

pytestmark = pytest.mark.django_db


def test_seed_twice_then_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "en", "tracker", "seed"]) == 0
    assert "2019-07-24-hanoi.yaml: created" in capsys.readouterr().out
    assert main(["--lang", "en", "tracker", "seed"]) == 0
    assert "2019-07-24-hanoi.yaml: unchanged" in capsys.readouterr().out
    assert main(["tracker", "list", "--theme", "returnee_support"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["number"], r["current_status"]) for r in rows] == [("4", "not_started")]


def test_unknown_filter_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tracker", "list", "--status", "finished"]) == 2
    assert "--status" in capsys.readouterr().err
