"""The pack format: frozen dataclasses, validated by pydantic at the YAML boundary, then trusted.

Every record forbids unknown fields, so a typo such as ``promt`` is an error, not a
silently ignored key. ``docs/pack-format.md`` documents every field defined here.

The records are plain (stdlib) dataclasses, so a pack read back from the cache needs
neither pydantic nor this module's validation: opening the app stays fast. The
constraints live in string annotations naming pydantic's ``Field`` and ``AfterValidator``,
which ``bind_validators()`` supplies when a loader first validates a pack; checks that
span several fields are ``__post_init__`` methods, which pydantic runs and reports.
"""

from __future__ import annotations

import re
from dataclasses import field
from typing import TYPE_CHECKING, Any, Literal, TypeVar, Union

from quizact import records

if TYPE_CHECKING:
    from typing import Annotated, dataclass_transform

    from pydantic import AfterValidator, Field

ID_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
DEFAULT_FORBIDDEN = ("diff", "Derivative", "integrate", "subs", "simplify", "limit")

Number = Union[int, float]
if TYPE_CHECKING:  # what the line below makes, said so that a type checker sees dataclasses
    _R = TypeVar("_R")

    @dataclass_transform(frozen_default=True, kw_only_default=True)
    def record(cls: type[_R], /) -> type[_R]: ...
else:
    record = records.record(kw_only=True)  # frozen; eq, hash and repr shared (quizact.records)


def bind_validators() -> None:
    """Give the annotations below the pydantic names they mention (before validating)."""
    from typing import Annotated

    from pydantic import AfterValidator, Field

    globals().update(Annotated=Annotated, AfterValidator=AfterValidator, Field=Field)


def _param_names(params: dict[str, Any]) -> dict[str, Any]:
    from quizact.packs.params import validate_params

    validate_params(params)
    return params


def _let_formulas(lets: dict[str, Any]) -> dict[str, Any]:
    from quizact.packs.lets import validate_lets

    validate_lets(lets)
    return lets


def _check_forbid(names: list[str] | None) -> None:
    if names:
        from quizact.functions import check_forbid_names

        check_forbid_names(names)


@record
class Strict:
    """The base of every record: unknown fields are errors."""

    __pydantic_config__ = {"extra": "forbid"}


@record
class Tolerance(Strict):
    """How close a numeric answer must be: ``sigfigs``, ``decimals`` or ``rtol``.

    ``sigfigs: N`` is half a unit of the Nth significant figure and ``decimals: N`` half a
    unit of the Nth decimal; otherwise ``rtol`` (relative). ``atol`` is added only where a
    card writes it, so a tiny expected value is held to its relative precision.
    """

    rtol: Annotated[float, Field(ge=0, le=1)] = 1e-3
    atol: Annotated[float | None, Field(ge=0)] = None
    sigfigs: Annotated[int | None, Field(ge=1, le=15)] = None
    decimals: Annotated[int | None, Field(ge=0, le=15)] = None

    def __post_init__(self) -> None:
        if self.sigfigs is not None and self.decimals is not None:
            raise ValueError("give sigfigs or decimals, not both")


@record
class Mistake(Strict):
    """A known wrong answer (an expression or a number) with targeted feedback."""

    answer: str | Number
    feedback: str
    id: str | None = None


@record
class FeedbackRule(Strict):
    """A rule tried on a wrong numeric answer (``grading.rules``): when the formula ``when``
    (over ``ans``, ``expected``, the params, lets and named steps) holds, ``say`` is the
    feedback, and ``score`` partial credit (the answer stays wrong)."""

    when: Annotated[str, Field(min_length=1)]
    say: Annotated[str, Field(min_length=1)]
    score: Annotated[float, Field(ge=0, lt=1)] = 0.0
    id: str | None = None

    def __post_init__(self) -> None:
        _check_formula("when", self.when)


@record
class Require(Strict):
    """Form rules for a symbolic answer."""

    only_functions: list[str] | None = None
    forbid_functions: list[str] = field(default_factory=lambda: list(DEFAULT_FORBIDDEN))
    forbid_symbols: list[str] = field(default_factory=list)
    partial_credit: Annotated[float, Field(ge=0, le=1)] = 0.5


def _check_formula(field_name: str, text: str) -> None:
    from quizact.packs.formula import FormulaError, parse

    try:
        parse(text)
    except FormulaError as exc:
        raise ValueError(f"{field_name}: {exc}") from None


