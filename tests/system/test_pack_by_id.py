"""``solve`` and ``grade`` take an installed pack's id as well as a path, through the real
CLI (a subprocess, as a pip user runs it, from a folder holding no pack), and every
command's ``--help`` fits 80 columns with nothing cut off."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from quizact.cli import main
from tests.conftest import REPO, SAMPLE


def quizact(*args: str, cwd, home) -> subprocess.CompletedProcess:
    env = {**os.environ, "QUIZACT_HOME": str(home), "PYTHONPATH": str(REPO)}
    env.pop("QUIZACT_DB", None)
    out = subprocess.run([sys.executable, "-m", "quizact", *args], capture_output=True, text=True,
                         timeout=120, env=env, cwd=cwd)  # fmt: skip
    assert "Traceback" not in out.stderr, out.stderr
    return out


@pytest.fixture
def elsewhere(tmp_path):
    """A working folder with no pack in it."""
    path = tmp_path / "work"
    path.mkdir()
    return path


def test_solve_a_built_in_pack_by_id(elsewhere, _isolated_home):
    out = quizact("solve", "nn-foundations", "relu-definition", cwd=elsewhere, home=_isolated_home)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[0] == "relu-definition (recall) · seed 0"
    # the answer as written in content/nn-foundations/cards/relu.yaml
    assert ("answer: ReLU(z) = max(0, z): positive inputs pass unchanged, everything else becomes 0. "
            "Range [0, ∞).") in out.stdout.splitlines()  # fmt: skip


def test_a_seed_replays_the_same_variant_by_id_and_by_path(elsewhere, _isolated_home):
    """The seed stored with a review gives the same numbers whichever way the pack is named."""
    args = ("sparsity-fraction", "--seed", "1234", "--json")
    by_id = quizact("solve", "nn-foundations", *args, cwd=elsewhere, home=_isolated_home)
    by_path = quizact("solve", str(REPO / "content" / "nn-foundations"), *args, cwd=elsewhere, home=_isolated_home)
    assert by_id.returncode == by_path.returncode == 0
    a, b = json.loads(by_id.stdout), json.loads(by_path.stdout)
    assert a == b and a["seed"] == 1234
    z = a["params"]["z"]  # the fraction of the eight ReLU outputs that are zero, counted here
    assert len(z) == 8 and a["answers"] == [sum(v < 0 for v in z) / 8]


def test_grade_a_built_in_pack_by_id(elsewhere, _isolated_home):
    # seed 1234 draws z = 3.8 (solve --seed 1234 prints it): ReLU(3.8) = 3.8, slope 1
    solved = json.loads(quizact("solve", "nn-foundations", "relu-value-and-slope", "--seed", "1234", "--json",
                                cwd=elsewhere, home=_isolated_home).stdout)  # fmt: skip
    assert solved["params"] == {"z": 3.8}
    ok = quizact("grade", "nn-foundations", "relu-value-and-slope", "--seed", "1234",
                 "--answer", "3.8", "--answer", "1", "--json", cwd=elsewhere, home=_isolated_home)  # fmt: skip
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert json.loads(ok.stdout)["status"] == "correct"
    wrong = quizact("grade", "nn-foundations", "relu-value-and-slope", "--seed", "1234",
                    "--answer", "0", "--answer", "0", cwd=elsewhere, home=_isolated_home)  # fmt: skip
    assert wrong.returncode == 1


def test_a_pack_added_by_the_learner_is_found_by_id(elsewhere, _isolated_home, tmp_path):
    db = tmp_path / "c.sqlite3"
    added = quizact("--db", str(db), "pack", "add", str(SAMPLE), cwd=elsewhere, home=_isolated_home)
    assert added.returncode == 0, added.stderr
    out = quizact("grade", "quizact-sample", "sigmoid-derivative", "--answer", "sigmoid(z)*(1-sigmoid(z))",
                  cwd=elsewhere, home=_isolated_home)  # fmt: skip
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.startswith("correct")


def test_a_path_that_exists_wins_over_an_id(elsewhere, _isolated_home):
    """A file named like a built-in pack's id, in the current folder, is the pack used."""
    shutil.copyfile(SAMPLE, elsewhere / "nn-foundations")
    out = quizact("solve", "nn-foundations", "sigmoid-range", cwd=elsewhere, home=_isolated_home)
    assert out.returncode == 0, out.stderr  # a card only the sample pack has
    assert out.stdout.startswith("sigmoid-range (choice)")


