"""Every ``{…}`` in a card's texts names a param, a let or a step (or is ``{{``/``}}``), or
``pack check`` says what is wrong; texts shown once graded are filled with step values."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from quizact.cli import main
from quizact.grading.card import grade
from quizact.packcheck import check_pack
from quizact.packs.loader import load_pack
from quizact.packs.params import instantiate, render
from tests.packs.cardfiles import problems, write_cards

write = write_cards
messages = problems


NUMERIC = """\
- id: c
  kind: numeric
  params: {{z: [1, 2], k: 1}}
  prompt: "{prompt}"
  explain: "{explain}"
  answer: z[1]
"""


@pytest.mark.parametrize("prompt, expected", [
    ("twice: {z*2}", 'prompt: {z*2} is not a placeholder ({name}, {name[0,1]} or {name:.3f}): '
                     'compute it in let: (let: {v: "z*2"}, then {v}), or write {{ and }} for literal braces'),
    ("spaced: { z }", "prompt: { z } is not a placeholder: write {z} (no spaces), or {{ and }} for literal braces"),
    ("empty: {}", "prompt: {} is not a placeholder ({name}, {name[0,1]} or {name:.3f}): compute it in let:, "
                  "or write {{ and }} for literal braces"),
    ("open: { z", "prompt: a '{' with no closing '}'; write {{ for a literal brace"),
    ("unknown: {y}", "prompt: {y} names 'y', which is neither a param, a let nor a step of this card"),
    ("index: {z[q]}", "prompt: {z[q]} names 'q', which is neither a param, a let nor a step of this card"),
    ("format: {y:.3f}", "prompt: {y:.3f} names 'y', which is neither a param, a let nor a step of this card"),
])
def test_a_brace_that_names_nothing_is_an_error(tmp_path, prompt, expected):
    path = write(tmp_path, NUMERIC.format(prompt=prompt, explain=""))
    assert messages(path) == [expected]


def test_the_same_rule_holds_in_the_explanation(tmp_path):
    path = write(tmp_path, NUMERIC.format(prompt="z = {z}", explain="{z*2} and {s}"))
    assert sorted(messages(path)) == [
        "explain: {s} names 's', which is neither a param, a let nor a step of this card",
        'explain: {z*2} is not a placeholder ({name}, {name[0,1]} or {name:.3f}): '
        'compute it in let: (let: {v: "z*2"}, then {v}), or write {{ and }} for literal braces',
    ]


def test_literal_braces_and_placeholders_pass(tmp_path):
    path = write(tmp_path, NUMERIC.format(prompt="the set {{0, 1}}; z = {z}, z₁ = {z[1]:.2f}", explain="{{}}"))
    assert messages(path) == []
    card = load_pack(path).card("c")
    assert render(card.prompt, instantiate(card, 0).params) == "the set {0, 1}; z = [1, 2], z₁ = 2.00"


def test_an_index_named_by_a_param(tmp_path):
    """``{z[k]}`` names z and k; it fills once formulas index with computed whole numbers,
    and until then ``pack check`` says it cannot be filled (never shown as written)."""
    from quizact.packs import formula

    path = write(tmp_path, NUMERIC.format(prompt="entry {z[k]}", explain=""))
    try:
        formula.evaluate("z[k]", {"z": [1, 2], "k": 1})
    except formula.FormulaError:
        assert [m.split(":")[0:2] for m in messages(path)] == [["prompt", " cannot fill {z[k]}"]]
    else:
        assert messages(path) == []
        card = load_pack(path).card("c")
        assert render(card.prompt, instantiate(card, 0).params) == "entry 2.0"


CHOICE = """\
- id: c
  kind: choice
  params: {x: 2}
  let: {y: "x^2"}
  prompt: "x = {x}"
  shuffle: false
  options:
    - {text: "OPTION", correct: true, feedback: "FEEDBACK"}
    - {text: "x + 1 = {x}", feedback: "no"}
"""


@pytest.mark.parametrize("option, feedback, expected", [
    ("not {z}", "ok", "option 1: {z} names 'z', which is neither a param, a let nor a step of this card"),
    ("{x*y}", "ok", 'option 1: {x*y} is not a placeholder ({name}, {name[0,1]} or {name:.3f}): '
                    'compute it in let: (let: {v: "x*y"}, then {v}), or write {{ and }} for literal braces'),
    ("{y}", "since {w}", "option 1 feedback: {w} names 'w', which is neither a param, a let nor a step of this card"),
])
def test_options_and_their_feedback(tmp_path, option, feedback, expected):
    path = write(tmp_path, CHOICE.replace("OPTION", option).replace("FEEDBACK", feedback))
    assert messages(path) == [expected]


def test_option_texts_are_filled_by_solve(tmp_path):
    path = write(tmp_path, CHOICE.replace("OPTION", "x² = {y}").replace("FEEDBACK", "{x}² = {y}"))
    assert messages(path) == []
    out = CliRunner().invoke(main, ["solve", str(path), "c"])
    assert out.exit_code == 0 and "  a) x² = 4.0\n  b) x + 1 = 2\n" in out.output


STEPS = """\
- id: c
  kind: steps
  params: {a: 2, b: 3}
  prompt: "PROMPT"
  explain: "EXPLAIN"
  steps:
    - {prompt: "STEP1", answer: a*b, name: ab, mistakes: [{answer: a+b, feedback: "MISTAKE"}]}
    - {prompt: "twice", answer: 2*ab}
    - {prompt: "d/dx", kind: symbolic, variables: [x], answer: "{a}*x^2", name: f}
