"""``let:``: computed variables, evaluated per variant, usable wherever a param is.

Values are worked by hand: σ(0.5) = 1/(1 + e^−0.5) = 0.6224593312, 1 − σ(0.5) =
0.3775406688, σ′(0.5) = σ(1 − σ) = 0.2350037122.
"""

from __future__ import annotations

import json
import math
import random

import pytest
from click.testing import CliRunner

from quizact.cli import main
from quizact.grading.card import expected_values, grade
from quizact.packcheck import check_pack
from quizact.packs.lets import LetError
from quizact.packs.loader import load_pack, read_pack
from quizact.packs.params import instantiate, render
from tests.packs.cardfiles import problems, write_cards

SIGMA = 1 / (1 + math.exp(-0.5))  # 0.6224593312018546

PACK = """\
pack: lets
name: Lets
version: 1
cards:
  - id: slope
    kind: numeric
    params: {z: 0.5}
    let: {p: "sigmoid(z)", q: "1 - p"}
    prompt: "σ({z}) = {p:.3f}. Compute σ′({z})."
    explain: "σ′ = p·q = {p:.4f} · {q:.4f}"
    answer: p*q
    tolerance: {sigfigs: 3}
    mistakes:
      - {answer: p, feedback: "That is σ itself."}
  - id: matrix
    kind: numeric
    params: {u: [1, 2], v: [3, 4], n: {integer: [3, 3]}}
    let: {W: "outer(u, v)", k: "n - 1"}
    prompt: "W = {W}; W[0,1] = {W[0,1]}; k = {k}"
    answer: W[1, 1]
  - id: guarded
    kind: numeric
    params: {x: {integer: [-2, 2]}}
    let: {r: "1/x"}
    where: ["r > 0", "x != 0"]  # the guard decides first, wherever it is written
    prompt: "x = {x}: what is 1/x?"
    answer: r
  - id: steps-and-plot
    kind: steps
    params: {a: 2, b: 3}
    let: {c: "a*b"}
    plot: {function: sigmoid, mark: c, when: before}
    prompt: "a = {a}, b = {b}"
    steps:
      - {prompt: "a·b = {c}?", answer: c, name: ab}
      - {prompt: "twice that", answer: 2*ab}
  - id: choice
    kind: choice
    params: {z: 0.5}
    let: {p: "sigmoid(z)"}
    prompt: "σ({z})?"
    shuffle: false
    options:
      - {text: "{p:.2f}", correct: true, feedback: "σ({z}) = {p:.4f}"}
      - {text: "0.5", feedback: "that is σ(0)"}
"""


@pytest.fixture
def pack_file(tmp_path):
    path = tmp_path / "lets.yaml"
    path.write_text(PACK)
    return path


def write(tmp_path, card: str):
    return write_cards(tmp_path, card)


def messages(path, variants=20):
    return problems(path, variants, located=True)


def test_the_example_pack_is_clean(pack_file):
    _, problems = check_pack(pack_file, variants=20)
    assert problems == []


def test_lets_are_computed_in_order_from_the_params(pack_file):
    card = load_pack(pack_file).card("slope")
    variant = instantiate(card, 0)
    assert variant.params["p"] == pytest.approx(0.6224593312, abs=1e-10)
    assert variant.params["q"] == pytest.approx(0.3775406688, abs=1e-10)
    assert variant.lets == ("p", "q")
    assert render(card.prompt, variant.params) == "σ(0.5) = 0.622. Compute σ′(0.5)."
    assert render(card.explain, variant.params) == "σ′ = p·q = 0.6225 · 0.3775"


def test_answers_and_mistakes_use_lets(pack_file):
    card = load_pack(pack_file).card("slope")
    variant = instantiate(card, 0)
    assert expected_values(card, variant) == [pytest.approx(SIGMA * (1 - SIGMA))]  # 0.2350037122
    assert grade(card, variant, "0.235").status == "correct"
    wrong = grade(card, variant, "0.622")
    assert wrong.status == "incorrect" and "That is σ itself." in wrong.feedback


