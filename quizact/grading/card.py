"""Grading a whole card: ``grade(card, variant, answers) -> Verdict``.

One entry point for every kind, used by the session, the app and ``quizact grade``.
Expected numbers are recomputed from the variant's params (through ``quizact.nn`` for a
``network`` quantity, through a pack formula otherwise). In a ``steps`` card each step is
graded in order; a learner's wrong value is carried forward, so a later step that is right
given it counts as "consistent with your earlier …" (error carried forward). A step carries
forward only the earlier steps it is computed from (its formula's names, or the network's
quantity graph), and an earlier value that makes it infinite or undefined matches nothing.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from quizact.grading import numeric, shapes
from quizact.grading.carried import Given, and_list, uses
from quizact.grading.verdict import StepResult, Verdict
from quizact.kinds import count_problem, item_spec, items_of, spec_of
from quizact.packs import formula
from quizact.packs.params import Variant, format_value, option_order, render

if TYPE_CHECKING:
    from types import ModuleType

    import numpy as np
    from numpy.typing import NDArray

    from quizact.nn.spec import NetworkSpec

    Flat = list[numeric.Typed]  # a learner's numbers, flattened
    Array = NDArray[np.float64]  # an expected value


def _np() -> ModuleType:
    import numpy

    return numpy


# ---------------------------------------------------------------- expected values


@dataclass
class Context:
    """What a card's formulas and network quantities are computed from."""

    card: Any
    variant: Variant
    learner: dict[str, Any] = field(default_factory=dict)  # the learner's earlier values, carried forward
    earlier: list[str] = field(default_factory=list)  # the wrong earlier steps the step being graded uses
    answered: dict[str, Any] = field(default_factory=dict)  # the learner's value of each earlier step, by label

    _true: dict[str, Any] | None = None
    _mistaken: dict[str, dict[str, Any] | None] = field(default_factory=dict)
    _scope: dict[str, Any] | None = None

    @cached_property
    def spec(self) -> NetworkSpec | None:
        net = getattr(self.card, "network", None)
        if net is None:
            return None
        from quizact.nn.spec import NetworkSpec, with_params

        return NetworkSpec.model_validate(with_params(net, self.variant.params))

    def quantity(self, name: str, *, carried: bool) -> Any:
        from quizact.nn.quantities import evaluate

        spec = self.spec
        assert spec is not None, "a network quantity needs a network:"  # pack check says so first
        overrides = {k: v for k, v in self.learner.items() if carried and not k.startswith("step:")}
        if overrides:
            return evaluate(spec, self.variant.params, [name], overrides=overrides)[name]
        if self._true is None:  # one pass computes every quantity the card asks for
            items = spec_of(self.card).items(self.card)
            names = sorted({i.value for i in items if getattr(i, "value", None)} | {name})
            self._true = evaluate(spec, self.variant.params, names)
        if name not in self._true:
            self._true[name] = evaluate(spec, self.variant.params, [name])[name]
        return self._true[name]

    def mistaken(self, mistake_id: str) -> dict[str, Any] | None:
        """Every network quantity the card asks for, recomputed with one automatic mistake."""
        if mistake_id not in self._mistaken:
            from quizact.nn.quantities import evaluate_mistake

            items = spec_of(self.card).items(self.card)
            names = sorted({i.value for i in items if getattr(i, "value", None)})
            try:
                assert self.spec is not None, "a network quantity needs a network:"
                self._mistaken[mistake_id] = evaluate_mistake(self.spec, self.variant.params, names, mistake_id)
            except Exception:  # a mistake that cannot be computed here explains nothing
                self._mistaken[mistake_id] = None
        return self._mistaken[mistake_id]

    def shown(self) -> dict[str, Any]:
        """Values for the texts shown once graded: params, lets, each named step's right
        value as a plain number or list, a symbolic step's answer expression."""
        values = dict(self.variant.params)
        try:
            named = self.scope(False)
        except Exception:  # noqa: BLE001 - a card that cannot be computed still shows its texts
            named = {}
        values.update({k: _plain_number(_np().asarray(v)) for k, v in named.items() if k not in values})
        steps = items_of(self.card, "symbolic") if spec_of(self.card).stepwise else []
        values.update({s.name: render(s.answer, self.variant.params) for s in steps if s.name})
        return values

    def scope(self, carried: bool) -> dict[str, Any]:
        if not carried and self._scope is not None:  # the true values never change
            return dict(self._scope)
        values = dict(self.variant.params)
        values.update(_step_values(self.card, self, carried))
        if not carried:
            self._scope = dict(values)
        return values


