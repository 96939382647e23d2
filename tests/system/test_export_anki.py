"""``quizact export anki``: recall and choice cards to an Anki package through the real CLI.

The ``.apkg`` is opened as what it is, a zip holding an SQLite collection
(``collection.anki2``), and each note's fields are compared with the HTML the cards'
Markdown should give, written out by hand here (raw HTML from the pack escaped)."""

from __future__ import annotations

import json
import sqlite3
import sys
import zipfile

import pytest
from click.testing import CliRunner

from quizact.cli import main

PACK_YAML = """\
pack: anki-test
name: Anki test pack
version: 1
cards:
  - id: bold-recall
    kind: recall
    tags: [relu, basics]
    prompt: "What is **ReLU**(z) for z < 0? <script>alert(1)</script>"
    answer: "It is *zero*: max(0, z) = 0 & the slope is 0."
    explain: "See `relu(z)`."
  - id: param-recall
    kind: recall
    tags: [basics]
    params:
      a: {choice: [3]}
    prompt: "What is {a} squared?"
    answer: "{a}·{a} = 9"
  - id: fixed-choice
    kind: choice
    shuffle: false
    tags: [sigmoid]
    prompt: "Which interval is the range of σ?"
    options:
      - {text: "(0, 1)", correct: true}
      - {text: "[0, **∞**)"}
  - id: shuffled-choice
    kind: choice
    multiple: true
    tags: [sigmoid]
    prompt: "Which are true of σ?"
    options:
      - {text: "It is increasing", correct: true}
      - {text: "σ(0) = 1/2", correct: true}
      - {text: "It is odd"}
      - {text: "It is unbounded"}
  - id: typed-number
    kind: numeric
    tags: [basics]
    prompt: "What is 2 + 2?"
    answer: 4
"""

# what each exported note must hold, worked out by hand from PACK_YAML
EXPECTED = {
    "bold-recall": (
        "<p>What is <strong>ReLU</strong>(z) for z &lt; 0? &lt;script&gt;alert(1)&lt;/script&gt;</p>",
        "<p>It is <em>zero</em>: max(0, z) = 0 &amp; the slope is 0.</p>",
        "<p>See <code>relu(z)</code>.</p>",
        "anki-test/bold-recall",
    ),
    "param-recall": ("<p>What is 3 squared?</p>", "<p>3·3 = 9</p>", "", "anki-test/param-recall"),
    "fixed-choice": (
        '<p>Which interval is the range of σ?</p>\n'
        '<ol class="options"><li>a) (0, 1)</li><li>b) [0, <strong>∞</strong>)</li></ol>',
        "a) (0, 1)",
        "",
        "anki-test/fixed-choice",
    ),
}


