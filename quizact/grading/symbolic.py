"""Grade one typed formula against a card's reference: parse, compare, form, misconceptions.

``grade_expression`` never raises: an unusable answer is ``invalid`` (no attempt spent)
with a caret line, a right value in the wrong form is ``incorrect`` with ``note="form"``
and partial credit, and a wrong value names the matching misconception (listed ones
first, then automatic ones) and always shows a counterexample. An answer the equivalence
check could not decide (terms that cancel beyond what it can resolve in its time budget)
is ``invalid`` too: it is never counted wrong. Parsed references, mistakes and their
compiled functions are cached, so repeated grading is fast.
"""

from __future__ import annotations

import time
from functools import lru_cache
from typing import Any, Iterable, Mapping, Sequence

from quizact.grading.expr import ParsedExpr, parse
from quizact.grading.lexer import ALWAYS_FORBIDDEN, DISPLAY, AnswerError, canonical_function, canonical_symbol
from quizact.grading.verdict import StepResult

#: Default sampling interval of a constant that has no fixed value (slopes, rates...).
CONSTANT_INTERVAL = (0.1, 0.9)
#: Functions that count as arithmetic for ``only_functions``.
ARITHMETIC = frozenset({"sqrt"})
TIMEOUT_FEEDBACK = "took too long to check — simplify your answer"
#: Seconds one grade may spend on exact or high-precision checks (the worker's limit is 2 s).
CAREFUL_BUDGET = 1.2
UNDECIDED_FEEDBACK = "could not decide whether this is right; it costs no attempt — try a simpler form"


def _get(obj: Any, key: str, default: Any = None) -> Any:
    if obj is None:
        return default
    if isinstance(obj, Mapping):
        return obj.get(key, default)
    return getattr(obj, key, default)


def _canon_functions(names: Iterable[str] | None) -> set[str]:
    return {canonical_function(n) or n.lower() for n in names or ()}


def _display_function(name: str, var: str) -> str:
    return f"{DISPLAY.get(name, name)}({var})"


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def check_form(parsed: ParsedExpr, require: Mapping[str, Any] | Any | None) -> str | None:
    """A message when a right value breaks the card's form rules, else None.

    ``require`` keys: ``only_functions`` (the answer may use only these functions, plus
    arithmetic and ``sqrt``), ``forbid_functions`` (always including diff, Derivative,
    integrate, subs, simplify and limit), ``forbid_symbols``.
    """
    var = parsed.variables[0] if parsed.variables else "z"
    used = set(parsed.functions) - ARITHMETIC
    only = _get(require, "only_functions")
    if only is not None:
        allowed = _canon_functions(only)
        if used - allowed:
            shown = [_display_function(f, var) for f in sorted(allowed)]
            return f"right value; now write it using {_join(shown)} only" if shown else (
                "right value; now write it without functions (arithmetic only)"
            )
    forbidden = _canon_functions(ALWAYS_FORBIDDEN) | _canon_functions(_get(require, "forbid_functions"))
    bad = sorted(used & forbidden)
    if bad:
        return f"right value; now write it without {_join([DISPLAY.get(f, f) for f in bad])}"
    bad_symbols = sorted(set(parsed.symbols) & {canonical_symbol(s) for s in _get(require, "forbid_symbols") or ()})
    if bad_symbols:
        return f"right value; now write it without {_join(bad_symbols)}"
    return None


@lru_cache(maxsize=512)
def _parse_cached(text: str, variables: tuple[str, ...], constants: tuple[str, ...]) -> ParsedExpr:
    return parse(text, variables, constants=constants, extra_functions=("factorial",), max_len=2000)


@lru_cache(maxsize=256)
def _interpreted(expr: Any) -> str:
    from quizact.grading.render import interpreted_as

    return interpreted_as(expr)


@lru_cache(maxsize=256)
def _auto(reference_text: str, variables: tuple[str, ...], constants: tuple[str, ...],
          about: str, domain: tuple[tuple[str, tuple[float, float]], ...],
          seed: int) -> tuple[tuple[str, Any, str], ...]:  # fmt: skip
    from quizact.grading.automistakes import auto_mistakes

    ref = _parse_cached(reference_text, variables, constants)
    return tuple(auto_mistakes(ref.expr, variables + constants, about=about, domain=dict(domain), seed=seed))


def _constants(constants: Mapping[str, Any] | Sequence[str] | None) -> tuple[tuple[str, ...], dict[str, float]]:
    """Constant names, and the fixed values of those given one."""
    if not constants:
        return (), {}
    if isinstance(constants, Mapping):
        fixed: dict[str, float] = {}
        for name, value in constants.items():
            try:
                fixed[canonical_symbol(name)] = float(value)
            except (TypeError, ValueError):
                pass
        return tuple(canonical_symbol(n) for n in constants), fixed
    return tuple(canonical_symbol(n) for n in constants), {}


def _domain(constants: tuple[str, ...], fixed: Mapping[str, float],
            domain: Mapping[str, Sequence[float]] | None) -> tuple[tuple[str, tuple[float, float]], ...]:  # fmt: skip
    """Sampling bounds: the card's domain, fixed constants, (0.1, 0.9) for other constants."""
    from quizact.grading.equivalence import normalize_domain

    bounds = {name: CONSTANT_INTERVAL for name in constants}
    bounds.update({name: (v, v) for name, v in fixed.items()})
    bounds.update({canonical_symbol(k): (float(v[0]), float(v[1])) for k, v in dict(normalize_domain(domain)).items()})
    return tuple(sorted(bounds.items()))


