"""Where quizact keeps its files. The only module that knows about the filesystem layout.

* ``QUIZACT_HOME`` moves everything (the collection, user packs, backups): tests use it.
* ``QUIZACT_DB`` (or the CLI's global ``--db PATH``) picks the collection file alone.
* Otherwise files live in platformdirs' user data directory.
"""

from __future__ import annotations

import os
import re
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
    """Where the automatic daily backups of ``collection`` go: ``home()/backups`` for the
    default collection; for one elsewhere (``--db``) a folder in it named after the file and a
    digest of its location, so two collections of the same name keep apart (a CRC-32 of the resolved path)."""
    root = home() / "backups"
    where = Path(collection).expanduser().resolve()
    if where == (home() / COLLECTION_NAME).resolve():
        return root
    import zlib  # not hashlib: OpenSSL's import would cost the app's start-up

    return root / f"{where.stem}-{zlib.crc32(str(where).encode()):08x}"


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


def installed_packs() -> list[Path]:
    """Every pack quizact finds by itself: those added with ``pack add``, then the built-in ones."""
    user = user_packs_dir()
    found: list[Path] = []
    if user.is_dir():
        found += [
            p for p in sorted(user.iterdir())
            if not p.name.startswith(".") and (p.suffix in (".yaml", ".yml") or (p / "pack.yaml").is_file())
        ]  # fmt: skip
    return found + builtin_packs()


_PACK_LINE = re.compile(r"""^pack:\s*(?:"([^"]*)"|'([^']*)'|([^\s#]+))""")


def declared_pack_id(path: Path) -> str | None:
    """The ``pack:`` id a pack file (or a folder's ``pack.yaml``) declares at top level, read
    from its text without parsing the YAML; None when there is none."""
    head = path / "pack.yaml" if path.is_dir() else path
    try:
        with head.open(encoding="utf-8", errors="replace") as fh:
            for line in fh:
                m = _PACK_LINE.match(line)
                if m:
                    return next(g for g in m.groups() if g is not None)
    except OSError:
        return None
    return None


def find_pack(pack_id: str) -> Path | None:
    """The installed pack whose id is ``pack_id`` (a user pack before a built-in one), or None."""
    for path in installed_packs():
        if declared_pack_id(path) == pack_id:
            return path
    return None
