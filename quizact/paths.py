"""Where quizact keeps its files. The only module that knows about the filesystem layout.

* ``QUIZACT_HOME`` moves everything (the collection, user packs, backups): tests use it.
* ``QUIZACT_DB`` (or the CLI's global ``--db PATH``) picks the collection file alone.
* Otherwise files live in platformdirs' user data directory.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "quizact"
COLLECTION_NAME = "collection.sqlite3"


def home() -> Path:
    """The folder holding the collection, user packs and backups."""
    override = os.environ.get("QUIZACT_HOME")
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def collection_path(db: str | os.PathLike[str] | None = None) -> Path:
    """The collection file: ``db`` if given, else ``QUIZACT_DB``, else ``home()/collection``."""
    if db:
        return Path(db).expanduser()
    env = os.environ.get("QUIZACT_DB")
    if env:
        return Path(env).expanduser()
    return home() / COLLECTION_NAME


def user_packs_dir() -> Path:
    """Where ``quizact pack add`` copies packs."""
    return home() / "packs"


def cache_dir() -> Path:
    """Disposable data (parsed packs); safe to delete at any time."""
    return home() / "cache"


def backups_dir(collection: Path) -> Path:
    """Backups sit beside the collection file they protect."""
    return collection.parent / "backups"


def builtin_content_dir() -> Path:
    """The built-in packs: inside the installed wheel, or ``content/`` of a source checkout."""
    here = Path(__file__).resolve().parent  # not importlib.resources: it costs start-up
    packaged = here / "_content"
    if packaged.is_dir():
        return packaged
    return here.parent / "content"


def builtin_packs() -> list[Path]:
    """Each built-in pack: a single ``*.yaml`` file or a folder with ``pack.yaml``."""
    root = builtin_content_dir()
    found: list[Path] = []
    if not root.is_dir():
        return found
    for entry in sorted(root.iterdir()):
        if entry.is_dir() and (entry / "pack.yaml").is_file():
            found.append(entry)
        elif entry.is_file() and entry.suffix in (".yaml", ".yml"):
            found.append(entry)
    return found
