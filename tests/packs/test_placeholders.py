"""Placeholders that cannot be filled: ``pack check`` fills every shown text with drawn
variants and reports each one, located; ``solve``, ``grade`` and the app show the card
without a traceback."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from quizact.packcheck import check_pack
from quizact.packs.params import RenderError, render
from tests import inside

PACK = """\
pack: placeholders
name: Placeholders
version: 1
cards:
  - id: bad-spec
    kind: numeric
    prompt: "One SGD step with lr = {lr:.3q}: w = {w}"
    params: {lr: 0.1, w: 2.0}
    answer: w - lr
  - id: bad-explain
    kind: numeric
    prompt: "w = {w}"
    explain: "w is {w:d}"
    params: {w: {uniform: [0.1, 0.9], decimals: 2}}
    answer: w
  - id: bad-option
    kind: choice
    prompt: "pick"
    params: {a: 2}
    options:
      - {text: "a = {a:>999999999}", correct: true}
      - {text: "b", feedback: "b is {a:.99999f}"}
  - id: bad-step
    kind: steps
    prompt: "steps"
    params: {W: [[1, 2], [3, 4]]}
    steps:
      - {prompt: "W = {W[5,5]}", answer: "W[0,0]"}
  - id: bad-symbolic
    kind: symbolic
    prompt: "d/dz of {a} z^2"
    params: {a: 3}
    variables: [z]
    answer: "2*{a:.1j}*z"
    mistakes:
      - {answer: "{a:s}*z", feedback: "the power rule halves nothing"}
  - id: fine
    kind: numeric
    prompt: "w = {w:.2f}, {{literal}}, {w:+08.3f}"
    explain: "{w:.1%}"
    params: {w: 0.5}
    answer: w
