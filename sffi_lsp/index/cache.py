"""An on-disk cache of per-file index results, so a restart re-reads nothing unchanged.

One file per entry, named by a hash of the namespace and the file's path, holding the
file's stamp (path, size, mtime_ns, inode) and the pickled result. Writers write a
temporary file in the same directory and ``os.replace`` it, so two servers on one
workspace never see a half-written entry; an entry that does not unpickle, or whose
stamp differs, is a miss.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sffi_lsp.workspace.settings import Settings

CACHE_FORMAT = 2  # bump when a cached value's shape changes


@dataclass(frozen=True, slots=True)
class FileStamp:
    path: str
    size: int
    mtime_ns: int
    inode: int

    @classmethod
    def of(cls, path: Path) -> FileStamp | None:
        """The stamp of ``path`` (following symlinks), or None if it cannot be stat'ed."""
        try:
            info = os.stat(path)
        except OSError:
            return None
        return cls(os.fspath(path), info.st_size, info.st_mtime_ns, info.st_ino)


def default_cache_dir(settings: Settings | None = None) -> Path:
    """``settings.cache_dir``, else ``$XDG_CACHE_HOME/sffi-lsp``, else ``~/.cache/sffi-lsp``."""
    if settings is not None and settings.cache_dir:
        return Path(os.path.expanduser(settings.cache_dir))
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "sffi-lsp"


def code_fingerprint() -> str:
    """What the cached results were computed with: the package version and its queries.

    A changed query (or an upgrade) must not keep serving results of the old one.
    """
    from sffi_lsp import __version__
    from sffi_lsp.syntax.languages import queries_dir

    digest = hashlib.sha256(f"{CACHE_FORMAT}\0{__version__}".encode())
    root = queries_dir()
    for query in sorted(root.glob("*/*.scm")):
        digest.update(query.relative_to(root).as_posix().encode() + b"\0" + query.read_bytes())
    return digest.hexdigest()[:16]


class SymbolCache:
    """Cached results by (namespace, file stamp). ``directory=None`` disables caching."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory / f"v{CACHE_FORMAT}-{code_fingerprint()}" if directory is not None else None
        self.hits = 0
        self.misses = 0

    @classmethod
    def for_settings(cls, settings: Settings | None = None) -> SymbolCache:
        return cls(default_cache_dir(settings))

    @classmethod
    def disabled(cls) -> SymbolCache:
        return cls(None)

    def _entry(self, namespace: str, path: str) -> Path | None:
        if self.directory is None:
            return None
        digest = hashlib.sha256(f"{namespace}\0{path}".encode("utf-8", "surrogateescape")).hexdigest()
        return self.directory / digest[:2] / f"{digest}.pickle"

    def get(self, namespace: str, stamp: FileStamp) -> Any | None:
        """The cached value for exactly this stamp, or None."""
        entry = self._entry(namespace, stamp.path)
        if entry is None:
            return None
        try:
            with open(entry, "rb") as handle:
                cached_stamp, value = pickle.load(handle)
        except FileNotFoundError:
            self.misses += 1
            return None
        except Exception:  # corrupt, truncated, or from an incompatible version: a miss
            self.misses += 1
            return None
        if cached_stamp != stamp:
            self.misses += 1
            return None
        self.hits += 1
        return value

    def put(self, namespace: str, stamp: FileStamp, value: Any) -> None:
        """Store ``value``; failures to write are ignored (the cache is an optimisation)."""
        entry = self._entry(namespace, stamp.path)
        if entry is None:
            return
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(prefix=entry.name, suffix=".tmp", dir=entry.parent)
            try:
                with os.fdopen(fd, "wb") as handle:
                    pickle.dump((stamp, value), handle, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(temp, entry)
            except BaseException:
                try:
                    os.unlink(temp)
                except OSError:
                    pass
                raise
        except (OSError, pickle.PicklingError):
            pass

    def discard(self, namespace: str, path: Path) -> None:
        entry = self._entry(namespace, os.fspath(path))
        if entry is not None:
            try:
                entry.unlink()
            except OSError:
                pass
