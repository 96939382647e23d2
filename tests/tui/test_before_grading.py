"""Before grading, the review screen gives nothing away, on every built-in card: the
examples in the answer boxes and the hint line grade not-correct with the real grader,
and a plot of the asked quantity is held back until the verdict (``plot: when``)."""

from __future__ import annotations

import random

from quizact.grading.card import expected_answers
from quizact.paths import builtin_packs
from quizact.session import Session
from quizact.tui.screens.review import ReviewScreen
from quizact.tui.widgets.answer_box import AnswerBox
from quizact.tui.widgets.card_view import CardView
from tests.hints import candidates

from .conftest import NOW, drive, make_app, only, settle, type_text

WITH_PLOT = ("sigmoid-max-slope", "sigmoid-derivative", "experiment-xor-relu-hidden")


def has_plot(card) -> bool:
    """A plot is drawn for the card: an activation, or the loss curve of a trained network."""
    network = getattr(card, "network", None)
    return card.plot is not None or (isinstance(network, dict) and bool(network.get("train")))


async def show(app, pilot, shown) -> CardView:
    """``shown`` on a review screen, in place of the one showing the last card (switching
    spares re-drawing the screen beneath at every card)."""
    screen = ReviewScreen(practice=[(shown.pack_id, shown.card_id)], first=shown)
    await (app.switch_screen if isinstance(app.screen, ReviewScreen) else app.push_screen)(screen)
    await settle(pilot)  # the plot's worker included
    screen = app.screen
    assert isinstance(screen, ReviewScreen) and screen.shown is shown
    return screen.card_view


def hints_on_screen(view: CardView) -> list[tuple[int | None, set[str]]]:
    """(step index or None, candidates) per answer box: its placeholder, its preview and
    error lines, and the hint line under the prompt."""
    hint = candidates(str(view.query_one("#hint").render()))
    out = []
    for box in view.query(AnswerBox):
        texts = [box.input.placeholder] + [str(s.render()) for s in box.query(".preview, .error") if s.display]
        out.append((box.index, set().union(hint, *map(candidates, texts))))
    return out or [(None, hint)]


def test_every_builtin_card_before_grading(tmp_path):
    session = Session.open(tmp_path / "c.sqlite3", NOW, sources=builtin_packs())
    cards = [(pack.id, card) for pack in session.packs.values() for card in pack.cards]
    assert len(cards) >= 80
    app = make_app(session)
    rng = random.Random(12)
    held = []

    async def scenario(pilot):
        for pack_id, card in cards:
            shown = session.present(pack_id, card.id, NOW, rng, mode="practice")
            view = await show(app, pilot, shown)
            before = getattr(card.plot, "when", None) == "before" if getattr(card, "plot", None) else False
            if before:  # a plot-reading card: the plot is the question, never held back
                assert view._held_plot is None, card.id
            else:
                assert not view.query("#plot"), card.id  # every other plot waits for the verdict
                assert not app.screen.query("#plot")
            if has_plot(card) and not before:
                assert view._held_plot is not None, card.id  # drawn, and waiting for the verdict
                held.append(card.id)
            for index, texts in hints_on_screen(view):
                for text in sorted(texts):
                    if card.kind in ("recall", "choice"):
                        continue  # nothing typed: a hint cannot be submitted as the answer
                    if index is None:
                        status = session.submit(shown, [text], NOW).verdict.status
                    else:  # the earlier steps right, this one the hint
                        right = expected_answers(card, shown.variant)[:index]
                        status = session.grade_steps(shown, [*right, text])[index].status
                    assert status != "correct", (card.id, index, text)

    drive(app, scenario)
    session.close()
    # every derivative and slope card carries a plot, and every experiment its loss curve
    assert {"sigmoid-max-slope", "sigmoid-derivative", "experiment-xor-sigmoid-hidden"} <= set(held)


