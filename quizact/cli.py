"""The ``quizact`` command. Heavy modules are imported inside the commands that use them."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from quizact.textsafe import one_line, unsafe, visible
from quizact.tui.start import local_zone, run_app


def _echo(text: object = "", *, err: bool = False) -> None:
    """Print ``text``; any control or bidi character from a learner or a pack shows escaped."""
    click.echo(visible(text, keep_newlines=True), err=err)


def _echo_json(data: object, **dumps) -> None:
    """Print ``data`` as JSON with every control and bidi character as a ``\\u`` escape."""
    text = json.dumps(data, indent=2, **dumps)  # outside its strings JSON holds only ASCII
    click.echo("".join(f"\\u{ord(ch):04x}" if ch != "\n" and unsafe(ch) else ch for ch in text))


class SafeGroup(click.Group):
    """Usage errors quote what was typed (an option, a path): shown escaped, like all output."""

    def make_context(self, *args, **kwargs) -> click.Context:
        with _escaped_errors():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: click.Context):
        with _escaped_errors():
            return super().invoke(ctx)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list with each command's first sentence whole, wrapped (click cuts it
        to one line with "...")."""
        rows = []
        for name in self.list_commands(ctx):
            cmd = self.get_command(ctx, name)
            if cmd is not None and not cmd.hidden:
                rows.append((name, cmd.get_short_help_str(limit=1000)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@contextmanager
def _escaped_errors() -> Iterator[None]:
    try:
        yield
    except click.ClickException as exc:
        exc.message = visible(exc.message, keep_newlines=True)
        raise


class Ctx:
    def __init__(self, db: str | None):
        self.db = db


@click.group(cls=SafeGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", type=click.Path(dir_okay=False), envvar="QUIZACT_DB",
              help="Collection file to use (default: in the user data directory; env QUIZACT_DB).")
@click.version_option(package_name="quizact")
@click.pass_context
def main(ctx: click.Context, db: str | None) -> None:
    """quizact: spaced-repetition exercises for the mathematics of neural networks.

    With no command, opens the app on today's due cards.
    """
    ctx.obj = Ctx(db)
    if ctx.invoked_subcommand is None:
        _run_app(db, "dashboard")


def _run_app(db: str | None, start: str, **options) -> None:
    try:
        import quizact.tui.app  # noqa: F401
    except ImportError as exc:  # pragma: no cover - a broken install
        raise click.ClickException(f"the app cannot start: {exc}") from None
    run_app(db, start, **options)


def _now():
    from datetime import datetime, timezone

    return datetime.now(timezone.utc)


def _session(ctx: click.Context, now=None, *, dry_run: bool = False, db: str | None = None):
    """Open the study session (at ``now``, by default the clock's), turning a refused
    collection into a clean error."""
    from quizact.front import CollectionError
    from quizact.session import Session

    try:
        session = Session.open(db or ctx.obj.db, now or _now(), timezone=local_zone(), dry_run=dry_run)
    except CollectionError as exc:
        raise click.ClickException(str(exc)) from None
    for line in session.problems:  # broken packs are skipped; the rest is usable
        _echo(f"warning: {one_line(line)}", err=True)
    if session.backup_problem:
        _echo(f"warning: {one_line(session.backup_problem)}", err=True)
    return session


@main.command()
@click.option("--jsonl", is_flag=True, help="No app: a sitting driven by JSON lines on stdin, answered on stdout.")
@click.option("--practice", is_flag=True, help="Drill (the schedule is not touched) instead of today's review.")
@click.option("--pack", "packs", multiple=True, help="Practice: cards of this pack (repeatable).")
@click.option("--tag", "tags", multiple=True, help="Practice: cards with this tag (repeatable).")
@click.option("--count", type=click.IntRange(1, 10_000), default=20, show_default=True,
              help="Practice: how many cards.")
@click.option("--seed", type=int, default=None, help="Seed the variants drawn (the same seed, the same numbers).")
@click.option("--now", "fixed_now", type=click.DateTime(["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S"]), default=None,
              help="With --jsonl: the clock stands at this time (UTC unless given), for replays and tests.")
@click.pass_context
def study(ctx: click.Context, jsonl: bool, practice: bool, packs: tuple[str, ...], tags: tuple[str, ...], count: int,
          seed: int | None, fixed_now) -> None:  # fmt: skip
    """Study: the app's review (or practice), or with --jsonl a headless sitting over JSON lines
    (requests and answers: docs/cli.md)."""
    if not jsonl:
        if seed is not None or fixed_now is not None:
            raise click.UsageError("--seed and --now go with --jsonl")
        if practice:
            _run_app(ctx.obj.db, "practice", tags=tags, packs=packs, count=count)
        else:
            _run_app(ctx.obj.db, "review")
        return
    import random
    import sys
    from datetime import timezone

    from quizact.jsonl import JsonlSitting

    clock = _now
    if fixed_now is not None:
        fixed = fixed_now if fixed_now.tzinfo is not None else fixed_now.replace(tzinfo=timezone.utc)
        clock = lambda: fixed  # noqa: E731
    session = _session(ctx, clock())
    try:
        rng = random.Random(seed)
        queue = None
        if practice:
            queue = session.practice_queue(rng, packs=list(packs) or None, tags=list(tags) or None, count=count)
        JsonlSitting(session, session.sitting(rng, queue), clock).run(
            sys.stdin.buffer, sys.stdout
        )
    finally:
        session.close()


@main.command()
@click.pass_context
def review(ctx: click.Context) -> None:
    """Review today's due cards in the app."""
    _run_app(ctx.obj.db, "review")


@main.command()
@click.option("--pack", "packs", multiple=True, help="Only cards of this pack (repeatable).")
@click.option("--tag", "tags", multiple=True, help="Only cards with this tag (repeatable).")
@click.option("--count", default=20, show_default=True, type=click.IntRange(1, 1000), help="How many cards.")
@click.pass_context
def practice(ctx: click.Context, packs: tuple[str, ...], tags: tuple[str, ...], count: int) -> None:
    """Drill cards with fresh numbers; the schedule is left unchanged."""
    _run_app(ctx.obj.db, "practice", packs=list(packs) or None, tags=list(tags) or None, count=count)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print the statistics as JSON.")
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Today's counts, streak, retention and cards by state.

    --json adds reviews per day and the 30-day forecast.
    """
    session = _session(ctx)
    try:
        now = _now()
        data = session.stats(now)
        data["today"] = session.counts(now)
    finally:
        session.close()
    if as_json:
        click.echo(json.dumps(data, indent=2, default=str))
        return
    total = data["today"]["total"]
    _echo(f"today: {total['due']} due, {total['learning']} learning, {total['new']} new")
    streak = data.get("streak", {})
    _echo(f"streak: {streak.get('days', 0)} day(s)")
    ret = data.get("retention", {})
    for group in ("young", "mature", "total"):
        r = ret.get(group, {})
        value = "–" if r.get("retention") is None else f"{100 * r['retention']:.1f}%"
        _echo(f"retention ({group}, last {ret.get('days', 30)} days): {value} "
              f"({r.get('passed', 0)} passed, {r.get('failed', 0)} failed)")
    if "counts_by_state" in data:
        _echo("cards: " + ", ".join(f"{k} {v}" for k, v in data["counts_by_state"].items()))


FIT_WORSE = 3  # exit status of `quizact optimize` when the fitted parameters are worse and not stored


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON (no progress bar).")
@click.pass_context
def optimize(ctx: click.Context, as_json: bool) -> None:
    """Fit FSRS parameters to your review history (needs quizact[optimizer]).

    Stores the fitted parameters only when they predict your reviews better than the
    current ones. Exit status: 0 stored, 1 cannot fit (too few reviews, extra not
    installed), 3 fitted but worse, so nothing was stored.
    """
    from quizact.front import OptimizerUnavailable, TooFewReviews

    session = _session(ctx)
    try:
        if as_json:
            result = session.optimize()
        else:
            with _progress_bar() as report:
                result = session.optimize(progress=report)
    except OptimizerUnavailable:
        raise click.ClickException("the optimizer is not installed: pip install 'quizact[optimizer]'") from None
    except TooFewReviews as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        session.close()
    if as_json:
        _echo_json(result)
    else:
        _echo(f"fitted on {result['spaced']} reviews a day or more apart ({result['reviews']} in all): "
              f"log loss {result['loss_before']:.4f} with the current parameters, "
              f"{result['loss_after']:.4f} with the fitted ones")  # fmt: skip
        if result["applied"]:
            _echo("stored the fitted parameters: they predict your reviews better")
        else:
            _echo("not stored: the fitted parameters predict your reviews worse; the current ones are kept",
                  err=True)  # fmt: skip
    if not result["applied"]:
        ctx.exit(FIT_WORSE)


@contextmanager
def _progress_bar() -> Iterator:
    """A progress bar on standard error, fed by the optimizer's ``Progress`` reports."""
    steps = 200
    with click.progressbar(length=steps, label="fitting", file=sys.stderr, show_eta=True) as bar:
        shown = [0, ""]

        def report(p) -> None:
            target = round(p.fraction * steps)
            if p.stage != shown[1]:
                shown[1] = p.stage
                bar.label = p.stage
            if target > shown[0]:
                bar.update(target - shown[0])
                shown[0] = target

        yield report


@main.group(cls=SafeGroup)
def pack() -> None:
    """Check, install, list and remove content packs."""


@pack.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--variants", default=50, show_default=True, type=click.IntRange(1, 10_000),
              help="Random variants drawn and graded per card.")
@click.option("--json", "as_json", is_flag=True, help="Print the problems as JSON.")
def pack_check(paths: tuple[Path, ...], variants: int, as_json: bool) -> None:
    """Validate packs: print FILE:LINE: CARD_ID: message per problem; exit 1 if any."""
    from quizact.packcheck import check_pack

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
            _echo(str(p))
        for s in summary:
            state = "ok" if not s["problems"] else f"{s['problems']} problem(s)"
            _echo(f"{one_line(s['path'])}: {one_line(s['pack'] or '?')}: {s['cards']} cards, {state}", err=True)
    sys.exit(1 if all_problems else 0)


@pack.command("add")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--dry-run", is_flag=True,
              help="Change nothing: print the cards the update would add, change, retire, rename and reset.")
