"""A sitting over JSON lines: ``quizact study --jsonl``.

One JSON object a line on the input, one JSON object a line on the output, each answering
one request (its ``"id"``, if any, is echoed back). The requests drive the same
:class:`quizact.sitting.Sitting` as the app's review screen, so a script, a test or an
editor plugin studies exactly as the learner does in the terminal: the attempt is graded
and kept by the sitting, a rating is on disk when its answer is printed, undo brings a card
back as it was rated. ``docs/cli.md`` lists the requests and the answers.

Nothing a request holds can end the sitting: a line that is too long, not UTF-8, not JSON,
not an object, an unknown op or a field of the wrong type gets ``{"error": …}`` and costs
no attempt; so does an answer the grader cannot read (``"invalid": true``). Text from packs
and answers is written with ``ensure_ascii``: control and bidi characters come out as
``\\u`` escapes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import IO, TYPE_CHECKING, Any, cast

from quizact.kinds import items_of, spec_of

if TYPE_CHECKING:
    from quizact.packs.models import RecallCard
    from quizact.session import Graded, Presented, Session
    from quizact.sitting import Sitting

#: the longest request line read, in bytes; a longer one is skipped whole, with an error
MAX_LINE = 64 * 1024
#: how long a write waits for another process's lock before the request fails (seconds)
LOCK_WAIT = 10.0
RATINGS = {"again": 1, "hard": 2, "good": 3, "easy": 4}
RATING_WORDS = {v: k for k, v in RATINGS.items()}
STATE_WORDS = {0: "new", 1: "learning", 2: "review", 3: "relearning"}
OPS = ("next", "answer", "steps", "reveal", "retry", "rate", "undo", "bury", "suspend", "status")


class Refused(Exception):
    """A request that cannot be carried out as written (nothing was graded or saved)."""


def _lines(stream: IO[bytes]) -> Any:
    """Each input line as bytes, or a :class:`Refused` for one over :data:`MAX_LINE` (skipped
    up to its end, so the next line is read as the next request)."""
    while True:
        line = stream.readline(MAX_LINE + 1)
        if not line:
            return
        if len(line) > MAX_LINE and not line.endswith(b"\n"):
            while True:  # the rest of this line is not a request
                more = stream.readline(MAX_LINE + 1)
                if not more or more.endswith(b"\n"):
                    break
            yield Refused(f"line too long: a request is at most {MAX_LINE} bytes")
            continue
        yield line


def parse_request(line: bytes) -> dict[str, Any]:
    """One request line as a dict with a known ``op``; raises :class:`Refused`."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Refused(f"not UTF-8 (byte {exc.start + 1})") from None
    try:
        request = json.loads(text)
    except json.JSONDecodeError as exc:
        raise Refused(f"not JSON: {exc.msg} (column {exc.colno})") from None
    except RecursionError:
        raise Refused("not JSON: nested too deeply") from None
    if not isinstance(request, dict):
        raise Refused(f"a request is a JSON object, not {type(request).__name__}")
    op = request.get("op")
    if not isinstance(op, str) or op not in OPS:
        raise Refused(f"unknown op {json.dumps(op)[:40]}: one of {', '.join(OPS)}")
    return request


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise Refused(f"{what} must be a string, not {_type(value)}")
    if any(ord(c) < 32 and c not in "\t" or 0x7F <= ord(c) < 0xA0 for c in value):
        raise Refused(f"{what} holds a control character (costs no attempt)")
    return value


def _type(value: Any) -> str:
    return "null" if value is None else {dict: "object", list: "array", bool: "boolean", str: "string"}.get(
        type(value), "number" if isinstance(value, (int, float)) else type(value).__name__
    )


def _answers(request: dict[str, Any], shown: Presented, *, all_steps: bool = True) -> list[str]:
    """The answers of an ``answer`` request: ``text`` (one answer; a choice card's letters,
    ``"b"`` or ``"a,c"``) or ``answers`` (one per step: every step, unless ``all_steps`` is
    False, the steps answered so far)."""
    if ("text" in request) == ("answers" in request):
        raise Refused('give "text" (one answer) or "answers" (one per step)')
    if "text" in request:
        return [_text(request["text"], '"text"')]
    answers = request["answers"]
    if not isinstance(answers, list) or not answers:
        raise Refused(f'"answers" must be a non-empty array of strings, not {_type(answers)}')
    steps = len(getattr(shown.card, "steps", None) or ()) or 1
    if len(answers) > steps or (all_steps and len(answers) < steps):
        raise Refused(f"this card takes {steps} answer(s); {len(answers)} were given")
    return [_text(a, f'"answers"[{i}]') for i, a in enumerate(answers)]


