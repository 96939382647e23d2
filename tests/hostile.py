"""A hostile pack: every text field carries terminal controls and Rich markup.

Shared by the CLI tests (tests/system/test_escape_cli.py) and the app tests
(tests/tui/test_escape_app.py). ``CONTROLS`` is what the pack holds, ``SHOWN`` what a reader
must see instead (worked by hand from the rule: each control becomes ``\\xHH`` or ``\\uHHHH``).
"""

from __future__ import annotations

from pathlib import Path

# an OSC title change, a screen clear, BEL, CR, NUL, the one-byte CSI (C1) and a bidi override
CONTROLS = "\x1b]0;pwned\x07|\x1b[2J|\r|\x00|\x9b|\u202e"
SHOWN = "\\x1b]0;pwned\\x07|\\x1b[2J|\\x0d|\\x00|\\x9b|\\u202e"
# as YAML writes it in a double-quoted string
_YAML = "\\e]0;pwned\\a|\\e[2J|\\r|\\0|\\x9b|\\u202e"
MARKUP = "[bold]B[/bold] [link=https://x]click[/] [/]"
# every byte a terminal acts on (ESC, BEL, CR, NUL) and the UTF-8 of U+009B and U+202E
RAW_BYTES = (b"\x1b", b"\x07", b"\r", b"\x00", "\x9b".encode(), "\u202e".encode())

PACK_ID = "hostile"


def _t(label: str) -> str:
    """A YAML double-quoted string: a label, the controls, the markup."""
    return f'"{label} {_YAML} {MARKUP}"'


PACK = f"""\
pack: {PACK_ID}
name: {_t("N")}
version: 1
cards:
  - id: h-recall
    kind: recall
    tags: [{_t("T")}]
    prompt: {_t("P-recall")}
    answer: {_t("A-recall")}
    explain: {_t("E-recall")}
  - id: h-choice
    kind: choice
    prompt: {_t("P-choice")}
    options:
      - {{text: {_t("O-right")}, correct: true, feedback: {_t("F-right")}}}
      - {{text: {_t("O-wrong")}, feedback: {_t("F-wrong")}}}
  - id: h-symbolic
    kind: symbolic
    prompt: {_t("P-symbolic")}
    variables: [z]
    answer: sigmoid(z)*(1 - sigmoid(z))
    mistakes:
      - answer: sigmoid(z)
        feedback: {_t("F-mistake")}
    explain: {_t("E-symbolic")}
  - id: h-steps
    kind: steps
    network: {{layers: [1, 1, 1], activations: [relu, identity], bias: false, loss: squared_error}}
    params: {{x: 2, y: 1.0, W1: 0.5, W2: 0.5, lr: 0.1}}
    prompt: {_t("P-steps")}
    steps:
      - {{prompt: {_t("S-one")}, value: z1}}
      - {{prompt: {_t("S-two")}, value: z2}}
"""


def write_pack(folder: Path) -> Path:
    path = folder / "hostile.yaml"
    path.write_text(PACK, encoding="utf-8")
    return path


def assert_clean(data: bytes | str) -> None:
    """No byte a terminal would act on; the escapes are there instead."""
    raw = data.encode() if isinstance(data, str) else data
    for byte in RAW_BYTES:
        assert byte not in raw, (byte, raw[:400])
