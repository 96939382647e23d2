"""The registry of card kinds (``quizact.kinds``): every kind of ``models.KINDS`` has one
spec implementing the protocol and one entry in the app's widget map; no code outside the
registry and that map compares a card's kind with a kind's name; and a sixth kind, added in
this file alone, is graded end to end through the registry.

Expected values are worked by hand: a + b with a = 3, b = 4 is 7; d/dx x² is 2*x.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest

from quizact import kinds
from quizact.grading.card import expected_answers, expected_values, grade
from quizact.kinds import ITEM_SPECS, KIND_SPECS, spec_of
from quizact.kinds.numeric import Numeric
from quizact.packs import models
from quizact.packs.check import check_card_choices
from quizact.packs.loader import parse_card
from quizact.packs.params import instantiate

QUIZACT = Path(__file__).resolve().parents[1] / "quizact"
KIND_ATTRIBUTES = ("name", "record", "self_rated", "picks_options", "stepwise", "retries")
KIND_METHODS = ("items", "answer_count", "expected", "expected_values", "grade", "check", "labels")
ITEM_METHODS = ("item_expected", "item_value", "grade_item")

CARDS = {
    "recall": {"id": "r", "kind": "recall", "prompt": "σ(0)?", "answer": "1/2"},
    "choice": {"id": "c", "kind": "choice", "prompt": "Range of σ?",
               "options": [{"text": "(0, 1)", "correct": True}, {"text": "(-1, 1)"}], "shuffle": False},
    "symbolic": {"id": "s", "kind": "symbolic", "prompt": "d/dx x²?", "answer": "2*x", "variables": ["x"]},
    "numeric": {"id": "n", "kind": "numeric", "prompt": "a + b?", "params": {"a": 3, "b": 4}, "answer": "a + b",
                "tolerance": {"rtol": 0.01}},
    "steps": {"id": "t", "kind": "steps", "prompt": "a + b, then its square.", "params": {"a": 3, "b": 4},
              "steps": [{"prompt": "s = a + b", "name": "s", "answer": "a + b"},
                        {"prompt": "s²", "answer": "s**2"}]},
}  # fmt: skip
#: each kind's reference answers and how many answers a response holds, worked by hand
EXPECTED = {"recall": (["1/2"], 0), "choice": (["a"], 1), "symbolic": (["2*x"], 1), "numeric": (["7"], 1),
            "steps": (["7", "49"], 2)}  # fmt: skip


def test_every_kind_has_a_spec_implementing_the_protocol():
    assert set(KIND_SPECS) == set(models.KINDS)
    for kind in models.KINDS:
        spec = spec_of(kind)
        for name in KIND_ATTRIBUTES:
            assert hasattr(spec, name), f"{kind}: no {name}"
        for name in KIND_METHODS:
            assert callable(getattr(spec, name, None)), f"{kind}: no {name}()"
        assert spec.name == kind
        assert type(parse_card(CARDS[kind])).__name__ == spec.record  # the kind's record


def test_the_kinds_a_step_may_be_are_item_specs():
    step_kinds = set(re.findall(r"[\"'](\w+)[\"']", models.Step.__annotations__["kind"]))
    assert set(ITEM_SPECS) == set(step_kinds) == {"numeric", "symbolic"}
    for kind, spec in ITEM_SPECS.items():
        assert spec.name == kind and isinstance(spec.carries, bool)
        for name in ITEM_METHODS:
            assert callable(getattr(spec, name, None)), f"{kind}: no {name}()"


@pytest.mark.parametrize("kind", models.KINDS)
def test_each_kind_expects_its_answers(kind):
    card = parse_card(CARDS[kind])
    variant = instantiate(card, 0)
    answers, count = EXPECTED[kind]
    assert expected_answers(card, variant) == answers
    assert spec_of(card).answer_count(card) == count
    if kind != "recall":  # self-rated: never graded
        assert grade(card, variant, answers).status == "correct"


def test_the_kinds_flags_say_how_each_is_answered():
    flags = {k: (s.self_rated, s.picks_options, s.stepwise, s.retries) for k, s in KIND_SPECS.items()}
    assert flags == {
        "recall": (True, False, False, False), "choice": (False, True, False, False),
        "symbolic": (False, False, False, True), "numeric": (False, False, False, True),
        "steps": (False, False, True, False),
    }  # fmt: skip


def test_the_widget_map_covers_every_kind():
    pytest.importorskip("textual")
    from quizact.tui.widgets.kinds import WIDGETS, AnswerArea

    assert set(WIDGETS) == set(models.KINDS)
    assert all(isinstance(area, AnswerArea) for area in WIDGETS.values())


def test_the_registry_is_light():
    """The registry is on the start-up path: its modules import no grader and no record
    at module level (``tests/test_startup_path.py`` runs the real path)."""
    heavy = re.compile(r"^(from|import) (quizact\.grading|quizact\.packs|sympy|numpy|pydantic|yaml)", re.M)
    for path in sorted((QUIZACT / "kinds").glob("*.py")):
        assert not heavy.findall(path.read_text(encoding="utf-8")), path.name


# -- no kind comparison outside the registry ------------------------------------------

NAMES = "|".join(models.KINDS)
COMPARISON = re.compile(
    rf"""\bkind\b["')\]]*\s*(==|!=)\s*["']({NAMES})["']"""  # card.kind == "recall", getattr(..., "kind") != "steps"
    rf"""|["']kind["'][^)]*\)\s*(==|!=)\s*["']({NAMES})["']"""  # getattr(item, "kind", "numeric") == "symbolic"
    rf"""|["']({NAMES})["']\s*(==|!=)\s*\S*\bkind\b"""  # "recall" == card.kind
    rf"""|\bkind\b["')\]]*\s+(not\s+)?in\s*[(\[{{][^)\]}}]*["']({NAMES})["']"""  # kind in ("symbolic", "numeric")
    rf"""|["']({NAMES})["']\s*,\s*["']({NAMES})["']"""  # a set of kinds: TYPED = ("symbolic", "numeric", ...)
)
#: where a kind's name may be compared with a kind: the registry and the app's widget map
HOME = ("kinds/", "tui/widgets/kinds.py")
#: not moved yet, each with why; an entry here is a place that still branches on a kind
ALLOWED = {
    "packs/models.py": "the records themselves: a symbolic step's own validation",
    "reading.py": "AnswerSpec: whether a box reads a formula or numbers (a card's or a step's kind)",
    # packs never import the grader (an import contract), and the kind modules grade: the
    # pack-side checks still name the kinds whose fields they read
    "packs/check.py": "the texts and formulas of each kind's fields; a choice card's correct: formulas",
    "packs/rulenames.py": "which answers are numbers (feedback rules), how a step is named",
}


