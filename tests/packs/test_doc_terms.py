"""Terms the pack format's docs promise: the domain's form (and the hint for a bare range),
and "degenerate" as pack check reports it."""

from __future__ import annotations

from tests.packs.cardfiles import problems, write_cards

SYMBOLIC = """\
    - id: c
      kind: symbolic
      prompt: "d/dz of z^2"
      variables: [z]
      domain: {domain}
      answer: "2*z"
"""


def test_a_domain_per_variable_is_read():
    import pathlib
    import tempfile

    folder = pathlib.Path(tempfile.mkdtemp())
    assert problems(write_cards(folder, SYMBOLIC.format(domain="{z: [-2, 2]}")), deep=True) == []


def test_a_bare_range_is_told_how_to_name_its_variable(tmp_path):
    path = write_cards(tmp_path, SYMBOLIC.format(domain="[-2, 2]"))
    assert problems(path, located=True) == [  # line 9: the domain line (after the 4-line head)
        "9: c: domain: give a range per variable, as domain: {z: [-2, 2]} (a bare [low, high] names no "
        "variable; variables left out keep [-3, 3])"]


def test_degenerate_means_zero_in_every_variant(tmp_path):
    card = """\
        - id: d
          kind: numeric
          params: {{x: {{integer: [1, 5]}}}}
          prompt: "x = {{x}}: what is x - x?"
          answer: {answer}
    """
    assert problems(write_cards(tmp_path, card.format(answer='"x - x"')), deep=True) == [
        "answer is 0 for every variant (degenerate; add a where: constraint)"]
    # a plain number (unquoted) is the author's own choice, not a degenerate draw
    assert problems(write_cards(tmp_path, card.format(answer="0"), pack="q", name="q.yaml"), deep=True) == []
    assert problems(write_cards(tmp_path, card.format(answer='"x - 1"'), pack="r", name="r.yaml"), deep=True) == []
