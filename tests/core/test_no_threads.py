"""Issue 17, done when: no code path starts a thread or a process for background work outside
the task queue. The source of ``fairpassage/`` is read (its syntax tree, not its text) for any use
of ``threading.Thread``, ``multiprocessing``, ``concurrent.futures`` or ``subprocess.Popen``;
each use must be in the allowed list below, with the reason it is not background work.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "fairpassage"

#: (module path, what it uses) -> why it is allowed.
ALLOWED: dict[tuple[str, str], str] = {
    (
        "fairpassage/core/management/commands/db_worker.py",
        "threading.Thread",
    ): "the task worker's heartbeat and recovery sweep: a side thread of the worker process "
    "that runs no task, only stamps the worker's sign of life",
    (
        "fairpassage/stats/estimators.py",
        "concurrent.futures",
    ): "the bootstrap spreads one computation over cores and waits for it: not background work, "
    "it ends before the call returns",
}

#: Modules whose mere import means processes or pools; names whose use means a thread/process.
MODULES = ("multiprocessing", "concurrent.futures", "concurrent")
NAMES = {("threading", "Thread"), ("subprocess", "Popen"), ("threading", "Timer")}


def uses(tree: ast.AST) -> set[str]:
    """What a module uses of the watched names, as ``module.Name`` or the module."""
    found: set[str] = set()
    aliases: dict[str, str] = {}  # local name -> module it stands for
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in {m.split(".")[0] for m in MODULES}:
                    found.add(_module(alias.name))
                aliases[alias.asname or alias.name.split(".")[0]] = alias.name
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.split(".")[0] in {"multiprocessing", "concurrent"}:
                found.add(_module(node.module))
            for alias in node.names:
                if (node.module, alias.name) in NAMES:
                    found.add(f"{node.module}.{alias.name}")
                if node.module == "concurrent" and alias.name == "futures":
                    found.add("concurrent.futures")
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            module = aliases.get(node.value.id, "")
            if (module, node.attr) in NAMES:
                found.add(f"{module}.{node.attr}")
    return found


def _module(name: str) -> str:
    return "concurrent.futures" if name.startswith("concurrent") else name.split(".")[0]


def scan(root: Path) -> dict[tuple[str, str], int]:
    hits: dict[tuple[str, str], int] = {}
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for use in uses(tree):
            key = (path.relative_to(ROOT).as_posix(), use)
            hits[key] = hits.get(key, 0) + 1
    return hits


def test_no_thread_or_process_is_started_outside_the_allowed_list() -> None:
    hits = scan(SOURCE)
    unexpected = sorted(key for key in hits if key not in ALLOWED)
    assert not unexpected, (
        "background work goes through the task queue (<app>/tasks.py); "
        f"add a reason to ALLOWED only for what is not background work: {unexpected}"
    )


def test_every_allowed_entry_is_still_needed_and_says_why() -> None:
    hits = scan(SOURCE)
    for key, reason in ALLOWED.items():
        assert key in hits, f"{key} no longer uses it: remove it from ALLOWED"
        assert len(reason) > 40


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import threading\nthreading.Thread(target=f).start()", {"threading.Thread"}),
        ("from threading import Thread\nThread(target=f)", {"threading.Thread"}),
        ("import threading as t\nt.Thread(target=f)", {"threading.Thread"}),
        ("import multiprocessing\n", {"multiprocessing"}),
        ("from multiprocessing import Pool\n", {"multiprocessing"}),
        ("from concurrent.futures import ThreadPoolExecutor\n", {"concurrent.futures"}),
        ("from concurrent import futures\n", {"concurrent.futures"}),
        ("import subprocess\nsubprocess.Popen(['x'])", {"subprocess.Popen"}),
        ("import subprocess\nsubprocess.run(['x'])", set()),
        ("import threading\nlock = threading.Lock()", set()),
    ],
)
def test_the_scan_finds_each_way_of_starting_one(source: str, expected: set[str]) -> None:
    assert uses(ast.parse(source)) == expected


def test_the_scan_finds_the_thread_the_batch_audits_ran_in_before_the_queue() -> None:
    """The code this issue replaced: a batch audit started in a thread of the web process."""
    before = (
        "import threading\n"
        "def _in_background(pk):\n"
        "    def work():\n"
        "        batch_audit_process(pk=pk)\n"
        "    threading.Thread(target=work, daemon=True).start()\n"
    )
    assert uses(ast.parse(before)) == {"threading.Thread"}
