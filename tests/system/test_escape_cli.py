"""Learner and pack text printed by the real ``quizact`` process: controls shown escaped.

Each test runs the command in a subprocess and checks the bytes it wrote: no byte a terminal
would act on (ESC, BEL, CR, NUL, U+009B, U+202E), the visible escape in its place, Rich
markup printed as typed, and a caret still under the character it points at.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import SAMPLE
from tests.hostile import MARKUP, SHOWN, assert_clean, write_pack


def quizact(*args: str, home=None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if home is not None:
        env["QUIZACT_HOME"] = str(home)
        env.pop("QUIZACT_DB", None)
    out = subprocess.run([sys.executable, "-m", "quizact", *args], capture_output=True, timeout=120, env=env)
    assert b"Traceback" not in out.stderr, out.stderr.decode(errors="replace")
    assert_clean(out.stdout)
    assert_clean(out.stderr)
    return out


def text(out: subprocess.CompletedProcess) -> str:
    return (out.stdout + out.stderr).decode()


@pytest.fixture
def hostile(tmp_path):
    return write_pack(tmp_path)


ANSWERS = {  # typed answer → what the reader must see instead
    "osc title": ("\x1b]0;pwned\x07 z", "\\x1b]0;pwned\\x07 z"),
    "clear screen": ("z+\x1b[2J", "z+\\x1b[2J"),
    "c1 csi": ("z*\x9b31m", "z*\\x9b31m"),
    "bidi": ("z\u202e+1", "z\\u202e+1"),
}


@pytest.mark.parametrize("answer, shown", ANSWERS.values(), ids=ANSWERS.keys())
@pytest.mark.parametrize("card", ["sigmoid-derivative", "sigmoid-slope-at-z"])
def test_a_typed_answer_is_echoed_escaped(card, answer, shown):
    out = quizact("grade", str(SAMPLE), card, "--answer", answer)
    assert out.returncode == 3
    assert shown in text(out).splitlines()  # the caret line's text, escaped


CARETS = {  # answer, its escaped form, the column of the caret, the escape it points at
    # the lexer reads CR and VT as spaces, so the error is at ')', after two controls shown
    # as four characters each: ')' is character 11 of 'z\x0d+\x0b)' (column 10)
    "formula": ("sigmoid-derivative", "z\r+\x0b)", "z\\x0d+\\x0b)", 10, ")"),
    # a CR read as a space, then an ESC the lexer refuses: its escape starts at column 4
    "formula at a control": ("sigmoid-derivative", "\r\x1b", "\\x0d\\x1b", 4, "\\x1b"),
    # a number: the CR is refused, its escape starts at column 3 of '[1,\x0d2]'
    "number": ("sigmoid-slope-at-z", "[1,\r2]", "[1,\\x0d2]", 3, "\\x0d"),
}


@pytest.mark.parametrize("card, answer, shown, column, target", CARETS.values(), ids=CARETS.keys())
def test_the_caret_points_under_the_right_character_after_escaping(card, answer, shown, column, target):
    lines = text(quizact("grade", str(SAMPLE), card, "--answer", answer)).splitlines()
    row = lines.index(shown)
    assert lines[row + 1].index("^") == column
    assert shown[column:].startswith(target)


def test_grade_json_carries_no_raw_control(hostile):
    out = quizact("grade", str(hostile), "h-symbolic", "--json", "--answer", "sigmoid(z)")
    data = json.loads(out.stdout)
    assert data["status"] == "incorrect"
    assert data["feedback"].startswith("F-mistake \x1b]0;pwned\x07|")  # the pack's own text, intact
    assert b"\\u009b" in out.stdout and b"\\u202e" in out.stdout  # written as JSON escapes


@pytest.mark.parametrize("card", ["h-recall", "h-choice", "h-symbolic", "h-steps"])
def test_solve_shows_pack_text_escaped(hostile, card):
    out = quizact("solve", str(hostile), card)
    assert out.returncode == 0
    shown = text(out)
    assert f"P-{card[2:]} {SHOWN} {MARKUP}" in shown
    if card == "h-choice":
        assert f"a) O-right {SHOWN} {MARKUP}" in shown
    if card == "h-steps":
        assert f"1. S-one {SHOWN} {MARKUP}: 1  (" in shown  # z1 = W1·x = 0.5·2, then its precision


def test_grade_feedback_from_the_pack_is_escaped(hostile):
    mistake = quizact("grade", str(hostile), "h-symbolic", "--answer", "sigmoid(z)")
    assert mistake.returncode == 1 and f"F-mistake {SHOWN} {MARKUP}" in text(mistake)
    choice = quizact("grade", str(hostile), "h-choice", "--answer", "b")
    assert choice.returncode == 1 and f"F-wrong {SHOWN} {MARKUP}" in text(choice)


def test_a_usage_error_quotes_the_argument_escaped():
    out = quizact("stats", "\x07\r\x9b\u202e")
    assert out.returncode == 2
    assert "(\\x07\\x0d\\x9b\\u202e)" in text(out)


def test_an_unknown_card_id_is_quoted_escaped():
    out = quizact("grade", str(SAMPLE), "x\x1b[2J\u202e", "--answer", "1")
    assert out.returncode == 1 and "no card 'x\\x1b[2J\\u202e'" in text(out)


def test_pack_add_list_and_stats_show_the_pack_name_escaped(tmp_path, hostile):
    home = tmp_path / "home"
    added = quizact("pack", "add", str(hostile), home=home)
    assert added.returncode == 0 and f"(N {SHOWN} {MARKUP}, version 1)" in text(added)
    listed = quizact("pack", "list", home=home)
    assert f"hostile  N {SHOWN} {MARKUP}  v1  4 cards" in listed.stdout.decode().splitlines()
    assert quizact("stats", home=home).returncode == 0


FORGED = """\
pack: forged
name: "forged\\e[2J"
version: 1
cards:
  - id: "a\\nforged.yaml:1: b: forged line\\e[2J"
    kind: recall
    prompt: "p"
    answer: "a"
  - id: "c\\rd\\u202e"
    kind: recall
    prompt: "p"
    answer: "a"
"""


def test_pack_check_prints_exactly_one_line_per_problem(tmp_path):
    path = tmp_path / "evil\x1b[2J\nname.yaml"
    path.write_text(FORGED, encoding="utf-8")
    out = quizact("pack", "check", str(path))
    assert out.returncode == 1
    problems = json.loads(quizact("pack", "check", "--json", str(path)).stdout)["problems"]
    assert len(problems) >= 2  # both card ids are refused
    lines = out.stdout.decode().splitlines()
    assert len(lines) == len(problems)
    prefix = str(tmp_path) + "/evil\\x1b[2J\\x0aname.yaml:"
    assert all(line.startswith(prefix) for line in lines), lines
    assert any("a\\x0aforged.yaml:1: b: forged line\\x1b[2J" in line for line in lines)
    assert out.stderr.decode().splitlines() == [f"{prefix[:-1]}: forged: 0 cards, {len(problems)} problem(s)"]
