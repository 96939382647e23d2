"""Reading learners' numbers and judging closeness."""

from __future__ import annotations

import pytest

from quizact.grading.numeric import NumberError, compare, flatten, parse_number, shape_of
from quizact.packs.models import Tolerance


def values(text):
    parsed = parse_number(text)
    return [t.value for t in flatten(parsed)], shape_of(parsed)


@pytest.mark.parametrize(
    "text, expected, shape",
    [
        ("0.25", [0.25], ()),
        ("-1.4", [-1.4], ()),
        ("−1.4", [-1.4], ()),
        (".5", [0.5], ()),
        ("4.54e-5", [4.54e-5], ()),
        ("4.54E-5", [4.54e-5], ()),
        ("4.54×10^-5", [4.54e-5], ()),
        ("4.54 * 10^(-5)", [4.54e-5], ()),
        ("-7/5", [-1.4], ()),
        ("[0.1, -0.2]", [0.1, -0.2], (2,)),
        ("0.1, -0.2", [0.1, -0.2], (2,)),
        ("[[1, 2], [3, 4]]", [1, 2, 3, 4], (2, 2)),
    ],
)
def test_accepted_forms(text, expected, shape):
    got, got_shape = values(text)
    assert got == pytest.approx(expected, rel=1e-12)
    assert got_shape == shape


@pytest.mark.parametrize(
    "text, message, pos",
    [
        ("", "empty answer", None),
        ("   ", "empty answer", None),
        # what is not a plain number is read as arithmetic, whose errors name the problem
        ("abc", "'abc' is not a number", 0),
        ("nan", "give a finite number", 0),
        ("inf", "give a finite number", 0),
        ("-inf", "give a finite number", 1),
        ("1e999", "out of range", 0),
        ("1/0", "division by zero", 1),
        ("[1, 2", "expected ']'", 5),
        ("[[1, 2], [3]]", "rows of different lengths", None),
        ("0.5 0.3", "missing operator", 4),
        ("x" * 10_000, "longer than", None),
        ("__import__('os')", "function '__import__' is not allowed", 0),
    ],
)
def test_rejected_forms(text, message, pos):
    with pytest.raises(NumberError) as exc:
        parse_number(text)
    assert message in exc.value.message
    assert exc.value.pos == pos


def test_caret_points_at_the_problem():
    with pytest.raises(NumberError) as exc:
        parse_number("0.5 0.3")
    assert exc.value.caret_line("0.5 0.3").splitlines()[1] == "    ^"


def test_tolerance_and_precision():
    three = Tolerance(sigfigs=3)
    typed = flatten(parse_number("0.59"))
    # sigma(0.37) = 0.591459...: 0.59 is right to two digits but short of three
    c = compare(typed, [0.5914589], three)
    assert not c.ok and c.precision
    c = compare(flatten(parse_number("0.591")), [0.5914589], three)
    assert c.ok
    c = compare(flatten(parse_number("0.58")), [0.5914589], three)
    assert not c.ok and not c.precision
    # rtol: within 0.1 % of 0.584 is [0.583416, 0.584584]
    assert compare(flatten(parse_number("0.5842")), [0.584], Tolerance()).ok
    assert not compare(flatten(parse_number("0.586")), [0.584], Tolerance()).ok
    # exact fractions carry no "digits" and are judged by value alone
    assert compare(flatten(parse_number("-7/5")), [-1.4], Tolerance()).ok
