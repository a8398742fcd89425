"""`fairpassage check-fees`: JSON out; bad input exits 2 with one line naming the field."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from fairpassage.cli import main


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def test_file_and_stdin_give_the_same_report(
    example: dict[str, Any],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(example), "utf-8")
    status, from_file, _err = run(["check-fees", str(path)], capsys)
    assert status == 0
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(example)))
    status, from_stdin, _err = run(["check-fees", "-"], capsys)
    assert status == 0
    assert json.loads(from_file) == json.loads(from_stdin)
    assert json.loads(from_file)["summary"]["excess_vnd"] > 0
    assert "Vượt" in from_file or "vượt" in from_file  # Vietnamese by default


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ('{"programme": "titp"}', "contract_months"),
        ("[]", "(input)"),
        ("{not json", "(input)"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    text: str, field: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text, "utf-8")
    status, out, err = run(["--lang", "en", "check-fees", str(path)], capsys)
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1
    assert field in err


def test_missing_file_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    status, _out, err = run(["check-fees", "/nonexistent/case.json"], capsys)
    assert status == 2
    assert "case.json" in err and err.count("\n") == 1


def test_report_language_option(
    example: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(example), "utf-8")
    _status, out, _err = run(["check-fees", str(path), "--lang", "ja"], capsys)
    messages = " ".join(f["message"] for f in json.loads(out)["findings"])
    assert any("\u3040" <= ch <= "\u30ff" for ch in messages)
