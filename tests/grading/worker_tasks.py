"""Tasks the worker tests add to a worker's table (the shipped table has none of them)."""

from __future__ import annotations

import time


def ping() -> str:
    return "pong"


def sleep(seconds: float) -> str:
    time.sleep(seconds)
    return "slept"


def limits() -> dict[str, int]:
    import resource

    return {"RLIMIT_AS": resource.getrlimit(resource.RLIMIT_AS)[0]}
