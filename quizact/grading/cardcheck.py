"""Deep checks of one card for ``quizact pack check``: its grader must accept its answer.

* network cards: the spec is valid and every named quantity exists;
* numeric and steps cards: computed for many seeds, no NaN/inf, no answer that is the
  same degenerate 0 for every variant (unless the card is about dead units), the
  reference answer graded correct through the same path the app uses, and every listed
  and automatic mistake separated from the answer by the tolerance in every variant;
* symbolic cards and steps: the reference parses and grades correct, each listed mistake
  parses, differs from the reference and grades not-correct, the domain gives enough
  valid points.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from quizact.grading.tolcheck import precision_problems, separation_problems
from quizact.kinds import items_of, spec_of
from quizact.packs.params import instantiate

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails

SYMBOLIC_SEEDS = 3  # symbolic references rarely depend on params; a few seeds suffice
DEAD_TAGS = {"dead-relu", "dying-relu", "dead-units", "dead-neurons"}


def _network_message(card: Any, err: ErrorDetails) -> str:
    """One problem of a ``network:`` block, located at its field."""
    value = err.get("input")
    if isinstance(value, str) and err["type"] in ("float_parsing", "int_parsing", "float_type", "int_type"):
        where = ".".join(["network", *(str(p) for p in err["loc"])])
        return (f"{where}: '{value}' is neither a number nor a param or let of this card; "
                "network fields are numbers or param names")
    return f"network: {err['msg'].removeprefix('Value error, ')}"


def _network_problems(card: Any) -> list[str]:
    net = getattr(card, "network", None)
    items = spec_of(card).items(card)
    needs = [i.value for i in items if getattr(i, "value", None)]
    if net is None:
        return [f"value '{needs[0]}' needs a network:"] if needs else []
    from pydantic import ValidationError

    from quizact.nn.quantities import check_name
    from quizact.nn.spec import NetworkSpec, with_params

    try:  # a field naming a param or let is checked with the first variant's value
        net = with_params(net, instantiate(card, 0).params) if card.params or card.let else net
    except Exception:  # noqa: BLE001 - a variant that cannot be drawn is reported on its own
        pass
    try:
        spec = NetworkSpec.model_validate(net)
    except ValidationError as exc:
        return [_network_message(card, e) for e in exc.errors()]
    out = []
    for name in needs:
        problem = check_name(spec, name)
        if problem:
            out.append(f"value '{name}': {problem}")
    return out


def _numeric_items(card: Any) -> list[Any]:
    return items_of(card, "numeric")


def _label(card: Any, item: Any) -> str:
    return f"step {card.steps.index(item) + 1}" if spec_of(card).stepwise else "answer"


def _numbers_problems(card: Any, variants: int) -> list[str]:
    import numpy as np

    from quizact.grading.card import Context, _expected, expected_answers, grade, listed_value

    items = _numeric_items(card)
    if not items:
        return []
    always_zero = {id(i): True for i in items}
    separation: dict[tuple[int, str], str] = {}
    drawn: set[str] = set()
    for seed in range(variants):
        variant = instantiate(card, seed)
        params = repr(sorted(variant.params.items()))
        if params in drawn:  # the same numbers again (few params to draw): nothing new to check
            continue
        drawn.add(params)
        ctx = Context(card, variant)
        for item in items:
            label = _label(card, item)
            try:
                value = _expected(item, ctx, carried=False)
            except Exception as exc:
                return [f"{label} cannot be computed (seed {seed}): {exc}"]
            if not np.all(np.isfinite(value)):
                return [f"{label} is not finite (seed {seed}): {value.tolist()}"]
            if np.any(np.abs(value) > 1e12):
                return [f"{label} overflows (seed {seed}): {value.tolist()}"]
            if np.any(value != 0):
                always_zero[id(item)] = False
            for m_index, m in enumerate(item.mistakes):
                try:
                    listed_value(m, ctx)
                except Exception as exc:
                    return [f"{label}: mistake {m_index + 1} cannot be computed (seed {seed}): {exc}"]
            for key, message in separation_problems(item, ctx, value):
                separation.setdefault((id(item), key), f"{label}: {message} (seed {seed})")
        if seed < 5:
            answers = expected_answers(card, variant)
            if spec_of(card).stepwise and items_of(card, "symbolic"):
                continue  # symbolic steps are checked below, through the symbolic grader
            verdict = grade(card, variant, answers)
            if verdict.status != "correct":
                return [f"the reference answer {answers} grades {verdict.status} (seed {seed}): {verdict.feedback}"]
    out = []
    tags = set(getattr(card, "tags", []))
    for item in items:
        literal = isinstance(getattr(item, "answer", None), (int, float))
        if always_zero[id(item)] and not literal and not (tags & DEAD_TAGS):
            out.append(f"{_label(card, item)} is 0 for every variant (degenerate; add a where: constraint)")
    return out + list(separation.values())


def _symbolic_problems(card: Any) -> list[str]:
    from quizact.grading.card import Context, grade_symbolic_item, mistake_feedback
    from quizact.packs.params import render

    items = items_of(card, "symbolic")
    out: list[str] = []
    for item in items:
        label = _label(card, item)
        for seed in range(SYMBOLIC_SEEDS if card.params else 1):
            variant = instantiate(card, seed)
            ctx = Context(card, variant)
            reference = render(item.answer, variant.params)
            result = grade_symbolic_item(item, ctx, reference)
            if result.status != "correct":
                why = result.feedback.splitlines()[0] if result.feedback else ""
                if result.error_pos is not None:
                    why += f" (column {result.error_pos + 1})"
                out.append(f"{label}: the reference {reference!r} grades {result.status}: {why}")
                break
            for m_index, m in enumerate(item.mistakes):
                wrong = render(str(m.answer), variant.params)
                got = grade_symbolic_item(item, ctx, wrong)
                if got.status == "invalid":
                    why = got.feedback.splitlines()[0]
                    out.append(f"{label}: mistake {m_index + 1} {wrong!r} does not parse: {why}")
                elif got.status == "correct" or got.note == "form":
                    out.append(f"{label}: mistake {m_index + 1} {wrong!r} is equivalent to the answer")
                elif mistake_feedback(m, ctx) not in got.feedback:  # as shown: its placeholders filled
                    out.append(f"{label}: mistake {m_index + 1} {wrong!r} is not recognised (matched {got.mistake})")
            if out:
                break
    return out


def check_card(card: Any, variants: int) -> list[str]:
    """Messages for whatever is wrong with ``card``'s grading (empty when sound)."""
    out = _network_problems(card)
    if out:
        return out
    out = precision_problems(card) + _numbers_problems(card, variants)
    if out:
        return out
    return _symbolic_problems(card)
