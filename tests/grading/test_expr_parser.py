"""The safe parser: what learners type, what is refused, and where the caret goes."""

from __future__ import annotations

import pytest

from quizact.grading.expr import AnswerError, parse

Z = ["z"]


def expr_of(text: str, variables=Z, **kw):
    return parse(text, variables, **kw).expr


@pytest.mark.parametrize(
    "text, same_as",
    [
        ("2z", "2*z"),
        ("2 sigmoid(z)", "2*sigmoid(z)"),
        ("z(1-z)", "z*(1-z)"),
        ("(z+1)(z-1)", "(z+1)*(z-1)"),
        ("2e^z", "2*exp(z)"),
        ("e^-z", "exp(-z)"),
        ("z**2", "z^2"),
        ("z²", "z^2"),
        ("z⁻¹", "1/z"),
        ("tanh²(z)", "tanh(z)^2"),
        ("tanh^2(z)", "tanh(z)^2"),
        ("σ(z)", "sigmoid(z)"),
        ("sigma(z)", "sigmoid(z)"),
        ("Sigmoid(z)", "sigmoid(z)"),
        ("ln(z)", "log(z)"),
        ("|z|", "abs(z)"),
        ("√z", "sqrt(z)"),
        ("√(2π)", "sqrt(2*pi)"),
        ("z − 1", "z - 1"),
        ("z·2", "z*2"),
        ("z×2", "z*2"),
        ("z⋅2", "z*2"),
        ("H(z)", "Heaviside(z)"),
        ("step(z)", "Heaviside(z)"),
        ("Φ(z)", "Phi(z)"),
        ("φ(z)", "phi(z)"),
        ("relu(z)", "max(0, z)"),
        ("zz", "z*z"),
        ("-z^2", "-(z^2)"),
        ("2^3^2", "2^(3^2)"),
    ],
)
def test_learner_notation(text, same_as):
    from quizact.grading.equivalence import equivalent

    assert equivalent(expr_of(text), expr_of(same_as), Z, domain={"z": (0.1, 3)}).equal


def test_greek_constants_and_names():
    a = parse("α z + alpha", Z, constants=["alpha"])
    assert a.symbols == {"alpha", "z"}
    assert parse("λ z", Z, constants=["λ"]).symbols == {"lambda", "z"}


def test_e_is_eulers_number_and_scientific_notation():
    import sympy

    assert expr_of("e").equals(sympy.E)
    assert float(expr_of("2e-3")) == pytest.approx(0.002)
    assert float(expr_of("1.5e2")) == pytest.approx(150)


def test_records_functions_and_symbols():
    p = parse("e^-z/(1+exp(z)) + σ(z) + |z|", Z)
    assert p.functions == {"exp", "sigmoid", "abs"}
    assert p.symbols == {"e", "z"}
    assert p.text.startswith("e^-z")
    assert p.variables == ("z",)


@pytest.mark.parametrize(
    "text, pos, message",
    [
        ("(z+1", 4, "expected ')'"),
        ("z+*2", 2, "expected a number, variable or '(' before '*'"),
        ("sigmoid(z", 9, "expected ')' to close 'sigmoid('"),
        ("z)", 1, "unmatched ')'"),
        ("2 3", 2, "missing operator"),
        ("z +", 3, "incomplete expression"),
        ("sigmoid z", 8, "expected '(' after 'sigmoid'"),
        ("z.__class__", 1, "'.' is not allowed"),
        ("z; 1", 1, "';' is not allowed"),
        ("f(z) = z", 5, "'=' is not allowed"),
        ("[z]", 0, "brackets '[' are not allowed"),
        ('"abc"', 0, "quotes are not allowed"),
        ("σ'(z)", 1, "primes"),
        ("lambda: 1", 0, "'lambda' is not allowed here"),
        ("z < 1", 2, "comparisons are not part of answers: use H(z)"),
        ("2 + (1-z)*(z>0)", 12, "comparisons are not part of answers: use H(z), the step that is 1 where z > 0"),
        ("max(z >= 0, 1)", 6, "comparisons are not part of answers: use H(z)"),
        ("max(z)", 0, "max takes at least 2 arguments (got 1)"),
    ],
)
def test_syntax_errors_have_a_caret(text, pos, message):
    with pytest.raises(AnswerError) as info:
        parse(text, Z)
    assert info.value.pos == pos
    assert message in info.value.message