def _step_values(card: Any, ctx: Context, carried: bool) -> dict[str, Any]:
    """Named steps' values (true, or the learner's where carried) for later formulas."""
    out: dict[str, Any] = {}
    for step in items_of(card, "numeric") if spec_of(card).stepwise else []:
        if step.name is None:
            continue
        key = f"step:{step.name}"
        if carried and key in ctx.learner:
            out[step.name] = ctx.learner[key]
            continue
        try:
            out[step.name] = _expected(step, ctx, carried=carried, scope=dict(out))
        except Exception:  # a later step that cannot be computed from what is known yet
            break
    return out


def _expected(item: Any, ctx: Context, *, carried: bool, scope: dict[str, Any] | None = None) -> Any:
    """The expected value of a numeric card or step."""
    np = _np()
    if item.value is not None:
        return denoised(ctx.quantity(item.value, carried=carried))
    if isinstance(item.answer, (int, float)):
        return np.asarray(float(item.answer))
    values = dict(ctx.variant.params)
    values.update(scope if scope is not None else _step_values(ctx.card, ctx, carried))
    return denoised(formula.evaluate(item.answer, values))


NOISE = 1e-12  # relative to the largest entry: what float64 rounding leaves of an exact 0


def denoised(value: Any) -> Any:
    """``value`` as float64, with entries that are rounding noise beside its largest set to 0.

    ``[2.1, -5.55e-17, -1.5]`` is ``[2.1, 0, -1.5]``; a lone tiny number is kept (it may be
    a true value such as 0.25^30), and ``-0.0`` becomes ``0.0``.
    """
    np = _np()
    arr = np.asarray(value, dtype=float) + 0.0
    if arr.size > 1:
        top = float(np.max(np.abs(arr)))
        arr = np.where(np.abs(arr) < NOISE * top, 0.0, arr)
    return arr


def expected_answers(card: Any, variant: Variant) -> list[str]:
    """The reference answer of every step (one entry for single-answer cards), as text
    (each kind's ``expected``, ``quizact.kinds``)."""
    return spec_of(card).expected(card, variant)


def expected_values(card: Any, variant: Variant) -> list[Any]:
    """Like :func:`expected_answers`, with numbers as floats (or nested lists) at full precision."""
    return spec_of(card).expected_values(card, variant)


def expected_shapes(card: Any, variant: Variant) -> list[tuple[int, ...] | None]:
    """The shape of each answer's right value (one entry for a single-answer card): ``()``
    for a number, ``(3,)`` for a vector, ``(2, 3)`` for a matrix; None for an answer that
    is not numeric or cannot be computed for this variant."""
    ctx = Context(card, variant)
    numbers = {id(i) for i in items_of(card, "numeric")}
    out: list[tuple[int, ...] | None] = []
    for item in spec_of(card).items(card) or [card]:
        if id(item) not in numbers:
            out.append(None)
            continue
        try:
            out.append(tuple(int(n) for n in _expected(item, ctx, carried=False).shape))
        except Exception:  # noqa: BLE001 - grading says what is wrong; the box keeps its plain hint
            out.append(None)
    return out


def shown_values(card: Any, variant: Variant) -> dict[str, Any]:
    """The values texts shown once the card is graded are filled with: the params and lets,
    and each named step's right value (a symbolic step's answer expression)."""
    return Context(card, variant).shown()


def shown_text(text: str, ctx: Context) -> str:
    """A text shown once graded (feedback), filled with the params, lets and named steps."""
    return render(text, ctx.shown()) if "{" in text else text


def mistake_feedback(mistake: Any, ctx: Context) -> str:
    """A listed mistake's feedback, filled (it is shown once graded: named steps too)."""
    return shown_text(mistake.feedback, ctx)