@click.pass_context
def pack_add(ctx: click.Context, path: Path, dry_run: bool) -> None:
    """Check a pack and install it (or update it, keeping every card's history).

    All or nothing: the pack is checked, then copied aside, and the collection is updated and
    the copy moved into the packs folder in one transaction; any failure leaves both as they
    were. With --dry-run nothing is written: the update's diff is printed, with a
    "did you mean renamed: {old: new}?" line for each retired card that looks like a new one."""
    from quizact.front import SyncError
    from quizact.packcheck import check_pack
    from quizact.paths import user_packs_dir

    pack, problems = check_pack(path)
    if problems or pack is None:
        for p in problems:
            _echo(str(p))
        raise click.ClickException(f"{one_line(path)}: not added: {len(problems)} problem(s)")
    if dry_run:
        _pack_add_dry_run(ctx, pack, path)
        return
    session = _session(ctx)
    try:
        known = {p.pack_id for p in session.pack_infos(include_removed=True)}
        dest = user_packs_dir() / (pack.id if path.is_dir() else f"{pack.id}.yaml")
        try:
            report = _install(session, pack, path, dest)
        except (SyncError, OSError) as exc:
            raise click.ClickException(f"{path}: not added: {exc}") from None
    finally:
        session.close()
    verb = "updated" if pack.id in known else "added"
    _echo(f"{verb} {pack.id} ({one_line(pack.meta.name)}, version {pack.meta.version}): "
          f"{len(report.added)} new, {len(report.updated)} changed, {len(report.retired)} retired, "
          f"{len(report.renamed)} renamed, {len(report.unchanged)} unchanged"
          + (f", {len(report.reset)} reset to new" if report.reset else ""))


