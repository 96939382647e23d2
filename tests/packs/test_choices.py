"""Choices from the variant: option texts filled per variant, ``correct:`` as a formula
(per option, or once per card: truth values per option or option positions)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from quizact.cli import main
from quizact.grading.card import expected_answers, grade
from quizact.packcheck import check_pack
from quizact.packs.loader import load_pack
from quizact.packs.params import instantiate
from tests.packs.cardfiles import problems, write_cards

EXAMPLES = Path(__file__).resolve().parents[2] / "content" / "examples" / "authoring.yaml"

# z = w·x + b with x = 1: [0.5 + 0.1, −1 + 0.3, 0.2 − 0.5] = [0.6, −0.7, −0.3]
UNITS = """\
- id: c
  kind: choice
  params: {x: 1, w: [0.5, -1, 0.2], b: [0.1, 0.3, -0.5]}
  let: {z: "w*x + b"}
  prompt: "x = {x}: which units are dead?"
  multiple: MULTIPLE
  shuffle: SHUFFLE
  CORRECT
  options:
    - {text: "unit 1 (w = {w[0]}, b = {b[0]})", OPTION1 feedback: "z₁ = {z[0]:.1f}"}
    - {text: "unit 2 (w = {w[1]}, b = {b[1]})", OPTION2 feedback: "z₂ = {z[1]:.1f}"}
    - {text: "unit 3 (w = {w[2]}, b = {b[2]})", OPTION3 feedback: "z₃ = {z[2]:.1f}"}
