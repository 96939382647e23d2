"""Importing the grading modules pulls in neither sympy nor NumPy (start-up budget)."""

from __future__ import annotations

import subprocess
import sys

MODULES = ["expr", "lexer", "render", "equivalence", "automistakes", "symbolic", "worker"]


def test_grading_imports_are_light():
    code = (
        "import sys\n"
        + "".join(f"import quizact.grading.{m}\n" for m in MODULES)
        + "heavy = [m for m in ('sympy', 'numpy') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