"""


def steps_card(tmp_path, prompt="a = {a}, b = {b}", explain="", step1="a·b", mistake="no"):
    text = (
        STEPS.replace("PROMPT", prompt).replace("EXPLAIN", explain).replace("STEP1", step1).replace("MISTAKE", mistake)
    )
    return write(tmp_path, text)


def test_a_step_named_in_a_text_shown_before_grading_is_an_error(tmp_path):
    path = steps_card(tmp_path, prompt="a = {a}, so a·b = {ab}", step1="is it {ab}?")
    hint = "whose value is known only once the card is graded; use it in explain: or feedback"
    assert messages(path) == [
        f"prompt: {{ab}} names step 'ab', {hint}",
        f"step 1 prompt: {{ab}} names step 'ab', {hint}",
    ]


def test_steps_fill_the_explanation_and_feedback(tmp_path):
    path = steps_card(tmp_path, explain="a·b = {ab}, f = {f}", mistake="{a} + {b} is the sum; a·b = {ab}")
    assert messages(path) == []
    card = load_pack(path).card("c")
    variant = instantiate(card, 0)
    verdict = grade(card, variant, ["5", "10", "2*2*x"])
    assert verdict.steps[0].feedback.startswith("2 + 3 is the sum; a·b = 6.0")  # 2·3 = 6, a step value is a float
    out = CliRunner().invoke(main, ["solve", str(path), "c"])
    assert out.exit_code == 0 and out.output.rstrip().endswith("a·b = 6.0, f = 2*x^2")


def test_the_session_fills_the_explanation_with_steps_and_a_recall_answer(tmp_path):
    import random

    from quizact.session import Session
    from tests.conftest import NOW

    path = steps_card(tmp_path, explain="a·b = {ab}")
    recall = write_cards(tmp_path, """\
        - {id: r, kind: recall, params: {n: 4}, prompt: "pieces of {n} hinges?", answer: "{n} + 1 pieces"}
        """, pack="r", name="r.yaml")
    assert messages(recall) == []
    session = Session.open(tmp_path / "c.sqlite3", NOW, sources=[path, recall])
    try:
        assert session.present("p", "c", NOW, random.Random(0), seed=0).explain == "a·b = 6.0"
        assert session.present("r", "r", NOW, random.Random(0), seed=0).answer == "4 + 1 pieces"
    finally:
        session.close()


def test_a_recall_answer_naming_nothing_is_an_error(tmp_path):
    path = write(tmp_path, """\
        - {id: r, kind: recall, params: {n: 4}, prompt: "n = {n}", answer: "{m} + 1"}
        """)
    assert messages(path) == ["answer: {m} names 'm', which is neither a param, a let nor a step of this card"]


def test_a_listed_numeric_mistake_fills_its_feedback(tmp_path):
    path = write(tmp_path, """\
        - id: c
          kind: numeric
          params: {m: 3}
          prompt: "{m} hinges: how many pieces?"
          answer: m + 1
          mistakes:
            - {answer: m, feedback: "{m} hinges cut the line into one more piece than there are hinges."}
        """)
    card = load_pack(path).card("c")
    verdict = grade(card, instantiate(card, 0), "3")
    assert verdict.feedback.startswith("3 hinges cut the line into one more piece")


def test_a_symbolic_mistake_fills_its_feedback(tmp_path):
    path = write(tmp_path, """\
        - id: c
          kind: symbolic
          params: {a: 3}
          prompt: "d/dz of {a} z^2"
          variables: [z]
          answer: "2*{a}*z"
          mistakes:
            - {answer: "{a}*z", feedback: "the power rule brings down the 2: not {a}z"}
        """)
    card = load_pack(path).card("c")
    verdict = grade(card, instantiate(card, 0), "3*z")
    assert verdict.status == "incorrect" and "not 3z" in verdict.feedback


def test_shipped_packs_are_clean_under_the_rule():
    from pathlib import Path

    content = Path(__file__).resolve().parents[2] / "content"
    for path in [content / "examples" / "sample.yaml", content / "nn-foundations"]:
        _, problems = check_pack(path, variants=20, deep=False)
        assert [str(p) for p in problems] == []
