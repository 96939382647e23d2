"""``quizact pack stats``: the author's item analysis, on a real collection file after
reviews made through the real Session and Sitting (real grading, real fsrs). Every expected
figure is worked by hand from the reviews the test makes (see ``LOG``), never read from the
code under test."""

from __future__ import annotations

import json
import random
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from quizact.cli import main
from quizact.scheduling import Rating
from quizact.session import Session
from tests.conftest import NOW

PACK = """\
pack: stats-demo
name: Stats demo
version: 1
cards:
  - id: sig0
    kind: numeric
    prompt: "Compute sigmoid(0)."
    answer: sigmoid(0)
    tolerance: {atol: 0.001}
    mistakes:
      - {id: "forgot-denominator\\e[2J", answer: 1, feedback: "1/(1+e^0) has 1 + 1 = 2 below."}
  - id: chain
    kind: steps
    network: {layers: [1, 1, 1], activations: [relu, identity], bias: false, loss: squared_error}
    params: {x: 2, y: 1.0, W1: 0.5, W2: 0.3, lr: 0.1}
    prompt: "x = {x}, W1 = {W1}, W2 = {W2}, y = {y}."
    steps:
      - {prompt: "z1 = W1·x", value: z1}
      - prompt: "z2 = W2·a1"
        value: z2
        mistakes:
          - {id: forgot-w2, answer: 1, feedback: "z2 multiplies a1 by W2."}
  - id: r1
    kind: recall
    prompt: "What is ReLU?"
    answer: "max(0, z)"
  - id: tanh-range
    kind: choice
    prompt: "Which interval holds every output of tanh?"
    options:
      - {text: "(-1, 1)", correct: true}
      - {text: "(0, 1)", feedback: "That is the sigmoid's range."}
      - {text: "[0, 1]", feedback: "tanh is negative for z < 0."}
  - id: unseen
    kind: recall
    prompt: "Never reviewed."
    answer: "-"
"""
MISTAKE = "forgot-denominator\x1b[2J"  # a pack's mistake id: printed escaped

CHOICE = "tanh-range"


class Pick(str):
    """A choice card's answer: the option with this text, whatever letter it has."""


# (card, answers or None for a recall card, retry answer, rating, seconds on the card,
#  practice?, the card's state before: 0 new, 1 learning, 2 review, 3 relearning)
# sig0 is 0.5; chain's z1 = 0.5·2 = 1 and z2 = 0.3·1 = 0.3 (with a learner's z1 = 2 the
# carried-forward z2 is 0.6). The states are fsrs' with the default steps, checked as we go.
LOG = [
    ("sig0", "0.5", None, Rating.Easy, 4, False, 0),  # right; Easy takes a new card to review
    ("sig0", "0.5", None, Rating.Good, 5, False, 2),  # right, in review
    ("sig0", "1", None, Rating.Again, 12, False, 2),  # the listed mistake; a lapse
    ("sig0", "0.7", "0.5", Rating.Good, 20, False, 3),  # wrong, then right after a retry
    ("sig0", "0.7", None, Rating.Again, 8, False, 2),  # wrong, no mistake; a lapse
    ("sig0", "1", None, Rating.Again, 6, True, 3),  # practice: the mistake again
    ("chain", ["1", "0.3"], None, Rating.Easy, 30, False, 0),  # both right
    ("chain", ["2", "0.6"], None, Rating.Again, 50, False, 2),  # step 1 wrong, step 2 right (carried); lapse
    ("chain", ["1", "1"], None, Rating.Good, 40, False, 3),  # step 2: mistake forgot-w2
    ("chain", ["1", "0.3"], None, Rating.Good, 20, False, 2),  # both right, in review
    ("chain", ["0.5", "1"], None, Rating.Again, 45, True, 2),  # practice: both wrong, step 2 forgot-w2
    ("r1", None, None, Rating.Good, 3, False, 0),  # self-rated: recalled
    ("r1", None, None, Rating.Again, 9, False, 1),  # self-rated: not recalled
    # a choice card: the option picked (its letter changes with each variant's shuffle)
    (CHOICE, Pick("(0, 1)"), None, Rating.Again, 10, False, 0),
    (CHOICE, Pick("(0, 1)"), None, Rating.Again, 14, False, 1),
    (CHOICE, Pick("[0, 1]"), None, Rating.Again, 8, False, 1),
    (CHOICE, Pick("(-1, 1)"), None, Rating.Good, 6, False, 1),
]


