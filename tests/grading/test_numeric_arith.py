"""Constant arithmetic in number boxes: values, refusals, grading, the forbid rule.

Every expected value is computed here independently with the math module (or by hand);
none is a value printed by the code under test.
"""

from __future__ import annotations

import math
import random
import textwrap

import pytest
from click.testing import CliRunner

from quizact.cli import main
from quizact.grading.card import grade
from quizact.grading.numeric import NumberError, flatten, interpreted, parse_number, read_number
from quizact.packs.loader import load_pack, read_pack
from quizact.packs.params import instantiate
from quizact.scheduling import Rating
from quizact.session import Session
from tests import inside

PACK = textwrap.dedent(
    """\
    pack: arith-test
    name: arithmetic in number boxes
    version: 1
    cards:
      - id: sigma-value
        kind: numeric
        params: {z: 0.51}
        prompt: "Compute σ({z}) to three significant figures."
        answer: sigmoid(z)
        tolerance: {sigfigs: 3}
        mistakes:
          - {answer: "1/(1 + exp(z))", feedback: "That is σ(−z): the exponent is −z."}
      - id: one-minus-sigma
        kind: numeric
        params: {z: 0.51}
        prompt: "Compute 1 − σ({z})."
        answer: 1 - sigmoid(z)
        forbid: [sigma]
      - id: sigma-allowed
        kind: numeric
        params: {z: 0.51}
        prompt: "Compute σ({z}); σ may be typed here."
        answer: sigmoid(z)
        forbid: []
      - id: power
        kind: numeric
        prompt: "By what factor do five sigmoid layers at most shrink a gradient?"
        answer: 0.25^5
        tolerance: {rtol: 1.0e-6}
      - id: tiny-difference
        kind: numeric
        prompt: "How far apart are 1 and 1 + 10⁻¹²?"
        answer: 1.0e-12
        tolerance: {sigfigs: 6}
      - id: two-values
        kind: numeric
        prompt: "Give [σ(0), 0.25²]."
        answer: "[1/2, 0.25^2]"
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


@pytest.fixture
def pack_path(tmp_path):
    path = tmp_path / "arith.yaml"
    path.write_text(PACK)
    return path


@pytest.fixture
def cards(pack_path):
    pack = load_pack(pack_path)
    return {c.id: c for c in pack.cards}


def _grade(card, answers):
    return grade(card, instantiate(card, 0), answers)


def value(text: str) -> float:
    (typed,) = flatten(parse_number(text))
    return typed.value


# ---------------------------------------------------------------- values

SIGMA_051 = 1 / (1 + math.exp(-0.51))

VALUES = [
    ("1/(1+e^-0.51)", SIGMA_051),
    ("1 / (1 + exp(-0.51))", SIGMA_051),
    ("σ(0.51)", SIGMA_051),
    ("sigmoid(0.51)", SIGMA_051),
    ("0.25^5", 0.25**5),
    ("0.25**5", 0.25**5),
    ("-2^2", -4.0),  # Python's precedence: -(2^2)
    ("(-2)^2", 4.0),
    ("2^-1", 0.5),
    ("2^3^2", 512.0),  # right-associative, as Python's 2**3**2
    ("e^-0.51", math.exp(-0.51)),
    ("e^(1/2)", math.sqrt(math.e)),
    ("2pi", 2 * math.pi),
    ("π/4", math.pi / 4),
    ("ln(e^2)", 2.0),
    ("log(8, 2)", 3.0),
    ("sqrt(2)/2", math.sqrt(2) / 2),
    ("tanh(0.3)", math.tanh(0.3)),
    ("tanh²(0.3)", math.tanh(0.3) ** 2),
    ("1 - tanh(0.3)^2", 1 - math.tanh(0.3) ** 2),
    ("relu(-1.5) + relu(2)", 2.0),
    ("abs(-3) + |−2|", 5.0),
    ("max(0.1, 0.2, -1)", 0.2),
    ("sigmoid(0.4)*(1 - sigmoid(0.4))", (1 / (1 + math.exp(-0.4))) * (1 - 1 / (1 + math.exp(-0.4)))),
    ("exp(ln(sqrt(tanh(0.7))))", math.sqrt(math.tanh(0.7))),  # nested functions
    ("((((1.5))))", 1.5),
    ("2(3 + 1)", 8.0),
    ("−0.5 × 4", -2.0),
    ("1e-3 + 2e-3", 0.003),
    ("4.54e-5 * 2", 9.08e-5),
]


@pytest.mark.parametrize("text, expected", VALUES)
def test_arithmetic_values(text, expected):
    assert value(text) == pytest.approx(expected, rel=1e-13, abs=1e-15)


def test_plain_numbers_take_the_fast_path():
    """A plain number reads as before: no 'interpreted as', its digits kept."""
    for text in ("1e-3", "0.25", "-7/5", "4.54×10^-5", "[0.1, -0.2]"):
        assert read_number(text).shown is None
    assert value("1e-3") == 0.001  # e-notation is a number, not e times something
    (typed,) = flatten(parse_number("0.62"))
    assert typed.digits == 2
    (typed,) = flatten(parse_number("2*0.31"))
    assert typed.digits is None  # arithmetic counts as exact, like a fraction


def test_how_it_was_read():
    assert interpreted(read_number("1/(1+e^-0.51)")) == "1/(1 + e^(−0.51)) = 0.6248"
    assert interpreted(read_number("-2^2")) == "−(2^2) = −4"
    assert interpreted(read_number("2^-1")) == "2^(−1) = 0.5"
    assert interpreted(read_number("0.25^5")) == "0.25^5 = 0.0009766"


def test_vector_entries_may_be_arithmetic():
    reading = read_number("[2^-1, 0.25^5, 0.3]")
    assert [t.value for t in flatten(reading.value)] == [0.5, 0.25**5, 0.3]
    assert interpreted(reading) == "[2^(−1), 0.25^5, 0.3] = [0.5, 0.0009766, 0.3]"
    assert [t.value for t in flatten(parse_number("max(1, 2), min(3, 4)"))] == [2.0, 3.0]  # commas in calls
    rows = parse_number("[[1/2, 0], [0, 2^2]]")
    assert [[t.value for t in row] for row in rows] == [[0.5, 0.0], [0.0, 4.0]]


def test_high_precision_where_float_cancels():
    # float64 folding gets (1 + 1e-12) - 1 wrong in the 4th digit; the exact value is 1e-12
    assert abs(((1 + 1e-12) - 1) - 1e-12) > 1e-17
    assert value("(1 + 1e-12) - 1") == 1e-12
    assert value("exp(1e-10) - 1") == pytest.approx(1e-10 + 0.5e-20, rel=1e-15)  # series: x + x²/2
    assert value("sin(pi)") == 0.0  # zero up to rounding at every precision
    assert value("1 - 1") == 0.0


# ---------------------------------------------------------------- refusals

REFUSED = [
    ("x", "'x' is not a number", 0),
    ("2*x + 1", "'x' is not a number", 2),
    ("0.5 + abc", "'abc' is not a number", 6),
    ("__import__('os')", "not allowed", 0),
    ("os.system(1)", "not a number", 0),
    ("1/0", "division by zero", 1),
    ("1/(1 - 1)", "division by zero", 1),
    ("0^-1", "division by zero", 1),
    ("10^400", "out of range", 2),
    ("exp(1000)", "out of range", 0),
    ("exp(1e6)", "out of range", 0),
    ("10^10^10", "out of range", 2),
    ("1e-400 + 1", "out of range", 0),
    ("sqrt(-1)", "square root of a negative number", 0),
    ("ln(0)", "logarithm", 0),
    ("(-8)^(1/3)", "not a real number", 4),
    ("()", "empty parentheses", 0),
    ("2 * ()", "empty parentheses", 4),
    ("1 2", "missing operator", 2),
    ("nan", "give a finite number", 0),
    ("1 + inf", "give a finite number", 4),
    ("diff(1)", "not allowed", 0),
    ("1 < 2", "comparisons are not part of answers", 2),
    ("(1 + 2", "expected ')'", 6),
    ("2^\r2", "unexpected '\r'", 2),  # controls refused where they stand, as before
    ("[1,\r2^2]", "unexpected '\r'", 3),
    ("[1, 2^]", "incomplete expression", 6),
    ("(" * 1000 + "1", "nested more than", None),
    ("(" * 999 + "1" + ")" * 999, "nested more than", None),
    ("(" * 1000 + "1" + ")" * 1000, "longer than", None),
    ("1+" * 5000, "longer than", None),
]


@pytest.mark.parametrize("text, message, pos", REFUSED, ids=[t[:20] for t, _, _ in REFUSED])
def test_refused_with_a_clear_error(text, message, pos):
    with pytest.raises(NumberError) as exc:  # never a RecursionError or a traceback
        parse_number(text)
    assert message in exc.value.message
    assert "\n" not in exc.value.message
    if pos is not None:
        assert exc.value.pos == pos


def test_caret_under_the_name():
    with pytest.raises(NumberError) as exc:
        parse_number("2*x + 1")
    assert exc.value.caret_line("2*x + 1").splitlines()[:2] == ["2*x + 1", "  ^"]


# ---------------------------------------------------------------- grading


def test_arithmetic_graded_as_its_value(cards):
    card = cards["sigma-value"]
    typed = _grade(card, "1/(1+e^-0.51)")
    plain = _grade(card, repr(SIGMA_051))
    assert typed.status == plain.status == "correct"
    assert typed.steps[0].interpreted == "1/(1 + e^(−0.51)) = 0.625"  # at the card's 3 s.f.
    assert plain.steps[0].interpreted is None
    wrong = _grade(card, "1/(1+e^0.51)")  # σ(−z): the listed mistake, as if typed as a number
    as_number = _grade(card, repr(1 / (1 + math.exp(0.51))))
    assert wrong.status == as_number.status == "incorrect"
    assert wrong.mistake == as_number.mistake is not None
    assert wrong.steps[0].interpreted == "1/(1 + e^0.51) = 0.375"
    assert _grade(cards["power"], "0.25^5").status == "correct"
    assert _grade(cards["power"], "0.25^4").status == "incorrect"
    assert _grade(cards["two-values"], "[1/2, 0.25^2]").status == "correct"
    assert _grade(cards["two-values"], "[1/2, 0.25^3]").status == "incorrect"


def test_ill_conditioned_arithmetic_graded_exactly(cards):
    card = cards["tiny-difference"]  # 1e-12 to 6 significant figures
    assert _grade(card, "(1 + 1e-12) - 1").status == "correct"
    assert _grade(card, "1e-12").status == "correct"
    assert _grade(card, "(1 + 1.00001e-12) - 1").status == "incorrect"


def test_subject_function_refused_by_default(cards):
    card = cards["sigma-value"]  # answer: sigmoid(z)
    for typed, name in (("sigmoid(0.51)", "sigmoid"), ("σ(0.51)", "σ"), ("0.5*sigma(0.51)*2", "sigma")):
        verdict = _grade(card, typed)
        assert verdict.status == "invalid"
        step = verdict.steps[0]
        assert (
            f"this card asks you to compute σ yourself: type the number or arithmetic without {name}" in step.feedback
        )
        assert step.error_pos == typed.index(name)
    assert _grade(card, "1/(1 + exp(-0.51))").status == "correct"  # computing σ by hand is the point


def test_forbid_field(cards):
    verdict = _grade(cards["one-minus-sigma"], "1 - sigmoid(0.51)")  # forbid: [sigma] (an alias)
    assert verdict.status == "invalid" and verdict.steps[0].error_pos == 4
    assert _grade(cards["one-minus-sigma"], "1 - 1/(1+e^-0.51)").status == "correct"
    assert _grade(cards["sigma-allowed"], "sigmoid(0.51)").status == "correct"  # forbid: [] refuses nothing


def test_forbid_on_a_step(cards):
    card = cards["neuron"]
    verdict = _grade(card, ["0.5*1.2 - 0.09", "σ(0.51)"])
    assert verdict.status == "invalid" and verdict.steps[0].status == "correct"
    assert verdict.steps[0].interpreted == "0.5·1.2 − 0.09 = 0.510"
    assert "compute σ yourself" in verdict.steps[1].feedback
    assert _grade(card, ["0.51", "1/(1+e^-0.51)"]).status == "correct"


@pytest.mark.parametrize(
    "extra, message",
    [
        ("forbid: [softmax]", "unknown function 'softmax'"),
        ("forbid: [nosuch]", "unknown function 'nosuch'"),
    ],
)
def test_forbid_names_are_checked(tmp_path, extra, message):
    path = tmp_path / "bad.yaml"
    assert "\n    forbid: [sigma]\n" in PACK
    path.write_text(PACK.replace("\n    forbid: [sigma]\n", f"\n    {extra}\n"))
    pack, problems = read_pack(path)
    assert pack is None or problems
    assert any(message in p.message for p in problems)


def test_forbid_is_for_numeric_steps(tmp_path):
    text = PACK + (
        "  - id: symbolic-step\n"
        "    kind: steps\n"
        "    prompt: Differentiate.\n"
        "    steps:\n"
        '      - {prompt: "f′", kind: symbolic, variables: [z], answer: "2*z", forbid: [tanh]}\n'
    )
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    _, problems = read_pack(path)
    assert any("forbid: is for numeric steps" in p.message for p in problems)


def test_refusal_costs_no_attempt_through_the_session(tmp_path, fixed_now, pack_path):
    session = Session.open(tmp_path / "c.sqlite3", fixed_now, sources=[pack_path])
    try:
        shown = session.present("arith-test", "sigma-value", fixed_now, random.Random(0))
        before = inside.collection(session).card_row("arith-test", "sigma-value")
        refused = session.submit(shown, "sigmoid(0.51)", fixed_now)
        assert refused.verdict.invalid and "compute σ yourself" in refused.verdict.feedback
        assert inside.collection(session).query("SELECT count(*) FROM reviews") == [(0,)]
        assert inside.collection(session).card_row("arith-test", "sigma-value") == before
        graded = session.submit(shown, "1/(1+e^-0.51)", fixed_now)
        assert graded.verdict.status == "correct" and graded.proposed == Rating.Good  # a first try
        assert graded.verdict.steps[0].interpreted == "1/(1 + e^(−0.51)) = 0.625"
        session.rate(shown, graded.proposed, fixed_now, graded=graded)
        assert inside.collection(session).query("SELECT count(*) FROM reviews") == [(1,)]
    finally:
        session.close()


def test_cli_grade_shows_the_reading(pack_path):
    runner = CliRunner()
    result = runner.invoke(main, ["grade", str(pack_path), "sigma-value", "--answer", "1/(1+e^-0.51)"])
    assert result.exit_code == 0, result.output
    assert "interpreted as 1/(1 + e^(−0.51)) = 0.625" in result.output
    refused = runner.invoke(main, ["grade", str(pack_path), "sigma-value", "--answer", "sigmoid(0.51)"])
    assert refused.exit_code == 3
    assert "this card asks you to compute σ yourself" in refused.output
    assert "Traceback" not in refused.output


def test_global_mpmath_precision_untouched():
    import mpmath

    before = mpmath.mp.dps
    parse_number("exp(1e-10) - 1")
    assert mpmath.mp.dps == before  # a formula preview in another thread relies on it


def test_forbid_exp_also_refuses_e_to_a_power():
    with pytest.raises(NumberError) as exc:
        parse_number("2*e^0.5", forbid={"exp"})
    assert "compute exp yourself" in exc.value.message and exc.value.pos == 2
    assert value("2*2.718281828^0.5") == pytest.approx(2 * 2.718281828**0.5)  # no e: allowed


@pytest.mark.parametrize(
    "answer, refused",
    [
        ("sigmoid(z)", ("sigmoid",)),
        ("tanh(z)", ("tanh",)),
        ("relu(z)", ("relu",)),
        ("heaviside(z)", ("heaviside",)),
        ("exp(z)", ()),  # a calculator function: never refused by default
        ("1 - sigmoid(z)", ()),  # not one call: the pack writes forbid: itself
        ("sigmoid(z)*(1 - sigmoid(z))", ()),
        ("mean(sigmoid(z))", ()),  # mean is no learner function
        (0.25, ()),
    ],
)
def test_default_refusal_rule(answer, refused):
    from types import SimpleNamespace

    from quizact.grading.refuse import forbidden

    assert forbidden(SimpleNamespace(answer=answer, forbid=None)) == refused
    assert forbidden(SimpleNamespace(answer=answer, forbid=["σ", "ln"])) == ("sigmoid", "log")
    assert forbidden(SimpleNamespace(answer=answer, forbid=[])) == ()


def test_builtin_steps_that_ask_for_an_activation_refuse_it():
    from quizact.grading.refuse import forbidden
    from tests.conftest import CONTENT

    pack = load_pack(CONTENT / "nn-foundations")
    cards = {c.id: c for c in pack.cards}

    def step(card_id, prompt):
        return next(s for s in cards[card_id].steps if s.prompt == prompt)

    assert forbidden(step("backprop-sigmoid-bce", "a = σ(z)")) == ("sigmoid",)
    assert forbidden(step("backprop-layer-with-bias", "a = tanh(z)")) == ("tanh",)
    assert forbidden(step("backprop-2-3-1-sigmoid-output", "ŷ = σ(z₂)")) == ("sigmoid",)
    assert forbidden(step("bounded-large-input", "1 − σ(z)")) == ("sigmoid",)
    assert forbidden(cards["sigmoid-values"]) == ("sigmoid",)  # by the default rule
    assert forbidden(cards["sigmoid-slope-at-z"]) == ()  # σ′ is the subject: σ may be typed
    from quizact.grading.card import grade_steps

    card = cards["backprop-sigmoid-bce"]
    results = grade_steps(card, instantiate(card, 0), ["0", "σ(0.5)"])
    assert results[-1].status == "invalid" and "compute σ yourself" in results[-1].feedback
