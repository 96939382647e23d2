"""A card's ``plot:``: what it may name, and when it appears (``when``, after by default)."""

from __future__ import annotations

from click.testing import CliRunner

from quizact.cli import main
from quizact.packs.loader import load_pack

PACK = """\
pack: plots
name: Plots
version: 1
cards:
  - id: bad-when
    kind: recall
    prompt: "p"
    answer: "a"
    plot: {function: relu, when: during}
  - id: reversed-range
    kind: recall
    prompt: "p"
    answer: "a"
    plot: {function: relu, range: [3, -3]}
  - id: unknown-function
    kind: recall
    prompt: "p"
    answer: "a"
    plot: {function: sigmod}
  - id: mark-not-a-param
    kind: numeric
    prompt: "p {z}"
    params: {z: 1.0}
    answer: 0.5
    plot: {function: sigmoid, mark: x}
  - id: nothing-to-plot
    kind: numeric
    prompt: "p"
    answer: 0.5
    plot: {when: before}
  - id: mark-on-a-curve
    kind: recall
    prompt: "p"
    answer: "a"
    plot: {mark: z}
  - id: not-elementwise
    kind: recall
    prompt: "p"
    answer: "a"
    plot: {function: softmax}
"""

GOOD = """\
pack: plots-ok
name: Plots
version: 1
cards:
  - id: default
    kind: recall
    prompt: "p"
    answer: "a"
    plot: {function: tanh}
  - id: before
    kind: recall
    prompt: "p"
    answer: "a"
    plot: {function: relu, range: [-3, 3], when: before}
"""


def test_every_plot_problem_is_one_located_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plots.yaml").write_text(PACK)
    result = CliRunner().invoke(main, ["pack", "check", "plots.yaml"])
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines() == [
        "plots.yaml:9: bad-when: plot.when: Input should be 'before' or 'after'",
        "plots.yaml:14: reversed-range: plot: range: low 3 must be below high -3",
        "plots.yaml:15: unknown-function: plot: unknown activation 'sigmod'; did you mean 'sigmoid'? (known: "
        "identity, relu, leaky_relu, elu, gelu, gelu_tanh, swish, softplus, sigmoid, tanh, softmax, linear, silu)",
        "plots.yaml:20: mark-not-a-param: plot mark: 'x' is neither a param nor a let of this card",
        "plots.yaml:26: nothing-to-plot: plot: give function: (an activation); only a card whose network "
        "trains plots its loss curve",
        "plots.yaml:35: mark-on-a-curve: plot: mark: needs function: or formula: (a loss curve has no z to mark)",
        "plots.yaml:36: not-elementwise: plot: softmax is not element-wise; plot an element-wise activation",
    ]


def test_a_plot_appears_after_grading_unless_it_says_before(tmp_path):
    (tmp_path / "ok.yaml").write_text(GOOD)
    pack = load_pack(tmp_path / "ok.yaml")
    assert [c.plot.when for c in pack.cards] == ["after", "before"]
    result = CliRunner().invoke(main, ["pack", "check", str(tmp_path / "ok.yaml")])
    assert result.exit_code == 0, result.output


def test_a_trained_network_may_plot_its_loss_curve_before_grading(tmp_path):
    (tmp_path / "curve.yaml").write_text("""\
pack: curve
name: Curve
version: 1
cards:
  - id: read-the-curve
    kind: numeric
    prompt: "From the loss curve: the loss after 10 steps?"
    network: {layers: [2, 2, 1], activations: [relu, sigmoid], loss: bce, train: {data: xor, steps: 20, lr: 0.5}}
    params: {W1: [[0.5, 0.9], [-0.7, 0.9]], b1: [0.1, -0.2], W2: [-0.3, 0.6], b2: 0.0}
    value: "loss_curve[10]"
    tolerance: {rtol: 0.15}
    explain: "Read it off the curve."
    plot: {when: before}
""")
    result = CliRunner().invoke(main, ["pack", "check", str(tmp_path / "curve.yaml")])
    assert result.exit_code == 0, result.output