def _plain_number(value: Any) -> Any:
    """A float for a single number (whatever its network shape), else nested lists."""
    return value.item() if value.size == 1 else value.tolist()


# ---------------------------------------------------------------- choice


def right_options(card: Any, variant: Variant) -> frozenset[int]:
    """The right options (indices as written) for this variant (``packs.choices``)."""
    from quizact.packs.choices import correct_options

    return correct_options(card, variant.params)


def right_letters(card: Any, variant: Variant) -> list[str]:
    """The letters of the right options, in display order."""
    return _letters(card, variant, correct_only=True)


def _letters(card: Any, variant: Variant, correct_only: bool) -> list[str]:
    order = option_order(card, variant)
    right = right_options(card, variant) if correct_only else frozenset(order)
    return [chr(97 + pos) for pos, idx in enumerate(order) if idx in right]


def grade_choice(card: Any, variant: Variant, answer: str) -> Verdict:
    try:
        right = set(right_options(card, variant))
    except ValueError as exc:  # pack check reports it; never a ✓ that may be wrong
        return Verdict("invalid", 0.0, f"this card cannot be graded for this variant: {exc}")
    order = option_order(card, variant)
    picked: list[int] = []
    for part in answer.replace(" ", ",").split(","):
        part = part.strip().lower()
        if not part:
            continue
        if len(part) != 1 or not "a" <= part <= chr(96 + len(order)):
            return Verdict("invalid", 0.0, f"choose letters a–{chr(96 + len(order))}, e.g. 'b' or 'a,c'")
        picked.append(order[ord(part) - 97])
    if not picked:
        return Verdict("invalid", 0.0, "choose at least one option")
    if len(picked) > 1 and not card.multiple:
        return Verdict("invalid", 0.0, "choose one option")
    chosen = set(picked)
    values = variant.params
    texts = [render(o.text, values) for o in card.options]
    lines = [f"{'✓' if i in right else '✗'} {texts[i]}: {render(card.options[i].feedback, values)}".rstrip(": ")
             for i in sorted(chosen, key=order.index)]
    missed = right - chosen
    lines += [f"missed: {texts[i]}" for i in sorted(missed, key=order.index)]
    if chosen == right:
        return Verdict("correct", 1.0, "\n".join(lines))
    score = max(0.0, (len(chosen & right) - len(chosen - right)) / len(right)) if card.multiple else 0.0
    return Verdict("incorrect", score, "\n".join(lines))


# ---------------------------------------------------------------- numeric steps


def _invalid(message: str, pos: int | None = None, text: str = "") -> StepResult:
    feedback = numeric.NumberError(message, pos).caret_line(text) if text and pos is not None else message
    return StepResult("invalid", 0.0, feedback, error_pos=pos)


def _close(typed: Flat, value: Any, tol: numeric.Tol) -> numeric.Closeness:
    np = _np()
    flat = np.asarray(value, dtype=float).ravel().tolist()
    return numeric.compare(typed, flat, tol)


def listed_value(mistake: Any, ctx: Context) -> Any:
    """A listed mistake's value for this variant, as float64 (raises when it cannot be computed)."""
    np = _np()
    if isinstance(mistake.answer, (int, float)):
        return np.asarray(float(mistake.answer))
    return np.asarray(formula.evaluate(mistake.answer, ctx.scope(False)), dtype=float)


def mistake_values(item: Any, ctx: Context, expected: Any = None) -> list[tuple[str, str, Any]]:
    """``(id, feedback, value)`` of every listed and automatic mistake of ``item`` for this
    variant that gives a value other than the right one (a mistake that changes nothing
    here is no mistake); ``expected`` is the right value, when already known."""
    np = _np()
    if expected is None:
        expected = _expected(item, ctx, carried=False)
    out = []
    for k, m in enumerate(item.mistakes):
        try:
            value = denoised(listed_value(m, ctx))
        except Exception:
            continue
        out.append((m.id or f"listed:{k}", mistake_feedback(m, ctx), value))
    if item.auto_mistakes and item.value is not None and ctx.spec is not None and ctx.spec.train is None:
        # (a training run is not worked by hand: its mistakes are those of one pass)
        from quizact.nn.quantities import MISTAKES

        for mistake_id, (_, feedback) in MISTAKES.items():
            wrong = ctx.mistaken(mistake_id)
            if wrong is not None and item.value in wrong:
                out.append((mistake_id, feedback, denoised(wrong[item.value])))
    return [(i, f, v) for i, f, v in out
            if v.size == expected.size and np.all(np.isfinite(v)) and not _same(v, expected)]


