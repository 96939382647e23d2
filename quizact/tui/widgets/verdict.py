"""After grading: the verdict, targeted feedback, counterexample, and the worked solution.

The worked solution (``explain``) stays folded until the learner presses ``e``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Markdown, Static

from quizact.front import kind_of
from quizact.textsafe import visible

if TYPE_CHECKING:
    from quizact.front import Verdict


def headline(verdict: Verdict) -> tuple[str, str]:
    """(text, style) summing up a verdict."""
    if verdict.status == "correct":
        return ("✓ Correct" if verdict.score >= 1 else f"✓ Correct (score {verdict.score:.2f})"), "$text-success"
    if verdict.score > 0:
        return f"◐ Partly right (score {verdict.score:.2f})", "$text-warning"
    return "✗ Not right", "$text-error"


class VerdictPanel(Vertical):
    DEFAULT_CSS = """
    VerdictPanel { height: auto; padding: 0 1; border-left: thick $panel; margin: 1 0 0 0; }
    VerdictPanel.-correct { border-left: thick $success; }
    VerdictPanel.-incorrect { border-left: thick $error; }
    VerdictPanel > #verdict-text { height: auto; }
    VerdictPanel > #answer { display: none; margin: 0; }
    VerdictPanel.-recall > #answer { display: block; }
    VerdictPanel > #explain { display: none; margin: 1 0 0 0; }
    VerdictPanel.-explained > #explain { display: block; }
    VerdictPanel > #explain-hint { color: $text-muted; height: auto; }
    VerdictPanel.-explained > #explain-hint { display: none; }
    """

    def compose(self) -> ComposeResult:
        yield Static("", id="verdict-text")
        yield Markdown("", id="answer")
        yield Static("", id="explain-hint")
        yield Markdown("", id="explain")

    def _explain(self, explain: str) -> None:
        shown = visible(explain or "", keep_newlines=True)  # pack text: controls shown escaped
        self.query_one("#explain", Markdown).update(shown or "_No worked solution for this card._")
        self.query_one("#explain-hint", Static).update(
            Content.from_markup("press [b]e[/b] for the worked solution") if explain else ""
        )

    def show_answer(self, answer: str, explain: str) -> None:
        """A recall card revealed: the answer, to compare with one's own."""
        self.set_classes("-recall")
        self.query_one("#verdict-text", Static).update(Content.styled("Answer", "bold"))
        self.query_one("#answer", Markdown).update(visible(answer, keep_newlines=True))
        self._explain(explain)

    def show_verdict(self, verdict: Verdict, kind: str, explain: str) -> None:
        text, style = headline(verdict)
        parts: list[str | tuple[str, str] | Content] = [(text, f"bold {style}")]
        spec = kind_of(kind)
        single = verdict.steps[0] if spec.retries and verdict.steps else None  # one typed answer
        if spec.stepwise or (verdict.feedback and not spec.picks_options and verdict.feedback != "Correct."):
            if verdict.feedback and verdict.feedback not in ("correct", "Correct."):
                parts.append("\n" + visible(verdict.feedback, keep_newlines=True))
        if single is not None:
            if single.interpreted:
                parts += [("\ninterpreted as ", "italic"), visible(single.interpreted)]
            if verdict.status != "correct" or verdict.score < 1:
                if single.expected and f"expected {single.expected}" not in (verdict.feedback or ""):
                    parts += [("\nexpected ", "italic"), (visible(single.expected), "bold")]  # once
        self.set_class(verdict.status == "correct" and verdict.score >= 1, "-correct")
        self.set_class(verdict.status != "correct", "-incorrect")
        self.query_one("#verdict-text", Static).update(Content.assemble(*parts))
        self._explain(explain)

    def toggle_explain(self) -> None:
        self.toggle_class("-explained")
