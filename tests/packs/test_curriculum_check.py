"""``pack check`` on a pack's curriculum: every mistake an instructor can make in it is one
located line ``FILE:LINE: CARD_ID: message``, printed by the real CLI; and the order it
gives, worked by hand on small packs."""

from __future__ import annotations

import re
import textwrap

from click.testing import CliRunner

from quizact.cli import main
from quizact.packs.loader import read_pack

HEAD = """\
    pack: course
    name: Course
    version: 1
    curriculum:
      - topic: basics
      - topic: slopes
        after: [basics]
      - topic: nets
        after: [slopes]
    """

CARDS = """\
    - id: what
      topic: basics
      kind: recall
      prompt: p
      answer: a
    - id: slope
      topic: slopes
      kind: recall
      prompt: p
      answer: a
    - id: net
      topic: nets
      kind: recall
      prompt: p
      answer: a
    """


def folder(tmp_path, head=HEAD, cards=CARDS):
    (tmp_path / "p" / "cards").mkdir(parents=True)
    (tmp_path / "p" / "pack.yaml").write_text(textwrap.dedent(head))
    (tmp_path / "p" / "cards" / "a.yaml").write_text(textwrap.dedent(cards))
    return tmp_path / "p"


def check(path, monkeypatch) -> tuple[int, list[str]]:
    monkeypatch.chdir(path.parent)
    result = CliRunner().invoke(main, ["pack", "check", "--variants", "2", path.name])
    return result.exit_code, [line for line in result.output.splitlines() if re.match(r"\S+:\d+: ", line)]


def test_a_clean_curriculum_passes(tmp_path, monkeypatch):
    code, lines = check(folder(tmp_path), monkeypatch)
    assert (code, lines) == (0, [])


def test_unknown_topic_on_a_card(tmp_path, monkeypatch):
    cards = CARDS.replace("topic: slopes\n", "topic: slops\n")
    code, lines = check(folder(tmp_path, cards=cards), monkeypatch)
    assert code == 1
    # the topic: line of card "slope" is line 7 of a.yaml
    assert lines == ["p/cards/a.yaml:7: slope: unknown topic 'slops' (did you mean 'slopes'?)"]


def test_unknown_topic_without_a_close_name_lists_the_topics(tmp_path, monkeypatch):
    cards = CARDS.replace("topic: nets\n", "topic: zzz\n")
    code, lines = check(folder(tmp_path, cards=cards), monkeypatch)
    assert lines == ["p/cards/a.yaml:12: net: unknown topic 'zzz' (the curriculum has basics, slopes, nets)"]


def test_a_card_in_no_topic(tmp_path, monkeypatch):
    cards = CARDS.replace("      topic: slopes\n", "")
    code, lines = check(folder(tmp_path, cards=cards), monkeypatch)
    assert code == 1
    assert lines == [
        "p/cards/a.yaml:6: slope: in no topic: give it topic: (one of basics, slopes, nets); "
        "the pack declares a curriculum"
    ]


def test_a_topic_without_a_curriculum(tmp_path, monkeypatch):
    head = HEAD.split("    curriculum:")[0]
    code, lines = check(folder(tmp_path, head=head), monkeypatch)
    assert code == 1
    assert lines == [
        f"p/cards/a.yaml:{n}: {card}: topic: '{topic}', but pack.yaml declares no curriculum: (list the topics there)"
        for n, card, topic in [(2, "what", "basics"), (7, "slope", "slopes"), (12, "net", "nets")]
    ]


def test_a_prerequisite_cycle(tmp_path, monkeypatch):
    head = HEAD.replace("      - topic: basics\n", "      - topic: basics\n        after: [nets]\n")
    code, lines = check(folder(tmp_path, head=head), monkeypatch)
    assert code == 1
    # basics (line 5) → nets → slopes → basics: reported once, at the first topic's after:
    assert lines == ["p/pack.yaml:6: -: curriculum: prerequisites form a cycle: basics → nets → slopes → basics"]


def test_a_topic_after_itself_is_a_cycle(tmp_path, monkeypatch):
    head = HEAD.replace("after: [slopes]", "after: [nets]")
    code, lines = check(folder(tmp_path, head=head), monkeypatch)
    assert lines == ["p/pack.yaml:9: -: curriculum: prerequisites form a cycle: nets → nets"]


