"""Vector and matrix answers: the expected shape, transposes, and every wrong entry named."""

from __future__ import annotations

import textwrap

import pytest

from quizact.grading.card import grade
from quizact.packs.loader import parse_card, read_pack
from quizact.packs.params import instantiate

# A fixed 2 × 3 matrix: rows [1, 2, 3] and [4, 5, 6]; its transpose is [[1, 4], [2, 5], [3, 6]].
MATRIX = {"id": "m", "kind": "numeric", "prompt": "Write A.", "params": {"A": [[1, 2, 3], [4, 5, 6]]}, "answer": "A"}


def graded(card: dict, answer: str):
    c = parse_card(card)
    return grade(c, instantiate(c, 0), answer)


def test_the_matrix_itself_is_correct():
    assert graded(MATRIX, "[[1, 2, 3], [4, 5, 6]]").status == "correct"


def test_a_flat_list_for_a_matrix_is_invalid_and_names_both_shapes():
    v = graded(MATRIX, "[1, 2, 3, 4, 5, 6]")
    assert v.status == "invalid" and v.score == 0.0
    assert v.feedback == "expected 2 rows × 3 columns, you typed a list of 6 numbers"
    v = graded(MATRIX, "1, 2, 3, 4, 5, 6")  # the same without brackets
    assert v.feedback == "expected 2 rows × 3 columns, you typed a list of 6 numbers"


def test_rows_and_columns_of_another_shape_are_invalid():
    # 3 rows × 2 columns that are not the transpose (the transpose would be [[1, 4], ...])
    v = graded(MATRIX, "[[1, 2], [3, 4], [5, 6]]")
    assert v.status == "invalid"
    assert v.feedback == "expected 2 rows × 3 columns, you typed 3 rows × 2 columns"
    v = graded(MATRIX, "[[1, 2, 3]]")
    assert v.status == "invalid"
    assert v.feedback == "expected 2 rows × 3 columns, you typed 1 row × 3 columns"


def test_the_transpose_is_wrong_with_its_own_feedback():
    v = graded(MATRIX, "[[1, 4], [2, 5], [3, 6]]")
    assert v.status == "incorrect" and v.mistake == "transpose"
    assert v.feedback.startswith("this is the transpose of the expected matrix")


def test_the_transpose_of_a_square_matrix_is_wrong():
    square = {**MATRIX, "params": {"A": [[1, 2], [3, 4]]}}
    v = graded(square, "[[1, 3], [2, 4]]")
    assert v.status == "incorrect" and v.mistake == "transpose"
    assert "this is the transpose of" in v.feedback
    # a symmetric matrix is its own transpose: typing it is simply right
    symmetric = {**MATRIX, "params": {"A": [[1, 2], [2, 5]]}}
    assert graded(symmetric, "[[1, 2], [2, 5]]").status == "correct"


def test_the_transpose_of_a_network_gradient_names_the_quantity():
    # layers [2, 3]: W1 is 3 × 2. x = [1, 2], y = [0, 0, 0], identity output, squared error.
    # z1 = W1 x = [1·1 + 0·2, 0·1 + 1·2, 1·1 + 1·2] = [1, 2, 3]; dL/dz1 = 2(z1 − y) = [2, 4, 6];
    # grad.W1 = dL/dz1 xᵀ = [[2, 4], [4, 8], [6, 12]] (3 × 2); its transpose is 2 × 3.
    card = {
        "id": "g", "kind": "numeric", "prompt": "dL/dW1",
        "network": {"layers": [2, 3], "activations": ["identity"], "bias": False, "loss": "squared_error"},
        "params": {"x": [1.0, 2.0], "y": [0.0, 0.0, 0.0], "W1": [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]},
        "value": "grad.W1",
    }
    c = parse_card(card)
    assert grade(c, instantiate(c, 0), "[[2, 4], [4, 8], [6, 12]]").status == "correct"
    v = grade(c, instantiate(c, 0), "[[2, 4, 6], [4, 8, 12]]")
    assert v.status == "incorrect" and v.mistake == "transpose"
    assert v.feedback.startswith("this is the transpose of grad.W1")


def test_a_vector_may_be_typed_as_a_row_or_a_column():
    vec = {"id": "v", "kind": "numeric", "prompt": "z", "params": {"z": [1, 2, 3]}, "answer": "z"}
    assert graded(vec, "[1, 2, 3]").status == "correct"
    assert graded(vec, "[[1, 2, 3]]").status == "correct"
    assert graded(vec, "[[1], [2], [3]]").status == "correct"
    v = graded(vec, "[1, 2]")
    assert v.status == "invalid" and v.feedback == "expected a list of 3 numbers, you typed a list of 2 numbers"
    assert graded(vec, "2").feedback == "expected a list of 3 numbers, you typed one number"


