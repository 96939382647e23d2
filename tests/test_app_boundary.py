"""The session is the only door: read from the sources (``ast``), no app module imports
storage, scheduling or the other core internals (the names a front-end needs come from
``quizact.front``), and no front-end (the app, the CLI, the launcher) touches a private
attribute of a session (``session._collection``, ``app.session._study``, …).
``lint-imports`` checks the same imports from ``pyproject.toml``; this test runs with
pytest alone and also catches the attribute."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

QUIZACT = Path(__file__).resolve().parents[1] / "quizact"
APP = sorted((QUIZACT / "tui").rglob("*.py"))
FRONT_ENDS = APP + [QUIZACT / "cli.py", QUIZACT / "launch.py"]
#: core packages and modules the app may not import (the session's public modules are
#: quizact.session, .sitting, .front, .reading, .plotdata; and .textsafe, .launch)
INTERNAL = ("quizact.storage", "quizact.scheduling", "quizact.reschedule", "quizact.optimizer", "quizact.grading",
            "quizact.packs", "quizact.nn", "quizact.anki", "quizact.paths", "quizact.records",
            "quizact.kinds")  # fmt: skip


def imported(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, module) of every import, at any depth (inside functions, ``TYPE_CHECKING``)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.lineno, node.module))
            # from quizact import storage
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def is_session(node: ast.AST) -> bool:
    """An expression that names a session: ``session``, ``self.app.session``, ``self._session``,
    ``self.app.wait_session()``."""
    if isinstance(node, ast.Call):
        node = node.func
    name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
    return "session" in name.lower()


def private_uses(tree: ast.AST) -> list[tuple[int, str]]:
    return [(node.lineno, ast.unparse(node)) for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
            and is_session(node.value)]  # fmt: skip


def test_the_sources_are_there():
    assert len(APP) > 20 and QUIZACT / "tui" / "screens" / "review.py" in APP


@pytest.mark.parametrize("path", APP, ids=lambda p: str(p.relative_to(QUIZACT)))
def test_app_module_imports_no_core_internals(path):
    tree = ast.parse(path.read_text(), str(path))
    bad = [(line, name) for line, name in imported(tree)
           if any(name == m or name.startswith(m + ".") for m in INTERNAL)]  # fmt: skip
    assert bad == [], f"{path.name} imports core internals (use quizact.session / quizact.front): {bad}"


@pytest.mark.parametrize("path", FRONT_ENDS, ids=lambda p: str(p.relative_to(QUIZACT)))
def test_front_end_touches_no_private_session_attribute(path):
    tree = ast.parse(path.read_text(), str(path))
    assert private_uses(tree) == [], f"{path.name} reaches past the session"


@pytest.mark.parametrize("source, found", [
    ("session._collection.cards()", ["session._collection"]),
    ("self.app.session._study.bury(p, c, now)", ["self.app.session._study"]),
    ("self.app.wait_session()._collection", ["self.app.wait_session()._collection"]),
    ("self._session.problems", []),  # the app's own attribute holding its session: public use
    ("session.__class__", []),
])  # fmt: skip
def test_the_checker_sees_a_private_use(source, found):
    assert [text for _, text in private_uses(ast.parse(source))] == found


def test_the_checker_sees_an_import_anywhere():
    tree = ast.parse("def f():\n    if x:\n        from quizact.storage.stats import forecast\n"
                     "from quizact import scheduling\n")
    names = [name for _, name in imported(tree)]
    assert "quizact.storage.stats" in names and "quizact.scheduling" in names
