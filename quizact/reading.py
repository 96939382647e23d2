"""What a typed answer reads as, before it is graded: the "interpreted as" line.

The live preview parses in-process, as the grader will (a formula through the safe
parser, a number through the numeric reader): cheap once sympy is imported, and only ever
called from a thread after the first frame. Front-ends (the app's answer boxes) call it.
"""

from __future__ import annotations

from typing import Any

from quizact.records import record


@record
class Preview:
    """What a typed answer reads as, or why it cannot be read (``pos``: 0-based column)."""

    text: str = ""
    error: str = ""
    pos: int | None = None
    label: str = ""  # what the line says before ``text``; "" for the box's own word


@record
class AnswerSpec:
    """How an answer box reads its text: a formula in ``variables``, or numbers."""

    kind: str  # "symbolic" | "numeric"
    variables: tuple[str, ...] = ()
    constants: tuple[str, ...] = ()
    precision: str = ""  # what a numeric answer is graded at: "3 s.f.", "2 d.p."
    tolerance: Any = None  # a numeric answer's tolerance: arithmetic is shown at its precision
    forbid: tuple[str, ...] = ()  # functions a number box refuses (the card's subject)
    shape: tuple[int, ...] | None = None  # a numeric answer's shape, once known (the box's hint says it)

    @classmethod
    def of(cls, item: Any) -> AnswerSpec:
        """For a symbolic/numeric card or a step."""
        if getattr(item, "kind", "numeric") == "symbolic":
            return cls("symbolic", tuple(item.variables), tuple(item.constants))
        from quizact.grading.refuse import forbidden
        from quizact.session import precision_label

        return cls("numeric", precision=precision_label(item.tolerance), tolerance=item.tolerance,
                   forbid=forbidden(item))  # fmt: skip


def preview(spec: AnswerSpec, text: str) -> Preview:
    """Parse ``text`` as the grader will; never raises."""
    if not text.strip():
        return Preview()
    if spec.kind == "symbolic":
        return _preview_formula(text, spec)
    return _preview_number(text, spec)


def _preview_formula(text: str, spec: AnswerSpec) -> Preview:
    from quizact.grading.expr import parse
    from quizact.grading.lexer import AnswerError
    from quizact.grading.render import interpreted_as

    try:
        parsed = parse(text, spec.variables, constants=spec.constants)
    except AnswerError as err:
        return Preview(error=err.message, pos=err.pos)
    except Exception as exc:  # noqa: BLE001 - a preview must never break typing
        return Preview(error=f"cannot read this yet ({type(exc).__name__})")
    try:
        return Preview(text=interpreted_as(parsed))
    except Exception:  # noqa: BLE001
        return Preview(text=str(parsed.expr))


def _preview_number(text: str, spec: AnswerSpec | None = None) -> Preview:
    from quizact.grading import numeric

    try:
        reading = numeric.read_number(text, spec.forbid if spec else ())
    except numeric.NumberError as err:
        pos = None
        if err.pos is not None:  # the scanner's column is in the stripped text
            pos = err.pos + (len(text) - len(text.lstrip()))
        return Preview(error=err.message, pos=pos)
    except Exception as exc:  # noqa: BLE001 - a preview must never break typing
        return Preview(error=f"cannot read this yet ({type(exc).__name__})")
    said = numeric.interpreted(reading, spec.tolerance if spec else None)
    if said is not None:  # arithmetic: "interpreted as 1/(1 + e^(−0.51)) = 0.6248"
        return Preview(text=said, label="interpreted as")
    return Preview(text=_numbers(reading.value))


def _numbers(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_numbers(v) for v in value) + "]"
    return f"{value.value:.6g}".replace("-", "−")
