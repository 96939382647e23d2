"""An Input that never holds a control character: what is typed or pasted shows escaped.

A pasted ESC, CSI (U+009B) or bidi override would otherwise reach the terminal each time the
box is drawn. Here it becomes its visible escape (``\\x1b``) as it is inserted, so the learner
sees it, the grader reads it as the text it shows, and the cursor stays where it belongs.
"""

from __future__ import annotations

from textual.widgets import Input

from quizact.textsafe import visible


class PlainInput(Input):
    def replace(self, text: str, start: int, end: int) -> None:
        # typing, pasting and insert_text_at_cursor all come through here
        super().replace(visible(text), start, end)
