"""The settings screen at 120×36 and 80×24: every setting edited, a bad value shows the
plain message beside its field and saves nothing, good values reach the file on disk,
and a pack's preset is edited apart from the collection's settings."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Select

from quizact.storage.collection import Collection
from tests import inside

from .conftest import PACK, drive, make_app, settle

SIZES = [(120, 36), (80, 24)]


def on_disk(session):
    """The settings as another connection reads them from the file."""
    with Collection.open(inside.collection(session).path) as col:
        return col.settings()


def visible_in(app, widget) -> bool:
    screen = app.screen.region
    region = widget.region
    return region.width > 0 and region.height > 0 and screen.contains_region(region)


async def open_settings(pilot):
    await pilot.press("comma")
    await settle(pilot)
    return pilot.app.screen


@pytest.mark.parametrize("size", SIZES)
def test_a_bad_value_shows_the_plain_message_and_saves_nothing(session, clock, size):
    app = make_app(session, clock)
    before = on_disk(session)

    async def scenario(pilot):
        screen = await open_settings(pilot)
        screen.query_one("#new_per_day", Input).value = "7"  # good, but saved only with the rest
        screen.query_one("#maximum_interval", Input).value = "0"
        await pilot.press("ctrl+s")
        await settle(pilot)
        error = screen.query_one("#error-maximum_interval")
        assert str(error.render()) == "Maximum interval must be between 1 and 36500 days (you typed 0)"
        assert visible_in(app, error)  # brought into view, even on a short terminal
        assert app.focused is screen.query_one("#maximum_interval", Input)
        assert on_disk(session) == before
        screen.query_one("#maximum_interval", Input).value = "90"
        screen.query_one("#desired_retention", Input).value = "1.2"
        await pilot.press("ctrl+s")
        await settle(pilot)
        message = str(screen.query_one("#error-desired_retention").render())
        assert message == "Desired retention must be between 70% and 99% (you typed 1.2)"
        assert str(screen.query_one("#error-maximum_interval").render()) == ""
        assert on_disk(session) == before
        screen.query_one("#desired_retention", Input).value = "0.9"
        screen.query_one("#rollover_hour", Input).value = "24"  # read fine, refused by the core
        await pilot.press("ctrl+s")
        await settle(pilot)
        message = str(screen.query_one("#error-rollover_hour").render())
        assert message == "Rollover hour must be between 0 and 23 (an hour of the day) (you typed 24)"
        assert "Not saved" in str(screen.query_one("#settings-status").render())
        assert on_disk(session) == before
        screen.query_one("#rollover_hour", Input).value = "5"
        screen.query_one("#desired_retention", Input).focus()
        await settle(pilot)
        screen.query_one("#learn_ahead_minutes", Input).value = "soon"  # not a number at all
        await pilot.press("ctrl+s")
        await settle(pilot)
        error = screen.query_one("#error-learn_ahead_minutes")
        assert str(error.render()) == "Learn-ahead limit must be a whole number (you typed soon)"
        assert visible_in(app, error) and app.focused is screen.query_one("#learn_ahead_minutes", Input)
        assert on_disk(session) == before

    drive(app, scenario, size=size)


@pytest.mark.parametrize("size", SIZES)
def test_every_setting_is_saved_to_disk(session, clock, size):
    app = make_app(session, clock)
    typed = {
        "desired_retention": "85%", "new_per_day": "12", "reviews_per_day": "150",
        "learning_steps": "2m, 20m", "relearning_steps": "5m", "maximum_interval": "180",
        "leech_threshold": "5", "leech_action": "tag", "new_card_order": "random",
        "rollover_hour": "6", "timezone": "Europe/Paris", "learn_ahead_minutes": "10",
    }  # fmt: skip

    async def scenario(pilot):
        screen = await open_settings(pilot)
        for name, text in typed.items():
            box = screen.query_one(f"#{name}", Input)
            assert box.region.width >= 8  # the box is on screen, not squeezed away
            box.value = text
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Saved." in str(screen.query_one("#settings-status").render())
        assert screen.query_one("#desired_retention", Input).value == "85%"  # read back

    drive(app, scenario, size=size)
    s = on_disk(session)
    assert (s.desired_retention, s.new_per_day, s.reviews_per_day) == (0.85, 12, 150)
    assert (s.learning_steps, s.relearning_steps) == (("2m", "20m"), ("5m",))
    assert (s.maximum_interval, s.leech_threshold, s.leech_action) == (180, 5, "tag")
    assert (s.new_card_order, s.rollover_hour, s.timezone, s.learn_ahead_minutes) == ("random", 6, "Europe/Paris", 10)


@pytest.mark.parametrize("size", SIZES)
def test_a_pack_preset_is_edited_apart(session, clock, size):
    app = make_app(session, clock)

    async def scenario(pilot):
        screen = await open_settings(pilot)
        screen.query_one("#scope", Select).value = PACK
        await settle(pilot)
        assert screen.query_one("#new_per_day", Input).disabled  # the same for every pack
        assert not screen.query_one("#maximum_interval", Input).disabled
        assert screen.query_one("#preset", Input).value == PACK
        assert "uses the collection's settings" in str(screen.query_one("#scope-note").render())
        screen.query_one("#maximum_interval", Input).value = "0"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert str(screen.query_one("#error-maximum_interval").render()).startswith("Maximum interval must be")
        assert on_disk(session).presets == {}
        screen.query_one("#maximum_interval", Input).value = "30"
        screen.query_one("#leech_action", Input).value = "tag"
        screen.query_one("#preset", Input).value = "short"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Saved for" in str(screen.query_one("#settings-status").render())
        assert "uses preset short" in str(screen.query_one("#scope-note").render())

    drive(app, scenario, size=size)
    s = on_disk(session)
    assert s.pack_presets == {PACK: "short"}
    assert s.presets["short"]["maximum_interval"] == 30 and s.presets["short"]["leech_action"] == "tag"
    assert (s.maximum_interval, s.leech_action) == (36500, "suspend")  # the collection's own: unchanged
    assert (s.for_pack(PACK).maximum_interval, s.for_pack("other").maximum_interval) == (30, 36500)
