"""Misconceptions generated from a derivative card's reference and its ``about`` activation.

``auto_mistakes(reference, ["z"], about="tanh")`` returns ``(id, expr, feedback)`` triples:
the activation instead of its derivative, the derivative of a neighbouring activation,
activation-specific slips (a missing chain-rule or product-rule term, swapped sides of a
kink), a flipped sign and dropped numeric factors. Candidates numerically equal to the
reference, or to an earlier candidate, are discarded. sympy is imported lazily.
"""

from __future__ import annotations

import math
from typing import Any, Mapping, Sequence

from quizact.functions import ACTIVATIONS as TABLE_ACTIVATIONS

Mistake = tuple[str, Any, str]

#: How feedback names each activation: the table's (``quizact/functions.py``) element-wise
#: activations, and the network's activations that answers cannot call.
_NAMES = {
    **{n: f.label or f.shown for n, f in TABLE_ACTIVATIONS.items()},
    "leaky_relu": "leaky ReLU", "elu": "ELU", "gelu": "GELU", "swish": "swish",
}  # fmt: skip
ACTIVATIONS = tuple(_NAMES)
_DEFAULT_ALPHA = {"leaky_relu": 0.01, "elu": 1.0}


def _evaluated(expr: Any) -> Any:
    """Rebuild an unevaluated parser tree with sympy's normal evaluation."""
    if not expr.args:
        return expr
    return expr.func(*[_evaluated(a) for a in expr.args])


def _alpha(reference: Any, names: tuple[str, ...], about: str, z: Any) -> Any:
    """The slope constant: the declared ``alpha`` symbol, else read off the reference at z = −1."""
    from quizact.grading.equivalence import compile_expr
    from quizact.grading.mathfuncs import symbol

    if "alpha" in names:
        return symbol("alpha")
    try:
        if names and names[0] == z.name and len(names) == 1:
            import numpy as np

            value = float(compile_expr(reference, names)([np.array([-1.0])], 1)[0][0])
            value = value * math.e if about == "elu" else value
            if math.isfinite(value) and value != 0:
                from sympy import Float

                return Float(round(value, 12))
    except Exception:
        pass
    return _DEFAULT_ALPHA[about]


