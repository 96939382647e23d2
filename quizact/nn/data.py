"""Toy 2-D classification data sets, seeded through an explicit Generator.

Each returns ``(X, labels)``: X is (n, 2) float64, labels (n,) int in {0, 1}.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from quizact.nn._np import Array

DATASETS = ("xor", "moons", "circles")


def xor(rng: np.random.Generator, n: int = 4, noise: float = 0.0) -> tuple[Array, Array]:
    """The four corners of the unit square (label = x1 XOR x2), repeated n/4 times, jittered."""
    if n < 4 or n % 4:
        raise ValueError(f"xor needs n a multiple of 4, got {n}")
    corners = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    labels = np.array([0, 1, 1, 0])
    X = np.tile(corners, (n // 4, 1))
    if noise:
        X = X + rng.normal(0.0, noise, X.shape)
    return X, np.tile(labels, n // 4)


def moons(rng: np.random.Generator, n: int = 100, noise: float = 0.1) -> tuple[Array, Array]:
    """Two interleaving half circles (n // 2 on the upper moon, labelled 0)."""
    n_top = n // 2
    t_top = np.linspace(0.0, np.pi, n_top)
    t_bot = np.linspace(0.0, np.pi, n - n_top)
    top = np.column_stack([np.cos(t_top), np.sin(t_top)])
    bot = np.column_stack([1.0 - np.cos(t_bot), 0.5 - np.sin(t_bot)])
    X = np.vstack([top, bot])
    labels = np.r_[np.zeros(n_top, int), np.ones(n - n_top, int)]
    return _shuffle(rng, X + rng.normal(0.0, noise, X.shape) if noise else X, labels)


def circles(
    rng: np.random.Generator, n: int = 100, noise: float = 0.05, factor: float = 0.5
) -> tuple[Array, Array]:
    """An outer circle (label 0) around an inner one of radius ``factor`` (label 1)."""
    n_out = n // 2
    t_out = np.linspace(0.0, 2 * np.pi, n_out, endpoint=False)
    t_in = np.linspace(0.0, 2 * np.pi, n - n_out, endpoint=False)
    X = np.vstack(
        [
            np.column_stack([np.cos(t_out), np.sin(t_out)]),
            factor * np.column_stack([np.cos(t_in), np.sin(t_in)]),
        ]
    )
    labels = np.r_[np.zeros(n_out, int), np.ones(n - n_out, int)]
    return _shuffle(rng, X + rng.normal(0.0, noise, X.shape) if noise else X, labels)


def _shuffle(rng: np.random.Generator, X: Array, labels: Array) -> tuple[Array, Array]:
    order = rng.permutation(len(X))
    return X[order], labels[order]


def make_dataset(
    name: str,
    rng: np.random.Generator,
    *,
    n: int | None = None,
    noise: float | None = None,
    factor: float | None = None,
) -> tuple[Array, Array]:
    """A data set by name; ``None`` options take each set's default."""
    opts: dict[str, Any] = {k: v for k, v in {"n": n, "noise": noise}.items() if v is not None}
    if name == "xor":
        return xor(rng, **opts)
    if name == "moons":
        return moons(rng, **opts)
    if name == "circles":
        if factor is not None:
            opts["factor"] = factor
        return circles(rng, **opts)
    raise ValueError(f"unknown data set {name!r} (known: {', '.join(DATASETS)})")


def targets(labels: Array, n_out: int) -> Array:
    """Labels as network targets: a (n, 1) column of 0/1, or one-hot (n, n_out)."""
    labels = np.asarray(labels, dtype=int)
    if n_out == 1:
        return labels[:, None].astype(np.float64)
    return np.eye(n_out)[labels]