LETTERS: list[str] = []  # the letters the choice card was answered with


@pytest.fixture
def reviewed(tmp_path, _isolated_home):
    """A collection file with stats-demo installed by ``pack add`` and ``LOG`` reviewed."""
    db = tmp_path / "c.sqlite"
    src = tmp_path / "stats.yaml"
    src.write_text(PACK)
    out = CliRunner().invoke(main, ["--db", str(db), "pack", "add", str(src)])
    assert out.exit_code == 0, out.output
    session = Session.open(db, NOW, sources=[_isolated_home / "packs" / "stats-demo.yaml"])
    rng, t = random.Random(7), NOW
    LETTERS.clear()
    try:
        for card, answers, retry, rating, seconds, practice, state in LOG:
            t += timedelta(days=1)
            assert session.card("stats-demo", card).state == state, (card, answers)
            mode = "practice" if practice else "review"
            seed = len(LETTERS) + 3 if isinstance(answers, Pick) else None  # variants 3, 4, 5, 6
            shown = session.present("stats-demo", card, t, rng, mode=mode, seed=seed)
            sitting = session.sitting(rng, [] if practice else None, shown=shown)
            assert sitting.next(t) is shown
            if isinstance(answers, Pick):
                answers = chr(ord("a") + shown.options.index(answers))
                LETTERS.append(answers)
            if answers is None:
                sitting.reveal()
            else:
                sitting.submit(answers, t)
                if retry is not None:
                    sitting.retry()
                    assert sitting.submit(retry, t).verdict.status == "correct"
            sitting.rate(rating, t + timedelta(seconds=seconds))
    finally:
        session.close()
    return db


def stats_json(db: Path, pack: str = "stats-demo"):
    out = CliRunner().invoke(main, ["--db", str(db), "pack", "stats", pack, "--json"])
    assert out.exit_code == 0, out.output
    return {c["card_id"]: c for c in json.loads(out.output)["cards"]}


def test_per_card_figures_match_the_hand_worked_ones(reviewed):
    cards = stats_json(reviewed)
    assert list(cards) == ["sig0", "chain", "r1", CHOICE, "unseen"]  # pack order, unreviewed cards too
    sig0 = cards["sig0"]
    assert sig0["attempts"] == 6  # five reviews and one practice attempt
    # right at the first submission: reviews 1 and 2 (review 4 was right only after a retry)
    assert sig0["first_try_accuracy"] == pytest.approx(2 / 6)
    # times 4, 5, 12, 20, 8, 6 s: sorted 4 5 6 8 12 20, median (6 + 8) / 2
    assert sig0["median_ms"] == 7000
    # reviews in the review state: 2, 3, 5 (review 4 was relearning, practice never counts);
    # rated Again among them: 3 and 5
    assert (sig0["lapses"], sig0["lapse_rate"]) == (2, pytest.approx(2 / 3))
    # graded wrong: "1" (review 3), "0.7" (review 5), "1" (practice); review 4 kept its right answer
    assert sig0["wrong_answers"] == [{"text": "1", "count": 2}, {"text": "0.7", "count": 1}]
    assert sig0["mistakes"] == [{"text": MISTAKE, "count": 2}]

    chain = cards["chain"]
    assert chain["attempts"] == 5
    assert chain["first_try_accuracy"] == pytest.approx(2 / 5)  # reviews 1 and 4
    assert chain["median_ms"] == 40_000  # 20 30 40 45 50
    assert (chain["lapses"], chain["lapse_rate"]) == (1, pytest.approx(1 / 2))  # in review: 2 and 4
    # three wrong answers once each: ties in text order
    assert chain["wrong_answers"] == [{"text": t, "count": 1} for t in ("0.5; 1", "1; 1", "2; 0.6")]
    assert chain["mistakes"] == [{"text": "forgot-w2", "count": 2}]

    r1 = cards["r1"]  # self-rated: Good counts as right, Again as wrong; never in the review state
    assert (r1["attempts"], r1["first_try_accuracy"], r1["median_ms"]) == (2, 0.5, 6000)
    assert (r1["lapses"], r1["lapse_rate"], r1["wrong_answers"], r1["mistakes"]) == (0, None, [], [])
    choice = cards[CHOICE]
    assert LETTERS[0] != LETTERS[1]  # the same option under two letters: counted as one answer
    assert (choice["attempts"], choice["first_try_accuracy"]) == (4, 0.25)
    assert choice["median_ms"] == 9000  # 6 8 10 14
    assert (choice["lapses"], choice["lapse_rate"]) == (0, None)  # learning all along
    assert choice["wrong_answers"] == [{"text": "(0, 1)", "count": 2}, {"text": "[0, 1]", "count": 1}]
    unseen = cards["unseen"]
    assert (unseen["attempts"], unseen["first_try_accuracy"], unseen["median_ms"], unseen["lapse_rate"]) == (
        0, None, None, None)  # fmt: skip