def _pack_add_dry_run(ctx: click.Context, pack, path: Path) -> None:
    """``pack add --dry-run``: the update's diff; nothing is written (see ``Session.open``)."""
    from quizact.front import SyncError
    from quizact.paths import collection_path

    # no collection yet: compare with an empty one in memory rather than create the file
    session = _session(ctx, dry_run=True, db=None if collection_path(ctx.obj.db).exists() else ":memory:")
    try:
        known = {p.pack_id for p in session.pack_infos(include_removed=True)}
        try:
            preview = session.preview_sync(pack, _now())
        except SyncError as exc:
            raise click.ClickException(f"{one_line(path)}: would not be added: {one_line(exc)}") from None
    finally:
        session.close()
    report = preview.report
    verb = "update" if pack.id in known else "add"
    _echo(f"dry run: would {verb} {one_line(pack.id)} ({one_line(pack.meta.name)}, version "
          f"{one_line(pack.meta.version)}); nothing was changed")  # fmt: skip
    for label, ids in (("new", report.added), ("changed", report.updated), ("retired", report.retired)):
        _echo(f"{label} ({len(ids)}): {', '.join(one_line(i) for i in ids) or '-'}")
    renamed = ", ".join(f"{one_line(old)} -> {one_line(new)}" for old, new in report.renamed)
    _echo(f"renamed ({len(report.renamed)}): {renamed or '-'}")
    _echo(f"unchanged: {len(report.unchanged)}")
    if report.reset:
        _echo(f"reset to new ({len(report.reset)}): {', '.join(one_line(i) for i in report.reset)}")
    for old, new, ratio in preview.lookalikes:
        _echo(f"did you mean renamed: {{{one_line(old)}: {one_line(new)}}}? "
              f"(same kind, prompts {100 * ratio:.0f}% alike)")  # fmt: skip