def test_caret_line_renders_text_and_caret():
    with pytest.raises(AnswerError) as info:
        parse("(z+1", Z)
    assert info.value.caret_line("(z+1") == "(z+1\n    ^"


def test_caret_line_windows_long_text():
    text = "z+" * 100 + "*"
    with pytest.raises(AnswerError) as info:
        parse(text, Z)
    line, caret = info.value.caret_line(text).split("\n")
    assert len(line) <= 62 and caret.endswith("^")
    assert line[len(caret) - 1] == "*"


def test_unknown_symbol_names_the_cards_variable():
    with pytest.raises(AnswerError) as info:
        parse("y", Z)
    assert info.value.message == "unknown symbol 'y' — this card's variable is z"
    with pytest.raises(AnswerError) as info:
        parse("x + y", ["x", "z"], constants=["alpha"])
    assert info.value.message == (
        "unknown symbol 'y' — this card's variables are x and z (constants: alpha)"
    )
    assert info.value.pos == 4


@pytest.mark.parametrize(
    "name",
    ["diff", "Derivative", "integrate", "subs", "simplify", "limit", "__import__", "eval", "exec", "os", "factorial"],
)
def test_forbidden_functions(name):
    with pytest.raises(AnswerError) as info:
        parse(f"{name}(z)", Z)
    assert info.value.message == f"function '{name}' is not allowed here"
    assert info.value.pos == 0


def test_factorial_only_when_enabled_and_small():
    assert float(expr_of("factorial(5)", extra_functions=["factorial"])) == 120
    with pytest.raises(AnswerError, match="too complex"):
        parse("factorial(10^10)", Z, extra_functions=["factorial"])
    with pytest.raises(AnswerError, match="too complex"):
        parse("factorial(z)", Z, extra_functions=["factorial"])


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("9^9^9", "exponent"),
        ("9**9**9", "exponent"),
        ("(z+1)^100000", "exponent"),
        ("e^(200)", "exponent"),
        ("exp(1000)", "exponent"),
        ("e^e^e^e", "exponent"),
        ("(10^30)^100", "number too large"),
        ("1e99999", "number too long"),
        ("1" * 40, "number too long"),
        ("(" * 51 + "z" + ")" * 51, "nested more than 50"),
        ("-" * 51 + "z", "nested more than 50"),
        ("z^" * 51 + "z", "nested more than 50"),
        ("+".join(["z"] * 200), "more than 300 parts"),
    ],
)
def test_too_complex(text, fragment):
    with pytest.raises(AnswerError) as info:
        parse(text, Z)
    assert info.value.message.startswith("too complex")
    assert fragment in info.value.message


def test_fifty_levels_are_fine():
    assert parse("(" * 50 + "z" + ")" * 50, Z).symbols == {"z"}
    assert parse("(z+1)^100", Z).functions == frozenset()


def test_empty_and_over_long():
    for text in ("", "   "):
        with pytest.raises(AnswerError, match="empty answer"):
            parse(text, Z)
    with pytest.raises(AnswerError, match=r"answer too long \(501 characters; the limit is 500\)"):
        parse("z" * 501, Z)
    with pytest.raises(AnswerError, match="too long"):
        parse("(" * 10_000, Z)


def test_power_tower_is_never_computed():
    """A tower within the exponent cap is fine; the parser checks before sympy builds."""
    assert float(expr_of("2^2^2")) == 16


def test_variable_wins_over_function_name():
    p = parse("H(z+1)", ["H", "z"])
    assert "heaviside" not in p.functions and p.symbols == {"H", "z"}
