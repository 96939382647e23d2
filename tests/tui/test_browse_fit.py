"""Browse fits its screen: at 80×24 as at 120×36 every column is there with its full
header, due dates read in full ("in 3d", "2d ago"), and long ids are cut with an ellipsis
instead of pushing columns off the screen."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from textual.widgets import DataTable

from quizact.scheduling import Rating
from quizact.session import Session
from quizact.tui.columns import clip, fit
from tests import inside

from .browse_support import NOW, SIZES, rendered, table_rows
from .conftest import drive, make_app, settle

LONG_PACK = "an-instructors-pack-with-a-long-identifier"
LONG = "a-card-whose-identifier-goes-on-and-on-for-quite-a-while"
HEADERS = ("Card", "Pack", "Kind", "State", "Due", "Lapses", "Tags", "Flag")


@pytest.fixture
def long_ids(tmp_path):
    cards = "".join(
        f"  - id: {LONG}-{i}\n    kind: recall\n    tags: [activations, derivatives, saturation-{i}]\n"
        f"    prompt: 'Question {i}?'\n    answer: 'Answer {i}.'\n"
        for i in range(30)  # more rows than the screen holds: the scrollbar takes its cells too
    )
    path = tmp_path / "long.yaml"
    path.write_text(f"pack: {LONG_PACK}\nname: Long ids\nversion: 1\ncards:\n{cards}", encoding="utf-8")
    s = Session.open(tmp_path / "c.sqlite3", NOW, sources=[path])
    for i in (0, 1):
        shown = s.present(LONG_PACK, f"{LONG}-{i}", NOW, random.Random(1))
        s.rate(shown, Rating.Easy, NOW)  # a review card
    s.set_due(LONG_PACK, f"{LONG}-0", "8", NOW, random.Random(1))
    s.set_due(LONG_PACK, f"{LONG}-1", "13", NOW, random.Random(1))
    s.set_flag(LONG_PACK, f"{LONG}-1", "orange", NOW)
    inside.collection(s).query("DELETE FROM undo")
    yield s
    s.close()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_column_is_readable(long_ids, clock, size):
    clock.now = NOW + timedelta(days=10)
    app = make_app(long_ids, clock)

    async def scenario(pilot):
        await pilot.press("b")
        await settle(pilot)
        lines = rendered(app).splitlines()
        header = next(line for line in lines if line.startswith("Card"))
        for label in HEADERS:
            assert f"{label} " in header + " ", (label, header)
        assert all(len(line) <= size[0] for line in lines)
        rows = table_rows(app.screen)
        assert len(rows) == 30 and app.screen.query_one(DataTable).show_vertical_scrollbar
        assert [r[4] for r in rows[:3]] == ["2d ago", "in 3d", "—"]  # due on day 8, and on day 13
        for i, row in enumerate(rows[:12]):
            # cut in the middle, never dropped: the start and the end that tells them apart
            head, tail = row[0].split("…")
            assert LONG.startswith(head) and len(head) >= 6 and f"{LONG}-{i}".endswith(tail) and tail.endswith(f"-{i}")
            head, tail = row[1].split("…")
            assert LONG_PACK.startswith(head) and LONG_PACK.endswith(tail)
            assert row[2] == "recall" and row[5] == "0"
        assert [r[7] for r in rows[:3]] == ["", "orange", ""] and rows[2][3] == "new"
        # the screen shows the same cells, each whole where it is not cut
        line = next(line for line in lines if "in 3d" in line)
        assert "orange" in line and "recall" in line and "review" in line

    drive(app, scenario, size=size)


def test_fit_gives_fixed_columns_their_width_and_shares_the_rest():
    natural = {"card": 56, "pack": 42, "kind": 6, "tags": 40, "flag": 6}
    widths = fit(natural, {"card": 4, "pack": 2, "tags": 2}, 60)
    assert widths["kind"] == 6 and widths["flag"] == 6
    # 48 left, shared 4:2:2 → 24, 12, 12
    assert (widths["card"], widths["pack"], widths["tags"]) == (24, 12, 12)
    # what a short column does not need goes to the others: tags wants 4, so 44 for 4:2
    widths = fit({**natural, "tags": 4}, {"card": 4, "pack": 2, "tags": 2}, 60)
    assert (widths["card"], widths["pack"], widths["tags"]) == (29, 14, 4)
    assert fit(natural, {"card": 4, "pack": 2, "tags": 2}, 500) == natural


def test_clip_cuts_with_an_ellipsis_in_cells():
    assert clip("sigmoid-slope-at-z", 18) == "sigmoid-slope-at-z"
    assert clip("sigmoid-slope-at-z", 10) == "sigmoid-s…"
    # in the middle: of the 9 cells beside the ellipsis, a third (3) keep the end
    assert clip("sigmoid-slope-at-z", 10, middle=True) == "sigmoi…t-z"
    assert clip("backprop-layer-2", 12, middle=True) == "backprop…r-2"
    assert clip("σ′(z)·σ", 4) == "σ′(…"
    assert clip("日本語のカード", 6) == "日本…"  # two cells a character


def test_the_table_knows_the_same_flags_as_the_core():
    from quizact import reschedule
    from quizact.tui.screens import browse

    assert browse.FLAGS == reschedule.FLAGS
    assert [b.key for b in browse.BrowseScreen.BINDINGS if b.action.startswith("flag(")] == [
        "ctrl+1", "ctrl+2", "ctrl+3", "ctrl+4"]  # fmt: skip
