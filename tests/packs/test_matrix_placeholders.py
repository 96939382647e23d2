"""``{W1:matrix}``: a vector or matrix shown as an aligned block, in prompts and
explanations, on screen and in ``solve``; a scalar or an unknown name under ``:matrix`` is
a located ``pack check`` error."""

from __future__ import annotations

import pytest

from quizact.packs.lightform import build
from quizact.packs.params import RenderError, render
from tests.packs.cardfiles import problems, write_cards

W = [[0.5, -1.25], [12.0, 3.0]]


def test_a_matrix_is_a_block_aligned_on_the_decimal_point():
    # by hand: column 1 holds "0.5" and "12.0" (integer parts "0", "12": width 2), column 2
    # "-1.25" and "3.0" (integer parts "-1", "3", fractions ".25", ".0": widths 2 and 3)
    assert render("{W:matrix}", {"W": W}) == (
        "    ⎡  0.5  -1.25 ⎤\n"
        "    ⎣ 12.0   3.0  ⎦"
    )


def test_a_format_applies_to_every_entry():
    assert render("{W:matrix:.2f}", {"W": W}) == (
        "    ⎡  0.50  -1.25 ⎤\n"
        "    ⎣ 12.00   3.00 ⎦"
    )


def test_a_vector_is_a_column_and_a_single_row_one_line():
    assert render("{x:matrix}", {"x": [1, -2, 30]}) == "    ⎡  1 ⎤\n    ⎢ -2 ⎥\n    ⎣ 30 ⎦"
    assert render("{r:matrix}", {"r": [[1.5, 2.25]]}) == "    [ 1.5  2.25 ]"


def test_text_around_a_block_sits_on_its_middle_row_and_blocks_stand_apart():
    text = "Given\nW = {W:matrix:.1f}, x = {x:matrix}, lr = {lr}\nCompute W·x."
    assert render(text, {"W": [[1, 2], [3, 4]], "x": [5, 6, 7], "lr": 0.1}) == (
        "Given\n"
        "\n"
        "        ⎡ 1.0  2.0 ⎤      ⎡ 5 ⎤\n"
        "    W = ⎣ 3.0  4.0 ⎦, x = ⎢ 6 ⎥, lr = 0.1\n"
        "                          ⎣ 7 ⎦\n"
        "\n"
        "Compute W·x."
    )


def test_the_block_is_a_code_block_in_markdown():
    """Four spaces after a blank line: Markdown keeps the columns (no light paragraph form)."""
    from markdown_it import MarkdownIt

    shown = render("Weights:\nW = {W:matrix}", {"W": W})
    tokens = [t.type for t in MarkdownIt("gfm-like").parse(shown)]
    assert "code_block" in tokens
    assert build("Weights:\nW = {W:matrix}") is None  # drawn by the Markdown widget


def test_a_scalar_under_matrix_raises_when_strict_and_shows_plainly_otherwise():
    with pytest.raises(RenderError) as caught:
        render("{z:matrix}", {"z": 2.5}, strict=True)
    assert str(caught.value) == (
        "cannot fill {z:matrix}: z is a single number, not a vector or matrix: write it without :matrix"
    )
    assert render("z = {z:matrix}", {"z": 2.5}) == "z = 2.5"


def test_pack_check_locates_a_scalar_and_an_unknown_name(tmp_path):
    path = write_cards(tmp_path, """\
        - id: scalar-block
          kind: numeric
          prompt: "z = {z:matrix}"
          params: {z: {uniform: [0, 1], decimals: 1}}
          answer: z
        - id: unknown-block
          kind: numeric
          prompt: "W = {V:matrix}"
          explain: "{W:matrix:.2f}"
          params: {W: [[1, 2], [3, 4]]}
          answer: "sum(W)"
        """)
    assert problems(path, located=True) == [
        "5: scalar-block: prompt: cannot fill {z:matrix}: z is a single number, not a vector or matrix: "
        "write it without :matrix (seed 0)",
        "10: unknown-block: prompt: {V:matrix} names 'V', which is neither a param, a let nor a step of this card",
    ]
