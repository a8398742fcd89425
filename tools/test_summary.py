"""Print how many tests ran on each database and in the browser, from the JUnit reports."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

NAMES = {
    "junit-sqlite.xml": "SQLite",
    "junit-postgres.xml": "PostgreSQL",
    "junit-e2e.xml": "browser (Chromium)",
}


def main(paths: list[str]) -> int:
    print("== test summary")
    totals = [0, 0, 0]
    for raw in paths:
        path = Path(raw)
        name = NAMES.get(path.name, path.name)
        if not path.exists():
            print(f"  {name:<20} not run")
            continue
        root = ET.parse(path).getroot()  # noqa: S314
        suites = [root] if root.tag == "testsuite" else list(root)
        total = sum(int(s.get("tests", 0)) for s in suites)
        failed = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
        skipped = sum(int(s.get("skipped", 0)) for s in suites)
        print(f"  {name:<20} {total - failed - skipped} passed, {failed} failed, {skipped} skipped")
        totals = [totals[0] + total - failed - skipped, totals[1] + failed, totals[2] + skipped]
    print(f"total: {totals[0]} passed, {totals[1]} failed, {totals[2]} skipped")
    return 1 if totals[1] else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
