"""Keep the translation catalogues in step with the code.

    python tools/translations.py update   # extract new strings into locale/*/LC_MESSAGES/django.po
    python tools/translations.py check    # fail when a catalogue is stale, untranslated or fuzzy

Vietnamese and Japanese must translate every string; English is the source language, so its
catalogue may leave msgstr empty (the msgid is shown).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
LANGUAGES = ("vi", "ja", "en")
MUST_TRANSLATE = ("vi", "ja")
IGNORE = (".venv", "tests", "var", "staticfiles", "build", "tools", "docs", "data")


def catalogue(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "django.po"


def makemessages() -> None:
    command = [
        sys.executable,
        "manage.py",
        "makemessages",
        "--no-location",
        "--no-obsolete",
        "-v",
        "0",
        *[f"--locale={code}" for code in LANGUAGES],
        *[f"--ignore={pattern}" for pattern in IGNORE],
    ]
    env = {**os.environ, "FAIRPASSAGE_ENV": "test"}
    subprocess.run(command, cwd=ROOT, check=True, env=env)  # noqa: S603


def entries(path: Path) -> set[tuple[str | None, str]]:
    return {(e.msgctxt, e.msgid) for e in polib.pofile(str(path)) if not e.obsolete}


def check() -> int:
    before = {code: catalogue(code).read_bytes() for code in LANGUAGES if catalogue(code).exists()}
    problems: list[str] = []
    missing = [code for code in LANGUAGES if code not in before]
    if missing:
        problems.append(f"missing catalogues: {', '.join(missing)}")
    try:
        committed = {code: entries(catalogue(code)) for code in before}
        makemessages()
        for code in LANGUAGES:
            fresh = entries(catalogue(code))
            new = fresh - committed.get(code, set())
            gone = committed.get(code, set()) - fresh
            if new:
                problems.append(
                    f"{code}: {len(new)} strings in the code are not in the catalogue, "
                    f"e.g. {sorted(m for _c, m in new)[:3]}"
                )
            if gone:
                problems.append(f"{code}: {len(gone)} strings in the catalogue are no longer used")
    finally:
        for code, content in before.items():
            catalogue(code).write_bytes(content)
    for code in MUST_TRANSLATE:
        if code not in before:
            continue
        po = polib.pofile(str(catalogue(code)))
        untranslated = [e.msgid for e in po.untranslated_entries()]
        fuzzy = [e.msgid for e in po.fuzzy_entries()]
        if untranslated:
            problems.append(f"{code}: {len(untranslated)} untranslated, e.g. {untranslated[:3]}")
        if fuzzy:
            problems.append(f"{code}: {len(fuzzy)} fuzzy, e.g. {fuzzy[:3]}")
    if problems:
        print("✗ translations are not up to date ('make makemessages', then translate):")
        for problem in problems:
            print(f"  - {problem}")
        return 1
    counts = ", ".join(f"{code} {len(entries(catalogue(code)))}" for code in LANGUAGES)
    print(f"✓ translation catalogues up to date ({counts} strings)")
    return 0


def main(argv: list[str]) -> int:
    if argv[1:] == ["update"]:
        makemessages()
        return 0
    if argv[1:] == ["check"]:
        return check()
    print(__doc__)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
