"""Make a built library loadable by the runtime: a plugin-manifest entry, or a satellite copy.

Two ways the runtime finds native code (SFFI.md section 4): an entry in the plugin
manifest (``manifest.sdn``), or a satellite library ``libspl_<prefix>.so`` in a directory
it searches (``build/``, next to the ``simple`` binary...). Neither ever overwrites a
different existing file without keeping a backup beside it.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sffi_lsp.backends.cache import file_sha256
from sffi_lsp.spec.abi import satellite_library_name
from sffi_lsp.workspace.settings import Settings


@dataclass(frozen=True)
class RegisterResult:
    path: Path  # the file written
    backup: Path | None  # the previous content, when it differed
    changed: bool
    message: str


def default_manifest_path(settings: Settings, workspace: Path | None = None) -> Path:
    """The manifest to write: the setting, ``$SIMPLE_PLUGIN_MANIFEST``, or the user default."""
    if settings.plugin_manifest:
        path = Path(os.path.expanduser(settings.plugin_manifest))
        return path if path.is_absolute() or workspace is None else workspace / path
    env = os.environ.get("SIMPLE_PLUGIN_MANIFEST")
    if env:
        return Path(env)
    return Path(os.path.expanduser("~")) / ".simple" / "plugins" / "manifest.sdn"


def _keep_backup(path: Path) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S") + f"-{time.time_ns() % 1_000_000:06d}"
    backup = path.with_name(f"{path.name}.bak-{stamp}")
    shutil.copy2(path, backup)
    return backup


def _write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def register_in_manifest(
    manifest: Path, name: str, library: Path, functions: Sequence[str]
) -> RegisterResult:
    """Add or update the entry ``name`` (absolute ``library``, ``functions``) in ``manifest``.
    An empty ``functions`` list is never written (the runtime would load nothing from it)."""
    if not functions:
        return RegisterResult(manifest, None, False,
                              f"not registering {library.name}: it exports no function to list")
    # Imported here: the natives index package pulls in tree-sitter, which the build
    # backends do not otherwise need.
    from sffi_lsp.index.natives.manifest import add_or_update_entry

    old = manifest.read_text(encoding="utf-8", errors="replace") if manifest.exists() else ""
    new = add_or_update_entry(old, name, str(library.resolve()), list(functions))
    if new == old:
        return RegisterResult(
            manifest, None, False, f"{manifest}: entry '{name}' already up to date"
        )
    backup = _keep_backup(manifest) if manifest.exists() else None
    _write_text(manifest, new)
    verb = "updated" if f"name: {name}" in old else "added"
    return RegisterResult(manifest, backup, True, f"{manifest}: {verb} entry '{name}'")


def install_satellite(library: Path, prefix: str, dest_dir: Path) -> RegisterResult:
    """Copy ``library`` to ``dest_dir/libspl_<prefix>.so``, the name the runtime loads
    (``sffi-lsp register --satellite`` accepts only the prefixes the runtime tries)."""
    suffix = library.suffix or ".so"
    target = dest_dir / satellite_library_name(prefix, suffix=suffix)
    backup = None
    if target.exists():
        if file_sha256(target) == file_sha256(library):
            return RegisterResult(target, None, False, f"{target} is already this library")
        backup = _keep_backup(target)
    dest_dir.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    shutil.copy2(library, tmp)
    os.replace(tmp, target)
    message = f"installed {library.name} as {target}"
    if backup is not None:
        message += f" (previous file kept as {backup.name})"
    return RegisterResult(target, backup, True, message)


def plugin_name(library: Path) -> str:
    """``bitset`` for ``libsimple_bitset_ffi.so``: the manifest entry name for a library."""
    name = re.sub(r"\.(so(\.\d+)*|dylib|dll|a)$", "", library.name)
    name = name.removeprefix("lib").removeprefix("simple_").removeprefix("spl_")
    return name.removesuffix("_ffi") or library.stem


def functions_to_register(exported: Iterable[str], declared: Iterable[str], prefixes: Sequence[str]) -> list[str]:
    """The functions a manifest entry lists: the exports Simple code declares, else every
    export with an extern prefix."""
    exported = set(exported)
    chosen = exported & set(declared)
    return sorted(chosen or {n for n in exported if n.startswith(tuple(prefixes))})
