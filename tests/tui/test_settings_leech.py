"""The review screen says what the leech action did: suspended, or only tagged."""

from __future__ import annotations

from datetime import timedelta

import pytest

from quizact.storage.timeutil import iso
from tests import inside

from .conftest import NOW, PACK, drive, make_app, only, settle


def make_review(session, card_id: str) -> None:
    with inside.collection(session).transaction() as conn:
        conn.execute(
            "UPDATE cards SET state = 2, step = NULL, stability = 20.0, difficulty = 5.0, due = ?, "
            "last_review = ?, reps = 3 WHERE pack_id = ? AND card_id = ?",
            (iso(NOW - timedelta(hours=1)), iso(NOW - timedelta(days=20)), PACK, card_id),
        )


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
@pytest.mark.parametrize(
    ("action", "told", "suspended"),
    [
        ("suspend", "This card keeps lapsing: it is a leech and has been suspended.", True),
        ("tag", "This card keeps lapsing: it is a leech and is tagged, not suspended.", False),
    ],
)
def test_a_leech_is_suspended_or_only_tagged(session, clock, size, action, told, suspended):
    only(session, "relu-definition")
    make_review(session, "relu-definition")
    session.update_settings({"leech_threshold": 1, "leech_action": action})
    app = make_app(session, clock, start="review")

    async def scenario(pilot):
        assert app.screen.shown.card_id == "relu-definition"
        await pilot.press("space", "1")  # Again: the first lapse reaches the threshold
        await settle(pilot)
        assert told in [n.message for n in app._notifications]

    drive(app, scenario, size=size)
    card = inside.collection(session).card(PACK, "relu-definition")
    assert card.lapses == 1 and card.flags == ("leech",) and card.suspended == suspended
