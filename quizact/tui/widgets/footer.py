"""The key bar at the bottom of every screen: one line, redrawn when bindings change.

Textual's Footer rebuilds a widget per key on every bindings change; the review screen
changes phase and focus several times per answer, and each rebuild restyles a dozen
widgets (~50 ms). This one is a single Static that re-renders its text. It lists the
shown, enabled bindings with their descriptions (the same BINDINGS the command palette
lists), and a click on a key runs it.
"""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.events import Click
from textual.screen import Screen
from textual.widgets import Static


class Footer(Static):
    DEFAULT_CSS = """
    Footer {
        dock: bottom;
        height: 1;
        width: 100%;
        background: $footer-background;
        color: $footer-foreground;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self) -> None:
        super().__init__("")
        self._spans: list[tuple[int, int, Any, str]] = []  # start, end, node, action

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._changed)
        self.call_after_refresh(self.redraw)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _changed(self, screen: Screen) -> None:
        if screen is self.screen:
            self.redraw()

    def redraw(self) -> None:
        parts: list[str | tuple[str, str]] = []
        spans: list[tuple[int, int, Any, str]] = []
        seen: set[tuple[str, str]] = set()
        position = 0
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.show or not binding.description or not active.enabled:
                continue
            if (binding.action, binding.description) in seen:
                continue
            seen.add((binding.action, binding.description))
            key = self.app.get_key_display(binding)
            text = f"{key} {binding.description}"
            parts += [(key, "bold $footer-key-foreground"), f" {binding.description}", "  "]
            spans.append((position, position + len(text), active.node, binding.action))
            position += len(text) + 2
        if self.app.ENABLE_COMMAND_PALETTE:
            parts += [("^p", "bold $footer-key-foreground"), " palette"]
        self._spans = spans
        self.update(Content.assemble(*parts))

    async def on_click(self, event: Click) -> None:
        x = event.x - 1  # the left padding
        for start, end, node, action in self._spans:
            if start <= x < end:
                await node.run_action(action)
                return
