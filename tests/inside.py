"""For tests that set up or inspect a collection below the session: the session's private
collection and scheduler. Tests that claim to test the app or the session go through the
session's own methods; these reach past it only to arrange data or read what is on disk."""

from __future__ import annotations

from typing import Any


def collection(session: Any) -> Any:
    """The session's collection (``storage.collection.Collection``)."""
    return session._collection


def study(session: Any) -> Any:
    """The session's scheduler operations (``scheduling.Study``)."""
    return session._study
