"""A prompt drawn from its light form looks exactly as Textual's Markdown widget draws it.

The review screen draws a card's prompt from the light form parsed when the pack was
cached (``quizact.packs.lightform``, ``widgets.prompt.PromptText``) and, where there is
none, with the Markdown widget as before. Here every prompt of the built-in pack — and
every explanation and step prompt, the pack's other Markdown text, for a wider sample of
bold, italics and code — is drawn both ways inside the app's style sheet, in the prompt row
as the card view lays it out, at two widths (and in the light theme once), and the screens'
lines compared segment by segment (text and Rich style). Where the light form declines,
the card view must draw the Markdown widget.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from dataclasses import replace

import pytest
from rich.segment import Segment
from textual.app import App
from textual.containers import Horizontal, Vertical
from textual.widgets import Markdown

from quizact.packs import lightform
from quizact.packs.params import render
from quizact.session import Presented, Session
from quizact.tui.app import QuizactApp
from quizact.tui.widgets.prompt import PromptText, prompt_widget

from .conftest import NOW, make_app

BUILTIN = "nn-foundations"
SCREEN, BATCH = 500, 25  # rows of the test screen; texts drawn at once
CONFIGS = [(100, "textual-dark"), (38, "textual-dark"), (38, "textual-light")]


class Host(App[None]):
    """The app's style sheet, nothing else on screen."""

    CSS_PATH = QuizactApp.CSS_PATH
    CSS = ".holder { height: auto; }"


def lines(app: App) -> list[list[tuple[str, object]]]:
    """The screen as lines of (text, style), adjacent runs of one style merged."""
    out = []
    for strip in app.screen._compositor.render_strips():
        runs: list[tuple[str, object]] = []
        for text, style, _ in Segment.simplify(list(strip)):
            if runs and runs[-1][1] == style:
                runs[-1] = (runs[-1][0] + text, style)
            else:
                runs.append((text, style))
        out.append(runs)
    return out


async def drawn(app: App, pilot, widgets: list) -> list[list]:
    """Mount each widget in its own prompt row, one under the other; once all are laid
    out, the screen's lines of each."""
    rows = [Horizontal(widget, id="prompt-row") for widget in widgets]
    await app.screen.mount_all([Vertical(row, classes="holder") for row in rows])  # ids unique per parent
    for _ in range(400):
        await pilot.pause()
        if all(w.children and w.size.height and all(b.size.height for b in w.children) for w in widgets):
            break
    await pilot.pause()
    screen = lines(app)
    assert rows[-1].region.bottom < len(screen), "a taller test screen is needed"
    seen = [screen[row.region.y : row.region.bottom] for row in rows]
    await app.screen.query(".holder").remove()
    return seen


def texts(session: Session) -> list[tuple[str, Presented, str, str]]:
    """(what, shown, template, rendered) for each Markdown text of the built-in pack, two
    variants of each card with parameters."""
    rng = random.Random(17)
    out = []
    for card in session.packs[BUILTIN].cards:
        for _k in range(2 if card.params else 1):
            shown = session.present(BUILTIN, card.id, NOW, rng)
            params = shown.variant.params
            out.append((f"{card.id} prompt", shown, card.prompt, shown.prompt))
            if card.explain:
                out.append((f"{card.id} explain", shown, card.explain, render(card.explain, params)))
            for i, step in enumerate(getattr(card, "steps", None) or []):
                out.append((f"{card.id} step {i + 1}", shown, step.prompt, shown.step_prompts[i]))
    return out


