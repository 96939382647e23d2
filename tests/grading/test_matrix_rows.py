"""A matrix answer typed row by row: rows split by ``;`` or new lines, with or without
brackets, read exactly as ``[[…], […]]``; a wrong shape stays a shape message (no attempt
spent), and a caret still points into the text as typed."""

from __future__ import annotations

import pytest

from quizact.grading.card import grade
from quizact.grading.numeric import NumberError, read_number, shape_of
from quizact.packs.loader import parse_card
from quizact.packs.params import instantiate

# A fixed 2 × 3 matrix: rows [1, 2, 3] and [4, 5, 6].
MATRIX = {"id": "m", "kind": "numeric", "prompt": "Write A.", "params": {"A": [[1, 2, 3], [4, 5, 6]]}, "answer": "A"}


def graded(answer: str):
    card = parse_card(MATRIX)
    return grade(card, instantiate(card, 0), answer)


def values(text: str):
    reading = read_number(text)
    return shape_of(reading.value), [[t.value for t in row] for row in reading.value]


@pytest.mark.parametrize("text", [
    "1, 2, 3; 4, 5, 6", "[1, 2, 3; 4, 5, 6]", "1, 2, 3\n4, 5, 6", "1, 2, 3\r\n4, 5, 6\n",
    "[1, 2, 3]; [4, 5, 6]", "1, 2, 3;\n4, 5, 6;", "  1 , 2 , 3 ;4,5,6  ",
])
def test_rows_by_semicolons_or_lines_read_as_nested_lists(text):
    assert values(text) == ((2, 3), [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    assert graded(text).status == "correct"


def test_arithmetic_entries_keep_their_commas_inside_parentheses():
    reading = read_number("max(1, 2), 1/2; 3, 2^2")
    assert [[t.value for t in row] for row in reading.value] == [[2.0, 0.5], [3.0, 4.0]]
    assert reading.shown == "[[max(1, 2), 1/2], [3, 2^2]]"


def test_a_wrong_shape_by_rows_is_a_shape_message_and_costs_nothing():
    v = graded("1, 2; 3, 4; 5, 6")  # 3 rows × 2 columns, not the transpose's numbers
    assert v.status == "invalid"
    assert v.steps[0].feedback == "expected 2 rows × 3 columns, you typed 3 rows × 2 columns"
    v = graded("1, 2, 3; 4, 5")
    assert v.status == "invalid" and "rows of different lengths" in v.feedback


def test_the_transpose_typed_by_rows_is_the_transpose():
    v = graded("1, 4; 2, 5; 3, 6")
    assert v.status == "incorrect" and v.mistake == "transpose"


def test_a_caret_points_into_the_text_as_typed():
    with pytest.raises(NumberError) as caught:
        read_number("1, 2; 3, x")
    assert caught.value.pos == 9  # the x, counted in "1, 2; 3, x"


def test_a_vector_typed_as_a_column_of_rows_fits_a_vector():
    card = parse_card({"id": "v", "kind": "numeric", "prompt": "v", "params": {"v": [1, 2, 3]}, "answer": "v"})
    assert grade(card, instantiate(card, 0), "1; 2; 3").status == "correct"


@pytest.mark.parametrize("text, at", [("0]; 1", 2), ("\x1b]0;pwned\x07 z", 3), ("[1, 2; 3", 5), ("1]\n2", 2)])
def test_a_split_inside_unbalanced_brackets_is_refused_at_the_split(text, at):
    # these once re-split forever (each pass wrapping the rows in more brackets) and ended as
    # "answer longer than 2000 characters"
    with pytest.raises(NumberError) as err:
        read_number(text)
    assert err.value.pos == at and "2000" not in err.value.message
