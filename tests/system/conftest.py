from tests.tui.conftest import _quick_preview, clock, session  # noqa: F401  (shared fixtures)
