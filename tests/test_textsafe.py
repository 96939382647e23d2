"""Text from learners and packs printed safely: controls shown, never acted on."""

import pytest

from quizact.packs.errors import Problem
from quizact.textsafe import caret, visible

HOSTILE = {
    "osc title": ("\x1b]0;pwned\x07 z", "\\x1b]0;pwned\\x07 z"),
    "clear screen": ("\x1b[2J", "\\x1b[2J"),
    "carriage return": ("right\rwrong", "right\\x0dwrong"),
    "nul": ("a\x00b", "a\\x00b"),
    "c1 csi": ("\x9b31m", "\\x9b31m"),
    "del": ("a\x7fb", "a\\x7fb"),
    "bidi override": ("abc\u202edcba", "abc\\u202edcba"),
    "bidi isolate": ("\u2066x\u2069", "\\u2066x\\u2069"),
    "line separator": ("a\u2028b", "a\\u2028b"),
    "newline": ("a\nb", "a\\x0ab"),
}


@pytest.mark.parametrize("raw, shown", HOSTILE.values(), ids=HOSTILE.keys())
def test_controls_are_shown_escaped(raw, shown):
    assert visible(raw) == shown


@pytest.mark.parametrize("text", ["σ′(z) = σ(z)(1 − σ(z))", "W₂ᵀ δ₂ ⊙ f′(z₁)", "[bold]x[/]", "ü ß 日本"])
def test_ordinary_text_is_untouched(text):
    assert visible(text) == text


def test_newlines_kept_only_when_asked():
    assert visible("a\nb\x1b", keep_newlines=True) == "a\nb\\x1b"


def test_a_problem_is_one_line_whatever_its_fields_hold():
    forged = Problem("p\n.yaml", 3, "card\nevil.yaml:1: other: forged", "bad\x1b[2J\nvalue")
    text = str(forged)
    assert "\n" not in text and "\x1b" not in text
    assert text == "p\\x0a.yaml:3: card\\x0aevil.yaml:1: other: forged: bad\\x1b[2J value"


@pytest.mark.parametrize("raw, shown", HOSTILE.values(), ids=HOSTILE.keys())
def test_escaping_twice_changes_nothing(raw, shown):
    # a caret line escaped by the grader may be escaped again where it is printed
    assert visible(visible(raw)) == shown


def test_the_caret_column_counts_the_escapes_before_it():
    # 'z', CR (4 columns once shown), '+', VT (4), then ')': column 1 + 4 + 1 + 4 = 10
    assert caret("z\r+\x0b)", 4) == ("z\\x0d+\\x0b)", 10)
    assert caret("abc", 2) == ("abc", 2)