def test_a_let_matrix_and_whole_number(pack_file):
    card = load_pack(pack_file).card("matrix")
    variant = instantiate(card, 0)
    assert variant.params["W"] == [[3, 4], [6, 8]]  # outer([1, 2], [3, 4])
    assert variant.params["k"] == 2 and isinstance(variant.params["k"], int)
    assert render(card.prompt, variant.params) == "W = [[3.0, 4.0], [6.0, 8.0]]; W[0,1] = 4.0; k = 2"
    assert expected_values(card, variant) == [8.0]


def test_where_sees_lets_and_guards_them(pack_file):
    card = load_pack(pack_file).card("guarded")
    for seed in range(30):
        values = instantiate(card, seed).params
        assert values["x"] in (1, 2) and values["r"] == 1 / values["x"]


def test_steps_and_plot_marks_use_lets(pack_file):
    card = load_pack(pack_file).card("steps-and-plot")
    variant = instantiate(card, 0)
    assert expected_values(card, variant) == [6, 12]
    assert [r.status for r in grade(card, variant, ["6", "12"]).steps] == ["correct", "correct"]
    from quizact.plotdata import plot_data

    data = plot_data(card, variant.params)
    assert data.mark == pytest.approx((6.0, 1 / (1 + math.exp(-6))))  # σ(6) = 0.9975273768


def test_option_text_and_feedback_use_lets(pack_file, tmp_path):
    from quizact.session import Session
    from tests.conftest import NOW

    session = Session.open(tmp_path / "c.sqlite3", NOW, sources=[pack_file])
    try:
        shown = session.present("lets", "choice", NOW, random.Random(0), seed=0)
        assert shown.options == ("0.62", "0.5")
        assert render(shown.card.options[0].feedback, shown.variant.params) == "σ(0.5) = 0.6225"
    finally:
        session.close()


def test_solve_shows_the_lets(pack_file):
    out = CliRunner().invoke(main, ["solve", str(pack_file), "slope"])
    assert out.exit_code == 0, out.output
    assert "  z = 0.5\n  let p = 0.6224593312\n  let q = 0.3775406688\n" in out.output
    assert "σ(0.5) = 0.622. Compute σ′(0.5)." in out.output and "answer: 0.235" in out.output
    data = json.loads(CliRunner().invoke(main, ["solve", str(pack_file), "slope", "--json"]).output)
    assert data["params"] == {"z": 0.5}
    assert data["lets"] == {"p": pytest.approx(SIGMA), "q": pytest.approx(1 - SIGMA)}


def test_the_cached_pack_keeps_the_lets(pack_file):
    first, _ = read_pack(pack_file, cache=True)
    second, problems = read_pack(pack_file, cache=True)  # read back from the cache
    assert problems == [] and second.card("slope").let == {"p": "sigmoid(z)", "q": "1 - p"}
    assert instantiate(second.card("slope"), 0).params == instantiate(first.card("slope"), 0).params


def test_the_cache_key_changes_with_the_record_format():
    from quizact.packs import loader

    assert loader.CACHE_FORMAT != "7"  # format 7 pickled cards without let:


@pytest.mark.parametrize("let, params, expected", [
    ('{a: "x + y"}', "{x: 1}", "let a uses 'y', which is neither a param nor an earlier let"),
    ('{a: "b + 1", b: "x"}', "{x: 1}",
     "let a uses 'b', which is defined after it; lets are computed in the order written"),
    ('{a: "b + x", b: "a"}', "{x: 1}", "lets form a cycle: a → b → a"),
    ('{a: "a + 1"}', "{x: 1}", "lets form a cycle: a → a"),
    ('{x: "2"}', "{x: 1}", "let x: a param is already named 'x'"),
    ('{exp: "x"}', "{x: 1}", "let exp: 'exp' is a formula function; choose another name"),
    ('{pi: "3"}', "{x: 1}", "let pi: 'pi' is a formula constant; choose another name"),
])
def test_static_let_errors(tmp_path, let, params, expected):
    path = write(tmp_path, f"""\
        - id: c
          kind: numeric
          params: {params}
          let: {let}
          prompt: "x = {{x}}"
          answer: x
        """)
    assert messages(path) == [f"5: c: {expected}"]


