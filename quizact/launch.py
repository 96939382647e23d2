"""The ``quizact`` command's entry point.

Opening the app (``quizact``, ``quizact review``, either with ``--db PATH``) is what a
learner does every morning, so it starts the app without loading the CLI framework
(click alone adds about a tenth to the start-up). Every other command line, including
``--help`` and anything malformed, goes to the click CLI in ``quizact.cli``, which also
accepts the forms handled here.

``quizact stats --json`` (a script's question, asked often) is answered here too, without
click, when the collection opens cleanly; anything else about it (a refused collection, a
skipped pack to warn about) goes to the click command, which says what is wrong.

The app itself is started by ``quizact.tui.start.run_app``, which the CLI's commands use
too: this module is the entry point only, and nothing imports it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from quizact.tui.start import local_zone, run_app

APP_STARTS = {(): "dashboard", ("review",): "review"}


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    start = app_start(args)
    if start is None and stats_json(args):
        return
    if start is None:
        from quizact.cli import main as cli

        cli.main(args=args, prog_name="quizact")
        return
    db, command = start
    run_app(db, command)


def app_start(args: list[str]) -> tuple[str | None, str] | None:
    """``(db, start)`` when ``args`` just open the app; None for anything else."""
    db = os.environ.get("QUIZACT_DB") or None
    rest = list(args)
    if rest[:1] == ["--db"] and len(rest) >= 2:
        db, rest = rest[1], rest[2:]
    elif rest[:1] and rest[0].startswith("--db="):
        db, rest = rest[0].removeprefix("--db="), rest[1:]
    start = APP_STARTS.get(tuple(rest))
    if start is None or (db is not None and (not db or os.path.isdir(db))):
        return None  # the CLI explains what is wrong
    return db, start


def stats_json(args: list[str]) -> bool:
    """Print ``quizact [--db PATH] stats --json`` as the click command does; False (nothing
    printed) when ``args`` are something else or the collection needs a word said."""
    if args[-2:] != ["stats", "--json"]:
        return False
    start = app_start(args[:-2])  # the global --db, as for the app
    if start is None or start[1] != "dashboard":
        return False
    import json
    from datetime import datetime, timezone

    from quizact.session import Session
    from quizact.storage.collection import CollectionError

    try:
        session = Session.open(start[0], datetime.now(timezone.utc), timezone=local_zone())
    except CollectionError:
        return False
    try:
        if session.problems:  # the click command warns about each
            return False
        now = datetime.now(timezone.utc)
        data = session.stats(now)
        data["today"] = session.counts(now)
    finally:
        session.close()
    sys.stdout.write(json.dumps(data, indent=2, default=str) + "\n")
    sys.stdout.flush()
    return True
