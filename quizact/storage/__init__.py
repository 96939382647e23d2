"""The collection: one SQLite file with packs, card state, the review log and settings.

Importing this package is cheap (stdlib sqlite3 and fsrs' scheduler; no NumPy).
"""

from quizact.storage.cards import CardInfo
from quizact.storage.collection import Collection, CollectionError, CollectionLocked
from quizact.storage.journal import UndoEntry
from quizact.storage.packs import CardRow, PackInfo, SyncError, SyncReport
from quizact.storage.settings import Settings, SettingsError
from quizact.storage.timeutil import StudyDay, study_day

__all__ = [
    "CardInfo", "CardRow", "Collection", "CollectionError", "CollectionLocked", "PackInfo", "Settings",
    "SettingsError", "StudyDay", "SyncError", "SyncReport", "UndoEntry", "study_day",
]  # fmt: skip
