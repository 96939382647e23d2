"""A steps card's ``ecf_credit``: what a step consistent with an earlier wrong value earns.

The pack is a real file. x = 3: step a = 2x = 6, step b = a + 1 = 7. Typing a = 5 (wrong)
and b = 6 (right given a = 5) gives step scores 0 and ``ecf_credit``, so the card scores
ecf_credit / 2 (worked by hand for each credit below).
"""

from __future__ import annotations

import pytest

from quizact.grading.card import grade
from quizact.packs.loader import read_pack
from quizact.packs.params import instantiate
from quizact.scheduling import Rating, propose_rating

PACK = """\
pack: ecf-credit
name: ECF credit
version: 1
cards:
  - id: default
    kind: steps
    params: {{x: 3}}
    prompt: "x = {{x}}: a = 2x, then b = a + 1."
    steps:
      - {{prompt: "a = 2x", name: a, answer: "2*x", tolerance: {{sigfigs: 3}}}}
      - {{prompt: "b = a + 1", answer: "a + 1", tolerance: {{sigfigs: 3}}}}
{credited}
"""

CREDITED = """\
  - id: credit-{name}
    kind: steps
    ecf_credit: {credit}
    params: {{x: 3}}
    prompt: "x = {{x}}: a = 2x, then b = a + 1."
    steps:
      - {{prompt: "a = 2x", name: a, answer: "2*x", tolerance: {{sigfigs: 3}}}}
      - {{prompt: "b = a + 1", answer: "a + 1", tolerance: {{sigfigs: 3}}}}
"""

CREDITS = {"zero": 0, "quarter": 0.25, "full": 1}


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    path = tmp_path_factory.mktemp("ecf") / "pack.yaml"
    credited = "".join(CREDITED.format(name=n, credit=c) for n, c in CREDITS.items())
    path.write_text(PACK.format(credited=credited), encoding="utf-8")
    loaded, problems = read_pack(path)
    assert loaded is not None and problems == []
    return loaded


def graded(pack, card_id, answers):
    card = pack.card(card_id)
    return grade(card, instantiate(card, 0), answers)


@pytest.mark.parametrize(("card_id", "score", "proposed"), [
    ("default", 0.25, Rating.Hard),  # the default credit is 0.5
    ("credit-zero", 0.0, Rating.Again),
    ("credit-quarter", 0.125, Rating.Hard),
    ("credit-full", 0.5, Rating.Hard),
])  # fmt: skip
def test_a_carried_step_earns_the_cards_ecf_credit(pack, card_id, score, proposed):
    verdict = graded(pack, card_id, ["5", "6"])
    assert [s.status for s in verdict.steps] == ["incorrect", "correct"]
    assert verdict.steps[1].note == "ecf"
    assert verdict.steps[1].score == pytest.approx(2 * score)
    assert verdict.status == "incorrect" and verdict.score == pytest.approx(score)
    assert propose_rating(verdict.status, verdict.score) == proposed


@pytest.mark.parametrize("card_id", ["default", *(f"credit-{n}" for n in CREDITS)])
def test_right_steps_earn_full_marks_whatever_the_credit(pack, card_id):
    verdict = graded(pack, card_id, ["6", "7"])
    assert verdict.status == "correct" and verdict.score == 1.0
    wrong = graded(pack, card_id, ["6", "8"])  # not consistent with anything: no credit
    assert wrong.score == 0.5 and wrong.steps[1].note is None