def test_per_step_figures_match_the_hand_worked_ones(reviewed):
    step1, step2 = stats_json(reviewed)["chain"]["steps"]
    assert (step1["step"], step1["prompt"], step2["prompt"]) == (1, "z1 = W1·x", "z2 = W2·a1")
    # step 1 answered 1, 2, 1, 1, 0.5: right in reviews 1, 3, 4 (no retries on a steps card)
    assert (step1["attempts"], step1["first_try_accuracy"]) == (5, pytest.approx(3 / 5))
    # the reviews in the review state that graded it: 2 and 4; review 2 lapsed with step 1 wrong
    assert (step1["lapses"], step1["lapse_rate"]) == (1, pytest.approx(1 / 2))
    assert step1["wrong_answers"] == [{"text": "0.5", "count": 1}, {"text": "2", "count": 1}]
    assert step1["mistakes"] == []
    # step 2 answered 0.3, 0.6 (right, carried forward from z1 = 2), 1, 0.3, 1
    assert (step2["attempts"], step2["first_try_accuracy"]) == (5, pytest.approx(3 / 5))
    assert (step2["lapses"], step2["lapse_rate"]) == (0, 0.0)  # review 2 lapsed, but step 2 was right
    assert step2["wrong_answers"] == [{"text": "1", "count": 2}]
    assert step2["mistakes"] == [{"text": "forgot-w2", "count": 2}]
    assert step1["median_ms"] is None  # a review keeps one time for the whole card


def test_the_table_is_readable_and_escapes_what_the_pack_wrote(reviewed):
    out = CliRunner().invoke(main, ["--db", str(reviewed), "pack", "stats", "stats-demo"])
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert lines[0] == "stats-demo: 5 cards, 17 attempts"
    assert lines[1].split() == ["card", "kind", "attempts", "first", "try", "median", "lapses"]
    assert lines[2].split() == ["sig0", "numeric", "6", "33.3%", "7.0", "s", "2", "(66.7%)"]
    assert lines[3].strip() == 'wrong answers: "1" ×2, "0.7" ×1'
    assert lines[4].strip() == "mistakes: forgot-denominator\\x1b[2J ×2"
    assert "\x1b" not in out.output
    assert [line.split()[:2] for line in lines if line.startswith("  step")] == [["step", "1:"], ["step", "2:"]]
    assert any(line.split()[:3] == ["r1", "recall", "2"] and line.split()[-1] == "-" for line in lines)


def test_the_documented_example_is_what_the_command_prints(reviewed):
    out = CliRunner().invoke(main, ["--db", str(reviewed), "pack", "stats", "stats-demo"])
    text = (Path(__file__).resolve().parents[2] / "docs" / "cli.md").read_text()
    shown = text.split("$ quizact pack stats stats-demo\n", 1)[1].split("```", 1)[0]
    assert out.output.replace("\\x1b[2J", "") == shown  # the doc's mistake id is plain


def test_the_json_escapes_control_characters(reviewed):
    out = CliRunner().invoke(main, ["--db", str(reviewed), "pack", "stats", "stats-demo", "--json"])
    assert "\x1b" not in out.output and "forgot-denominator\\u001b[2J" in out.output


def test_an_unknown_pack_is_a_clear_error(reviewed):
    out = CliRunner().invoke(main, ["--db", str(reviewed), "pack", "stats", "no-such-pack"])
    assert out.exit_code == 1
    assert out.output.strip() == "Error: no pack 'no-such-pack' in this collection"
    assert out.exception is None or isinstance(out.exception, SystemExit)
