"""The attack corpus typed into the app's answer box: each is answered (never run), the
app stays responsive, no attempt is counted for what cannot be read."""

from __future__ import annotations

import time

from quizact.tui.widgets.answer_box import AnswerBox
from tests.tui.conftest import drive, make_app, only, reviews, settle, type_text


def test_attacks_in_the_answer_box(session, clock, tmp_path):
    only(session, "sigmoid-derivative")
    sentinel = tmp_path / "SENTINEL"
    attacks = [
        f"__import__('os').system('touch {sentinel}')",
        "().__class__.__bases__",
        "9**9**9",
        "factorial(10**10)",
        "(z+1)**100000",
        "(" * 3000 + "z" + ")" * 3000,
        "lambda: 1",
    ]
    app = make_app(session, clock, start="review", warm_grader=True)

    async def scenario(pilot):
        screen = app.screen
        box = app.screen.query_one(AnswerBox)
        for attack in attacks:
            box.query_one("Input").value = ""
            await type_text(pilot, attack)
            t0 = time.perf_counter()
            await pilot.press("enter")
            await settle(pilot, rounds=200)
            assert time.perf_counter() - t0 < 5, attack[:30]
            assert screen.phase in ("answering", "graded"), attack[:30]
            if screen.phase == "graded":  # a readable but wrong answer: rate it and stop
                assert screen.card_view.graded.verdict.status in ("incorrect", "invalid")
                break

    drive(app, scenario)
    assert not sentinel.exists()
    assert all(r[3] != "correct" for r in reviews(session))