@record
class Option(Strict):
    """One option; ``correct`` is true/false or a formula giving one truth value per
    variant (``packs.choices``)."""

    text: str
    correct: bool | str = False
    feedback: str = ""

    def __post_init__(self) -> None:
        if isinstance(self.correct, str):
            _check_formula("correct", self.correct)


@record
class Plot(Strict):
    """A plot beside the card: f and f′ of the activation ``function`` over ``range``
    (``mark``: a param marked on f), any ``formula`` over its ``var``, or, with neither on
    a card that trains a network, its training-loss curve. ``when``: once the card is graded (the default: a
    plot of the asked quantity would give the answer away), or ``before``, for a card
    whose question is about the plot."""

    function: str | None = None
    formula: str | None = None  # a pack formula over ``var`` (and the params and lets), plotted over range
    var: str = "z"  # the formula's variable: the plot's x axis
    quantity: str | None = None  # a network quantity (``loss``), plotted as the param ``over`` varies
    over: str | None = None
    range: tuple[float, float] = (-5.0, 5.0)
    mark: str | None = None
    when: Literal["before", "after"] = "after"

    def __post_init__(self) -> None:
        lo, hi = self.range
        if not lo < hi:
            raise ValueError(f"range: low {lo:g} must be below high {hi:g}")
        if self.function is not None and self.formula is not None:
            raise ValueError("give function: (an activation and its slope) or formula:, not both")
        if self.quantity is not None:
            if self.function is not None or self.formula is not None:
                raise ValueError("quantity: is a plot of its own; give it without function: or formula:")
            if self.over is None:
                raise ValueError("quantity: needs over: (the param that varies along the x axis)")
            if self.mark is not None:
                raise ValueError("mark: is for function: and formula: plots (a quantity plot marks the param's value)")
        elif self.over is not None:
            raise ValueError("over: needs quantity: (a network quantity to plot)")
        if self.formula is not None:
            _check_formula("formula", self.formula)
            if not NAME_RE.match(self.var):
                raise ValueError(f"var: '{self.var}' is not a valid variable name")
        elif self.function is None and self.mark is not None:
            raise ValueError("mark: needs function: or formula: (a loss curve has no z to mark)")


@record
class CardBase(Strict):
    id: Annotated[str, Field(pattern=ID_PATTERN, max_length=100)]
    tags: list[str] = field(default_factory=list)
    prompt: Annotated[str, Field(min_length=1)]
    explain: str = ""
    params: Annotated[dict[str, Any], AfterValidator(_param_names)] = field(default_factory=dict)
    let: Annotated[dict[str, Any], AfterValidator(_let_formulas)] = field(default_factory=dict)  # computed per variant
    where: list[str] = field(default_factory=list)
    about: str | None = None
    plot: Plot | None = None
    index_from: Annotated[int | None, Field(ge=0, le=1, strict=True)] = None  # entries counted from; None: the pack's
    topic: str | None = None  # a topic of the pack's curriculum


@record
class RecallCard(CardBase):
    kind: Literal["recall"]
    answer: Annotated[str, Field(min_length=1)]


@record
class ChoiceCard(CardBase):
    kind: Literal["choice"]
    options: Annotated[list[Option], Field(min_length=2, max_length=26)]
    multiple: bool = False
    shuffle: bool = True
    correct: str | None = None  # a formula: a truth value per option, or option positions (packs.choices)

    def __post_init__(self) -> None:
        if self.correct is not None:
            _check_formula("correct", self.correct)
            if any(o.correct is not False for o in self.options):
                raise ValueError("give correct: on the card (a formula) or on the options, not both")
            return
        if any(isinstance(o.correct, str) for o in self.options):
            return  # formulas: pack check evaluates them for every variant
        n = sum(o.correct is True for o in self.options)
        if n == 0:
            raise ValueError("no option is marked correct: true")
        if n > 1 and not self.multiple:
            raise ValueError(f"{n} options are correct; set multiple: true or mark one")


@record
class SymbolicFields(Strict):
    """What a symbolic answer (a card or a step) declares."""

    variables: Annotated[list[str], Field(min_length=1)]
    constants: dict[str, Number | str] = field(default_factory=dict)
    domain: dict[str, tuple[float, float]] = field(default_factory=dict)
    answer: Annotated[str, Field(min_length=1)]
    require: Require = field(default_factory=Require)
    mistakes: list[Mistake] = field(default_factory=list)
    auto_mistakes: bool = True

    def __post_init__(self) -> None:
        for name in [*self.variables, *self.constants]:
            if not NAME_RE.match(name) or name.startswith("__"):
                raise ValueError(f"'{name}' is not a valid variable name")
        for name, (lo, hi) in self.domain.items():
            if name not in self.variables:
                raise ValueError(f"domain names '{name}', which is not in variables")
            if not lo < hi:
                raise ValueError(f"domain of {name}: low {lo} must be below high {hi}")


