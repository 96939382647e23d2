"""A matrix or vector answer in the app: the box's hint names the expected shape (from the
variant's right value), a pasted matrix keeps its rows, a wrong shape is told and costs no
attempt, and a feedback rule's text is shown once graded."""

from __future__ import annotations

import pytest
from textual import events

from quizact.reading import AnswerSpec
from quizact.session import Session
from quizact.tui.widgets.answer_box import AnswerBox, placeholder, shape_hint
from tests import inside

from .conftest import NOW, drive, make_app, screen_text, settle

PACK = "matrices"
# Worked by hand: card "outer": d = [1, 2], x = [3, 5]: dL/dW = outer(d, x) = [[3, 5], [6, 10]].
# card "layer": x = [1, 2, 3], d = [1, -1]: step 1 x itself, step 2 outer(d, x) =
# [[1, 2, 3], [-1, -2, -3]], step 3 sum(d) = 0.
CARDS = """\
pack: matrices
name: Matrices
version: 1
cards:
  - id: outer
    kind: numeric
    prompt: "d = {d:matrix}, x = {x:matrix}: dL/dW?"
    params: {d: [1, 2], x: [3, 5]}
    answer: "outer(d, x)"
    feedback:
      - {when: "allclose(ans, transpose(expected))", say: "you transposed: [bold]rows[/bold] are units"}
  - id: layer
    kind: steps
    prompt: "x = {x}, d = {d}"
    params: {x: [1, 2, 3], d: [1, -1]}
    steps:
      - {prompt: "x", answer: "x"}
      - {prompt: "dL/dW", answer: "outer(d, x)"}
      - {prompt: "sum of d", answer: "sum(d)", tolerance: {rtol: 0.001, atol: 0.001}}
"""


@pytest.fixture
def matrix_session(tmp_path):
    path = tmp_path / "matrices.yaml"
    path.write_text(CARDS)
    s = Session.open(tmp_path / "c.sqlite3", NOW, sources=[path])
    yield s
    s.close()


def only(session, card_id: str) -> None:
    for other in ("outer", "layer"):
        if other != card_id:
            inside.study(session).bury(PACK, other, NOW)


def test_shape_hints_are_worded_by_hand():
    assert shape_hint((2, 3), compact=True) == "2×3 matrix: rows split by ;"
    assert shape_hint((2, 3)) == "a 2×3 matrix, row by row: rows split by ; or new lines"
    assert shape_hint((3,), compact=True) == "vector of 3: numbers split by ,"
    assert shape_hint((1, 4), compact=True) == "vector of 4: numbers split by ,"  # a row matrix reads as a list
    assert shape_hint(()) == shape_hint((1,)) == shape_hint((1, 1)) == shape_hint(None) == ""
    plain = placeholder(AnswerSpec("numeric"), compact=True)
    assert placeholder(AnswerSpec("numeric", shape=()), compact=True) == plain  # one number: as before


def test_the_box_says_the_matrix_shape_and_a_pasted_matrix_keeps_its_rows(matrix_session, clock):
    only(matrix_session, "outer")
    app = make_app(matrix_session, clock, start="review")

    async def scenario(pilot):
        await settle(pilot)
        box = app.screen.query_one(AnswerBox)
        assert box.input.placeholder == "a 2×2 matrix, row by row: rows split by ; or new lines"
        box.input.focus()
        app.post_message(events.Paste("3, 5\n6, 10\n"))  # as a terminal delivers a paste of two lines
        await settle(pilot)
        assert box.value == "3, 5; 6, 10"
        await pilot.press("enter")
        await settle(pilot)
        assert "correct" in screen_text(app).lower()

    drive(app, scenario)


def test_a_transposed_answer_shows_the_rule_feedback_escaped(matrix_session, clock):
    only(matrix_session, "outer")
    app = make_app(matrix_session, clock, start="review")

    async def scenario(pilot):
        await settle(pilot)
        app.screen.query_one(AnswerBox).input.focus()
        await pilot.press(*"3, 6; 5, 10", "enter")
        await settle(pilot)
        text = screen_text(app)
        assert "you transposed: [bold]rows[/bold] are units" in text  # markup shown as written

    drive(app, scenario)


def test_each_step_box_names_its_shape_and_a_wrong_shape_costs_nothing(matrix_session, clock):
    only(matrix_session, "layer")
    app = make_app(matrix_session, clock, start="review")

    async def scenario(pilot):
        await settle(pilot)
        boxes = list(app.screen.query(AnswerBox))
        assert [b.input.placeholder for b in boxes] == [
            "vector of 3: numbers split by ,",
            "2×3 matrix: rows split by ;",
            "a number, fraction or [vector]",  # a number: the plain hint
        ]
        boxes[0].input.focus()
        await pilot.press(*"1, 2, 3", "enter")
        await settle(pilot)
        await pilot.press(*"1, 2, 3, -1, -2, -3", "enter")  # a flat list for 2 × 3
        await settle(pilot)
        assert "expected 2 rows × 3 columns, you typed a list of 6 numbers" in screen_text(app)
        assert not boxes[1].input.disabled  # not counted: the box is open for a fix
        boxes[1].input.value = ""
        await pilot.press(*"1, 2, 3; -1, -2, -3", "enter")
        await settle(pilot)
        assert boxes[1].input.disabled  # graded

    drive(app, scenario)