def test_the_plot_appears_once_graded(tmp_path):
    session = Session.open(tmp_path / "c.sqlite3", NOW, sources=builtin_packs())
    app = make_app(session)
    rng = random.Random(3)

    async def scenario(pilot):
        for card_id in WITH_PLOT:
            shown = session.present("nn-foundations", card_id, NOW, rng, mode="practice")
            view = await show(app, pilot, shown)
            assert not view.query("#plot")
            assert not app.screen.check_action("toggle_plot", ())  # nothing for g to show yet
            answers = expected_answers(shown.card, shown.variant)
            for box, answer in zip(view.query(AnswerBox), answers):
                box.focus_input()
                await type_text(pilot, answer)
                await pilot.press("enter")
                await settle(pilot)
            assert app.screen.phase == "graded", card_id
            assert view.query("#plot"), card_id
            assert view.has_class("-has-plot")
            assert app.screen.check_action("toggle_plot", ())
            app.pop_screen()
            await pilot.pause()

    drive(app, scenario)
    session.close()


BEFORE = """\
pack: plot-when
name: Plot timing
version: 1
cards:
  - id: read-the-plot
    kind: numeric
    prompt: "The plot shows relu and its slope. What is the slope at z = 2?"
    answer: 1
    explain: "For z > 0 ReLU is z, slope 1."
    plot: {function: relu, range: [-3, 3], when: before}
  - id: after-by-default
    kind: numeric
    prompt: "What is the largest value of the sigmoid's slope?"
    answer: 0.25
    explain: "σ′ peaks at z = 0 with σ(1−σ) = 1/4."
    plot: {function: sigmoid}
"""


def test_a_plot_when_before_is_shown_with_the_question(tmp_path):
    pack = tmp_path / "plot-when.yaml"
    pack.write_text(BEFORE)
    session = Session.open(tmp_path / "c.sqlite3", NOW, sources=[pack])
    app = make_app(session)
    rng = random.Random(1)

    async def scenario(pilot):
        view = await show(app, pilot, session.present("plot-when", "read-the-plot", NOW, rng, mode="practice"))
        assert view.query("#plot") and view.has_class("-has-plot")
        await pilot.press("escape")  # out of the answer box: g is a key again
        assert app.screen.check_action("toggle_plot", ())
        app.pop_screen()
        await pilot.pause()
        view = await show(app, pilot, session.present("plot-when", "after-by-default", NOW, rng, mode="practice"))
        assert not view.query("#plot") and view._held_plot is not None

    drive(app, scenario)
    session.close()


def test_a_narrow_terminal_says_where_the_plot_is_once_graded(tmp_path):
    session = Session.open(tmp_path / "c.sqlite3", NOW, sources=builtin_packs())
    app = make_app(session)

    async def scenario(pilot):
        shown = session.present("nn-foundations", "sigmoid-max-slope", NOW, random.Random(2), mode="practice")
        view = await show(app, pilot, shown)
        assert not view.has_class("-plot-on")  # 80 columns: the plot is folded away
        assert "plot" not in str(view.query_one("#hint").render())  # nothing is said of it yet
        await type_text(pilot, "0.4")  # wrong (σ′ peaks at 1/4): graded all the same
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.phase == "graded" and view.query("#plot")
        assert any("press g" in str(n.message) for n in app._notifications)
        await pilot.press("g")
        assert view.has_class("-plot-on")

    drive(app, scenario, size=(80, 30))
    session.close()


def test_an_undone_rating_brings_the_card_back_with_its_plot(session, clock):
    only(session, "sigmoid-derivative", "sigmoid-slope-at-z")
    app = make_app(session, clock, start="review")

    async def scenario(pilot):
        screen = app.screen
        assert screen.shown.card_id == "sigmoid-derivative" and not screen.query("#plot")
        await type_text(pilot, "sigmoid(z)")  # wrong (σ itself): graded, then rated Again
        await pilot.press("enter")
        await settle(pilot)
        assert screen.query("#plot")
        await pilot.press("1")
        await settle(pilot)
        assert screen.shown.card_id == "sigmoid-slope-at-z" and not screen.query("#plot")
        await pilot.press("escape", "u")
        await settle(pilot)
        assert screen.shown.card_id == "sigmoid-derivative" and screen.phase == "graded"
        assert screen.card_view.query("#plot")  # graded as it was: its plot is shown

    drive(app, scenario, size=(110, 36))
