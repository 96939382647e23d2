"""Arithmetic in the app's number boxes: the "interpreted as … = …" line, the refusal of
the card's own function (costs nothing), at 120×36 and 80×24, over the real grader."""

from __future__ import annotations

import textwrap

import pytest

from quizact.session import Session
from quizact.tui.widgets.answer_box import AnswerBox
from quizact.tui.widgets.steps import StepsForm
from tests import inside

from .conftest import NOW, drive, make_app, reviews, settle, type_text

PACK_ID = "arith-app"
CARDS = ("sigma-value", "neuron")
PACK = textwrap.dedent(
    """\
    pack: arith-app
    name: arithmetic in the app
    version: 1
    cards:
      - id: sigma-value
        kind: numeric
        params: {z: 0.51}
        prompt: "Compute σ({z}) to three significant figures."
        answer: sigmoid(z)
        tolerance: {sigfigs: 3}
      - id: neuron
        kind: steps
        params: {w: 0.5, x: 1.2, b: -0.09}
        prompt: "A neuron: z = w·x + b with w = {w}, x = {x}, b = {b}; a = σ(z)."
        steps:
          - {prompt: "z", name: z1, answer: "w*x + b", tolerance: {sigfigs: 3}}
          - {prompt: "a = σ(z)", answer: "sigmoid(z1)", tolerance: {sigfigs: 3}}
    """
)
SIZES = [(120, 36), (80, 24)]
# σ(0.51) = 1/(1 + e^−0.51) = 0.62481 (by hand: e^−0.51 = 0.60050, 1/1.60050 = 0.62481)
READ = "interpreted as 1/(1 + e^(−0.51)) = 0.625"


@pytest.fixture
def session(tmp_path):
    path = tmp_path / "arith.yaml"
    path.write_text(PACK)
    s = Session.open(tmp_path / "c.sqlite3", NOW, sources=[path])
    yield s
    s.close()


def only(session: Session, card_id: str) -> None:
    for other in CARDS:
        if other != card_id:
            inside.study(session).bury(PACK_ID, other, NOW)
    inside.study(session).collection.query("DELETE FROM undo")


def rendered(app) -> str:
    """Every character the terminal would be sent for the current screen."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


@pytest.mark.parametrize("size", SIZES)
def test_preview_says_how_arithmetic_was_read(session, clock, size):
    only(session, "sigma-value")
    app = make_app(session, clock, start="review")

    async def scenario(pilot):
        screen = app.screen
        box = screen.query_one(AnswerBox)
        await type_text(pilot, "1/(1+e^-0.51)")
        await settle(pilot)
        assert READ in str(box.query_one(".preview").render())
        assert READ in rendered(app)  # on screen, whole, on one line
        await pilot.press("enter")
        await settle(pilot)
        assert screen.phase == "graded"
        assert screen.card_view.graded.verdict.status == "correct"
        assert READ in rendered(app)  # the verdict carries the same line
        await pilot.press("enter")
        await settle(pilot)

    drive(app, scenario, size=size)
    assert reviews(session, "review") == [("sigma-value", "review", 3, "correct")]


@pytest.mark.parametrize("size", SIZES)
def test_the_cards_own_function_is_refused_for_free(session, clock, size):
    only(session, "sigma-value")
    before = inside.collection(session).card_row(PACK_ID, "sigma-value")
    app = make_app(session, clock, start="review")

    async def scenario(pilot):
        screen = app.screen
        box = screen.query_one(AnswerBox)
        await type_text(pilot, "sigmoid(0.51)")
        await settle(pilot)
        error = str(box.query_one(".error").render())
        assert "this card asks you to compute σ yourself: type the number or arithmetic without sigmoid" in error
        assert error.splitlines()[1].startswith("  ^")  # the caret under the s of sigmoid
        assert "this card asks you to compute σ yourself" in rendered(app)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.phase == "answering"
        assert "not counted" in str(box.query_one(".error").render())
        assert reviews(session) == [] and inside.collection(session).card_row(PACK_ID, "sigma-value") == before
        box.input.value = ""
        await type_text(pilot, "1/(1+e^-0.51)")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.card_view.graded.verdict.status == "correct"
        assert screen.card_view.graded.proposed == 3  # the refusal was no attempt
        await pilot.press("enter")
        await settle(pilot)

    drive(app, scenario, size=size)
    assert reviews(session, "review") == [("sigma-value", "review", 3, "correct")]


def test_steps_boxes_take_arithmetic(session, clock):
    only(session, "neuron")
    app = make_app(session, clock, start="review")

    async def scenario(pilot):
        screen = app.screen
        form = screen.query_one(StepsForm)
        await type_text(pilot, "0.5*1.2 - 0.09")
        await settle(pilot)
        read = "interpreted as 0.5·1.2 − 0.09 = 0.510"  # 0.6 − 0.09 = 0.51
        assert read in str(form.rows[0].box.query_one(".preview").render())
        await pilot.press("enter")
        await settle(pilot)
        assert form.rows[0].result.status == "correct"
        assert read in str(form.rows[0].query_one(".result").render())
        await type_text(pilot, "σ(0.51)")
        await settle(pilot)
        assert "compute σ yourself" in str(form.rows[1].box.query_one(".error").render())
        form.rows[1].box.input.value = ""
        await type_text(pilot, "1/(1+e^-0.51)")
        await pilot.press("enter")
        await settle(pilot)
        assert screen.phase == "graded"
        assert screen.card_view.graded.verdict.status == "correct"
        await pilot.press("enter")
        await settle(pilot)

    drive(app, scenario, size=(80, 24))
    assert reviews(session, "review") == [("neuron", "review", 3, "correct")]
