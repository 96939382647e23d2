"""The ``quizact`` command. Heavy modules are imported inside the commands that use them."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click


class Ctx:
    def __init__(self, db: str | None):
        self.db = db


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", type=click.Path(dir_okay=False), envvar="QUIZACT_DB", help="Collection file to use (default: in the user data directory; env QUIZACT_DB).")
@click.version_option(package_name="quizact")
@click.pass_context
def main(ctx: click.Context, db: str | None) -> None:
    """quizact: spaced-repetition exercises for the mathematics of neural networks.

    With no command, opens the app on today's due cards.
    """
    ctx.obj = Ctx(db)
    if ctx.invoked_subcommand is None:
        from quizact.packs.loader import read_pack
        from quizact.paths import builtin_packs

        for path in builtin_packs():
            pack, _ = read_pack(path)
            if pack is not None:
                click.echo(f"{pack.meta.name}: {len(pack.cards)} cards")


@main.group()
def pack() -> None:
    """Check, install, list and remove content packs."""


@pack.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--variants", default=50, show_default=True, type=click.IntRange(1, 10_000), help="Random variants drawn and graded per card.")
@click.option("--json", "as_json", is_flag=True, help="Print the problems as JSON.")
def pack_check(paths: tuple[Path, ...], variants: int, as_json: bool) -> None:
    """Validate packs: print FILE:LINE: CARD_ID: message per problem; exit 1 if any."""
    from quizact.packs.check import check_pack

    all_problems = []
    summary = []
    for path in _expand(paths):
        pack, problems = check_pack(path, variants=variants)
        all_problems += problems
        summary.append({"path": str(path), "pack": pack.id if pack else None,
                        "cards": len(pack.cards) if pack else 0, "problems": len(problems)})
    if as_json:
        click.echo(json.dumps({"ok": not all_problems, "packs": summary,
                               "problems": [p.to_dict() for p in all_problems]}, indent=2))
    else:
        for p in all_problems:
            click.echo(str(p))
        for s in summary:
            state = "ok" if not s["problems"] else f"{s['problems']} problem(s)"
            click.echo(f"{s['path']}: {s['pack'] or '?'}: {s['cards']} cards, {state}", err=True)
    sys.exit(1 if all_problems else 0)


def _expand(paths: tuple[Path, ...]) -> list[Path]:
    """A folder that is not itself a pack stands for the packs inside it."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir() and not (path / "pack.yaml").exists():
            inner = [p for p in sorted(path.iterdir())
                     if (p.is_dir() and (p / "pack.yaml").exists()) or p.suffix in (".yaml", ".yml")]
            out += inner or [path]
        else:
            out.append(path)
    return out


def _load_card(path: Path, card_id: str):
    """The pack and card, or a clean exit with located problems."""
    from quizact.packs.loader import read_pack

    pack, problems = read_pack(path)
    errors = [p for p in problems if p.card in ("-", card_id)]
    if pack is None or errors:
        for p in errors or problems:
            click.echo(str(p), err=True)
        sys.exit(1)
    try:
        return pack, pack.card(card_id)
    except KeyError:
        import difflib

        close = difflib.get_close_matches(card_id, [c.id for c in pack.cards], n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        click.echo(f"{path}: no card '{card_id}' in pack {pack.id}{hint}", err=True)
        sys.exit(1)


@main.command()
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.argument("card_id")
@click.option("--seed", default=0, show_default=True, type=click.IntRange(0, 2**63 - 1), help="Variant seed (as stored with each review).")
@click.option("--json", "as_json", is_flag=True, help="Print {card, seed, params, answers} as JSON.")
def solve(path: Path, card_id: str, seed: int, as_json: bool) -> None:
    """Show a card's variant: its parameters and the expected answer of every step."""
    from quizact.grading.card import expected_answers, option_order
    from quizact.packs.params import format_value, instantiate, render

    _, card = _load_card(path, card_id)
    variant = instantiate(card, seed)
    answers = expected_answers(card, variant)
    if as_json:
        click.echo(json.dumps({"card": card.id, "seed": seed, "params": variant.params, "answers": answers}, indent=2))
        return
    click.echo(f"{card.id} ({card.kind}) · seed {seed}")
    for name, value in variant.params.items():
        click.echo(f"  {name} = {format_value(value)}")
    click.echo("\n" + render(card.prompt, variant.params))
    if card.kind == "choice":
        for pos, idx in enumerate(option_order(card, variant)):
            click.echo(f"  {chr(97 + pos)}) {card.options[idx].text}")
    click.echo("")
    prompts = [s.prompt for s in card.steps] if card.kind == "steps" else ["answer"]
    for k, (prompt, answer) in enumerate(zip(prompts, answers), 1):
        label = f"{k}. {render(prompt, variant.params)}" if card.kind == "steps" else "answer"
        click.echo(f"{label}: {answer}")
    if card.explain:
        click.echo("\n" + render(card.explain, variant.params))


@main.command()
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.argument("card_id")
@click.option("--answer", "answers", multiple=True, required=True, help="The answer; repeat once per step, in order.")
@click.option("--seed", default=0, show_default=True, type=click.IntRange(0, 2**63 - 1), help="Variant seed.")
@click.option("--json", "as_json", is_flag=True, help="Print {status, score, feedback, mistake, steps} as JSON.")
def grade(path: Path, card_id: str, answers: tuple[str, ...], seed: int, as_json: bool) -> None:
    """Grade answers to one card without touching any collection.

    Exit status: 0 correct, 1 incorrect, 3 invalid (an answer that could not be read).
    """
    from quizact.grading.runner import grade_bounded
    from quizact.packs.params import instantiate

    _, card = _load_card(path, card_id)
    variant = instantiate(card, seed)
    verdict = grade_bounded(card, variant, list(answers))
    if as_json:
        click.echo(json.dumps(verdict.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(f"{verdict.status} (score {verdict.score:.2f})")
        if verdict.feedback:
            click.echo(verdict.feedback)
        for k, step in enumerate(verdict.steps, 1):
            if len(verdict.steps) > 1 or step.feedback != verdict.feedback:
                mark = {"correct": "✓", "incorrect": "✗", "invalid": "?"}[step.status]
                click.echo(f"  {k}. {mark} {step.feedback}")
            if step.interpreted:
                click.echo(f"     interpreted as {step.interpreted}")
            if step.counterexample:
                click.echo(f"     {step.counterexample}")
    sys.exit({"correct": 0, "incorrect": 1, "invalid": 3}[verdict.status])