def _listed(mistakes: Iterable[Any], variables: tuple[str, ...],
            constants: tuple[str, ...]) -> list[tuple[str, Any, str]]:  # fmt: skip
    """Listed mistakes as ``(id, expr, feedback)``; ids are their own or ``listed:<index>``."""
    out = []
    for i, m in enumerate(mistakes or ()):
        text = _get(m, "answer")
        try:
            expr = _parse_cached(str(text), variables, constants).expr
        except AnswerError:
            continue  # an author's typo is reported by `quizact pack check`, not here
        out.append((_get(m, "id") or f"listed:{i}", expr, str(_get(m, "feedback", "") or "")))
    return out


def prepare_expression(
    reference_text: str,
    variables: Sequence[str],
    *,
    constants: Mapping[str, Any] | Sequence[str] | None = None,
    domain: Mapping[str, Sequence[float]] | None = None,
    mistakes: Iterable[Any] = (),
    about: str | None = None,
) -> None:
    """Fill the caches a card's first grade would fill (call when the card is shown)."""
    names_v = tuple(canonical_symbol(v) for v in variables)
    names_c, fixed = _constants(constants)
    try:
        _interpreted(_parse_cached(str(reference_text), names_v, names_c).expr)
    except AnswerError:
        return
    _listed(mistakes, names_v, names_c)
    if about:
        _auto(str(reference_text), names_v, names_c, about, _domain(names_c, fixed, domain), 0)


def grade_expression(
    text: str,
    reference_text: str,
    variables: Sequence[str],
    *,
    constants: Mapping[str, Any] | Sequence[str] | None = None,
    domain: Mapping[str, Sequence[float]] | None = None,
    require: Mapping[str, Any] | Any | None = None,
    mistakes: Iterable[Any] = (),
    about: str | None = None,
    seed: int = 0,
    partial_credit_form: float = 0.5,
) -> StepResult:
    """Grade ``text`` against ``reference_text``; never raises.

    ``constants``: names sampled from ``CONSTANT_INTERVAL`` (a list) or names with fixed
    values (a mapping). ``mistakes``: ``{"answer", "feedback", "id"?}`` items matched by
    the same equivalence. ``about``: the activation a derivative card differentiates, which
    turns on automatic misconceptions (``None`` = none).
    """
    try:
        return _grade(text, reference_text, variables, constants, domain, require, mistakes,
                      about, seed, partial_credit_form)  # fmt: skip
    except Exception as exc:  # noqa: BLE001 - grading must answer, whatever happens
        return StepResult("invalid", 0.0, feedback=f"could not check this answer ({type(exc).__name__})")


def _grade(text: str, reference_text: str, variables: Sequence[str], constants: Any, domain: Any,
           require: Any, mistakes: Iterable[Any], about: str | None, seed: int,
           partial: float) -> StepResult:  # fmt: skip
    from quizact.grading.equivalence import equivalent, format_counterexample

    if not isinstance(text, str):
        return StepResult("invalid", 0.0, feedback="the answer must be text")
    names_v = tuple(canonical_symbol(v) for v in variables)
    names_c, fixed = _constants(constants)
    try:
        answer = parse(text, names_v, constants=names_c)
    except AnswerError as err:
        return StepResult("invalid", 0.0, feedback=f"{err.message}\n{err.caret_line(str(text))}",
                          error_pos=err.pos)  # fmt: skip
    try:
        ref = _parse_cached(str(reference_text), names_v, names_c)
    except AnswerError as err:
        return StepResult("invalid", 0.0, feedback=f"this card's reference answer is broken: {err.message}")
    names = names_v + names_c
    dom = _domain(names_c, fixed, domain)
    interpreted, expected = _interpreted(answer.expr), _interpreted(ref.expr)
    deadline = time.perf_counter() + CAREFUL_BUDGET
    eq = equivalent(answer.expr, ref.expr, names, domain=dict(dom), rng_seed=seed, budget=CAREFUL_BUDGET * 2 / 3)
    if not eq.decided:
        return StepResult("invalid", 0.0, feedback=f"{UNDECIDED_FEEDBACK} ({eq.reason})",
                          interpreted=interpreted)  # fmt: skip
    if eq.equal:
        form = check_form(answer, require)
        if form:
            return StepResult("incorrect", float(partial), feedback=form, note="form",
                              expected=expected, interpreted=interpreted)  # fmt: skip
        return StepResult("correct", 1.0, feedback="Correct.", expected=expected, interpreted=interpreted)
    cx = format_counterexample(eq.counterexample) if eq.counterexample else None
    check = f"\n{cx[0].upper()}{cx[1:]}." if cx else ""
    candidates = _listed(mistakes, names_v, names_c)
    if about:
        candidates += list(_auto(str(reference_text), names_v, names_c, about, dom, 0))
    for mid, expr, feedback in candidates:  # what is left of the budget is shared by the mistakes
        left = max(0.0, deadline - time.perf_counter())
        if equivalent(answer.expr, expr, names, domain=dict(dom), rng_seed=seed, confirm=False, budget=left).equal:
            return StepResult("incorrect", 0.0, feedback=(feedback or "A known mistake.") + check, mistake=mid,
                              expected=expected, interpreted=interpreted, counterexample=cx)  # fmt: skip
    if eq.reason == "too few valid points":
        message = "Could not compare your expression with the expected one on this card's domain."
    else:
        message = "Not equal to the expected expression."
    return StepResult("incorrect", 0.0, feedback=message + check, expected=expected,
                      interpreted=interpreted, counterexample=cx)  # fmt: skip
