"""Recall and choice cards as an Anki package (``.apkg``), to study them on a phone.

Built with genanki (imported only here, when an export is asked for). Each pack becomes a
deck ``quizact::<pack name>``; each recall or choice card one note of the "quizact" note
type, with the fields

* ``Prompt``: the prompt, and for a choice card its options as a list ``a) …``, in the order
  ``quizact solve PACK CARD --seed N`` shows them;
* ``Answer``: a recall card's answer; the correct option(s) of a choice card (``a) …``);
* ``Explain``: the worked solution (may be empty);
* ``Source``: ``pack-id/card-id``.

Texts are Markdown, as in the app: they are rendered to HTML with raw HTML switched off, so
anything a pack writes in angle brackets arrives escaped (``&lt;script&gt;``), never as
markup. Parameters (``{z}``) are filled from the variant of ``seed``. Note ids (guids) are
derived from the pack and card ids, and deck and note-type ids from fixed names, so
importing a later export updates the notes instead of duplicating them. Cards of other kinds
are typed and graded by quizact and are left out.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quizact.kinds import spec_of

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

FIELD_NAMES = ("Prompt", "Answer", "Explain", "Source")
CSS = """.card { font-family: sans-serif; font-size: 20px; text-align: left; color: black; background: white; }
.explain { margin-top: 1em; font-size: 16px; color: #444; }
ol.options { list-style: none; padding-left: 0; }
"""


class AnkiUnavailable(Exception):
    """genanki is not installed."""


@dataclass
class AnkiReport:
    path: Path
    notes: int = 0
    decks: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str, str]] = field(default_factory=list)  # (pack, card, why)


def _stable_id(name: str) -> int:
    """A positive 31-bit id from ``name`` (Anki's deck and model ids: stable across exports)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:4], "big") >> 1 | 1 << 30


_parser: MarkdownIt | None = None


def to_html(text: str) -> str:
    """Markdown as HTML, raw HTML escaped (never passed through), without a trailing newline."""
    global _parser
    if _parser is None:
        from markdown_it import MarkdownIt

        _parser = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
    html: str = _parser.render(text)  # markdown-it types its renderers' output as Any
    return html.strip()


def inline_html(text: str) -> str:
    """One line of Markdown (an option) as HTML, without the paragraph around it."""
    html = to_html(text)
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html


def note_fields(card: Any, seed: int = 0, source: str = "") -> tuple[str, str, str, str]:
    """The note's fields (``FIELD_NAMES``) for a recall or choice card's variant ``seed``."""
    from quizact.packs.params import instantiate, render

    variant = instantiate(card, seed)
    params = variant.params
    prompt = to_html(render(card.prompt, params))
    if spec_of(card).self_rated:
        answer = to_html(render(card.answer, params))
    else:
        from quizact.grading.card import right_options
        from quizact.packs.params import option_order

        order = option_order(card, variant)
        correct = right_options(card, variant)
        items = [(chr(97 + pos), card.options[idx], idx in correct) for pos, idx in enumerate(order)]
        listed = "".join(f"<li>{letter}) {inline_html(render(o.text, params))}</li>" for letter, o, _ in items)
        prompt += f'\n<ol class="options">{listed}</ol>'
        right = [f"{letter}) {inline_html(render(o.text, params))}" for letter, o, ok in items if ok]
        answer = "<br>".join(right)
    explain = to_html(render(card.explain, params)) if card.explain else ""
    return prompt, answer, explain, source


def _tag(text: str) -> str:
    return re.sub(r"\s+", "_", text.strip()) or "_"


def export_apkg(packs: Iterable[Any], dest: Path, *, tags: Iterable[str] | None = None, seed: int = 0) -> AnkiReport:
    """Write the recall and choice cards of ``packs`` (loaded ``Pack``s) carrying any of
    ``tags`` (all when None) to ``dest``; the file is written whole or not at all."""
    try:
        import genanki
    except ImportError:
        raise AnkiUnavailable("exporting to Anki needs genanki: pip install genanki") from None
    from quizact.packs.choices import ChoiceError
    from quizact.packs.formula import FormulaError
    from quizact.packs.params import ParamError

    wanted = set(tags) if tags else None
    model = genanki.Model(
        _stable_id("quizact note type"), "quizact",
        fields=[{"name": n} for n in FIELD_NAMES],
        templates=[{
            "name": "Card 1",
            "qfmt": "{{Prompt}}",
            "afmt": '{{FrontSide}}<hr id="answer">{{Answer}}'
                    '{{#Explain}}<div class="explain">{{Explain}}</div>{{/Explain}}',
        }],
        css=CSS,
    )  # fmt: skip
    report = AnkiReport(Path(dest))
    decks = []
    for pack in packs:
        deck_name = f"quizact::{pack.meta.name}"
        deck = genanki.Deck(_stable_id(f"quizact deck {pack.id}"), deck_name)
        for card in pack.cards:
            # a card with typed answers (a formula, a number, steps) needs the grader: not exported
            if spec_of(card).items(card) or (wanted is not None and not wanted & set(card.tags)):
                continue
            try:
                fields = note_fields(card, seed, f"{pack.id}/{card.id}")
            except (ParamError, FormulaError) as exc:
                report.skipped.append((pack.id, card.id, f"params cannot be drawn (seed {seed}): {exc}"))
                continue
            except ChoiceError as exc:
                report.skipped.append((pack.id, card.id, f"{exc} (seed {seed})"))
                continue
            note_tags = [_tag(t) for t in card.tags] + [_tag(f"quizact::{pack.id}")]
            deck.add_note(genanki.Note(model=model, fields=list(fields), guid=genanki.guid_for(pack.id, card.id),
                                       tags=note_tags))  # fmt: skip
            report.notes += 1
        if deck.notes:
            decks.append(deck)
            report.decks.append(deck_name)
    if not decks:
        return report  # nothing to export: no file is written
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.partial")
    try:
        genanki.Package(decks).write_to_file(str(tmp))
        os.replace(tmp, dest)
    finally:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
    return report