def _rating(request: dict[str, Any], sitting: Sitting) -> int:
    value = request.get("rating")
    if value is None:  # the rating proposed from the verdict (Good for a revealed card)
        graded = sitting.attempt.graded
        return int(graded.proposed) if graded is not None else 3
    if isinstance(value, str) and value.lower() in RATINGS:
        return RATINGS[value.lower()]
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 4:
        return value
    raise Refused(f'"rating" is again, hard, good or easy (or 1-4), not {json.dumps(value)[:40]}')


# -- what is written -------------------------------------------------------------------


def card_json(shown: Presented) -> dict[str, Any]:
    """The card shown: ids, kind, prompt (placeholders filled), options or step prompts."""
    card = shown.card
    out: dict[str, Any] = {"pack": shown.pack_id, "id": shown.card_id, "kind": card.kind, "seed": shown.variant.seed,
                           "prompt": shown.prompt}  # fmt: skip
    kind = spec_of(card)
    if kind.picks_options:
        out["options"] = [{"letter": chr(97 + i), "text": t} for i, t in enumerate(shown.options)]
        out["multiple"] = bool(getattr(card, "multiple", False))
    if kind.stepwise:
        out["steps"] = list(shown.step_prompts)
        return out
    for formula in items_of(card, "symbolic"):  # the one answer: a formula's variables
        out["variables"] = list(formula.variables)
    for number in items_of(card, "numeric"):  # or a number's precision
        from quizact.session import precision_label

        out["precision"] = precision_label(number.tolerance)
    return out


def _intervals(intervals: dict[Any, str]) -> dict[str, str]:
    return {RATING_WORDS[int(r)]: v for r, v in intervals.items()}


def graded_json(graded: Graded, shown: Presented) -> dict[str, Any]:
    verdict = graded.verdict
    out: dict[str, Any] = {
        "status": verdict.status, "score": verdict.score, "feedback": verdict.feedback,
        "steps": [{"status": s.status, "feedback": s.feedback, "expected": s.expected, "note": s.note}
                  for s in verdict.steps],
        "proposed": RATING_WORDS[int(graded.proposed)], "intervals": _intervals(graded.intervals),
        "retried": graded.retried, "explain": shown.explain,
    }  # fmt: skip
    return out