def test_lets_clash_with_and_may_not_use_steps(tmp_path):
    path = write(tmp_path, """\
        - id: c
          kind: steps
          params: {x: 1}
          let: {s: "x", t: "u + 1"}
          prompt: "x = {x}"
          steps:
            - {prompt: "x", answer: x, name: s}
            - {prompt: "x", answer: x, name: u}
        """)
    assert messages(path) == [
        "5: c: let s: a step is already named 's'",
        "5: c: let t uses step 'u'; lets are computed from the params, before any step",
    ]


@pytest.mark.parametrize("let, expected", [
    ('{p: "sigmoid(z"}', "let: p: cannot parse formula 'sigmoid(z': '(' was never closed"),
    ('{"1a": "z"}', "let: '1a' is not a valid let name"),
    ("{l: [1, 2]}", "let: l: [1, 2] is not a formula; write one in quotes, as in l: \"[1, 2]\""),
])
def test_malformed_lets_are_located_load_errors(tmp_path, let, expected):
    path = write(tmp_path, f"""\
        - id: c
          kind: numeric
          params: {{z: 1}}
          let: {let}
          prompt: "z"
          answer: z
        """)
    assert messages(path) == [f"8: c: {expected}"]


def first_seed_drawing(value, lo, hi):
    """The first seed whose first integer draw in [lo, hi] is ``value`` (NumPy's generator,
    as the params documentation promises)."""
    import numpy as np

    return next(s for s in range(1000) if int(np.random.default_rng(s).integers(lo, hi + 1)) == value)


def test_a_let_that_fails_for_a_variant_names_the_seed(tmp_path):
    path = write(tmp_path, """\
        - id: c
          kind: numeric
          params: {x: {integer: [-2, 2]}}
          let: {r: "1/x", s: "r + 1"}
          prompt: "x = {x}"
          answer: s
        """)
    seed = first_seed_drawing(0, -2, 2)
    assert messages(path) == [f"5: c: let r = '1/x' cannot be computed for seed {seed}: division by zero (x = 0)"]
    with pytest.raises(LetError, match=f"seed {seed}"):
        instantiate(load_pack(path).card("c"), seed)
    out = CliRunner().invoke(main, ["solve", str(path), "c", "--seed", str(seed)])
    assert out.exit_code == 1 and "Traceback" not in out.output
    assert f"cannot be computed for seed {seed}" in out.output


def test_a_let_with_infinite_entries_fails(tmp_path):
    path = write(tmp_path, """\
        - id: c
          kind: numeric
          params: {v: [1, 0]}
          let: {r: "log(v)"}
          prompt: "v = {v}"
          answer: v[0]
        """)
    assert messages(path) == ["5: c: let r = 'log(v)' cannot be computed for seed 0: "
                              "some entries are not finite numbers (v = [1, 0])"]


def test_a_where_using_a_failed_let_does_not_hide_the_failure(tmp_path):
    path = write(tmp_path, """\
        - id: c
          kind: numeric
          params: {x: {choice: [0.0, 0.0]}}
          let: {r: "1/x"}
          where: ["r > 0"]
          prompt: "x = {x}"
          answer: x
        """)
    assert messages(path, 1) == ["5: c: let r = '1/x' cannot be computed for seed 0: division by zero (x = 0.0)"]


def test_lets_without_params_are_constants(tmp_path):
    path = write(tmp_path, """\
        - id: c
          kind: numeric
          let: {t: "tanh(1)"}
          prompt: "tanh(1) = {t:.4f}; what is 1 − tanh(1)²?"
          answer: 1 - t^2
        """)
    card = load_pack(path).card("c")
    assert render(card.prompt, instantiate(card, 0).params) == "tanh(1) = 0.7616; what is 1 − tanh(1)²?"
    assert expected_values(card, instantiate(card, 0)) == [pytest.approx(1 - math.tanh(1) ** 2)]  # 0.4199743416
