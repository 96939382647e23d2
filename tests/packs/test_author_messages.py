"""Messages that tell an author (or a learner) the fix: a formula YAML cut at its commas,
a network field given a name, a comparison typed into an answer."""

from __future__ import annotations

import pytest

from quizact.grading.card import grade
from quizact.packs.loader import load_pack
from quizact.packs.params import instantiate
from tests.packs.cardfiles import problems, write_cards

write = write_cards


def messages(path):
    return problems(path, 3, deep=True, located=True)


QUOTE = "this looks like a formula cut at its commas (in {…} a comma ends a value); quote it: "


@pytest.mark.parametrize("mistake, expected", [
    ("{answer: max(alpha*z, z), feedback: nope}", 'mistakes.0: ' + QUOTE + 'answer: "max(alpha*z, z)"'),
    ("{answer: max(z, 0, 1), feedback: nope}", 'mistakes.0: ' + QUOTE + 'answer: "max(z, 0, 1)"'),
    ("{answer: 'max(alpha*z, z)', feedback: nope}", None),  # quoted: fine
])
def test_a_formula_cut_at_a_comma_says_to_quote(tmp_path, mistake, expected):
    path = write(tmp_path, f"""\
        - id: c
          kind: symbolic
          params: {{alpha: 0.1}}
          prompt: "leaky ReLU"
          variables: [z]
          constants: {{alpha: alpha}}
          answer: "max(alpha*z, z) + 1"
          mistakes:
            - {mistake}
        """)
    assert messages(path) == ([f"13: c: {expected}"] if expected else [])


def test_a_whole_card_in_flow_style(tmp_path):
    path = write(tmp_path, """\
        - {id: c, kind: numeric, params: {z: 1}, prompt: "z = {z}", answer: max(z, 0)}
        """)
    assert messages(path) == ['5: c: ' + QUOTE + 'answer: "max(z, 0)"']


def test_an_unknown_field_is_still_an_unknown_field(tmp_path):
    path = write(tmp_path, """\
        - {id: c, kind: numeric, params: {z: 1}, prompt: "z", answer: z, tolerence: {rtol: 0.1}}
        """)
    assert messages(path) == ["5: c: unknown field 'tolerence' (did you mean 'tolerance'?)"]


NETWORK = """\
- id: c
  kind: numeric
  network: {layers: [2, 2], activations: [softmax], bias: false, loss: softmax_cross_entropy, temperature: TEMP}
  params: {x: [1, 2], W1: [[1, 0], [0, 1]], y: 1, T: 2}
  prompt: "x = {x}"
  value: loss
"""


@pytest.mark.parametrize("temp, expected", [
    ("T", None),  # a param: drawn per review (tests/packs/test_network_params.py)
    ("tau", "network.temperature: 'tau' is neither a number nor a param or let of this card; "
            "network fields are numbers or param names"),
])
def test_a_network_field_given_a_name(tmp_path, temp, expected):
    path = write(tmp_path, NETWORK.replace("TEMP", temp))
    assert messages(path) == ([] if expected is None else [f"5: c: {expected}"])


def test_a_network_field_given_a_number_is_fine(tmp_path):
    path = write(tmp_path, NETWORK.replace("TEMP", "2.0"))
    assert messages(path) == []


def test_a_learner_s_comparison_is_told_to_use_H(tmp_path):
    path = write(tmp_path, """\
        - id: c
          kind: symbolic
          params: {alpha: 0.1}
          prompt: "d/dz of leaky ReLU"
          variables: [z]
          constants: {alpha: alpha}
          answer: "alpha + (1 - alpha)*Heaviside(z)"
        """)
    card = load_pack(path).card("c")
    verdict = grade(card, instantiate(card, 0), "alpha + (1-alpha)*(z>0)")
    assert verdict.status == "invalid"
    assert verdict.feedback.startswith("comparisons are not part of answers: use H(z), the step that is 1 where z > 0")
    assert verdict.steps[0].error_pos == 20  # the '>'
    assert grade(card, instantiate(card, 0), "alpha + (1-alpha)*H(z)").status == "correct"