def _install(session, pack, path: Path, dest: Path):
    """Sync ``pack`` and put ``path``'s files at ``dest`` in one transaction (see pack add)."""
    import os
    import shutil
    import tempfile

    dest.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".adding-", dir=dest.parent))  # ignored by the library
    staged, previous = work / dest.name, work / "previous"
    try:
        shutil.copytree(path, staged) if path.is_dir() else shutil.copyfile(path, staged)

        def place() -> None:
            if dest.exists() or dest.is_symlink():
                os.replace(dest, previous)
            os.replace(staged, dest)

        try:
            return session.sync(pack, _now(), before_commit=place)
        except BaseException:
            if previous.exists() or previous.is_symlink():  # put the earlier version back
                if dest.is_dir() and not dest.is_symlink():
                    shutil.rmtree(dest)
                elif dest.exists() or dest.is_symlink():
                    dest.unlink()
                os.replace(previous, dest)
            elif not staged.exists() and dest.exists():  # a first install: take it out again
                shutil.rmtree(dest) if dest.is_dir() else dest.unlink()
            raise
    finally:
        shutil.rmtree(work, ignore_errors=True)


@pack.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the packs as JSON.")
@click.pass_context
def pack_list(ctx: click.Context, as_json: bool) -> None:
    """List the packs in the collection."""
    session = _session(ctx)
    try:
        infos = session.pack_infos()
    finally:
        session.close()
    if as_json:
        click.echo(json.dumps([i.to_dict() for i in infos], indent=2, default=str))
        return
    for i in infos:
        _echo(f"{one_line(i.pack_id)}  {one_line(i.name)}  v{one_line(i.version)}  {i.cards} cards")


@pack.command("stats")
@click.argument("pack_id", metavar="PACK")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.pass_context
def pack_stats(ctx: click.Context, pack_id: str, as_json: bool) -> None:
    """Item analysis of an installed pack: per card and per step, attempts, first-try accuracy,
    median time, lapse rate, the commonest wrong answers and the diagnosed mistakes
    (definitions: docs/cli.md)."""
    from quizact.front import CollectionError

    session = _session(ctx)
    try:
        rows = session.pack_stats(pack_id)
    except CollectionError as exc:
        raise click.ClickException(one_line(str(exc))) from None
    finally:
        session.close()
    if as_json:
        _echo_json({"pack": pack_id, "cards": rows}, ensure_ascii=False)
        return
    _echo(f"{one_line(pack_id)}: {len(rows)} cards, {sum(r['attempts'] for r in rows)} attempts")
    labels = {}
    for r in rows:
        labels[r["card_id"]] = one_line(r["card_id"]) + (" (retired)" if r["retired"] else "")
        for step in r.get("steps", []):
            prompt = f": {one_line(step['prompt'])}" if step.get("prompt") else ""
            labels[r["card_id"], step["step"]] = _clip(f"  step {step['step']}{prompt}", 40)
    width = max([4] + [len(label) for label in labels.values()])
    _echo(f"{'card':<{width}}  {'kind':<8}  {'attempts':>8}  {'first try':>9}  {'median':>8}  {'lapses':>12}")
    for r in rows:
        _echo(f"{labels[r['card_id']]:<{width}}  {r['kind']:<8}  {_figures(r)}")
        _echo_answers("    ", r)
        for step in r.get("steps", []):
            _echo(f"{labels[r['card_id'], step['step']]:<{width}}  {'':<8}  {_figures(step)}")
            _echo_answers("      ", step)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _figures(r: dict) -> str:
    """attempts, first try, median time and lapses as the pack stats table shows them."""
    first = "-" if r["first_try_accuracy"] is None else f"{100 * r['first_try_accuracy']:.1f}%"
    median = "-" if r["median_ms"] is None else f"{r['median_ms'] / 1000:.1f} s"
    lapses = "-" if r["lapse_rate"] is None else f"{r['lapses']} ({100 * r['lapse_rate']:.1f}%)"
    return f"{r['attempts']:>8}  {first:>9}  {median:>8}  {lapses:>12}"


def _echo_answers(indent: str, r: dict) -> None:
    if r["wrong_answers"]:
        shown = ", ".join(f'"{one_line(w["text"])}" ×{w["count"]}' for w in r["wrong_answers"])
        _echo(f"{indent}wrong answers: {shown}")
    if r["mistakes"]:
        _echo(indent + "mistakes: " + ", ".join(f"{one_line(m['text'])} ×{m['count']}" for m in r["mistakes"]))


@pack.command("remove")
@click.argument("pack_id")
@click.option("--purge", is_flag=True, help="Also delete the pack's cards and review history.")
@click.pass_context
def pack_remove(ctx: click.Context, pack_id: str, purge: bool) -> None:
    """Remove a pack from the collection (its history is kept unless --purge)."""
    from quizact.front import CollectionError
    from quizact.paths import user_packs_dir

    session = _session(ctx)
    try:
        session.remove_pack(pack_id, purge=purge)
    except CollectionError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        session.close()
    for leftover in (user_packs_dir() / pack_id, user_packs_dir() / f"{pack_id}.yaml"):
        if leftover.is_dir():
            import shutil

            shutil.rmtree(leftover)
        elif leftover.exists():
            leftover.unlink()
    _echo(f"removed {pack_id}" + (" and its history" if purge else " (history kept)"))


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