def test_a_row_matrix_accepts_a_plain_list_and_one_entry_a_number():
    row = {"id": "r", "kind": "numeric", "prompt": "W2", "params": {"W": [[0.5, -0.25]]}, "answer": "W"}
    assert graded(row, "[0.5, -0.25]").status == "correct"
    assert graded(row, "[[0.5, -0.25]]").status == "correct"
    # an explicit column for a row matrix is its transpose
    v = graded(row, "[[0.5], [-0.25]]")
    assert v.status == "incorrect" and v.mistake == "transpose"
    one = {"id": "o", "kind": "numeric", "prompt": "W", "params": {"W": [[0.5]]}, "answer": "W"}
    assert graded(one, "0.5").status == "correct"
    assert graded(one, "[[0.5]]").status == "correct"


VECTOR = {"id": "v", "kind": "numeric", "prompt": "z", "params": {"z": [0.1, 0.2, 0.3, 0.4]}, "answer": "z"}


def test_every_wrong_entry_is_named_counted_from_one_by_default():
    # the 1st and 3rd entries are off (0.9 for 0.1, 0.7 for 0.3); the others are right
    v = graded(VECTOR, "[0.9, 0.2, 0.7, 0.4]")
    assert v.status == "incorrect"
    assert "entries 1 and 3 are off" in v.feedback
    assert "entry 3 is off" in graded(VECTOR, "[0.1, 0.2, 0.7, 0.4]").feedback
    assert "all 4 entries are off (1, 2, 3 and 4)" in graded(VECTOR, "[1, 1, 1, 1]").feedback


def test_entries_counted_from_zero_when_the_card_says_so():
    v = graded({**VECTOR, "index_from": 0}, "[0.9, 0.2, 0.7, 0.4]")
    assert "entries 0 and 2 are off" in v.feedback


def test_matrix_entries_are_named_by_row_and_column():
    # (row 1, column 2) holds 2 and (row 2, column 3) holds 6; both typed as 0
    v = graded(MATRIX, "[[1, 0, 3], [4, 5, 0]]")
    assert "entries (1, 2) and (2, 3) are off" in v.feedback
    v = graded({**MATRIX, "index_from": 0}, "[[1, 0, 3], [4, 5, 0]]")
    assert "entries (0, 1) and (1, 2) are off" in v.feedback


def _pack(tmp_path, head: str, card_extra: str = ""):
    path = tmp_path / "p.yaml"
    path.write_text(textwrap.dedent(f"""\
        pack: p
        name: P
        version: 1
        {head}
        cards:
          - id: v
            kind: numeric
            prompt: "z[0], z[1], z[2], z[3]"
            params: {{z: [0.1, 0.2, 0.3, 0.4]}}
            answer: z
            {card_extra}
    """))
    return read_pack(path)


def test_a_pack_sets_the_count_for_its_cards_and_a_card_overrides_it(tmp_path):
    pack, problems = _pack(tmp_path, "index_from: 0")
    assert not problems
    card = pack.cards[0]
    assert card.index_from == 0
    assert "entries 0 and 2 are off" in grade(card, instantiate(card, 0), "[0.9, 0.2, 0.7, 0.4]").feedback
    pack, problems = _pack(tmp_path, "index_from: 0", "index_from: 1")
    assert not problems and pack.cards[0].index_from == 1
    pack, problems = _pack(tmp_path, "description: default")
    assert not problems and pack.cards[0].index_from == 1


@pytest.mark.parametrize("bad", ["2", "true", "'1'", "-1"])
def test_index_from_is_validated_and_located(tmp_path, bad):
    _, problems = _pack(tmp_path, "", f"index_from: {bad}")
    assert len(problems) == 1
    p = problems[0]
    assert (p.card, p.line) == ("v", 11)  # line 4 is the empty head and "index_from" in p.message
    _, problems = _pack(tmp_path, f"index_from: {bad}")
    assert len(problems) == 1 and problems[0].line == 4 and "index_from" in problems[0].message


def test_a_listed_mistake_of_another_shape_keeps_its_own_feedback():
    # the author lists the transpose with their own words; a flat list of the same numbers
    # is still a shape error, not that mistake
    card = {**MATRIX, "mistakes": [{"answer": "transpose(A)", "feedback": "Rows first: A is 2 × 3."}]}
    v = graded(card, "[[1, 4], [2, 5], [3, 6]]")
    assert v.status == "incorrect" and v.feedback.startswith("Rows first: A is 2 × 3.")
    v = graded(card, "[1, 4, 2, 5, 3, 6]")
    assert v.status == "invalid" and v.feedback == "expected 2 rows × 3 columns, you typed a list of 6 numbers"