def comparisons() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted(QUIZACT.rglob("*.py")):
        rel = path.relative_to(QUIZACT).as_posix()
        if rel.startswith(HOME[0]) or rel == HOME[1]:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if COMPARISON.search(line):
                found.setdefault(rel, []).append(f"{rel}:{number}: {line.strip()}")
    return found


def test_the_scan_finds_a_kind_comparison():
    for line in ('if card.kind == "recall":', "x = shown.card.kind != 'steps'", 'if kind in ("symbolic", "numeric"):',
                 'getattr(item, "kind", "numeric") == "symbolic"', 'if "choice" == card.kind:',
                 'TYPED_KINDS = ("symbolic", "numeric", "steps")'):
        assert COMPARISON.search(line), line
    for line in ('spec_of(card).self_rated', 'if draw == "choice":', 'kind = KINDS.get(name)'):
        assert not COMPARISON.search(line), line


def test_no_kind_comparison_outside_the_registry():
    found = comparisons()
    stray = [hit for rel, hits in found.items() if rel not in ALLOWED for hit in hits]
    assert not stray, "compare through quizact.kinds (spec_of(card)) instead:\n" + "\n".join(stray)
    assert set(ALLOWED) <= set(found), f"no longer branches on a kind, drop from ALLOWED: {set(ALLOWED) - set(found)}"


# -- a sixth kind, added here alone ---------------------------------------------------


class Integer(Numeric):
    """A whole number, graded exactly: numeric's spec, with its own grade."""

    name = "integer"
    record = "NumericCard"

    def grade(self, card, variant, answers):
        from quizact.grading.verdict import Verdict

        if not re.fullmatch(r"-?\d+", answers[0].strip()):
            return Verdict("invalid", 0.0, "type a whole number")
        exact = copy.copy(card)
        object.__setattr__(exact, "tolerance", models.Tolerance(rtol=0.0))
        return super().grade(exact, variant, answers)


@pytest.fixture
def integer_kind(monkeypatch):
    monkeypatch.setitem(KIND_SPECS, "integer", Integer())
    card = copy.copy(parse_card(CARDS["numeric"]))  # a + b with a = 3, b = 4, at rtol 0.01
    object.__setattr__(card, "kind", "integer")
    return card


def test_a_new_kind_is_graded_through_the_registry(integer_kind):
    card, variant = integer_kind, instantiate(integer_kind, 0)
    assert spec_of(card).name == "integer"
    assert expected_answers(card, variant) == ["7"] and expected_values(card, variant) == [7.0]
    assert grade(card, variant, "7").status == "correct"
    assert grade(card, variant, " -7 ").status == "incorrect"
    wrong = grade(card, variant, "8")
    assert (wrong.status, wrong.score) == ("incorrect", 0.0)
    assert grade(card, variant, "7.05").feedback == "type a whole number"
    assert grade(card, variant, ["7", "7"]).feedback == "this card takes 1 answer(s), got 2"
    assert spec_of(card).check(card, 5) == [] and spec_of(card).labels(card, variant) == ["answer"]


def test_the_same_card_as_numeric_keeps_its_tolerance():
    """The contrast that shows the sixth kind's own grade ran: 7.05 is within 1% of 7."""
    card = parse_card(CARDS["numeric"])
    assert grade(card, instantiate(card, 0), "7.05").status == "correct"


def test_an_unregistered_kind_is_a_key_error(monkeypatch):
    card = copy.copy(parse_card(CARDS["numeric"]))
    object.__setattr__(card, "kind", "integer")
    with pytest.raises(KeyError):
        grade(card, instantiate(card, 0), "7")


def test_choice_checks_run_as_the_choice_kinds_own():
    card = parse_card({**CARDS["choice"], "params": {"t": {"choice": [1, 2]}},
                       "options": [{"text": "one", "correct": "t == 1"}, {"text": "two", "correct": "t == 2"}]})
    assert spec_of(card).check(card, 10) == check_card_choices(card, 10) == []
    assert kinds.items_of(card, "numeric") == []