def _specific(about: str, z: Any, a: Any) -> list[Mistake]:
    from sympy import Heaviside as H
    from sympy import Piecewise, exp, tanh

    from quizact.grading.mathfuncs import call, normcdf, normpdf, sigmoid

    a = 1 if a is None else a  # only the ELU/leaky entries use it
    s = sigmoid(z)
    ds = s * (1 - s)
    if about in TABLE_ACTIVATIONS:  # the function as the learner's parser builds it
        func = _evaluated(call(about, z))
    else:
        func = {
            "leaky_relu": Piecewise((a * z, z < 0), (z, True)),
            "elu": Piecewise((a * (exp(z) - 1), z < 0), (z, True)),
            "gelu": z * normcdf(z),
            "swish": z * s,
        }[about]
    name = _NAMES[about]
    out: list[Mistake] = [("auto:function", func, f"That is {name} itself, not its derivative.")]
    table: dict[str, list[Mistake]] = {
        "sigmoid": [
            ("auto:neighbor", 1 - s**2,
             "That is the shape of tanh′ (1 − tanh²). For σ the derivative is σ(z)·(1 − σ(z))."),
            ("auto:chain", -(s**2),
             "Power rule without the chain rule: d/dz (1 + e^(−z))^(−1) also needs the factor −e^(−z)."),
            ("auto:missing-factor", 1 - s, "A factor is missing: σ′(z) = σ(z)·(1 − σ(z))."),
        ],
        "tanh": [
            ("auto:neighbor", ds, "That is σ′. For tanh the derivative is 1 − tanh(z)²."),
            ("auto:quotient", 1 + tanh(z) ** 2, "Check the quotient rule: (cosh² − sinh²)/cosh² = 1 − tanh²."),
            ("auto:square", 1 - tanh(z), "tanh must be squared: tanh′(z) = 1 − tanh(z)²."),
        ],
        "relu": [
            ("auto:relu-as-z", z,
             "For z > 0, ReLU(z) = z, but its slope is 1: ReLU′(z) is 1 for z > 0 and 0 for z < 0."),
            ("auto:swapped", H(-z), "The sides are swapped: the slope is 1 for z > 0 and 0 for z < 0."),
            ("auto:no-kink", z**0, "ReLU is flat for z < 0, so its slope there is 0, not 1."),
        ],
        "leaky_relu": [
            ("auto:neighbor", H(z), "That is ReLU′: for z < 0 leaky ReLU still has slope α."),
            ("auto:swapped", a * H(z) + H(-z), "The slopes are swapped: 1 for z > 0 and α for z < 0."),
            ("auto:no-kink", a * z**0, "The slope α applies only for z < 0; for z > 0 it is 1."),
        ],
        "elu": [
            ("auto:neighbor", H(z), "That is ReLU′: for z < 0 ELU's slope is α·e^z, not 0."),
            ("auto:elu-constant", a * H(-z) + H(z), "For z < 0 the slope is α·e^z, not α."),
            ("auto:elu-minus-one", Piecewise((a * (exp(z) - 1), z < 0), (1, True)),
             "d/dz α(e^z − 1) = α·e^z: the constant −1 disappears."),
        ],
        "softplus": [
            ("auto:neighbor", ds, "That is σ′(z), the second derivative; softplus′(z) is σ(z) itself."),
            ("auto:chain", 1 / (1 + exp(z)), "d/dz ln(u) = u′/u: you forgot the factor u′ = e^z."),
            ("auto:chain-outer", exp(z), "d/dz ln(u) = u′/u: you forgot to divide by u = 1 + e^z."),
        ],
        "gelu": [
            ("auto:product", normcdf(z), "Product rule: d/dz[z·Φ(z)] = Φ(z) + z·φ(z); the z·φ(z) term is missing."),
            ("auto:product-other", z * normpdf(z),
             "Product rule: d/dz[z·Φ(z)] = Φ(z) + z·φ(z); the Φ(z) term is missing."),
            ("auto:pdf", normpdf(z), "φ(z) is Φ′(z), not the derivative of z·Φ(z) = Φ(z) + z·φ(z)."),
        ],
        "swish": [
            ("auto:product", s, "Product rule: d/dz[z·σ(z)] = σ(z) + z·σ′(z); the z·σ′(z) term is missing."),
            ("auto:product-other", z * ds, "Product rule: d/dz[z·σ(z)] = σ(z) + z·σ′(z); the σ(z) term is missing."),
            ("auto:neighbor", ds, "That is σ′(z); swish′ is σ(z) + z·σ(z)·(1 − σ(z))."),
        ],
    }
    return out + table[about]


def _generic(ref: Any) -> list[Mistake]:
    from sympy import sign

    out: list[Mistake] = [("auto:sign", -ref, "Check the sign: your answer is the negative of the derivative.")]
    c, rest = ref.as_coeff_Mul()
    if c.is_Number and abs(c) != 1 and c != 0:
        out.append(("auto:constant", sign(c) * rest, f"A constant factor is missing: the result is multiplied by {c}."))

    def drop(e: Any) -> Any:
        k, r = e.as_coeff_Mul()
        return sign(k) * r

    inner = ref.replace(lambda e: e.is_Mul and e.args[0].is_Number and abs(e.args[0]) != 1, drop)
    out.append(("auto:constant", inner, "A constant factor is missing or wrong: check the numeric coefficients."))
    return [m for m in out if m[1] != 0]


def auto_mistakes(
    reference: Any,
    variables: Sequence[str],
    *,
    about: str | None,
    domain: Mapping[str, Sequence[float]] | None = None,
    seed: int = 0,
) -> list[Mistake]:
    """Likely wrong answers for the derivative ``reference`` (first variable = the input)."""
    from quizact.grading.equivalence import equivalent
    from quizact.grading.mathfuncs import symbol

    names = tuple(variables)
    ref = _evaluated(getattr(reference, "expr", reference))
    if not names or about is None:
        return []
    key = about.lower().replace("-", "_").replace(" ", "_")
    z = symbol(names[0])
    found: list[Mistake] = []
    if key in ACTIVATIONS:
        a = _alpha(ref, names, key, z) if key in _DEFAULT_ALPHA else None
        found += _specific(key, z, a)
    found += _generic(ref)
    kept: list[Mistake] = []
    for mid, expr, feedback in found:
        if expr.free_symbols - {symbol(n) for n in names}:
            continue
        same = (equivalent(expr, other, names, domain=domain, rng_seed=seed, confirm=False)
                for other in [ref, *[k[1] for k in kept]])
        if not any(r.equal or r.reason == "too few valid points" for r in same):
            kept.append((mid, expr, feedback))
    return kept