def test_two_separate_cycles_are_two_lines(tmp_path, monkeypatch):
    head = """\
        pack: course
        name: Course
        version: 1
        curriculum:
          - {topic: basics, after: [slopes]}
          - {topic: slopes, after: [basics]}
          - {topic: nets, after: [more]}
          - {topic: more, after: [nets]}
        """
    code, lines = check(folder(tmp_path, head=head), monkeypatch)
    assert code == 1
    assert lines == ["p/pack.yaml:5: -: curriculum: prerequisites form a cycle: basics → slopes → basics",
                     "p/pack.yaml:7: -: curriculum: prerequisites form a cycle: nets → more → nets"]


def test_a_prerequisite_that_is_not_a_topic(tmp_path, monkeypatch):
    head = HEAD.replace("after: [slopes]", "after: [slopes, basic]")
    code, lines = check(folder(tmp_path, head=head), monkeypatch)
    assert code == 1
    assert lines == ["p/pack.yaml:9: -: curriculum: topic 'nets' comes after 'basic', which is not a topic "
                     "(did you mean 'basics'?)"]


def test_a_topic_declared_twice(tmp_path, monkeypatch):
    head = HEAD.rstrip(" ") + "      - topic: slopes\n"
    code, lines = check(folder(tmp_path, head=head), monkeypatch)
    assert lines == ["p/pack.yaml:10: -: curriculum: topic 'slopes' is declared twice (first at line 6)"]


def test_a_misspelt_topic_field_is_an_unknown_field(tmp_path, monkeypatch):
    head = HEAD.replace("after: [basics]", "afterr: [basics]")
    code, lines = check(folder(tmp_path, head=head), monkeypatch)
    assert code == 1 and len(lines) == 1
    assert lines[0].startswith("p/pack.yaml:") and "unknown field 'afterr'" in lines[0] and "'after'" in lines[0]


# -- the order, worked by hand ---------------------------------------------------------------


def ordered(tmp_path, head: str, cards: list[tuple[str, str]]) -> list[str]:
    body = "".join(f"- {{id: {c}, topic: {t}, kind: recall, prompt: p, answer: a}}\n" for c, t in cards)
    path = folder(tmp_path, head=head, cards=body)
    pack, problems = read_pack(path)
    assert problems == []
    return [c.id for c in pack.cards]


def test_a_chain_of_topics_comes_topic_by_topic_whatever_the_file_order(tmp_path):
    cards = [("n1", "nets"), ("s1", "slopes"), ("b1", "basics"), ("s2", "slopes"), ("b2", "basics")]
    assert ordered(tmp_path, HEAD, cards) == ["b1", "b2", "s1", "s2", "n1"]


def test_open_topics_take_turns_and_a_joined_topic_waits_for_all_its_prerequisites(tmp_path):
    head = """\
        pack: course
        name: Course
        version: 1
        curriculum:
          - topic: a
          - topic: b
            after: [a]
          - topic: c
            after: [a]
          - topic: d
            after: [b, c]
        """
    cards = [("d1", "d"), ("b1", "b"), ("b2", "b"), ("b3", "b"), ("c1", "c"), ("a1", "a"), ("a2", "a")]
    # a first; then b and c alternate (b listed first); c runs out, b finishes; then d
    assert ordered(tmp_path, head, cards) == ["a1", "a2", "b1", "c1", "b2", "b3", "d1"]


def test_topics_without_prerequisites_interleave_from_the_start(tmp_path):
    head = "pack: course\nname: Course\nversion: 1\ncurriculum: [{topic: x}, {topic: y}, {topic: z, after: [x]}]\n"
    cards = [("x1", "x"), ("x2", "x"), ("y1", "y"), ("y2", "y"), ("y3", "y"), ("z1", "z")]
    # x1 y1 x2 (x done: z opens after x in the turn) y2, then z1 (listed after y), then y3
    assert ordered(tmp_path, head, cards) == ["x1", "y1", "x2", "y2", "z1", "y3"]


def test_an_empty_topic_does_not_hold_back_the_topics_after_it(tmp_path):
    head = """\
        pack: course
        name: Course
        version: 1
        curriculum:
          - topic: a
          - topic: empty
            after: [a]
          - topic: c
            after: [empty]
        """
    assert ordered(tmp_path, head, [("c1", "c"), ("a1", "a")]) == ["a1", "c1"]


def test_without_a_curriculum_the_file_order_stays(tmp_path):
    path = folder(tmp_path, head="pack: course\nname: Course\nversion: 1\n",
                  cards="- {id: z, kind: recall, prompt: p, answer: a}\n"
                        "- {id: a, kind: recall, prompt: p, answer: a}\n")
    pack, problems = read_pack(path)
    assert problems == [] and [c.id for c in pack.cards] == ["z", "a"]
