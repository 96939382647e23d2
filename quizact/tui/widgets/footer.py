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

    def keys(self) -> list[tuple[str, str, Any, str]]:
        """What the bar lists: (key, description, node, action) of each shown, enabled binding."""
        listed: list[tuple[str, str, Any, str]] = []
        seen: set[tuple[str, str]] = set()
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.show or not binding.description or not active.enabled:
                continue
            if (binding.action, binding.description) in seen:
                continue
            seen.add((binding.action, binding.description))
            listed.append((self.app.get_key_display(binding), binding.description, active.node, binding.action))
        return listed

    def redraw(self) -> None:
        listed = self.keys()
        entries = [(key, description) for key, description, _, _ in listed]
        room = self.size.width - 2 if self.size.width else 10_000

        def width(gap: int) -> int:
            return sum(len(k) + 1 + len(d) for k, d in entries) + gap * (len(entries) - 1)

        # the palette's hint last, if it fits (ctrl+p works all the same); two spaces between
        # keys, one when two do not fit (80 columns: the dashboard, a graded card)
        if self.app.ENABLE_COMMAND_PALETTE:
            entries.append(("^p", "palette"))
            if width(1) > room:
                entries.pop()
        gap = 2 if width(2) <= room else 1
        parts: list[str | tuple[str, str]] = []
        spans: list[tuple[int, int, Any, str]] = []
        position = 0
        for i, (key, description) in enumerate(entries):
            text = f"{key} {description}"
            parts += [(key, "bold $footer-key-foreground"), f" {description}", " " * gap]
            if i < len(listed):
                spans.append((position, position + len(text), listed[i][2], listed[i][3]))
            position += len(text) + gap
        self._spans = spans
        self.update(Content.assemble(*parts[:-1]))

    def on_resize(self) -> None:
        self.redraw()

    async def on_click(self, event: Click) -> None:
        x = event.x - 1  # the left padding
        for start, end, node, action in self._spans:
            if start <= x < end:
                await node.run_action(action)
                return
