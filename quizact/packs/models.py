"""The pack format: pydantic models validated at the YAML boundary, then trusted.

Every model forbids unknown fields, so a typo such as ``promt`` is an error, not a
silently ignored key. ``docs/pack-format.md`` documents every field defined here.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

ID_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
DEFAULT_FORBIDDEN = ("diff", "Derivative", "integrate", "subs", "simplify", "limit")

Number = Union[int, float]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Tolerance(Strict):
    """How close a numeric answer must be: ``rtol``/``atol``, or significant figures."""

    rtol: float = Field(1e-3, ge=0, le=1)
    atol: float = Field(1e-6, ge=0)
    sigfigs: int | None = Field(None, ge=1, le=15)


class Mistake(Strict):
    """A known wrong answer (an expression or a number) with targeted feedback."""

    answer: str | Number
    feedback: str
    id: str | None = None


class Require(Strict):
    """Form rules for a symbolic answer."""

    only_functions: list[str] | None = None
    forbid_functions: list[str] = Field(default_factory=lambda: list(DEFAULT_FORBIDDEN))
    forbid_symbols: list[str] = Field(default_factory=list)
    partial_credit: float = Field(0.5, ge=0, le=1)


class Option(Strict):
    text: str
    correct: bool = False
    feedback: str = ""


class Plot(Strict):
    """An activation plot shown beside the card: f and f′ over ``range``, ``mark`` a param."""

    function: str
    range: tuple[float, float] = (-5.0, 5.0)
    mark: str | None = None


class CardBase(Strict):
    id: str = Field(pattern=ID_PATTERN, max_length=100)
    tags: list[str] = Field(default_factory=list)
    prompt: str = Field(min_length=1)
    explain: str = ""
    params: dict[str, Any] = Field(default_factory=dict)
    where: list[str] = Field(default_factory=list)
    about: str | None = None
    plot: Plot | None = None

    @field_validator("params")
    @classmethod
    def _param_names(cls, params: dict[str, Any]) -> dict[str, Any]:
        from quizact.packs.params import validate_params

        validate_params(params)
        return params


class RecallCard(CardBase):
    kind: Literal["recall"]
    answer: str = Field(min_length=1)


class ChoiceCard(CardBase):
    kind: Literal["choice"]
    options: list[Option] = Field(min_length=2, max_length=26)
    multiple: bool = False
    shuffle: bool = True

    @model_validator(mode="after")
    def _correct_count(self) -> ChoiceCard:
        n = sum(o.correct for o in self.options)
        if n == 0:
            raise ValueError("no option is marked correct: true")
        if n > 1 and not self.multiple:
            raise ValueError(f"{n} options are correct; set multiple: true or mark one")
        return self


class SymbolicFields(Strict):
    """What a symbolic answer (a card or a step) declares."""

    variables: list[str] = Field(min_length=1)
    constants: dict[str, Number | str] = Field(default_factory=dict)
    domain: dict[str, tuple[float, float]] = Field(default_factory=dict)
    answer: str = Field(min_length=1)
    require: Require = Field(default_factory=Require)
    mistakes: list[Mistake] = Field(default_factory=list)
    auto_mistakes: bool = True

    @model_validator(mode="after")
    def _names(self) -> SymbolicFields:
        for name in [*self.variables, *self.constants]:
            if not NAME_RE.match(name) or name.startswith("__"):
                raise ValueError(f"'{name}' is not a valid variable name")
        for name, (lo, hi) in self.domain.items():
            if name not in self.variables:
                raise ValueError(f"domain names '{name}', which is not in variables")
            if not lo < hi:
                raise ValueError(f"domain of {name}: low {lo} must be below high {hi}")
        return self


class SymbolicCard(CardBase, SymbolicFields):
    kind: Literal["symbolic"]


class NumericFields(Strict):
    """A numeric answer: a named network quantity (``value``) or a formula (``answer``)."""

    value: str | None = None
    answer: str | Number | None = None
    tolerance: Tolerance = Field(default_factory=Tolerance)
    mistakes: list[Mistake] = Field(default_factory=list)
    auto_mistakes: bool = True

    @model_validator(mode="after")
    def _one_source(self) -> NumericFields:
        if (self.value is None) == (self.answer is None):
            raise ValueError("give exactly one of value (a network quantity) or answer (a formula)")
        return self


class NumericCard(CardBase, NumericFields):
    kind: Literal["numeric"]
    network: dict[str, Any] | None = None


class Step(Strict):
    """One step of a ``steps`` card: numeric (``value`` or ``answer``) or symbolic."""

    prompt: str = Field(min_length=1)
    kind: Literal["numeric", "symbolic"] = "numeric"
    name: str | None = None
    value: str | None = None
    answer: str | Number | None = None
    tolerance: Tolerance = Field(default_factory=Tolerance)
    mistakes: list[Mistake] = Field(default_factory=list)
    auto_mistakes: bool = True
    variables: list[str] = Field(default_factory=list)
    constants: dict[str, Number | str] = Field(default_factory=dict)
    domain: dict[str, tuple[float, float]] = Field(default_factory=dict)
    require: Require = Field(default_factory=Require)

    @model_validator(mode="after")
    def _consistent(self) -> Step:
        if self.kind == "symbolic":
            if not isinstance(self.answer, str) or self.value is not None:
                raise ValueError("a symbolic step needs answer: (an expression) and no value:")
            if not self.variables:
                raise ValueError("a symbolic step needs variables:")
        elif (self.value is None) == (self.answer is None):
            raise ValueError("give exactly one of value (a network quantity) or answer (a formula)")
        return self

    @property
    def label(self) -> str:
        """The name a learner's earlier value is known by (for error carried forward)."""
        return self.name or self.value or self.prompt


class StepsCard(CardBase):
    kind: Literal["steps"]
    network: dict[str, Any] | None = None
    steps: list[Step] = Field(min_length=1, max_length=30)
    ecf_credit: float = Field(0.5, ge=0, le=1)


Card = Annotated[
    Union[RecallCard, ChoiceCard, SymbolicCard, NumericCard, StepsCard],
    Field(discriminator="kind"),
]
KINDS = ("recall", "choice", "symbolic", "numeric", "steps")


class PackMeta(Strict):
    """The head of a pack: one YAML file (with ``cards:``) or ``pack.yaml`` of a folder."""

    pack: str = Field(pattern=ID_PATTERN, max_length=100)
    name: str = Field(min_length=1)
    version: int | str
    description: str = ""
    authors: list[str] = Field(default_factory=list)
    license: str = ""
    renamed: dict[str, str] = Field(default_factory=dict)
    cards: list[dict[str, Any]] = Field(default_factory=list)