def _variant(pack, card, seed: int):
    """The card's variant for ``seed``, or a clean exit with the located reason."""
    from quizact.packs.errors import Problem
    from quizact.packs.formula import FormulaError
    from quizact.packs.params import ParamError, instantiate

    try:
        return instantiate(card, seed)
    except (ParamError, FormulaError) as exc:
        loc = pack.where[card.id]
        click.echo(str(Problem(loc.file, loc.line, card.id, f"params cannot be drawn (seed {seed}): {exc}")), err=True)
        sys.exit(1)


def _render_warnings(pack, card, variant) -> bool:
    """Print, located, every text of ``card`` that cannot be filled for ``variant``."""
    from quizact.packcheck import text_problems
    from quizact.packs.errors import Problem

    loc = pack.where[card.id]
    found = text_problems(card, variant)
    for message in found:
        click.echo(str(Problem(loc.file, loc.line, card.id, message)), err=True)
    return bool(found)


def _pack_path(ctx: click.Context, param: click.Parameter, value: str) -> Path:
    """A pack given as a path (a file or folder that exists) or as an installed pack's id."""
    from quizact.paths import declared_pack_id, find_pack, installed_packs

    path = Path(value)
    if path.exists():
        return path
    found = find_pack(value)
    if found is not None:
        return found
    ids = sorted({i for i in map(declared_pack_id, installed_packs()) if i})
    known = f" (installed: {one_line(', '.join(ids))})" if ids else " (no packs are installed)"
    raise click.BadParameter(f"no pack file, folder or installed pack named '{one_line(value)}'{known}")


