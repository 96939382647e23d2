"""Vector and matrix answers: the shape a learner typed, transposes, and which entries are off.

A typed answer fits the expected shape when it is that shape, or when it drops only axes of
length one (a plain list for a row or a column matrix, one number for a single entry). A
vector (a 1-d quantity) fits as a row or as a column. Anything else is a shape error, which
costs no attempt, except the transpose of the right matrix: that is a wrong answer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from quizact.grading.carried import and_list

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

MAX_LISTED = 12  # wrong entries named one by one; more are counted


def describe(shape: Sequence[int]) -> str:
    """A shape as a learner reads it: ``one number``, ``a list of 3 numbers``, ``2 rows × 3 columns``."""
    shape = tuple(shape)
    if shape == ():
        return "one number"
    if len(shape) == 1:
        return "a list of 1 number" if shape[0] == 1 else f"a list of {shape[0]} numbers"
    if len(shape) == 2:
        rows, cols = shape
        return f"{rows} {'row' if rows == 1 else 'rows'} × {cols} {'column' if cols == 1 else 'columns'}"
    return " × ".join(str(n) for n in shape) + " numbers"


def _squeezed(shape: Sequence[int]) -> tuple[int, ...]:
    return tuple(n for n in shape if n != 1)


def fits(typed: Sequence[int], expected: Sequence[int]) -> bool:
    """Whether numbers typed in shape ``typed`` can stand for a value of shape ``expected``."""
    typed, expected = tuple(typed), tuple(expected)
    if typed == expected:
        return True
    if _squeezed(typed) != _squeezed(expected):
        return False
    # fewer axes: a list for a row or column matrix, a number for one entry; a vector has
    # no orientation, so it may be typed as a row or a column matrix too
    return len(typed) < len(expected) or len(expected) <= 1


def mismatch(typed: Sequence[int], expected: Sequence[int]) -> str:
    """The message of a shape error, naming the expected and the typed shape."""
    return f"expected {describe(expected)}, you typed {describe(typed)}"


def is_transpose(typed_matrix: ArrayLike, expected: ArrayLike, close: Callable[[object], bool]) -> bool:
    """Whether ``typed_matrix`` (2-d, any shape) is the transpose of ``expected`` and not ``expected`` itself.

    ``close(value)`` says whether the learner's numbers match ``value`` at the card's
    tolerance (entry by entry, in row-major order).
    """
    import numpy as np

    typed_matrix, expected = np.asarray(typed_matrix), np.asarray(expected)
    if expected.ndim != 2 or typed_matrix.shape != expected.T.shape:
        return False
    return close(expected.T) and not (typed_matrix.shape == expected.shape and close(expected))


def entry_label(flat_index: int, shape: Sequence[int], start: int) -> str:
    """The name of one entry, counted from ``start`` (0 or 1): ``2`` in a vector, ``(1, 3)`` in a matrix."""
    import numpy as np

    shape = tuple(n for n in shape) or (1,)
    squeezed = _squeezed(shape)
    if len(squeezed) <= 1:  # a vector, or a row or column matrix: one index
        return str(flat_index + start)
    index = np.unravel_index(flat_index, shape)
    return "(" + ", ".join(str(int(i) + start) for i in index) + ")"


def wrong_entries(wrong: Sequence[int], shape: Sequence[int], start: int, total: int) -> str:
    """``entries 1 and 3 are off`` / ``entry (2, 1) is off`` for the flat indices in ``wrong``."""
    labels = [entry_label(k, shape, start) for k in wrong[:MAX_LISTED]]
    if len(wrong) > MAX_LISTED:
        labels.append(f"{len(wrong) - MAX_LISTED} more")
    if len(wrong) == total and total > 2:
        head = f"all {total} entries are off"
        return head if total > MAX_LISTED else f"{head} ({and_list(labels)})"
    if len(labels) == 1:
        return f"entry {labels[0]} is off"
    return f"entries {and_list(labels)} are off"
