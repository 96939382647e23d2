"""Formula helpers for packs: ``prod``, ``argmax``, ``onehot``, indexing of call results,
computed whole-number indices and slices, with values worked by hand; the errors they
raise; ``pack check`` naming the card whose variant indexes out of range; the whitelist
and its caps still holding."""

from __future__ import annotations

import math
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from quizact.packcheck import check_pack
from quizact.packs.formula import FormulaError, evaluate, names

P = {"z": [0.5, 1.5, -1.0], "k": 2, "h": 0.5, "W": [[1.0, 2.0], [3.0, 4.0]], "ties": [0.2, 1.8, -1.4, 1.8]}
E = math.e


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("prod([1.5, -2, 4])", -12.0),
        ("prod(z)", 0.5 * 1.5 * -1.0),
        ("argmax(z)", 1),
        ("argmax(ties)", 1),  # the first of two equal largest entries
        ("onehot(2, 4)", [0.0, 0.0, 1.0, 0.0]),
        ("onehot(k, 3)", [0.0, 0.0, 1.0]),
        ("onehot(argmax(z), 3)", [0.0, 1.0, 0.0]),
        ("softmax([0, ln(3)])[1]", 0.75),  # e^ln3 / (1 + 3)
        ("softmax(z)[0]", E**0.5 / (E**0.5 + E**1.5 + E**-1)),
        ("softmax(z)[argmax(z)]", 4.4816890703380645 / 6.4982897822096355),
        ("z[k]", -1.0),
        ("z[k - 2]", 0.5),
        ("z[argmax(z)]", 1.5),
        ("z[-1]", -1.0),
        ("z[1:]", [1.5, -1.0]),
        ("z[:2]", [0.5, 1.5]),
        ("z[::-1]", [-1.0, 1.5, 0.5]),
        ("z[k - 1:]", [1.5, -1.0]),
        ("W[:, 0]", [1.0, 3.0]),
        ("W[1, :]", [3.0, 4.0]),
        ("W[1][0]", 3.0),
        ("transpose(W)[0, 1]", 3.0),
        ("[4, 5, 6][k]", 6.0),
        ("dot(onehot(argmax(z), 3), z)", 1.5),
        ("sum(W[:, 1]) * prod(z[1:])", (2 + 4) * (1.5 * -1.0)),
        ("-log(dot(onehot(0, 3), softmax(z)))", 1.371539031852683),
        ("log(8, 2)", 3.0),
        ("where(z > 0, z, 0)", [0.5, 1.5, 0.0]),
    ],
)
def test_helpers_give_the_hand_worked_values(text, want):
    got = evaluate(text, P)
    assert np.shape(got) == np.shape(want)
    assert np.allclose(got, want, rtol=1e-12, atol=0), (text, got)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("z[h]", "the index h must be a whole number (got 0.5)"),
        ("z[0.5]", "the index 0.5 must be a whole number (got 0.5)"),
        ("z[z > 0]", "must be one whole number"),
        ("z[1:h]", "a slice bound must be a whole number (got 0.5)"),
        ("z[::0]", "a slice step cannot be 0"),
        ("z[3]", "index 3 is out of bounds for axis 0 with size 3"),
        ("z[k + 1]", "index 3 is out of bounds"),
        ("W[0, 0, 0]", "too many indices"),
        ("onehot(3, 3)", "onehot index 3 is out of range for length 3"),
        ("onehot(h, 3)", "onehot's index must be a whole number (got 0.5)"),
        ("onehot(0, 401)", "onehot's length must be from 1 to 400 (got 401)"),
        ("onehot(0, 1e12)", "onehot's length must be from 1 to 400"),
        ("onehot(1)", "onehot takes 2 arguments (got 1)"),
        ("argmax(z, 0)", "argmax takes 1 argument (got 2)"),
        (
            "outer(outer(onehot(0, 400), onehot(0, 400)), onehot(0, 2))",
            "outer product of 160000 by 2 entries is too large",
        ),
    ],
)
def test_helper_errors_are_clear(text, message):
    with pytest.raises(FormulaError, match=re.escape(message)):
        evaluate(text, P)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("softmax(z).T", "attribute is not allowed"),
        ("z[...]", "constant is not allowed"),
        ("z['a']", "constant is not allowed"),
        ("z[__import__('os')]", "function '__import__' is not allowed"),
        ("(lambda: 1)()", "not allowed"),
        ("[k for k in z]", "listcomp is not allowed"),
        ("2 ^ 3 ^ 2", "power towers are not allowed"),
        ("z[0] ^ 65", "exponent 65 is too large"),
        ("softmax(z, temperature=2)", "not allowed"),
    ],
)
def test_the_whitelist_and_caps_still_hold(text, message):
    with pytest.raises(FormulaError, match=re.escape(message)):
        evaluate(text, P)


def test_index_names_are_params():
    assert names("z[k] + softmax(z)[argmax(z)] + W[:, j]") == {"z", "k", "W", "j"}


PACK = """\
pack: helpers
name: Helpers
version: 1
cards:
  - id: fine
    kind: numeric
    prompt: "z = {z}, k = {k}"
    params:
      z: {uniform: [-2, 2], shape: [3], decimals: 1}
      k: {choice: [0, 1, 2]}
    answer: "softmax(z)[k]"
  - id: pick-top
    kind: numeric
    prompt: "z = {z}, k = {k}"
    params:
      z: {uniform: [-2, 2], shape: [3], decimals: 1}
      k: {choice: [0, 1, 2, 3]}
    answer: "z[k]"
"""


def test_pack_check_names_the_card_whose_variant_indexes_out_of_range(tmp_path):
    path = tmp_path / "helpers.yaml"
    path.write_text(PACK)
    _, problems = check_pack(path, variants=20, deep=True)
    assert [(p.line, p.card) for p in problems] == [(12, "pick-top")]
    assert "index 3 is out of bounds for axis 0 with size 3" in problems[0].message
    out = subprocess.run([sys.executable, "-m", "quizact", "pack", "check", str(path)],
                         capture_output=True, text=True, timeout=120)  # fmt: skip
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert re.search(r"helpers\.yaml:12: pick-top: .*index 3 is out of bounds", out.stdout), out.stdout


def test_the_docs_example_passes_pack_check(tmp_path):
    doc = (Path(__file__).resolve().parents[2] / "docs" / "pack-format.md").read_text()
    block = re.search(r"```yaml\n(- id: softmax-top-class\n.*?)```", doc, re.S)
    assert block, "the Formulas example is missing from docs/pack-format.md"
    cards = "\n".join("  " + line for line in block.group(1).splitlines())
    path = tmp_path / "doc.yaml"
    path.write_text(f"pack: doc\nname: Doc\nversion: 1\ncards:\n{cards}\n")
    pack, problems = check_pack(path, variants=10, deep=True)
    assert problems == [] and pack is not None
    card = next(c for c in pack.cards if c.id == "product-of-the-rest")
    assert evaluate(card.answer, card.params) == -6.0