def _load_card(path: Path, card_id: str):
    """The pack and card, or a clean exit with located problems."""
    from quizact.packs.loader import read_pack

    pack, problems = read_pack(path)
    errors = [p for p in problems if p.card in ("-", card_id)]
    if pack is None or errors:
        for p in errors or problems:
            _echo(str(p), err=True)
        sys.exit(1)
    try:
        return pack, pack.card(card_id)
    except KeyError:
        import difflib

        close = difflib.get_close_matches(card_id, [c.id for c in pack.cards], n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        _echo(f"{one_line(path)}: no card '{one_line(card_id)}' in pack {pack.id}{one_line(hint)}", err=True)
        sys.exit(1)


@main.command()
@click.argument("path", metavar="PACK", callback=_pack_path)
@click.argument("card_id")
@click.option("--seed", default=0, show_default=True, type=click.IntRange(0, 2**63 - 1),
              help="Variant seed (as stored with each review).")
@click.option("--json", "as_json", is_flag=True,
              help="Print {card, seed, params, lets, answers, shown, precision} as JSON (numbers at full precision).")
def solve(path: Path, card_id: str, seed: int, as_json: bool) -> None:
    """Show a card's variant: its parameters and the expected answer of every step.

    PACK is a pack file or folder, or the id of an installed pack (built in or added
    with `pack add`), e.g. quizact solve nn-foundations relu-definition --seed 7.
    """
    from quizact.grading.card import expected_answers, expected_values, option_order, shown_values
    from quizact.grading.numeric import precision_labels
    from quizact.kinds import spec_of
    from quizact.packs.params import format_value, render

    pack, card = _load_card(path, card_id)
    variant = _variant(pack, card, seed)
    broken = _render_warnings(pack, card, variant)  # shown plain below; exit 1 at the end
    answers = expected_answers(card, variant)
    precision = precision_labels(card)
    if as_json:
        drawn = {k: v for k, v in variant.params.items() if k not in variant.lets}
        lets = {k: variant.params[k] for k in variant.lets}
        _echo_json({"card": card.id, "seed": seed, "params": drawn, "lets": lets,
                    "answers": expected_values(card, variant), "shown": answers, "precision": precision})
        sys.exit(1 if broken else 0)
    _echo(f"{card.id} ({card.kind}) · seed {seed}")
    for name, value in variant.params.items():
        _echo(f"  {'let ' if name in variant.lets else ''}{name} = {format_value(value)}")
    _echo("\n" + render(card.prompt, variant.params))
    kind = spec_of(card)
    if kind.picks_options:
        for pos, idx in enumerate(option_order(card, variant)):
            _echo(f"  {chr(97 + pos)}) {render(card.options[idx].text, variant.params)}")
    _echo("")
    for label, answer, asked in zip(kind.labels(card, variant), answers, precision):
        _echo(f"{label}: {answer}" + (f"  ({asked})" if asked else ""))
    if card.explain:
        _echo("\n" + render(card.explain, shown_values(card, variant)))
    sys.exit(1 if broken else 0)


@main.command()
@click.argument("path", metavar="PACK", callback=_pack_path)
@click.argument("card_id")
@click.option("--answer", "answers", multiple=True, required=True, help="The answer; repeat once per step, in order.")
@click.option("--seed", default=0, show_default=True, type=click.IntRange(0, 2**63 - 1), help="Variant seed.")
@click.option("--json", "as_json", is_flag=True, help="Print {status, score, feedback, mistake, steps} as JSON.")
def grade(path: Path, card_id: str, answers: tuple[str, ...], seed: int, as_json: bool) -> None:
    """Grade answers to one card without touching any collection.

    PACK is a pack file or folder, or the id of an installed pack (built in or added
    with `pack add`). Exit status: 0 correct, 1 incorrect, 3 invalid (an answer that could not be read).
    """
    from quizact.grading.runner import grade_bounded

    pack, card = _load_card(path, card_id)
    variant = _variant(pack, card, seed)
    _render_warnings(pack, card, variant)
    verdict = grade_bounded(card, variant, list(answers))
    if as_json:
        _echo_json(verdict.to_dict(), ensure_ascii=False)
    else:
        _echo(f"{verdict.status} (score {verdict.score:.2f})")
        if verdict.feedback:
            _echo(verdict.feedback)
        for k, step in enumerate(verdict.steps, 1):
            if len(verdict.steps) > 1 or step.feedback != verdict.feedback:
                mark = {"correct": "✓", "incorrect": "✗", "invalid": "?"}[step.status]
                _echo(f"  {k}. {mark} {step.feedback}")
            if step.interpreted:
                _echo(f"     interpreted as {step.interpreted}")
            if step.counterexample:
                _echo(f"     {step.counterexample}")
    sys.exit({"correct": 0, "incorrect": 1, "invalid": 3}[verdict.status])


#: ``settings`` options: (option, setting, help)
_SETTING_OPTIONS = (
    ("--desired-retention", "desired_retention",
     "Chance of recalling a card when it comes due: 70%–99% (or 0.7–0.99)."),
    ("--new-per-day", "new_per_day", "New cards introduced per study day."),
    ("--reviews-per-day", "reviews_per_day", "Most reviews shown per study day."),
    ("--learning-steps", "learning_steps", "Steps of a new card, e.g. '1m 10m'."),
    ("--relearning-steps", "relearning_steps", "Steps after a lapse, e.g. '10m'."),
    ("--max-interval", "maximum_interval", "Longest interval, in days (1–36500)."),
    ("--leech-threshold", "leech_threshold", "Lapses that make a card a leech."),
    ("--leech-action", "leech_action", "What a leech gets: 'suspend', or 'tag' only."),
    ("--new-card-order", "new_card_order", "Order of new cards: 'pack' (as in the pack files), 'random' or 'tag'."),
    ("--rollover-hour", "rollover_hour", "Hour (0–23, local) at which the study day starts."),
    ("--timezone", "timezone", "Time zone of the study day, e.g. Europe/Paris."),
    ("--learn-ahead", "learn_ahead_minutes", "Minutes a learning card may be shown early when nothing else is left."),
    ("--backups-kept", "backups_kept_days", "Days each automatic daily backup is kept (0: none are taken)."),
)


def _settings_options(f):
    for opt, name, text in reversed(_SETTING_OPTIONS):
        f = click.option(opt, name, metavar="VALUE", help=text)(f)
    return f


def _settings_view(settings) -> dict:
    """The settings as shown by ``settings --json``: every value, presets and their packs."""
    data = settings.to_dict()
    data.pop("fsrs_parameters", None)
    data["fsrs_parameters"] = "optimized" if settings.fsrs_parameters else "default"
    return data


@main.command("settings")
@_settings_options
@click.option("--pack", "pack_id", metavar="PACK",
              help="Change the options of this pack's preset (created, named after the pack, if it has none).")
@click.option("--preset", metavar="NAME",
              help="Change this preset; with --pack, assign it to the pack ('default': the collection's own settings).")
@click.option("--json", "as_json", is_flag=True, help="Print the settings as JSON.")
@click.pass_context
def settings_command(ctx: click.Context, pack_id: str | None, preset: str | None, as_json: bool, **typed) -> None:
    """Show or change the study settings (with no option, show them).

    Examples: quizact settings --max-interval 180 --leech-action tag;
    quizact settings --pack nn-foundations --max-interval 90.
    """
    from quizact.front import LABELS, SettingsError, from_text, to_text

    session = _session(ctx)
    try:
        changes = {name: from_text(name, text) for name, text in typed.items() if text is not None}
        if changes or (pack_id and preset):
            session.update_settings(changes, pack_id=pack_id, preset=preset)
        settings = session.settings()
        shown = session.settings(pack_id) if pack_id else settings
    except SettingsError as exc:
        raise click.ClickException(f"not saved: {exc}") from None
    finally:
        session.close()
    if as_json:
        data = _settings_view(shown)
        if pack_id:
            data["pack"], data["preset"] = pack_id, settings.preset_of(pack_id)
        _echo_json(data)
        return
    if pack_id:
        _echo(f"pack {one_line(pack_id)}: preset {one_line(settings.preset_of(pack_id))}")
    for _, name, _ in _SETTING_OPTIONS:
        _echo(f"{LABELS[name]}: {one_line(to_text(name, getattr(shown, name)))}")
    if not pack_id:
        for name, options in settings.presets.items():
            packs = [p for p, n in settings.pack_presets.items() if n == name]
            listed = ", ".join(f"{LABELS[k]} {to_text(k, v)}" for k, v in options.items()) or "no changes"
            _echo(f"preset {one_line(name)} ({one_line(', '.join(packs)) or 'no packs'}): {one_line(listed)}")


# -- your data: export and backup ---------------------------------------------------------


@main.group(cls=SafeGroup)
def export() -> None:
    """Export your review log and card states (CSV, JSON) or cards to Anki.

    Each command's --help lists its columns; docs/cli.md says what they mean.
    """


def _export_options(f):
    f = click.option("--pack", "packs", multiple=True, metavar="PACK", help="Only this pack (repeatable).")(f)
    f = click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
                     help="Write to this file (default: standard output).")(f)  # fmt: skip
    f = click.option("--json", "as_json", is_flag=True, help="Same as --format json.")(f)
    return click.option("--format", "fmt", type=click.Choice(["csv", "json"]),
                        help="csv or json (default: from the file's suffix, else csv).")(f)  # fmt: skip