"""


def units(tmp_path, correct="", options=("", "", ""), multiple=True, shuffle=False):
    text = UNITS.replace("CORRECT", correct).replace("MULTIPLE", str(multiple).lower())
    text = text.replace("SHUFFLE", str(shuffle).lower())
    for k, extra in enumerate(options, 1):
        text = text.replace(f"OPTION{k}", extra)
    return write_cards(tmp_path, text)


messages = problems


def graded(path, answer, seed=0):
    card = load_pack(path).card("c")
    return grade(card, instantiate(card, seed), answer)


def test_a_truth_value_per_option(tmp_path):
    path = units(tmp_path, correct='correct: "z <= 0"')
    assert messages(path) == []
    card = load_pack(path).card("c")
    assert expected_answers(card, instantiate(card, 0)) == ["b,c"]  # z₂ = −0.7 and z₃ = −0.3 are ≤ 0
    verdict = graded(path, "b,c")
    assert verdict.status == "correct"
    assert verdict.feedback == "✓ unit 2 (w = -1.0, b = 0.3): z₂ = -0.7\n✓ unit 3 (w = 0.2, b = -0.5): z₃ = -0.3"
    assert graded(path, "b").score == pytest.approx(0.5)  # (1 right − 0 wrong) / 2 right
    assert graded(path, "a,b").score == 0.0  # (1 − 1) / 2


def test_a_formula_on_each_option(tmp_path):
    path = units(tmp_path, options=('correct: "z[0] <= 0",', 'correct: "z[1] <= 0",', "correct: true,"))
    assert messages(path) == []
    assert graded(path, "b,c").status == "correct"
    assert graded(path, "c").status == "incorrect"


@pytest.mark.parametrize("correct, letters", [
    ('correct: "sum(z > 0)"', "b"),  # one unit is active: position 1
    ('correct: "[0, 2]"', "a,c"),
    ("correct: \"2\"", "c"),
])
def test_option_positions(tmp_path, correct, letters):
    path = units(tmp_path, correct=correct, multiple=letters.count(",") > 0)
    assert messages(path) == []
    assert graded(path, letters).status == "correct"


def test_shuffled_options_keep_their_truth(tmp_path):
    path = units(tmp_path, correct='correct: "z <= 0"', shuffle=True)
    for seed in range(5):
        data = json.loads(CliRunner().invoke(main, ["solve", str(path), "c", "--seed", str(seed), "--json"]).output)
        out = CliRunner().invoke(main, ["solve", str(path), "c", "--seed", str(seed)]).output
        shown = {line[2]: line[5:] for line in out.splitlines() if line[:2] == "  " and line[3:5] == ") "}
        right = {shown[letter][:6] for letter in data["answers"][0].split(",")}
        assert right == {"unit 2", "unit 3"}


@pytest.mark.parametrize("correct, options, multiple, expected", [
    ('correct: "z[0]"', ("", "", ""), True, "correct: 'z[0]' gives 0.6, not whole-number positions (seed 0)"),
    ('correct: "all(z <= 0)"', ("", "", ""), True, "correct: 'all(z <= 0)' gives one truth value for 3 options; "
                                                   "give one per option, or positions (seed 0)"),
    ('correct: "3"', ("", "", ""), False, "correct: '3' gives position 3, but the 3 options are 0 … 2 "
                                          "(counted from 0, in the order written) (seed 0)"),
    ('correct: "z > 5"', ("", "", ""), True, "no option is right for this variant (seed 0)"),
    ('correct: "z <= 0"', ("", "", ""), False, "2 options are right for this variant; set multiple: true (seed 0)"),
    ("", ('correct: "z[0]",', "", ""), True, "option 1 correct: 'z[0]' gives a number, not one truth value; "
                                             "compare, as in (z[0]) > 0 (seed 0)"),
    ('correct: "y <= 0"', ("", "", ""), True,
     "formula 'y <= 0' uses 'y', which is neither a param, a let nor a named step"),
])
def test_formulas_that_do_not_fit_the_options(tmp_path, correct, options, multiple, expected):
    path = units(tmp_path, correct=correct, options=options, multiple=multiple)
    assert messages(path) == [expected]


def test_a_formula_that_fits_some_variants_only_names_the_seed(tmp_path):
    path = write_cards(tmp_path, """\
        - id: c
          kind: choice
          params: {z: {integer: [-3, 3]}}
          prompt: "z = {z}: is it positive?"
          options:
            - {text: "yes", correct: "z > 0"}
            - {text: "no", correct: "z < 0"}
        """)
    import numpy as np

    seed = next(s for s in range(100) if int(np.random.default_rng(s).integers(-3, 4)) == 0)
    assert messages(path, variants=seed + 1) == [f"no option is right for this variant (seed {seed})"]


@pytest.mark.parametrize("correct, options, expected", [
    ('correct: "z <= 0"', ("correct: true,", "", ""),
     "give correct: on the card (a formula) or on the options, not both"),
    ('correct: "z <= "', ("", "", ""), "correct: cannot parse formula 'z <= ': invalid syntax"),
    ("", ('correct: "z[0] <",', "", ""), "options.0: correct: cannot parse formula 'z[0] <': invalid syntax"),
])
def test_malformed_correct_is_a_load_error(tmp_path, correct, options, expected):
    path = units(tmp_path, correct=correct, options=options)
    found = messages(path)
    assert len(found) == 1 and expected in found[0] and "Traceback" not in found[0]


def test_the_example_pack_is_clean_and_solves(tmp_path):
    _, problems = check_pack(EXAMPLES, variants=100)
    assert [str(p) for p in problems] == []
    for seed in range(10):
        out = CliRunner().invoke(main, ["solve", str(EXAMPLES), "dead-relu-units", "--seed", str(seed), "--json"])
        data = json.loads(out.output)
        x, w, b = data["params"]["x"], data["params"]["w"], data["params"]["b"]
        z = [wj * x + bj for wj, bj in zip(w, b)]  # worked here, not by the pack
        assert data["lets"]["z"] == pytest.approx(z)
        assert data["answers"][0] == ",".join("abc"[j] for j in range(3) if z[j] <= 0)
        text = CliRunner().invoke(main, ["solve", str(EXAMPLES), "dead-relu-units", "--seed", str(seed)]).output
        assert f"  a) unit 1: w = {w[0]}, b = {b[0]}\n" in text and "{" not in text
        count = CliRunner().invoke(main, ["solve", str(EXAMPLES), "active-relu-count", "--seed", str(seed), "--json"])
        data = json.loads(count.output)
        z = [wj * data["params"]["x"] + bj for wj, bj in zip(data["params"]["w"], data["params"]["b"])]
        assert data["answers"][0] == "abcd"[sum(v > 0 for v in z)]


def test_the_example_solves_at_a_worked_seed():
    """Seed 3: x = 2, w = [−0.5, 0.6, 0.2], b = [−0.8, −0.1, 0]: z = [−1.8, 1.1, 0.4]."""
    out = CliRunner().invoke(main, ["solve", str(EXAMPLES), "dead-relu-units", "--seed", "3"])
    assert out.exit_code == 0
    assert "  let z = [-1.8, 1.1, 0.4]\n" in out.output
    assert (
        "  a) unit 1: w = -0.5, b = -0.8\n  b) unit 2: w = 0.6, b = -0.1\n  c) unit 3: w = 0.2, b = 0.0\n" in out.output
    )
    assert "answer: a\n" in out.output
    graded = CliRunner().invoke(main, ["grade", str(EXAMPLES), "dead-relu-units", "--seed", "3", "--answer", "a"])
    assert graded.exit_code == 0 and "✓ unit 1: w = -0.5, b = -0.8: z₁ = -0.5·2 + -0.8 = -1.8" in graded.output


def test_the_app_marks_the_variant_s_right_options(tmp_path):
    from quizact.session import Session
    from tests.conftest import NOW

    path = units(tmp_path, correct='correct: "z <= 0"')
    session = Session.open(tmp_path / "c.sqlite3", NOW, sources=[path])
    try:
        shown = session.present("p", "c", NOW, random.Random(0), seed=0)
        assert shown.options == (
            "unit 1 (w = 0.5, b = 0.1)", "unit 2 (w = -1.0, b = 0.3)", "unit 3 (w = 0.2, b = -0.5)"
        )
        marks = session.option_marks(shown, "b")
        assert [(m.correct, m.chosen) for m in marks] == [(False, False), (True, True), (True, False)]
        assert marks[1].feedback == "z₂ = -0.7"
    finally:
        session.close()


def test_anki_export_shows_the_variant_s_right_options(tmp_path):
    from quizact.anki import note_fields

    path = units(tmp_path, correct='correct: "z <= 0"')
    _, answer, _, _ = note_fields(load_pack(path).card("c"), 0)
    assert answer == "b) unit 2 (w = -1.0, b = 0.3)<br>c) unit 3 (w = 0.2, b = -0.5)"