class JsonlSitting:
    """Answers requests over one sitting; ``clock`` gives ``now`` for each request."""

    def __init__(self, session: Session, sitting: Sitting, clock: Callable[[], datetime]) -> None:
        self.session = session
        self.sitting = sitting
        self.clock = clock

    def run(self, stdin: IO[bytes], stdout: IO[str]) -> None:
        for line in _lines(stdin):
            reply = self.reply(line)
            stdout.write(json.dumps(reply, ensure_ascii=True, default=str) + "\n")
            stdout.flush()

    def reply(self, line: bytes | Refused) -> dict[str, Any]:
        """The answer to one request line (never raises)."""
        request: dict[str, Any] = {}
        try:
            if isinstance(line, Refused):
                raise line
            if not line.strip():
                raise Refused("empty line: a request is a JSON object with an op")
            request = parse_request(line)
            reply = {"op": request["op"], **getattr(self, "op_" + request["op"])(request)}
        except Refused as exc:
            reply = {"error": str(exc)}
        except Exception as exc:  # noqa: BLE001 - a sitting error, a lock held: said, not fatal
            from quizact.front import CollectionLocked
            from quizact.sitting import SittingError

            if isinstance(exc, SittingError):
                reply = {"error": str(exc)}
            elif isinstance(exc, CollectionLocked):
                reply = {"error": f"not saved: {exc}"}
            else:
                reply = {"error": f"{type(exc).__name__}: {exc}"}
        if "op" in request and "op" not in reply:
            reply = {"op": request["op"], **reply}
        ident = request.get("id")
        if isinstance(ident, (str, int)) and not isinstance(ident, bool):
            reply["id"] = ident
        return reply

    def _waiting(self, seconds: float) -> bool:
        return seconds < LOCK_WAIT

    # -- the requests --------------------------------------------------------------------

    def op_next(self, request: dict[str, Any]) -> dict[str, Any]:
        """The card shown (the same until it is rated, buried or suspended) or, when the
        sitting is over, ``"card": null`` with the tally and what comes next."""
        now = self.clock()
        shown = self.sitting.next(now)
        if shown is None:
            outlook = self.sitting.outlook(now)
            return {"card": None, "finished": True, **self._tally(),
                    "tomorrow": outlook.tomorrow, "next_learning": outlook.next_learning}  # fmt: skip
        return {"card": card_json(shown), **self._state()}

    def op_answer(self, request: dict[str, Any]) -> dict[str, Any]:
        shown = self.sitting.shown
        if shown is None:
            raise Refused("no card is shown: send next first")
        graded = self.sitting.submit(_answers(request, shown), self.clock())
        if graded.verdict.invalid:  # cannot be read: costs no attempt
            return {"error": graded.verdict.feedback, "invalid": True}
        out: dict[str, Any] = {"verdict": graded_json(graded, shown)}
        if spec_of(shown.card).picks_options:
            marks = self.session.option_marks(shown, self.sitting.attempt.answers[0])
            out["options"] = [{"letter": chr(97 + i), "correct": m.correct, "chosen": m.chosen, "feedback": m.feedback}
                              for i, m in enumerate(marks)]  # fmt: skip
        return out

    def op_steps(self, request: dict[str, Any]) -> dict[str, Any]:
        """The steps answered so far, each graded (feedback as you go; nothing is kept)."""
        shown = self.sitting.shown
        if shown is None or not spec_of(shown.card).stepwise:
            raise Refused("steps grades the answers so far of a steps card")
        results = self.sitting.grade_steps(_answers(request, shown, all_steps=False))
        return {"steps": [{"status": r.status, "feedback": r.feedback, "note": r.note} for r in results]}

    def op_reveal(self, request: dict[str, Any]) -> dict[str, Any]:
        self.sitting.reveal()
        shown = self.sitting.shown
        assert shown is not None and spec_of(shown.card).self_rated  # reveal refuses every other kind
        return {"answer": cast("RecallCard", shown.card).answer, "explain": shown.explain,
                "intervals": _intervals(self.sitting.intervals(self.clock()))}  # fmt: skip

    def op_retry(self, request: dict[str, Any]) -> dict[str, Any]:
        self.sitting.retry()
        return {"retried": True}

    def op_rate(self, request: dict[str, Any]) -> dict[str, Any]:
        rating = _rating(request, self.sitting)
        result = self.sitting.rate(rating, self.clock(), self._waiting)
        out: dict[str, Any] = {"rating": RATING_WORDS[rating]}
        if isinstance(result, int):  # practice: the attempt was logged, the schedule untouched
            out["practice"] = True
        else:
            out.update(state=STATE_WORDS.get(result.state, result.state), due=result.due.isoformat(),
                       interval_seconds=result.interval.total_seconds(), leech=result.leech,
                       suspended=result.suspended)  # fmt: skip
        return {**out, **self._state()}

    def op_undo(self, request: dict[str, Any]) -> dict[str, Any]:
        now = self.clock()
        undone = self.sitting.undo(now, self._waiting)
        shown = self.sitting.next(now)
        out: dict[str, Any] = {"undone": None if undone is None else
                               {"action": undone.entry.action, "pack": undone.entry.pack_id,
                                "id": undone.entry.card_id}}  # fmt: skip
        out["card"] = card_json(shown) if shown is not None else None
        attempt = self.sitting.attempt
        if shown is not None and attempt.graded is not None:  # back as it was rated
            out["answers"] = list(attempt.answers)
            out["verdict"] = graded_json(attempt.graded, shown)
        out["revealed"] = attempt.revealed
        return {**out, **self._state()}

    def op_bury(self, request: dict[str, Any]) -> dict[str, Any]:
        until = self.sitting.bury(self.clock(), self._waiting)
        return {"buried_until": until.isoformat(), **self._state()}

    def op_suspend(self, request: dict[str, Any]) -> dict[str, Any]:
        self.sitting.suspend(self.clock(), self._waiting)
        return {"suspended": True, **self._state()}

    def op_status(self, request: dict[str, Any]) -> dict[str, Any]:
        return {**self._state(), **self._tally()}

    def _state(self) -> dict[str, Any]:
        """Cards left (review: new · learning · review today, the card shown counted)."""
        now = self.clock()
        counts = self.sitting.counts(now)
        if counts is None:
            return {"left": self.sitting.left(now)}
        return {"left": counts.total, "new": counts.new, "learning": counts.learning, "review": counts.review}

    def _tally(self) -> dict[str, Any]:
        tally = self.sitting.tally
        return {"done": tally.done, "right": tally.right, "cards": tally.cards}