def _known_packs(session, packs: tuple[str, ...]) -> list[str] | None:
    """``packs`` checked against the collection (a clean error names an unknown one)."""
    if not packs:
        return None
    known = {p.pack_id for p in session.pack_infos(include_removed=True)}
    for pack_id in packs:
        if pack_id not in known:
            listed = ", ".join(sorted(known)) or "none"
            raise click.ClickException(f"no pack '{one_line(pack_id)}' in this collection (packs: {listed})")
    return list(packs)


def _write_export(rows: list[dict], fields: tuple[str, ...], fmt: str | None, output: Path | None, what: str) -> None:
    import io
    import os

    from quizact.storage.export import write_csv, write_json

    if fmt is None:
        fmt = "json" if output is not None and output.suffix.lower() == ".json" else "csv"
    buffer = io.StringIO()
    count = write_json(rows, buffer) if fmt == "json" else write_csv(rows, fields, buffer)
    if output is None or str(output) == "-":
        click.echo(buffer.getvalue(), nl=False)
        return
    tmp = output.with_name(f".{output.name}.partial")
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            fh.write(buffer.getvalue())
        os.replace(tmp, output)
    except OSError as exc:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        raise click.ClickException(f"cannot write {one_line(output)}: {exc.strerror or exc}") from None
    _echo(f"wrote {count} {what} to {one_line(output)} ({fmt})")


@export.command("reviews")
@_export_options
@click.pass_context
def export_reviews(ctx: click.Context, fmt: str | None, as_json: bool, output: Path | None,
                 packs: tuple[str, ...]) -> None:  # fmt: skip
    """Write the review log: every review and practice attempt, oldest first.

    \b
    Columns: id, reviewed_at, pack, card, mode, rating, rating_name, status,
    score, answers, seed, duration_ms, retried, state_before, step_before,
    stability_before, difficulty_before, due_before, last_review_before,
    interval_before, state_after, step_after, stability_after,
    difficulty_after, due_after (meanings in docs/cli.md).
    """
    from quizact.storage.export import REVIEW_FIELDS

    session = _session(ctx)
    try:
        rows = session.export_reviews(_known_packs(session, packs))
    finally:
        session.close()
    _write_export(rows, REVIEW_FIELDS, "json" if as_json else fmt, output, "reviews")


@export.command("cards")
@_export_options
@click.pass_context
def export_cards(ctx: click.Context, fmt: str | None, as_json: bool, output: Path | None,
                 packs: tuple[str, ...]) -> None:  # fmt: skip
    """Write every card's state: FSRS stability, difficulty, retrievability now, due.

    \b
    Columns: pack, card, kind, tags, state, step, stability, difficulty,
    retrievability, due, last_review, reps, lapses, suspended, buried_until,
    flags, retired, added_at (meanings in docs/cli.md).
    """
    from quizact.storage.export import CARD_FIELDS

    session = _session(ctx)
    try:
        rows = session.export_cards(_now(), _known_packs(session, packs))
    finally:
        session.close()
    _write_export(rows, CARD_FIELDS, "json" if as_json else fmt, output, "cards")