def _same(a: Any, b: Any) -> bool:
    np = _np()
    a, b = a.ravel(), b.ravel()
    return bool((np.abs(a - b) <= NOISE * np.maximum(np.abs(a), np.abs(b))).all())


def _nearer_mistake(item: Any, ctx: Context, typed: Flat, expected: Array) -> tuple[str, str] | None:
    """The known mistake an accepted answer lies nearer to than to the right value, if any."""
    np = _np()
    mine = np.asarray([t.value for t in typed])
    right = float(np.linalg.norm(mine - expected.ravel()))
    best = None
    for mistake_id, feedback, value in mistake_values(item, ctx, expected):
        dist = float(np.linalg.norm(mine - value.ravel()))
        if dist < right and (best is None or dist < best[0]):
            best = (dist, mistake_id, feedback)
    return None if best is None else best[1:]


def grade_numeric_item(item: Any, ctx: Context, text: str) -> tuple[StepResult, Any]:
    """Grade one numeric answer; returns the result and the learner's parsed value.

    A learner's value may overflow what is computed from it (6.02e23 pushed through a
    network): non-finite results are handled where they arise, never printed as warnings.
    """
    from quizact.grading.refuse import forbidden

    try:  # plain numbers, or arithmetic without the functions the card asks to compute
        reading = numeric.read_number(text, forbidden(item))
    except numeric.NumberError as exc:
        return _invalid(exc.message, exc.pos, text), None
    with _np().errstate(all="ignore"):
        result, mine = _grade_numeric_item(item, ctx, text, reading.value)
        if result.status == "incorrect" and item.feedback:  # the author's rules, on a wrong answer only
            result = _ruled(item, ctx, result, mine, reading.value)
    said = numeric.interpreted(reading, item.tolerance)  # "1/(1 + e^(−0.51)) = 0.6248"
    return (dataclasses.replace(result, interpreted=said) if said else result), mine


def _grade_numeric_item(item: Any, ctx: Context, text: str, parsed: Any) -> tuple[StepResult, Any]:
    np = _np()
    try:
        expected = _expected(item, ctx, carried=False)
    except Exception as exc:  # a pack problem, not the learner's: report, do not crash
        return StepResult("invalid", 0.0, f"this card cannot be computed for this variant ({exc})"), None
    if not np.isfinite(expected).all():
        why = "this card cannot be computed for this variant (its answer is not finite)"
        return StepResult("invalid", 0.0, why), None
    typed = numeric.flatten(parsed)
    shape = numeric.shape_of(parsed)
    if not shapes.fits(shape, expected.shape):
        return _shape_result(item, ctx, typed, shape, expected), None
    mine = np.asarray([t.value for t in typed]).reshape(expected.shape if shape != () or expected.size != 1 else ())
    shown = numeric.format_expected(expected, item.tolerance)
    close = _close(typed, expected, item.tolerance)
    mistake: str | None
    feedback: str | None
    if close.ok:
        nearer = _nearer_mistake(item, ctx, typed, expected)
        if nearer is None:
            return StepResult("correct", 1.0, "correct", expected=shown), mine
        mistake, feedback = nearer
        return StepResult("incorrect", 0.0, f"{feedback} (expected {shown})", mistake=mistake, expected=shown), mine
    listed = _match_listed(item, ctx, typed)
    if listed is not None:
        mistake, feedback = listed
        return StepResult("incorrect", 0.0, f"{feedback} (expected {shown})", mistake=mistake, expected=shown), mine
    if shapes.is_transpose(mine, expected, lambda v: _close(typed, v, item.tolerance).ok):
        return _transposed(item, shown), None
    if close.precision:
        need = numeric.precision_request(item.tolerance)
        return StepResult("invalid", 0.0, f"right to the digits you gave; give at least {need}",
                          note="precision"), None
    carried_note = ""
    if ctx.earlier:
        ecf, carried_note = _carried_forward(item, ctx, typed, shown)
        if ecf is not None:
            return ecf, mine
    mistake, feedback = _match_mistake(item, ctx, typed, expected)
    where = "" if expected.size == 1 else _off_entries(item, ctx, typed, expected)
    detail = f"{where}expected {shown}{carried_note}"
    msg = f"{feedback} ({detail})" if feedback else f"not right ({detail})"
    return StepResult("incorrect", 0.0, msg, mistake=mistake, expected=shown), mine