def test_an_unknown_pack_is_one_clear_line(elsewhere, _isolated_home):
    out = quizact("solve", "no-such-pack", "x", cwd=elsewhere, home=_isolated_home)
    assert out.returncode == 2
    assert ("Error: Invalid value for 'PACK': no pack file, folder or installed pack named 'no-such-pack' "
            "(installed: nn-foundations)") in out.stderr.splitlines()  # fmt: skip


def test_an_unknown_card_of_a_pack_named_by_id(elsewhere, _isolated_home):
    out = quizact("solve", "nn-foundations", "relu-defnition", cwd=elsewhere, home=_isolated_home)
    assert out.returncode == 1
    assert "no card 'relu-defnition' in pack nn-foundations (did you mean relu-definition," in out.stderr


def _commands(group: click.Group, prefix: tuple[str, ...] = ()):
    yield prefix
    for name, cmd in group.commands.items():
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, (*prefix, name))
        else:
            yield (*prefix, name)


COMMANDS = list(_commands(main))


def test_every_command_is_listed():
    for expected in [("solve",), ("grade",), ("backup",), ("export", "reviews"), ("export", "cards"),
                     ("export", "anki"), ("pack", "add"), ("settings",)]:  # fmt: skip
        assert expected in COMMANDS


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "quizact")
def test_help_fits_80_columns_and_nothing_is_cut(command):
    out = CliRunner().invoke(main, [*command, "--help"], terminal_width=80, prog_name="quizact")
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert max(len(line) for line in lines) <= 80
    cut = [line for line in lines[1:] if line.rstrip().endswith("...")]  # click's cut of a first sentence
    assert not cut
    assert lines[0].startswith("Usage: ")
    assert len(lines) >= 4 and lines[2].strip(), "every command says what it does"


def test_the_command_list_shows_each_first_sentence_whole():
    out = CliRunner().invoke(main, ["--help"], terminal_width=80, prog_name="quizact").output
    flat = " ".join(out.split())
    assert "solve Show a card's variant: its parameters and the expected answer of every step." in flat
    assert "optimize Fit FSRS parameters to your review history (needs quizact[optimizer])." in flat
    # stats prints counts, streak, retention and cards by state; per-day figures only as JSON
    assert "stats Today's counts, streak, retention and cards by state." in flat
    stats = " ".join(CliRunner().invoke(main, ["stats", "--help"], terminal_width=80).output.split())
    assert "--json adds reviews per day and the 30-day forecast." in stats


def test_solve_and_grade_help_say_pack_is_a_path_or_an_id():
    for command in ("solve", "grade"):
        out = CliRunner().invoke(main, [command, "--help"], terminal_width=80, prog_name="quizact").output
        assert f"Usage: quizact {command} [OPTIONS] PACK CARD_ID" in out
        assert "PACK is a pack file or folder, or the id of an installed pack" in " ".join(out.split())


@pytest.mark.parametrize("command, fields", [("reviews", "REVIEW_FIELDS"), ("cards", "CARD_FIELDS")])
def test_export_help_lists_every_column(command, fields):
    import quizact.storage.export as export

    out = CliRunner().invoke(main, ["export", command, "--help"], terminal_width=80).output
    listed = " ".join(out.split()).split("Columns: ", 1)[1].split(" (meanings", 1)[0]
    assert listed.split(", ") == list(getattr(export, fields))