@export.command("anki")
@click.argument("output", metavar="FILE.apkg", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--pack", "packs", multiple=True, metavar="PACK", help="Only this pack (repeatable).")
@click.option("--tag", "tags", multiple=True, help="Only cards with this tag (repeatable).")
@click.option("--seed", default=0, show_default=True, type=click.IntRange(0, 2**63 - 1),
              help="Variant seed for cards with parameters.")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print {path, notes, decks, skipped} as JSON.")
@click.pass_context
def export_anki(ctx: click.Context, output: Path, packs: tuple[str, ...], tags: tuple[str, ...], seed: int,
                as_json: bool) -> None:  # fmt: skip
    """Write the recall and choice cards to an Anki package, e.g. for a phone.

    One deck per pack; importing a later export again updates the notes. Cards that are
    typed and graded (symbolic, numeric, steps) stay in quizact. Needs genanki.
    """
    from quizact.anki import AnkiUnavailable

    session = _session(ctx)
    try:
        chosen = _known_packs(session, packs)
        if chosen is not None:
            missing = [p for p in chosen if p not in session.packs]
            if missing:
                raise click.ClickException(f"the content of pack {one_line(missing[0])} is not available")
        report = session.export_anki(output, packs=chosen, tags=list(tags) or None, seed=seed)
    except AnkiUnavailable as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"cannot write {one_line(output)}: {exc.strerror or exc}") from None
    finally:
        session.close()
    for pack_id, card_id, why in report.skipped:
        _echo(f"warning: {one_line(pack_id)}/{one_line(card_id)} left out: {one_line(why)}", err=True)
    if not report.notes:
        raise click.ClickException("no recall or choice cards to export: nothing written")
    if as_json:
        _echo_json({"path": str(output), "notes": report.notes, "decks": report.decks,
                    "skipped": [{"pack": p, "card": c, "why": w} for p, c, w in report.skipped]}, ensure_ascii=False)
        return
    _echo(f"wrote {report.notes} notes in {len(report.decks)} deck(s) to {one_line(output)}")


@main.command()
@click.argument("dest", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print {path, bytes} as JSON.")
@click.pass_context
def backup(ctx: click.Context, dest: Path | None, as_json: bool) -> None:
    """Copy the collection to DEST, safely even while the app is open.

    Without DEST the copy goes to the backups folder, named after the time. Daily backups
    are also taken by themselves (see the setting --backups-kept of quizact settings).
    """
    from quizact.paths import backups_dir, collection_path
    from quizact.storage.backup import BackupError

    session = _session(ctx)
    try:
        if dest is None:
            stem = collection_path(ctx.obj.db).stem
            dest = backups_dir(collection_path(ctx.obj.db)) / f"{stem}-manual-{_now():%Y%m%d-%H%M%S}.sqlite3"
        made = session.backup(dest)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        session.close()
    if as_json:
        _echo_json({"path": str(made), "bytes": made.stat().st_size}, ensure_ascii=False)
        return
    _echo(f"backed up to {one_line(made)} ({made.stat().st_size} bytes)")
@main.command("merge")
@click.argument("other", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_context
def merge_command(ctx: click.Context, other: Path, as_json: bool) -> None:
    """Merge another copy's review log (e.g. the laptop's collection file) into this one.

    Reviews this collection already has are skipped; each card that gained reviews gets
    its FSRS state recomputed from its whole merged log. A backup is taken first; merging
    the same file again changes nothing.
    """
    from quizact.storage.merge import MergeError

    session = _session(ctx)
    try:
        report = session.merge_from(other, _now())
    except MergeError as exc:
        raise click.ClickException(one_line(str(exc))) from None
    finally:
        session.close()
    if as_json:
        _echo_json(report.to_dict())
        return
    _echo(
        f"merged {one_line(report.other)}: {report.added} review(s) added, "
        f"{len(report.recomputed)} card(s) recomputed, {report.duplicates} duplicate(s) skipped"
    )
    if report.imported:
        _echo(f"{len(report.imported)} card(s) copied from the other file (their pack is installed here)")
    if report.unknown:
        packs = one_line(", ".join(report.unknown_packs))
        _echo(f"{report.unknown} review(s) belong to cards this collection does not have "
              f"(pack(s) {packs}); kept in the log")
    if report.leeches:
        _echo(f"{len(report.leeches)} card(s) became leeches through the merged reviews")
    if not report.added:
        _echo("nothing to merge: no change made")
    elif report.backup:
        _echo(f"backup (before the merge): {one_line(report.backup)}")
