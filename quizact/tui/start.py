"""Starting the app, for the entry point (``quizact.launch``) and the CLI's commands alike.

Garbage collection is held from the start until the first screen is drawn (the app calls
:func:`release_gc`): importing Textual and the core allocates hundreds of thousands of
objects that all live on, so every collection run meanwhile is wasted work (about a tenth
of the start-up). Once released, what exists then is frozen (``gc.freeze()``), so later
collections do not walk it again.

Light on purpose: the entry point imports it before it knows whether the app will open.
"""

from __future__ import annotations

import gc
import os


def run_app(db: str | None, start: str, **options) -> None:
    hold_gc()
    from quizact.tui.app import run

    run(db, start=start, timezone=local_zone(), **options)  # type: ignore[arg-type]


_held = False


def hold_gc() -> None:
    """Stop garbage collection until :func:`release_gc` (the app's first frame)."""
    global _held
    if gc.isenabled():
        gc.disable()
        _held = True


def release_gc() -> None:
    """Collection resumes, with everything alive now frozen; a no-op unless held."""
    global _held
    if _held:
        _held = False
        gc.freeze()
        gc.enable()


def local_zone() -> str:
    """The machine's IANA time zone name, for a new collection (UTC when unknown)."""
    tz = os.environ.get("TZ")
    if tz and "/" in tz:
        return tz.lstrip(":")
    try:
        target = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in target:
            return target.split("zoneinfo/", 1)[1]
    except OSError:
        pass
    return "UTC"
