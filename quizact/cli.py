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