@pytest.fixture(scope="module")
def builtin(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("identity")
    mp = pytest.MonkeyPatch()
    mp.setenv("QUIZACT_HOME", str(tmp / "home"))
    session = Session.open(tmp / "c.sqlite3", NOW)
    yield session
    session.close()
    mp.undo()


# every text of the built-in pack, drawn twice in three configurations: its time grows with the
# pack (about five minutes for 188 cards on one core here, more on a busy machine)
@pytest.mark.timeout(1800)
def test_light_forms_render_as_the_markdown_widget(builtin):
    items = texts(builtin)
    styles: Counter[str] = Counter()
    light: list[tuple[str, Presented, tuple]] = []  # (what, shown with that text, paragraphs)
    for what, shown, template, rendered in items:
        if what.endswith(" prompt"):  # what the card view uses
            paragraphs = builtin.prompt_paragraphs(shown)
        else:
            form = lightform.build(template)
            paragraphs = lightform.fill(form, shown.variant.params, rendered) if form else None
        if paragraphs is None:  # declined: the card view draws the Markdown widget
            assert isinstance(prompt_widget(shown, None), Markdown), what
            continue
        light.append((what, replace(shown, prompt=rendered), paragraphs))
        styles.update(style for _, spans in paragraphs for _, _, style in spans)
    mismatches = []

    async def main() -> None:
        for width, theme in CONFIGS:
            app = Host()
            async with app.run_test(size=(width, SCREEN)) as pilot:
                app.theme = theme
                for at in range(0, len(light), BATCH):
                    batch = light[at : at + BATCH]
                    fast = await drawn(app, pilot, [PromptText(p, id="prompt") for _, _, p in batch])
                    slow = await drawn(app, pilot, [markdown_widget(shown) for _, shown, _ in batch])
                    for (what, shown, _), a, b in zip(batch, fast, slow):
                        if a != b:
                            mismatches.append((width, theme, what, shown.prompt, first_difference(a, b)))

    asyncio.run(main())
    assert not mismatches, mismatches[:1]
    prompts = [what for what, *_ in items if what.endswith(" prompt")]
    assert len(prompts) >= 124  # every card's prompt, two variants of those with parameters
    # every prompt is drawn light except those with a code block (spot-the-bug), which the
    # light form declines on purpose and the Markdown widget draws
    plain = [what for what, _, template, _ in items if what.endswith(" prompt") and "```" not in template]
    assert len([w for w, *_ in light if w.endswith(" prompt")]) >= len(plain)
    assert styles[".strong"] and styles[".em"], styles  # bold and italics were compared


def first_difference(fast: list, slow: list) -> tuple:
    """(line, light form's runs, Markdown's runs) where the two drawings first differ."""
    for y, (a, b) in enumerate(zip(fast, slow)):
        if a != b:
            return y, a, b
    return min(len(fast), len(slow)), fast[len(slow):], slow[len(fast):]


def markdown_widget(shown: Presented) -> Markdown:
    """What the card view drew before there were light forms, and still draws without one."""
    widget = prompt_widget(shown, None)
    assert isinstance(widget, Markdown)
    return widget


PACK = """\
pack: declines
name: prompts the light form declines
version: 1
cards:
  - id: listed
    kind: recall
    prompt: "Name both:\\n\\n- the *forward* pass\\n- the backward pass"
    answer: "z = Wx, then the chain rule."
  - id: linked
    kind: recall
    prompt: "See [the chain rule](https://example.org) and say **why**."
    answer: "Products of local slopes."
  - id: plain
    kind: recall
    prompt: "What does **ReLU** compute, *exactly*?"
    answer: "max(0, z)"
"""


def test_a_prompt_the_light_form_declines_is_drawn_by_the_markdown_widget(tmp_path):
    source = tmp_path / "declines.yaml"
    source.write_text(PACK)
    session = Session.open(tmp_path / "c.sqlite3", NOW, sources=[source])
    drawn_with: dict[str, str] = {}

    async def main() -> None:
        app = make_app(session)
        async with app.run_test(size=(100, 36)) as pilot:
            for card_id in ("listed", "linked", "plain"):
                shown = session.present("declines", card_id, NOW, random.Random(0))
                app.practice([("declines", card_id)])
                for _ in range(200):
                    await pilot.pause(0.02)
                    screen_shown = getattr(app.screen, "shown", None)
                    if screen_shown is not None and screen_shown.card_id == card_id and app.screen.query("#prompt"):
                        break
                prompt = app.screen.query_one("#prompt")
                drawn_with[card_id] = type(prompt).__name__
                assert (session.prompt_paragraphs(shown) is None) == (card_id != "plain")
                app.pop_screen()
                await pilot.pause()

    try:
        asyncio.run(main())
    finally:
        session.close()
    assert drawn_with == {"listed": "Markdown", "linked": "Markdown", "plain": "PromptText"}
