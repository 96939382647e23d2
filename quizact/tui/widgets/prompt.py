"""A card's prompt: drawn from its light form when it has one, else by the Markdown widget.

:class:`PromptText` and :class:`PromptParagraph` mirror Textual's ``Markdown`` and
``MarkdownParagraph`` (the same styles, the same Content), built from paragraphs parsed
when the pack was cached (``quizact.packs.lightform``), so the first card is drawn
without importing markdown-it. ``tests/tui/test_lightform_identity.py`` checks that every
built-in prompt renders to the same segments either way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.content import Content, Span
from textual.widget import Widget
from textual.widgets import Static

from quizact.textsafe import visible

if TYPE_CHECKING:
    from quizact.session import Presented

#: ``textual.widgets.Markdown``'s styles, for these classes
PROMPT_CSS = """
PromptText {
    height: auto;
    padding: 0 2 0 2;
    layout: vertical;
    color: $foreground;
    overflow-y: hidden;

    &:ansi {
        PromptBlock > .code_inline {
            background: ansi_default !important;
        }
    }

    PromptBlock {
        &:dark > .code_inline {
            background: $warning 10%;
            color: $text-warning 95%;
        }
        &:light > .code_inline {
            background: $error 5%;
            color: $text-error 95%;
        }
        & > .em {
            text-style: italic;
        }
        & > .strong {
            text-style: bold;
        }
        & > .s {
            text-style: strike;
        }
    }
}
"""


class PromptBlock(Static):
    """As ``MarkdownBlock``: a block of text whose spans name these component classes."""

    COMPONENT_CLASSES = {"em", "strong", "s", "code_inline"}
    DEFAULT_CSS = """
    PromptBlock {
        width: 1fr;
        height: auto;
    }
    """


class PromptParagraph(PromptBlock):
    """As ``MarkdownParagraph``."""

    SCOPED_CSS = False
    DEFAULT_CSS = """
    PromptText > PromptParagraph {
         margin: 0 0 1 0;
    }
    """

    def __init__(self, content: Content) -> None:
        super().__init__(content, name="paragraph_open", classes="level-0", expand=True)


class PromptText(Widget):
    """Paragraphs of styled text, drawn as the Markdown widget draws them."""

    DEFAULT_CSS = PROMPT_CSS

    def __init__(self, paragraphs: tuple, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.paragraphs = paragraphs

    def compose(self) -> ComposeResult:
        for text, spans in self.paragraphs:
            yield PromptParagraph(Content(text, spans=[Span(start, end, style) for start, end, style in spans]))


def prompt_widget(shown: Presented, paragraphs: tuple | None, *, id: str = "prompt") -> Widget:
    """The prompt from its light form (``paragraphs``) or, without one, in Markdown."""
    if paragraphs is not None:
        return PromptText(paragraphs, id=id)
    from textual.widgets import Markdown

    return Markdown(visible(shown.prompt, keep_newlines=True), id=id)
