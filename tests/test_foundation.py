"""Package-level promises: paths, the CLI's help, a light core, content inside the wheel."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from quizact import paths
from quizact.cli import main
from tests.conftest import REPO


def test_quizact_home_moves_everything(tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZACT_HOME", str(tmp_path))
    assert paths.collection_path() == tmp_path / "collection.sqlite3"
    assert paths.user_packs_dir() == tmp_path / "packs"
    monkeypatch.setenv("QUIZACT_DB", str(tmp_path / "x.db"))
    assert paths.collection_path() == tmp_path / "x.db"
    assert paths.collection_path(tmp_path / "y.db") == tmp_path / "y.db"


def test_default_home_is_the_user_data_dir(monkeypatch):
    import platformdirs

    monkeypatch.delenv("QUIZACT_HOME")
    assert paths.home() == Path(platformdirs.user_data_dir("quizact", appauthor=False))


def test_builtin_packs_found():
    assert paths.builtin_packs(), "no built-in pack found"


def _commands(group: click.Group, prefix=()):
    for name, cmd in group.commands.items():
        yield prefix + (name,), cmd
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, prefix + (name,))


def test_every_command_has_help():
    runner = CliRunner()
    for path, cmd in _commands(main):
        assert cmd.help, f"quizact {' '.join(path)} has no help text"
        result = runner.invoke(main, [*path, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output


def test_python_dash_m():
    out = subprocess.run([sys.executable, "-m", "quizact", "--help"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and "pack" in out.stdout


def test_core_imports_stay_light():
    code = (
        "import sys, quizact.packs.loader, quizact.packs.check, quizact.cli, quizact.paths\n"
        "heavy = [m for m in ('textual', 'sympy', 'numpy') if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=REPO)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""


#: the front-ends: everything else in the package is the core
FRONT_ENDS = ("quizact.tui", "quizact.cli", "quizact.launch", "quizact.__main__")
#: every core module, imported one after another; the first that brings Textual in is named
IMPORT_EVERY_CORE_MODULE = r"""
import importlib, pkgutil, sys
import quizact

front_ends = %r
names = sorted(m.name for m in pkgutil.walk_packages(quizact.__path__, "quizact."))
core = [n for n in names if not any(n == f or n.startswith(f + ".") for f in front_ends)]
imported, culprit = [], None
for name in ["quizact"] + core:
    try:
        importlib.import_module(name)
    except ModuleNotFoundError as e:  # an optional extra (genanki, torch) that is not installed
        if e.name.startswith("quizact"):
            raise
        continue
    imported.append(name)
    if culprit is None and ("textual" in sys.modules or "textual_plotext" in sys.modules):
        culprit = name
print(len(imported), "quizact.grading.card" in imported, "quizact.sitting" in imported, culprit)
print("textual" in sys.modules)
""" % (FRONT_ENDS,)


def test_core_never_imports_textual():
    """Every core module (``pkgutil.walk_packages``: not only the packages' ``__init__``) is
    imported in a fresh process, and Textual is still not loaded."""
    out = subprocess.run([sys.executable, "-c", IMPORT_EVERY_CORE_MODULE], capture_output=True, text=True,
                         timeout=120, cwd=REPO)  # fmt: skip
    assert out.returncode == 0, out.stderr
    counted, listing = out.stdout.splitlines()
    imported, has_card, has_sitting, culprit = counted.split()
    assert int(imported) > 60 and has_card == "True" and has_sitting == "True", counted  # every module, really
    assert culprit == "None", f"{culprit} imports Textual"
    assert listing.strip() == "False"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(REPO)],
        check=True, capture_output=True, timeout=300,
    )
    return next(out.glob("quizact-*.whl"))


def test_wheel_contains_the_packs(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    shipped = sorted(p.relative_to(REPO / "content").as_posix() for p in (REPO / "content").rglob("*.yaml"))
    assert shipped
    for rel in shipped:
        assert f"quizact/_content/{rel}" in names


def test_installed_wheel_finds_packs_from_elsewhere(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target),
                    str(wheel)], check=True, capture_output=True, timeout=300)
    env = {**os.environ, "PYTHONPATH": str(target)}
    code = "import quizact.paths as p; print(p.builtin_content_dir()); print(len(p.builtin_packs()))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60
    )
    assert out.returncode == 0, out.stderr
    where, count = out.stdout.split()
    assert where.startswith(str(target)) and int(count) >= 1


def test_pack_format_doc_covers_every_field():
    import re

    from quizact.nn.spec import NetworkSpec, TrainSpec
    from quizact.packs import models

    doc = (REPO / "docs" / "pack-format.md").read_text()
    code = " ".join(re.findall(r"```.*?```", doc, re.S) + re.findall(r"`[^`\n]+`", doc))
    documented = set(re.findall(r"[A-Za-z_]+", code))
    strict = [m for m in vars(models).values() if isinstance(m, type) and issubclass(m, models.Strict)]
    fields = {f.name for m in strict for f in dataclasses.fields(m)}
    fields |= {*NetworkSpec.model_fields, *TrainSpec.model_fields}
    missing = sorted(f for f in fields if f not in documented)
    assert missing == []
