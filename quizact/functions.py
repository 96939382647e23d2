"""The one table of maths functions: every function an answer or a pack formula may call.

Each entry says, once, what the rest of the code derives: the names a learner may type
(canonical name and aliases) and how many arguments, how previews show it (``σ``), the
sympy node the learner's parser builds for it (``node``; the parser's builders live in
``grading/mathfuncs.py``), its NumPy form (a name in ``quizact/numforms.py``), its mpmath
form (for exact arithmetic and high-precision checks), its float form (for folding
constants while parsing), whether a card whose answer is one call of it refuses it by
default (``subject``), and whether it is also one of the network's activations and the
automatic mistakes know it (``activation``).

``use`` says where it may be called: ``both`` (answers and pack formulas), ``learner``
(answers only) or ``pack`` (formulas only: reductions and linear algebra a learner never
types). The lexer, the renderer, the numeric and high-precision evaluators, pack formulas,
the refuse rule, the automatic mistakes and ``nn/activations.py`` read this table; adding a
function is one entry here (and its NumPy form), see CONTRIBUTING.md.

Cheap to import: no sympy, no NumPy. Forms that need them are resolved on first use.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any, Literal

Use = Literal["both", "learner", "pack"]


class MathFunction:
    """One function of the table (see the module docstring for the fields).

    A plain slotted class rather than a dataclass: the table is built on the app's
    start-up path, and generating a dataclass costs more than the rest of the module.
    """

    __slots__ = ("name", "arity", "use", "aliases", "display", "node", "numpy", "mpmath", "scalar",
                 "optional", "subject", "activation", "label", "pack_arity", "pack_aliases")  # fmt: skip

    def __init__(
        self,
        name: str,
        arity: tuple[int, int | None],  # (least, most) arguments; most None = any number
        use: Use = "both",
        *,
        aliases: tuple[str, ...] = (),  # other names a learner may type (σ is read as sigma)
        display: str | None = None,  # how previews and messages name it, when not ``name``
        node: str | None = None,  # the sympy class a learner's call builds, when it is one node
        numpy: str | None = None,  # its NumPy form: an attribute of quizact.numforms
        mpmath: Callable[..., Any] | None = None,  # (mp, *args) -> value at mp's precision
        scalar: Callable[..., float] | None = None,  # float value, for constant folding
        optional: bool = False,  # learner: only on cards that allow it (``functions:``)
        subject: bool = False,  # refused by default where a card's answer is one call of it
        activation: bool = False,  # also a network activation (and known to automatic mistakes)
        label: str | None = None,  # how feedback names it as an activation ("ReLU"), if not ``shown``
        pack_arity: tuple[int, int | None] | None = None,  # arguments in formulas, if not ``arity``
        pack_aliases: tuple[str, ...] = (),  # other names a formula may use
    ) -> None:
        self.name, self.arity, self.use, self.aliases, self.display = name, arity, use, aliases, display
        self.node, self.numpy, self.mpmath, self.scalar = node, numpy, mpmath, scalar
        self.optional, self.subject, self.activation, self.label = optional, subject, activation, label
        self.pack_arity, self.pack_aliases = pack_arity, pack_aliases

    def __repr__(self) -> str:
        return f"MathFunction({self.name!r}, {self.arity}, use={self.use!r})"

    @property
    def learner(self) -> bool:
        return self.use in ("both", "learner")

    @property
    def pack(self) -> bool:
        return self.use in ("both", "pack")

    @property
    def shown(self) -> str:
        return self.display or self.name

    @property
    def np(self) -> Callable[..., Any]:
        """The NumPy form (imports NumPy on first use)."""
        return numpy_form(self.name)


def _heaviside_mp(mp: Any, x: Any) -> Any:
    return mp.mpf(1) if x > 0 else mp.mpf(0) if x < 0 else mp.mpf(0.5)


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1 / (1 + math.exp(-x))
    e = math.exp(x)
    return e / (1 + e)


def _softplus(x: float) -> float:
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


def _sign(x: float) -> float:
    return float((x > 0) - (x < 0))


F = MathFunction
_UNARY = (1, 1)
_TABLE: tuple[MathFunction, ...] = (
    # the activations and the functions built on them
    F("sigmoid", _UNARY, aliases=("sigma", "logistic"), display="σ", node="sigmoid", numpy="sigmoid",
      mpmath=lambda mp, x: 1 / (1 + mp.exp(-x)), scalar=_sigmoid,
      subject=True, activation=True),
    F("tanh", _UNARY, node="tanh", numpy="tanh", mpmath=lambda mp, x: mp.tanh(x), scalar=math.tanh,
      subject=True, activation=True),
    F("relu", _UNARY, numpy="relu", mpmath=lambda mp, x: x if x > 0 else mp.mpf(0),
      scalar=lambda x: max(0.0, x), subject=True, activation=True, label="ReLU"),
    F("softplus", _UNARY, numpy="softplus", mpmath=lambda mp, x: mp.log(1 + mp.exp(x)),
      scalar=_softplus, subject=True, activation=True),
    F("heaviside", _UNARY, aliases=("h", "step", "theta"), display="H", node="Heaviside",
      numpy="heaviside", mpmath=_heaviside_mp, scalar=lambda x: float(x > 0), subject=True),
    F("Phi", _UNARY, display="Φ", node="normcdf", numpy="normcdf", mpmath=lambda mp, x: mp.ncdf(x),
      scalar=lambda x: 0.5 * math.erfc(-x / math.sqrt(2)), subject=True),
    F("phi", _UNARY, use="learner", display="φ", node="normpdf", numpy="normpdf",
      mpmath=lambda mp, x: mp.npdf(x), scalar=lambda x: math.exp(-x * x / 2) / math.sqrt(2 * math.pi),
      subject=True),
    F("erf", _UNARY, node="erf", numpy="erf", mpmath=lambda mp, x: mp.erf(x), scalar=math.erf, subject=True),
    F("sinh", _UNARY, node="sinh", numpy="sinh", mpmath=lambda mp, x: mp.sinh(x), scalar=math.sinh, subject=True),
    F("cosh", _UNARY, node="cosh", numpy="cosh", mpmath=lambda mp, x: mp.cosh(x), scalar=math.cosh, subject=True),
    F("sech", _UNARY, node="sech", numpy="sech", mpmath=lambda mp, x: mp.sech(x),
      scalar=lambda x: 1 / math.cosh(x), subject=True),
    # the calculator
    F("exp", _UNARY, node="exp", numpy="exp", mpmath=lambda mp, x: mp.exp(x), scalar=math.exp),
    F("log", (1, 2), aliases=("ln",), display="ln", node="log", numpy="log", mpmath=lambda mp, x: mp.log(x),
      scalar=math.log, pack_aliases=("ln",)),
    F("sqrt", _UNARY, numpy="sqrt", mpmath=lambda mp, x: mp.sqrt(x), scalar=math.sqrt),
    F("abs", _UNARY, display="abs", node="Abs", numpy="absolute", mpmath=lambda mp, x: abs(x), scalar=abs),
    F("max", (2, None), node="Max", numpy="maximum", mpmath=lambda mp, *xs: max(xs), scalar=max,
      pack_arity=(1, None)),
    F("min", (2, None), node="Min", numpy="minimum", mpmath=lambda mp, *xs: min(xs), scalar=min,
      pack_arity=(1, None)),
    F("sign", _UNARY, aliases=("sgn",), node="sign", numpy="sign", mpmath=lambda mp, x: mp.sign(x), scalar=_sign),
    F("sin", _UNARY, node="sin", numpy="sin", mpmath=lambda mp, x: mp.sin(x), scalar=math.sin),
    F("cos", _UNARY, node="cos", numpy="cos", mpmath=lambda mp, x: mp.cos(x), scalar=math.cos),
    F("tan", _UNARY, node="tan", numpy="tan", mpmath=lambda mp, x: mp.tan(x), scalar=math.tan),
    F("atan", _UNARY, aliases=("arctan",), node="atan", numpy="atan", mpmath=lambda mp, x: mp.atan(x),
      scalar=math.atan),
    F("where", (3, 3), numpy="where"),
    F("factorial", _UNARY, node="factorial", numpy="factorial", mpmath=lambda mp, x: mp.factorial(x),
      scalar=lambda x: math.gamma(x + 1), use="learner", optional=True),
    # pack formulas only: reductions, linear algebra, vectors
    F("softmax", (1, 2), use="pack", numpy="softmax", activation=True),
    F("sum", (1, 2), use="pack", numpy="total"),
    F("prod", (1, 2), use="pack", numpy="product"),
    F("mean", (1, 2), use="pack", numpy="mean"),
    F("all", (1, 2), use="pack", numpy="every"),
    F("any", (1, 2), use="pack", numpy="some"),
    F("argmax", _UNARY, use="pack", numpy="argmax"),
    F("onehot", (2, 2), use="pack", numpy="onehot"),
    F("round", (1, 2), use="pack", numpy="rounded"),
    F("norm", (1, 2), use="pack", numpy="norm"),
    F("det", _UNARY, use="pack", numpy="det"),
    F("transpose", _UNARY, use="pack", numpy="transpose"),
    F("outer", (2, 2), use="pack", numpy="outer"),
    F("dot", (2, 2), use="pack", numpy="dot"),
    F("allclose", (2, 3), use="pack", numpy="allclose"),
)  # fmt: skip
del F

#: Every function by canonical name.
FUNCTIONS: dict[str, MathFunction] = {f.name: f for f in _TABLE}
#: The functions of the answer language, and of pack formulas (aliases included there).
LEARNER = {n: f for n, f in FUNCTIONS.items() if f.learner}
PACK = {n: f for n, f in FUNCTIONS.items() if f.pack}
PACK_NAMES: dict[str, MathFunction] = {**PACK, **{a: f for f in PACK.values() for a in f.pack_aliases}}
#: The element-wise activations of the table (the network has more: ``nn/activations.py``).
ACTIVATIONS = {n: f for n, f in LEARNER.items() if f.activation}
#: The sympy node a learner's call builds -> its entry (``Abs`` -> abs, ``normcdf`` -> Phi).
BY_NODE: dict[str, MathFunction] = {f.node: f for f in _TABLE if f.node}


@lru_cache(maxsize=None)
def numpy_form(name: str) -> Callable[..., Any]:
    """The NumPy form of ``name`` (a canonical name or a formula alias)."""
    from quizact import numforms

    entry = FUNCTIONS.get(name) or PACK_NAMES[name]
    if entry.numpy is None:
        raise KeyError(f"{name} has no NumPy form")
    form: Callable[..., Any] = getattr(numforms, entry.numpy)
    return form


# -- names as a learner types them (the lexer's, and what a pack's forbid: may list) --------

#: Greek letters a learner may type, by the name each stands for.
GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta",
    "η": "eta", "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu",
    "ν": "nu", "ξ": "xi", "π": "pi", "ρ": "rho", "σ": "sigma", "τ": "tau", "υ": "upsilon",
    "φ": "phi", "ϕ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega", "Φ": "Phi",
}  # fmt: skip
#: learner-side alias -> canonical name (``ln`` -> log, ``H`` -> heaviside).
LEARNER_ALIASES = {a: n for n, f in LEARNER.items() for a in f.aliases}
#: The functions a number or formula box knows without a card asking for them.
DEFAULT_LEARNER = frozenset(n for n, f in LEARNER.items() if not f.optional)


def canonical_function(name: str) -> str | None:
    """The canonical function for a typed or configured name (``σ``, ``ln``, ``H``...)."""
    name = GREEK.get(name, name)
    if name in LEARNER:
        return name
    if name in LEARNER_ALIASES:
        return LEARNER_ALIASES[name]
    low = name.lower()
    if low in ("phi",):  # Phi (CDF) and phi (density) differ only by case
        return None
    return low if low in LEARNER else LEARNER_ALIASES.get(low)


def check_forbid_names(names: Iterable[str]) -> None:
    """A pack's ``forbid:`` list names functions a number box knows; ValueError if not."""
    for name in names:
        func = canonical_function(name) if isinstance(name, str) else None
        if func is None or func not in DEFAULT_LEARNER:
            known = ", ".join(sorted(DEFAULT_LEARNER - {"where"}))
            raise ValueError(f"forbid: unknown function {name!r} (known: {known})")
