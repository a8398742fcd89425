"""`fairpassage guide load|review-flags|search` on the configured database."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from fairpassage.cli import main
from tests.knowledge.conftest import CONTENT

pytestmark = pytest.mark.django_db


def test_load_search_and_flags(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["guide", "load", "--dir", str(CONTENT)]) == 0
    out = capsys.readouterr().out
    assert "created    no-deposit" in out
    assert json.loads(out.strip().splitlines()[-1])["versions"] == 7
    assert main(["guide", "search", "ﾊﾟｽﾎﾟｰﾄ", "--in", "ja"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found[0] == {
        "slug": "keep-your-passport",
        "language": "ja",
        "title": "パスポートは本人が保管します",
    }
    assert main(["guide", "review-flags"]) == 0
    assert json.loads(capsys.readouterr().out) == {"flagged": []}


def test_a_bad_file_exits_2_naming_file_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "deposit.yaml"
    shutil.copy(CONTENT / "deposit.yaml", target)
    target.write_text(target.read_text("utf-8").replace("fees_contracts", "fees"), "utf-8")
    assert main(["guide", "load", "--dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("fairpassage: deposit.yaml: stage: must be one of deciding,")
    assert main(["guide", "load", "--dir", str(tmp_path / "missing")]) == 2