@record
class SymbolicCard(CardBase, SymbolicFields):
    kind: Literal["symbolic"]


@record
class NumericFields(Strict):
    """A numeric answer: a named network quantity (``value``) or a formula (``answer``)."""

    value: str | None = None
    answer: str | Number | None = None
    tolerance: Tolerance = field(default_factory=Tolerance)
    mistakes: list[Mistake] = field(default_factory=list)
    auto_mistakes: bool = True
    forbid: list[str] | None = None  # functions refused in the answer box; None: the default rule
    feedback: list[FeedbackRule] = field(default_factory=list)  # tried in order on a wrong answer

    def __post_init__(self) -> None:
        if (self.value is None) == (self.answer is None):
            raise ValueError("give exactly one of value (a network quantity) or answer (a formula)")
        _check_forbid(self.forbid)


@record
class NumericCard(CardBase, NumericFields):
    kind: Literal["numeric"]
    network: dict[str, Any] | None = None


@record
class Step(Strict):
    """One step of a ``steps`` card: numeric (``value`` or ``answer``) or symbolic."""

    prompt: Annotated[str, Field(min_length=1)]
    kind: Literal["numeric", "symbolic"] = "numeric"
    name: str | None = None
    value: str | None = None
    answer: str | Number | None = None
    tolerance: Tolerance = field(default_factory=Tolerance)
    mistakes: list[Mistake] = field(default_factory=list)
    auto_mistakes: bool = True
    variables: list[str] = field(default_factory=list)
    constants: dict[str, Number | str] = field(default_factory=dict)
    domain: dict[str, tuple[float, float]] = field(default_factory=dict)
    require: Require = field(default_factory=Require)
    forbid: list[str] | None = None  # numeric steps: functions refused in the answer box
    feedback: list[FeedbackRule] = field(default_factory=list)  # numeric steps: tried in order on a wrong answer

    def __post_init__(self) -> None:
        if self.kind == "symbolic":
            if not isinstance(self.answer, str) or self.value is not None:
                raise ValueError("a symbolic step needs answer: (an expression) and no value:")
            if self.feedback:
                raise ValueError("feedback: rules are for numeric answers; a symbolic step lists mistakes:")
            if not self.variables:
                raise ValueError("a symbolic step needs variables:")
            if self.forbid is not None:
                raise ValueError(
                    "forbid: is for numeric steps; a symbolic step uses require: {forbid_functions: [...]}"
                )
        elif (self.value is None) == (self.answer is None):
            raise ValueError("give exactly one of value (a network quantity) or answer (a formula)")
        _check_forbid(self.forbid)

    @property
    def label(self) -> str:
        """The name a learner's earlier value is known by (for error carried forward)."""
        return self.name or self.value or self.prompt


@record
class StepsCard(CardBase):
    kind: Literal["steps"]
    network: dict[str, Any] | None = None
    steps: Annotated[list[Step], Field(min_length=1, max_length=30)]
    ecf_credit: Annotated[float, Field(ge=0, le=1)] = 0.5


Card = Union[RecallCard, ChoiceCard, SymbolicCard, NumericCard, StepsCard]  # told apart by ``kind``
KINDS = ("recall", "choice", "symbolic", "numeric", "steps")


@record
class Topic(Strict):
    """One topic of a pack's curriculum: its cards (those whose ``topic:`` names it) are
    introduced once every card of each topic in ``after`` has been (``packs.curriculum``)."""

    topic: Annotated[str, Field(pattern=ID_PATTERN, max_length=100)]
    name: str = ""
    after: list[str] = field(default_factory=list)


@record
class PackMeta(Strict):
    """The head of a pack: one YAML file (with ``cards:``) or ``pack.yaml`` of a folder."""

    pack: Annotated[str, Field(pattern=ID_PATTERN, max_length=100)]
    name: Annotated[str, Field(min_length=1)]
    version: int | str
    description: str = ""
    authors: list[str] = field(default_factory=list)
    license: str = ""
    renamed: dict[str, str] = field(default_factory=dict)
    reset: list[str] = field(default_factory=list)  # changed cards whose schedule starts over
    index_from: Annotated[int, Field(ge=0, le=1, strict=True)] = 1  # every card's default
    curriculum: list[Topic] = field(default_factory=list)  # the order new cards are introduced in
    cards: list[dict[str, Any]] = field(default_factory=list)