def _ruled(item: Any, ctx: Context, result: StepResult, mine: Any, parsed: Any) -> StepResult:
    """A wrong answer's result, with the first matching feedback rule's (``grading.rules``);
    ``ans`` is the learner's value in the expected shape, or as typed (a transpose)."""
    from quizact.grading import rules

    np = _np()
    if mine is None:
        mine = np.reshape([t.value for t in numeric.flatten(parsed)], numeric.shape_of(parsed))
    return rules.apply(item, ctx, result, mine, _expected(item, ctx, carried=False))


def _shape_result(item: Any, ctx: Context, typed: Flat, shape: tuple[int, ...], expected: Array) -> StepResult:
    """A typed shape that cannot be the expected one: a listed mistake of that shape and the
    transpose are wrong answers, any other shape is invalid."""
    np = _np()
    listed = _match_listed(item, ctx, typed, shape)
    if listed is not None:
        shown = numeric.format_expected(expected, item.tolerance)
        return StepResult("incorrect", 0.0, f"{listed[1]} (expected {shown})", mistake=listed[0], expected=shown)
    if len(shape) == 2:
        matrix = np.reshape([t.value for t in typed], shape)
        if shapes.is_transpose(matrix, expected, lambda v: _close(typed, v, item.tolerance).ok):
            return _transposed(item, numeric.format_expected(expected, item.tolerance))
    return _invalid(shapes.mismatch(shape, expected.shape))


def _transposed(item: Any, shown: str) -> StepResult:
    what = item.value or "the expected matrix"
    return StepResult("incorrect", 0.0, f"this is the transpose of {what}: rows and columns swapped (expected {shown})",
                      mistake="transpose", expected=shown)


def _off_entries(item: Any, ctx: Context, typed: Flat, expected: Array) -> str:
    """Every entry of a vector or matrix answer that is off, counted as the card counts."""
    flat = expected.ravel().tolist()
    wrong = [k for k, (t, e) in enumerate(zip(typed, flat)) if not _close([t], [e], item.tolerance).ok]
    start = getattr(ctx.card, "index_from", None)
    start = 1 if start is None else start
    return shapes.wrong_entries(wrong, expected.shape, start, expected.size) + "; " if wrong else ""


def _carried_forward(item: Any, ctx: Context, typed: Flat, shown: str) -> tuple[StepResult | None, str]:
    """The step recomputed from the learner's own earlier values (error carried forward).

    Gives the ECF result when the typed value matches it, else the note for the feedback.
    An earlier value that makes this step infinite or undefined matches no answer.
    """
    np = _np()
    try:
        carried = _expected(item, ctx, carried=True)
    except Exception:  # the learner's values cannot be pushed through this step
        carried = None
    if carried is None or not np.all(np.isfinite(carried)):
        values = [f"{label} = {format_value(np.asarray(ctx.answered[label], dtype=float), '.6g')}"
                  for label in ctx.earlier]
        verb = "makes" if len(values) == 1 else "make"
        return None, f"; your {and_list(values)} {verb} this step undefined"
    earlier = and_list(ctx.earlier)
    if _close(typed, carried, item.tolerance).ok:
        credit = getattr(ctx.card, "ecf_credit", 0.5)
        return StepResult("correct", credit, f"consistent with your earlier {earlier} (error carried forward)",
                          note="ecf", expected=shown), ""
    carried_shown = numeric.format_expected(carried, item.tolerance)
    return None, (f"; from your {earlier}: {carried_shown}" if carried_shown != shown else "")


