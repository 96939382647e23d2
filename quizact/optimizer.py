"""Fitting FSRS parameters to the review log, with progress, through fsrs' own optimizer.

``optimize(collection, progress=...)`` reads the review log, checks there is enough of it
the way fsrs counts (``spaced_reviews``), fits, and stores the fitted parameters only when
they predict the log better than the current ones. The optimizer needs the optional
``optimizer`` extra (torch, pandas, tqdm); it is imported only here, when a fit starts.

How fsrs counts: it trains on at most the first ``MAX_SEQ_LEN`` reviews of each card, and
only a review at least a day (24 hours) after the same card's previous review has a loss
term; below one mini-batch (``MINI_BATCH``) of such reviews it returns its defaults.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from quizact.records import record
from quizact.storage.collection import Collection
from quizact.storage.timeutil import parse

if TYPE_CHECKING:
    #: one review read for the optimizer: pack id, card id, rating, when, duration (ms)
    Parsed = tuple[str, str, int, datetime, int | None]

MINI_BATCH = 512  # fsrs.optimizer.mini_batch_size: fewer spaced reviews give the defaults back
MAX_SEQ_LEN = 64  # fsrs.optimizer.max_seq_len: reviews per card the optimizer reads
EPOCHS = 5  # fsrs.optimizer.num_epochs
DAY = timedelta(days=1)


class OptimizerUnavailable(RuntimeError):
    pass


class TooFewReviews(ValueError):
    pass


@record
class Progress:
    """How far a fit has got: ``done`` of ``total`` units of work, and what it is doing."""

    done: float
    total: float
    stage: str

    @property
    def fraction(self) -> float:
        return min(1.0, self.done / self.total) if self.total else 0.0


ProgressFn = Callable[[Progress], None]


def spaced_reviews(reviews: Iterable[tuple[Any, datetime]], max_seq_len: int = MAX_SEQ_LEN) -> int:
    """How many of ``(card key, reviewed at)`` reviews the optimizer learns from: within each
    card's first ``max_seq_len`` reviews (in time order), those at least a day after the
    previous one."""
    by_card: dict[Any, list[datetime]] = {}
    for key, when in reviews:
        by_card.setdefault(key, []).append(when)
    count = 0
    for times in by_card.values():
        times = sorted(times)[:max_seq_len]
        count += sum(1 for before, after in zip(times, times[1:]) if after - before >= DAY)
    return count


def _rows(collection: Collection) -> list[tuple[str, str, int, str, int | None]]:
    return collection.query(
        "SELECT pack_id, card_id, rating, reviewed_at, duration_ms FROM reviews "
        "WHERE mode = 'review' AND rating IS NOT NULL ORDER BY id"
    )


def check_enough(collection: Collection, *, min_reviews: int = MINI_BATCH) -> tuple[list[Parsed], int]:
    """The review rows and their spaced count; raises ``TooFewReviews`` below ``min_reviews``."""
    rows = _rows(collection)
    parsed = [(p, c, r, parse(t), d) for p, c, r, t, d in rows]
    spaced = spaced_reviews(((p, c), t) for p, c, _, t, _ in parsed)
    if spaced < min_reviews:
        raise TooFewReviews(
            f"optimizing needs at least {min_reviews} reviews made a day or more after the same "
            f"card's previous review; this collection has {spaced} (of {len(rows)} reviews)"
        )
    return parsed, spaced


def _load_optimizer() -> type:
    try:
        from fsrs.optimizer import Optimizer
    except ImportError as e:  # pragma: no cover - fsrs always has the module
        raise _unavailable() from e
    return Optimizer


def _unavailable() -> OptimizerUnavailable:
    return OptimizerUnavailable(
        'optimizing FSRS parameters needs the optional extra: pip install "quizact[optimizer]"'
    )


class _Counted(dict[Any, Any]):
    """The cards' review histories, counting each read: fsrs reads one card's history per
    step of each pass over the log, which is how far the pass has got."""

    def __init__(self, data: dict[Any, Any], tick: Callable[[int], None]) -> None:
        super().__init__(data)
        self._tick = tick

    def __getitem__(self, key: Any) -> Any:
        value = super().__getitem__(key)
        self._tick(min(len(value), MAX_SEQ_LEN))
        return value


def _stage(done: float, units: int) -> str:
    """What the pass that ``done`` units of work are into is doing.

    The passes, each over every review used: the loss of the current parameters, fsrs'
    count of its reviews, then per epoch a training pass and the loss of its parameters.
    """
    k = max(0, math.ceil(done / units) - 1) if units else 0  # the pass the latest read was in
    if k == 0:
        return "loss of the current parameters"
    if k == 1:
        return "fitting: preparing"
    return f"fitting: epoch {min((k - 2) // 2 + 1, EPOCHS)} of {EPOCHS}"


def _reporting(base: type, units: int, progress: ProgressFn | None) -> type:
    """A subclass of fsrs' ``Optimizer`` that reports progress and remembers each loss it
    computes (the loss of the parameters it returns was computed in its last pass)."""

    class Reporting(base):  # type: ignore[misc]
        def __init__(self, logs: Sequence[Any]) -> None:
            super().__init__(logs)
            self._memo: dict[tuple[float, ...], float] = {}
            self.done = 0.0
            self.total = float(units * (2 + 2 * EPOCHS))
            revlogs = getattr(self, "_revlogs_train", None)
            if isinstance(revlogs, dict):
                self._revlogs_train = _Counted(revlogs, self._tick)

        def _tick(self, n: int) -> None:
            self.done += n
            self.report()

        def report(self, stage: str | None = None) -> None:
            if progress is not None:
                done = min(self.done, self.total)
                progress(Progress(done, self.total, stage or _stage(done, units)))

        def _compute_batch_loss(self, *, parameters: list[float]) -> float:
            key = tuple(float(x) for x in parameters)
            if key not in self._memo:
                self._memo[key] = super()._compute_batch_loss(parameters=parameters)
            return self._memo[key]

    return Reporting


def optimize(
    collection: Collection, *, progress: ProgressFn | None = None, min_reviews: int = MINI_BATCH
) -> dict[str, Any]:
    """Fit FSRS parameters to the review log; store them when they fit it better.

    Returns ``reviews`` (ratings read), ``spaced`` (those fsrs learns from), ``parameters``
    (in force afterwards), ``fitted``, ``loss_before``/``loss_after`` (log loss of the
    current and the fitted parameters) and ``applied`` (False: the fit was worse and
    nothing was stored). Raises ``TooFewReviews`` below ``min_reviews`` spaced reviews and
    ``OptimizerUnavailable`` without the optional extra. ``progress`` is called, in this
    thread, as the work goes on.
    """
    from fsrs import Rating, ReviewLog
    from fsrs.scheduler import DEFAULT_PARAMETERS

    parsed, spaced = check_enough(collection, min_reviews=min_reviews)
    ids: dict[tuple[str, str], int] = {}
    logs = [ReviewLog(ids.setdefault((p, c), len(ids) + 1), Rating(r), t, d) for p, c, r, t, d in parsed]
    used = sum(min(n, MAX_SEQ_LEN) for n in _per_card(parsed).values())
    try:
        optimizer = _reporting(_load_optimizer(), used, progress)(logs)
    except ImportError as e:  # fsrs' stand-in when torch, pandas or tqdm is missing
        raise _unavailable() from e
    optimizer.report()
    current = list(collection.settings().fsrs_parameters or DEFAULT_PARAMETERS)
    loss_before = optimizer._compute_batch_loss(parameters=current)
    raw = optimizer.compute_optimal_parameters()
    fitted = current if raw is None else [float(x) for x in raw]  # None: no epoch gave a finite loss
    loss_after = optimizer._compute_batch_loss(parameters=fitted)
    applied = loss_after <= loss_before
    if applied:
        collection.update_settings(fsrs_parameters=fitted)
    optimizer.done = optimizer.total
    optimizer.report("stored" if applied else "not stored: the fitted parameters fit worse")
    return {
        "reviews": len(parsed), "spaced": spaced, "parameters": fitted if applied else current,
        "fitted": fitted, "loss_before": loss_before, "loss_after": loss_after, "applied": applied,
    }  # fmt: skip


def _per_card(parsed: list[Parsed]) -> dict[tuple[str, str], int]:
    counts: dict[tuple[str, str], int] = {}
    for p, c, *_ in parsed:
        counts[(p, c)] = counts.get((p, c), 0) + 1
    return counts
