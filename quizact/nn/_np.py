"""Small NumPy helpers shared by the network modules."""

from __future__ import annotations

from typing import TypeAlias

import numpy as np
import numpy.typing as npt

Array: TypeAlias = npt.NDArray[np.float64]


def f64(x: object) -> Array:
    """``x`` as a float64 array (no copy when it already is one)."""
    return np.asarray(x, dtype=np.float64)


def quiet_underflow() -> np.errstate:
    """Let results that underflow to 0 (or a subnormal) stay silent.

    Underflow is the correct float answer for e.g. ``sigmoid(-1000)``; overflow, division
    by zero and invalid operations are avoided by construction and are left to the
    caller's error state.
    """
    return np.errstate(under="ignore")