def _match_listed(item: Any, ctx: Context, typed: Flat, shape: tuple[int, ...] | None = None) -> tuple[str, str] | None:
    """The listed mistake the typed value matches, if any (of the typed ``shape``, when given)."""
    np = _np()
    for k, m in enumerate(item.mistakes):
        try:
            value = listed_value(m, ctx)
        except Exception:
            continue
        if shape is not None and not shapes.fits(shape, value.shape):
            continue
        if value.size == len(typed) and np.all(np.isfinite(value)) and _close(typed, value, item.tolerance).ok:
            return m.id or f"listed:{k}", mistake_feedback(m, ctx)
    return None


def _match_mistake(item: Any, ctx: Context, typed: Flat, expected: Array) -> tuple[str | None, str | None]:
    """The automatic mistake a wrong value matches (listed ones were matched already)."""
    np = _np()
    if item.auto_mistakes and item.value is not None:
        from quizact.nn.quantities import mistake_candidates

        learner = np.asarray([t.value for t in typed]).reshape(expected.shape)
        tol = item.tolerance
        rtol = 10.0 ** (1 - tol.sigfigs) if tol.sigfigs else max(tol.rtol, 1e-9)
        atol = max(tol.atol or 0.0, 10.0 ** -tol.decimals if tol.decimals is not None else 1e-9)
        assert ctx.spec is not None, "a network quantity needs a network:"
        found = mistake_candidates(ctx.spec, ctx.variant.params, item.value, learner, rtol, atol=atol)
        if found:
            return found[0]
    return None, None


# ---------------------------------------------------------------- symbolic


def grade_symbolic_item(item: Any, ctx: Context, text: str) -> StepResult:
    from quizact.grading.symbolic import grade_expression

    params = ctx.variant.params
    constants = {k: (params[v] if isinstance(v, str) and v in params else v) for k, v in item.constants.items()}
    mistakes = [{"answer": render(str(m.answer), params), "feedback": mistake_feedback(m, ctx), "id": m.id}
                for m in item.mistakes]
    require = dataclasses.asdict(item.require)
    return grade_expression(
        text,
        render(item.answer, params),
        item.variables,
        constants=constants,
        domain={k: list(v) for k, v in item.domain.items()} or None,
        require=require,
        mistakes=mistakes if item.mistakes else (),
        about=getattr(ctx.card, "about", None) if item.auto_mistakes else None,
        seed=ctx.variant.seed,
        partial_credit_form=item.require.partial_credit,
    )


# ---------------------------------------------------------------- whole cards


def grade_steps(card: Any, variant: Variant, answers: list[str]) -> list[StepResult]:
    """Grade the first ``len(answers)`` steps, carrying the learner's values forward."""
    ctx = Context(card, variant)
    results: list[StepResult] = []
    given: list[Given] = []
    for step, text in zip(card.steps, answers):
        kind = item_spec(step)
        if not kind.carries:  # a formula: graded alone, nothing carried forward
            results.append(kind.grade_item(step, ctx, text)[0])
            continue
        off = any(g.roots for g in given)  # nothing to carry while every earlier step is right
        ctx.earlier = list(dict.fromkeys(r for g in uses(ctx, step, given) for r in g.roots)) if off else []
        result, mine = kind.grade_item(step, ctx, text)
        results.append(result)
        if result.status == "invalid":
            break
        if mine is None:
            continue
        label = step.name or step.value or f"step {len(results)}"
        roots = (label,) if result.status == "incorrect" else tuple(ctx.earlier) if result.note == "ecf" else ()
        given.append(Given(step, label, roots))
        ctx.answered[label] = mine
        if step.value is not None:
            ctx.learner[step.value] = mine
        if step.name is not None:
            ctx.learner[f"step:{step.name}"] = mine
    return results


def grade(card: Any, variant: Variant, answers: list[str] | str) -> Verdict:
    """Grade a complete response: one answer, or one per step in order."""
    if isinstance(answers, str):
        answers = [answers]
    spec = spec_of(card)
    if spec.self_rated:
        return spec.grade(card, variant, answers)
    problem = count_problem(spec.answer_count(card), answers)
    if problem:
        return Verdict("invalid", 0.0, problem)
    return spec.grade(card, variant, answers)
