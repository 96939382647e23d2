"""Preview a card with a fresh variant: prompt, expected answers, worked solution."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown, Static

from quizact.front import kind_of
from quizact.textsafe import visible
from quizact.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from quizact.session import Presented
    from quizact.tui.app import QuizactApp


def preview_markdown(shown: Presented, answers: list[str], given: str | None = None) -> str:
    """The preview's Markdown; ``given``: what was answered in the review being replayed."""
    card = shown.card
    lines = [f"**{shown.pack_id} / {card.id}** · {card.kind} · seed {shown.variant.seed}", "", shown.prompt, ""]
    kind = kind_of(card)
    if kind.picks_options:
        lines += [f"- **{chr(97 + i)})** {text}" for i, text in enumerate(shown.options)] + [""]
        lines.append(f"**Answer:** {answers[0] if answers else '?'}")
    elif kind.stepwise:
        for i, (prompt, answer) in enumerate(zip(shown.step_prompts, answers), 1):
            lines.append(f"{i}. {prompt} → **{answer}**")
    else:
        lines.append(f"**Answer:** {answers[0] if answers else '?'}")
    if given is not None:
        lines += ["", f"**Answered then:** {given}"]
    if shown.explain:
        lines += ["", "---", "", shown.explain]
    return "\n".join(lines)


def _plain(text: str) -> str:
    """A typed answer shown as typed inside Markdown (``*`` and ``_`` are not emphasis)."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~])", r"\\\1", text)


class PreviewScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("n", "again", "New variant"),
        Binding("p", "practice", "Practice it"),
        Binding("escape,q", "dismiss", "Close"),
    ]

    app: QuizactApp

    def __init__(self, pack_id: str, card_id: str, *, seed: int | None = None, answers: tuple[str, ...] = (),
                 note: str = "") -> None:  # fmt: skip
        """``seed``: replay that variant first (a past review's), with the ``answers`` given
        then and a ``note`` saying which review it was; ``n`` draws fresh ones after."""
        super().__init__()
        self.pack_id, self.card_id = pack_id, card_id
        self.replay: tuple[int, tuple[str, ...], str] | None = (seed, answers, note) if seed is not None else None

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="preview-dialog"):
            yield Static("Preview", classes="dialog-title")
            yield Markdown("Drawing a variant…", id="preview-text")
        yield Footer()

    def on_mount(self) -> None:
        self.action_again()

    @work(thread=True, exclusive=True)
    def action_again(self) -> None:
        session = self.app.wait_session()
        replay, self.replay = self.replay, None
        try:
            shown = session.present(self.pack_id, self.card_id, self.app.clock(), self.app.rng, mode="practice",
                                    seed=replay[0] if replay else None)
        except KeyError:
            self.app.call_from_thread(self._show, "This card is no longer in its pack.")
            return
        try:
            answers = session.expected(shown)
        except Exception as exc:  # noqa: BLE001 - a pack problem: show it, do not crash
            answers = [f"(cannot compute: {exc})"]
        given = None
        if replay is not None:
            given = " | ".join(_plain(a) for a in replay[1]) if replay[1] else "nothing typed"
        text = preview_markdown(shown, answers, given)
        if replay is not None:
            text = f"Replaying {replay[2]} (the same numbers)\n\n{text}"
        self.app.call_from_thread(self._show, text)

    def _show(self, text: str) -> None:
        self.query_one("#preview-text", Markdown).update(visible(text, keep_newlines=True))

    def action_practice(self) -> None:
        self.dismiss()
        self.app.practice([(self.pack_id, self.card_id)])