"""


@pytest.fixture
def pack_file(tmp_path):
    path = tmp_path / "placeholders.yaml"
    path.write_text(PACK)
    return path


def quizact(*args):
    return subprocess.run([sys.executable, "-m", "quizact", *map(str, args)], capture_output=True, text=True,
                          timeout=120)


def test_pack_check_reports_every_text_that_cannot_be_filled(pack_file):
    _, problems = check_pack(pack_file, variants=5, deep=False)
    got = {(p.line, p.card, p.message) for p in problems}
    assert got == {
        (5, "bad-spec", "prompt: cannot fill {lr:.3q}: '.3q' is not a format spec (such as .3f, .2e or .1%) (seed 0)"),
        (10, "bad-explain", "explain: cannot fill {w:d}: Unknown format code 'd' for object of type 'float' (seed 0)"),
        (16, "bad-option", "option 1: cannot fill {a:>999999999}: "
                           "width 999999999 in '>999999999' is over 100 (seed 0)"),
        (16, "bad-option", "option 2 feedback: cannot fill {a:.99999f}: "
                           "precision 99999 in '.99999f' is over 30 (seed 0)"),
        (23, "bad-step", "step 1 prompt: cannot fill {W[5,5]}: cannot compute 'W[5,5]': "
                         "index 5 is out of bounds for axis 0 with size 2 (seed 0)"),
        (29, "bad-symbolic", "answer: cannot fill {a:.1j}: "
                             "'.1j' is not a format spec (such as .3f, .2e or .1%) (seed 0)"),
        (29, "bad-symbolic", "mistake 1: cannot fill {a:s}: Unknown format code 's' for object of type 'int' (seed 0)"),
    }


def test_pack_check_command_exits_1_with_located_lines(pack_file):
    out = quizact("pack", "check", pack_file)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    lines = out.stdout.splitlines()
    assert len(lines) == 7
    assert lines[0].endswith("placeholders.yaml:5: bad-spec: prompt: cannot fill {lr:.3q}: "
                             "'.3q' is not a format spec (such as .3f, .2e or .1%) (seed 0)")


def test_pack_add_refuses_a_pack_whose_prompt_cannot_be_filled(pack_file, tmp_path, _isolated_home):
    out = quizact("--db", tmp_path / "c.sqlite", "pack", "add", pack_file)
    assert out.returncode == 1 and "Traceback" not in out.stderr and "not added" in out.stderr
    assert not (_isolated_home / "packs").exists() or not any((_isolated_home / "packs").iterdir())


def test_solve_says_what_cannot_be_filled_and_shows_the_rest(pack_file):
    out = quizact("solve", pack_file, "bad-spec")
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert out.stderr.strip().endswith("placeholders.yaml:5: bad-spec: prompt: cannot fill {lr:.3q}: "
                                       "'.3q' is not a format spec (such as .3f, .2e or .1%) (seed 0)")
    assert "One SGD step with lr = 0.1: w = 2.0" in out.stdout  # the value, unformatted
    assert "answer: 1.9" in out.stdout  # 2.0 - 0.1


def test_solve_fills_option_texts(pack_file):
    out = quizact("solve", pack_file, "bad-option")
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "  a) a = 2\n" in out.stdout  # the width over 100 is refused; the plain value is shown


@pytest.mark.parametrize("card, answer", [("bad-spec", "1.9"), ("bad-step", "1"), ("bad-symbolic", "6*z")])
def test_grade_never_shows_a_traceback_for_pack_text(pack_file, card, answer):
    out = quizact("grade", pack_file, card, "--answer", answer)
    assert "Traceback" not in out.stderr
    assert f": {card}: " in out.stderr  # the located problem
    assert out.returncode == 0 and out.stdout.startswith("correct")  # 2 * 3 z = 6 z


def test_render_strict_raises_and_lenient_shows_the_plain_value():
    values = {"lr": 0.1, "W": [[1.0, 2.0], [3.0, 4.0]]}
    with pytest.raises(RenderError, match=r"cannot fill \{lr:\.3q\}"):
        render("lr = {lr:.3q}", values, strict=True)
    assert render("lr = {lr:.3q}", values) == "lr = 0.1"
    assert render("{W[9,9]} and {W[1,0]}", values) == "{W[9,9]} and 3.0"
    assert render("{lr:>200}", values) == "0.1"  # a width over 100 is refused, not built
    assert render("{lr:>8.2f}|{lr:.1%}|{{lr}}", values, strict=True) == "    0.10|10.0%|{lr}"


def test_the_app_shows_a_card_whose_prompt_cannot_be_filled(tmp_path, pack_file):
    from quizact.session import Session
    from quizact.tui.screens.review import ReviewScreen
    from tests.tui.conftest import NOW, drive, make_app, screen_text

    session = Session.open(tmp_path / "c.sqlite3", NOW, sources=[pack_file])
    for card in ("bad-explain", "bad-option", "bad-step", "bad-symbolic", "fine"):
        inside.study(session).bury("placeholders", card, NOW)
    app = make_app(session, start="review")

    async def scenario(pilot):
        assert isinstance(app.screen, ReviewScreen) and app.screen.shown.card_id == "bad-spec"
        assert "One SGD step with lr = 0.1: w = 2.0" in screen_text(app)

    try:
        drive(app, scenario)
    finally:
        session.close()


def test_every_shipped_text_fills_with_its_variants():
    from pathlib import Path

    from quizact.packcheck import shown_values
    from quizact.packs.check import check_card_texts
    from quizact.packs.loader import load_pack

    content = Path(__file__).resolve().parents[2] / "content"
    for path in [content / "examples" / "sample.yaml", content / "nn-foundations"]:
        pack = load_pack(path)
        assert {
            c.id: check_card_texts(c, 10, shown_values) for c in pack.cards if check_card_texts(c, 10, shown_values)
        } == {}


def test_placeholder_check_text(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(textwrap.dedent("""\
        pack: p
        name: P
        version: 1
        cards:
          - {id: c, kind: recall, prompt: "x = {x:,.2f}", params: {x: 12345.678}, answer: a}
        """))
    pack, problems = check_pack(path, variants=2, deep=False)
    assert problems == []
    assert render(pack.card("c").prompt, {"x": 12345.678}, strict=True) == "x = 12,345.68"