def cli(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def db(tmp_path):
    src = tmp_path / "anki-test.yaml"
    src.write_text(PACK_YAML, encoding="utf-8")
    db = tmp_path / "c.sqlite3"
    out = cli("--db", str(db), "pack", "add", str(src))
    assert out.exit_code == 0, out.output
    return db


def notes(apkg) -> dict[str, dict]:
    """The notes of an .apkg, by their Source field: fields, tags, guid."""
    with zipfile.ZipFile(apkg) as z:
        assert "collection.anki2" in z.namelist()
        blob = z.read("collection.anki2")
    path = apkg.with_suffix(".anki2")
    path.write_bytes(blob)
    con = sqlite3.connect(path)
    try:
        rows = con.execute("SELECT guid, flds, tags FROM notes").fetchall()
        decks = json.loads(con.execute("SELECT decks FROM col").fetchone()[0])
        models = json.loads(con.execute("SELECT models FROM col").fetchone()[0])
        cards = con.execute("SELECT count(*) FROM cards").fetchone()[0]
    finally:
        con.close()
    out = {}
    for guid, flds, tags in rows:
        fields = tuple(flds.split("\x1f"))
        out[fields[3]] = {"fields": fields, "tags": set(tags.split()), "guid": guid}
    out["_decks"] = {d["name"] for d in decks.values()}
    out["_fields"] = [[f["name"] for f in m["flds"]] for m in models.values()]
    out["_cards"] = cards
    return out


def test_notes_hold_the_cards_prompts_and_answers(db, tmp_path):
    dest = tmp_path / "phone.apkg"
    out = cli("--db", str(db), "export", "anki", str(dest), "--pack", "anki-test")
    assert out.exit_code == 0, out.output
    assert out.output == f"wrote 4 notes in 1 deck(s) to {dest}\n"
    found = notes(dest)
    assert found["_decks"] >= {"quizact::Anki test pack"}
    assert found["_fields"] == [["Prompt", "Answer", "Explain", "Source"]]
    assert found["_cards"] == 4  # one Anki card per note
    sources = {k for k in found if not k.startswith("_")}
    assert sources == {"anki-test/bold-recall", "anki-test/param-recall", "anki-test/fixed-choice",
                       "anki-test/shuffled-choice"}  # the numeric card is not exported  # fmt: skip
    for card_id, fields in EXPECTED.items():
        assert found[f"anki-test/{card_id}"]["fields"] == fields, card_id
    assert found["anki-test/bold-recall"]["tags"] == {"relu", "basics", "quizact::anki-test"}
    assert "<script>" not in json.dumps([n["fields"] for k, n in found.items() if not k.startswith("_")])


def test_a_shuffled_choice_is_in_the_order_solve_shows(db, tmp_path):
    dest = tmp_path / "phone.apkg"
    assert cli("--db", str(db), "export", "anki", str(dest), "--seed", "4").exit_code == 0
    solved = cli("solve", "anki-test", "shuffled-choice", "--seed", "4").output.splitlines()
    options = [line.strip() for line in solved if line.startswith("  ") and line[3:4] == ")"]
    assert len(options) == 4
    prompt, answer, _, _ = notes(dest)["anki-test/shuffled-choice"]["fields"]
    assert prompt == ('<p>Which are true of σ?</p>\n<ol class="options">'
                      + "".join(f"<li>{o}</li>" for o in options) + "</ol>")  # fmt: skip
    right = [o for o in options if o[3:] in ("It is increasing", "σ(0) = 1/2")]
    assert answer == "<br>".join(right) and len(right) == 2


def test_a_second_export_updates_the_same_notes(db, tmp_path):
    first, second = tmp_path / "1.apkg", tmp_path / "2.apkg"
    assert cli("--db", str(db), "export", "anki", str(first)).exit_code == 0
    assert cli("--db", str(db), "export", "anki", str(second)).exit_code == 0
    a, b = notes(first), notes(second)
    assert {k: v["guid"] for k, v in a.items() if not k.startswith("_")} == {
        k: v["guid"] for k, v in b.items() if not k.startswith("_")}


def test_tag_filter_and_nothing_to_export(db, tmp_path):
    dest = tmp_path / "sig.apkg"
    out = cli("--db", str(db), "export", "anki", str(dest), "--pack", "anki-test", "--tag", "sigmoid")
    assert out.exit_code == 0, out.output
    assert {k for k in notes(dest) if not k.startswith("_")} == {"anki-test/fixed-choice", "anki-test/shuffled-choice"}
    none = tmp_path / "none.apkg"
    out = cli("--db", str(db), "export", "anki", str(none), "--tag", "no-such-tag")
    assert out.exit_code == 1
    assert out.output == "Error: no recall or choice cards to export: nothing written\n"
    assert not none.exists()


def test_without_genanki_the_command_says_so(db, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "genanki", None)  # as if it were not installed
    dest = tmp_path / "x.apkg"
    out = cli("--db", str(db), "export", "anki", str(dest))
    assert out.exit_code == 1
    assert out.output == "Error: exporting to Anki needs genanki: pip install genanki\n"
    assert not dest.exists()


def test_genanki_is_not_imported_by_the_cli_until_asked(tmp_path):
    import subprocess

    code = "import sys, quizact.cli, quizact.session; print('genanki' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "False", out.stderr


def test_an_unwritable_destination_is_one_clear_line(db, tmp_path):
    blocker = tmp_path / "plain-file"
    blocker.write_text("x")
    out = cli("--db", str(db), "export", "anki", str(blocker / "deck.apkg"))
    assert out.exit_code == 1 and "Traceback" not in out.output
    assert out.output.startswith(f"Error: cannot write {blocker / 'deck.apkg'}: ")
    assert len(out.output.splitlines()) == 1


def test_anki_json(db, tmp_path):
    dest = tmp_path / "j.apkg"
    out = cli("--db", str(db), "export", "anki", str(dest), "--pack", "anki-test", "--json")
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout) == {"path": str(dest), "notes": 4, "decks": ["quizact::Anki test pack"],
                                      "skipped": []}  # fmt: skip
