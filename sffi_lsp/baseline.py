"""Baselines: the findings a code base already has, recorded so that only new ones fail.

An entry is keyed by rule code, the file's path relative to the workspace root (POSIX)
and the symbol the finding is about — never by line or column, so edits elsewhere in a
file (or moving the declaration) leave the baseline valid. Two identical findings in one
file are two occurrences of one key (``count``). Applying a baseline splits findings into
new and suppressed ones and reports the entries nothing matches any more (stale: fixed).

The file is JSON with a version, one entry per line, sorted, so a pull request's diff of
it reads well::

    {
      "tool": "sffi-lsp",
      "version": 1,
      "entries": [
        {"code": "SFFI001", "count": 1, "path": "src/app/ffi.spl", "symbol": "rt_x"}
      ]
    }
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

from sffi_lsp.index.declarations import DeclarationIndex
from sffi_lsp.model import Finding, Position, Severity, Span
from sffi_lsp.workspace.discovery import relative_path

BASELINE_VERSION = 1
BASELINE_TOOL = "sffi-lsp"
_BACKTICKED = re.compile(r"`([^`]+)`")


class BaselineError(Exception):
    """A baseline file that cannot be read; the message is one line naming the file."""


class BaselineKey(NamedTuple):
    code: str
    path: str  # relative to the workspace root, POSIX separators
    symbol: str


KeyScope = Callable[[BaselineKey], bool]


def _within(span: Span, position: Position) -> bool:
    return span.start <= position <= span.end


def finding_symbol(finding: Finding, declarations: DeclarationIndex) -> str:
    """The name a finding is about, independent of where it sits in the file.

    In order: the name the rule recorded (``data["name"]``); the declaration or call whose
    name the finding is on; the extern declaration that contains it (a parameter list, a
    return type); the first `backticked` name of the message; else nothing."""
    name = finding.data.get("name")
    if isinstance(name, str) and name:
        return name
    entry = declarations.files.get(finding.path)
    start = finding.span.start
    if entry is not None:
        for decl in entry.declarations:
            if _within(decl.name_span, start):
                return decl.name
        for call in entry.calls:
            if _within(call.name_span, start):
                return call.name
        enclosing = [d for d in entry.externs() if _within(d.span, start)]
        if enclosing:
            return min(enclosing, key=lambda d: d.span.end_byte - d.span.start_byte).name
    quoted = _BACKTICKED.search(finding.message)
    return quoted.group(1) if quoted else ""


def finding_key(finding: Finding, root: Path, declarations: DeclarationIndex) -> BaselineKey:
    return BaselineKey(finding.code, relative_path(finding.path, root), finding_symbol(finding, declarations))


@dataclass
class BaselineResult:
    """Findings split by a baseline, and the entries (with how many occurrences) left unmatched."""

    new: list[Finding] = field(default_factory=list)
    suppressed: list[Finding] = field(default_factory=list)
    stale: Counter[BaselineKey] = field(default_factory=Counter)

    @property
    def stale_count(self) -> int:
        return sum(self.stale.values())


@dataclass
class Baseline:
    """How many findings of each key a code base is allowed to keep."""

    counts: Counter[BaselineKey] = field(default_factory=Counter)

    @classmethod
    def of(cls, keys: Iterable[BaselineKey]) -> Baseline:
        return cls(Counter(keys))

    def __len__(self) -> int:
        return sum(self.counts.values())

    # ---------------------------------------------------------------- applying
    def apply(self, keyed: Sequence[tuple[BaselineKey, Finding]], scope: KeyScope | None = None) -> BaselineResult:
        """Split ``keyed`` findings (in their report order) into new and suppressed ones:
        the first ``count`` findings of a key are suppressed, the rest are new. Entries
        within ``scope`` (all, by default) that matched fewer findings than recorded are stale."""
        left = Counter(self.counts)
        result = BaselineResult()
        for key, finding in keyed:
            if left[key] > 0:
                left[key] -= 1
                result.suppressed.append(finding)
            else:
                result.new.append(finding)
        result.stale = Counter({k: n for k, n in left.items() if n > 0 and (scope is None or scope(k))})
        return result

    def refreshed(self, keys: Iterable[BaselineKey], scope: KeyScope | None = None) -> Baseline:
        """This baseline with the entries within ``scope`` replaced by ``keys`` (a run that
        checked only some files or codes keeps the entries it did not look at)."""
        kept = Counter({k: n for k, n in self.counts.items() if scope is not None and not scope(k)})
        kept.update(keys)
        return Baseline(kept)

    # ---------------------------------------------------------------- the file
    def dumps(self) -> str:
        """The file's text: stable, sorted by path, code and symbol, one entry per line."""
        rows = [
            json.dumps({"code": k.code, "count": n, "path": k.path, "symbol": k.symbol},
                       sort_keys=True, ensure_ascii=False)
            for k, n in sorted(self.counts.items(), key=lambda item: (item[0].path, item[0].code, item[0].symbol))
            if n > 0
        ]
        body = ",\n".join(f"    {row}" for row in rows)
        entries = f"[\n{body}\n  ]" if rows else "[]"
        return (f'{{\n  "tool": {json.dumps(BASELINE_TOOL)},\n  "version": {BASELINE_VERSION},\n'
                f'  "entries": {entries}\n}}\n')

    def write(self, path: Path) -> None:
        """Write atomically (a CI job or an editor reading it never sees half a file)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            temporary.write_text(self.dumps(), encoding="utf-8")
            os.replace(temporary, path)
        except OSError as exc:
            temporary.unlink(missing_ok=True)
            raise BaselineError(f"cannot write baseline {path}: {exc.strerror or exc}") from None

    @classmethod
    def loads(cls, text: str, origin: str = "baseline") -> Baseline:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise BaselineError(f"{origin}: not a baseline file (invalid JSON at line {exc.lineno})") from None
        if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
            raise BaselineError(f"{origin}: not a baseline file (no \"entries\" list)")
        version = data.get("version")
        if version != BASELINE_VERSION:
            raise BaselineError(f"{origin}: baseline version {version!r} is not supported "
                                f"(this sffi-lsp writes version {BASELINE_VERSION})")
        counts: Counter[BaselineKey] = Counter()
        for n, entry in enumerate(data["entries"], start=1):
            if not isinstance(entry, dict):
                raise BaselineError(f"{origin}: entry {n} is not an object")
            code, path, symbol = entry.get("code"), entry.get("path"), entry.get("symbol", "")
            count = entry.get("count", 1)
            if not (isinstance(code, str) and isinstance(path, str) and isinstance(symbol, str)):
                raise BaselineError(f"{origin}: entry {n} needs string \"code\", \"path\" and \"symbol\"")
            if not isinstance(count, int) or isinstance(count, bool) or count < 1:
                raise BaselineError(f"{origin}: entry {n} has a bad \"count\" (a positive integer)")
            counts[BaselineKey(code.upper(), path.replace("\\", "/"), symbol)] += count
        return cls(counts)

    @classmethod
    def read(cls, path: Path) -> Baseline:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise BaselineError(f"cannot read baseline {path}: no such file") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise BaselineError(f"cannot read baseline {path}: {exc}") from None
        return cls.loads(text, str(path))


# One parsed baseline per file state: the server applies it on every re-check.
_CACHE: dict[Path, tuple[tuple[int, int], Baseline | BaselineError]] = {}


def load_cached(path: Path) -> Baseline | BaselineError:
    """The baseline at ``path``, parsed once per modification (an error is returned, not raised)."""
    try:
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        stamp = (-1, -1)
    cached = _CACHE.get(path)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    loaded: Baseline | BaselineError
    try:
        loaded = Baseline.read(path)
    except BaselineError as exc:
        loaded = exc
    _CACHE[path] = (stamp, loaded)
    return loaded


def baseline_path(root: Path, configured: str | None) -> Path | None:
    """The baseline file a setting names, relative to the workspace root."""
    if not configured:
        return None
    return Path(os.path.normpath(root / os.path.expanduser(configured)))


# --------------------------------------------------------------------------- a check run


class Checked(NamedTuple):
    """One workspace root of a check run: where it is, its declarations, the files and
    directories asked for under it (None: all of it) and its findings in report order."""

    root: Path
    declarations: DeclarationIndex
    scopes: Sequence[Path] | None
    findings: list[Finding]


def run_keys(run: Iterable[Checked]) -> list[tuple[BaselineKey, Finding]]:
    return [(finding_key(f, c.root, c.declarations), f) for c in run for f in c.findings]


def run_scope(run: Sequence[Checked], code_selected: Callable[[str], bool]) -> KeyScope:
    """The entries a run could have matched: codes it selected, in the files and directories
    it looked at (everything when a whole root was checked)."""
    whole = any(c.scopes is None for c in run)
    scopes = tuple({relative_path(p, c.root) for c in run for p in (c.scopes or ())})

    def within(path: str) -> bool:
        return any(path == s or path.startswith(s.rstrip("/") + "/") or s == "." for s in scopes)

    return lambda key: code_selected(key.code) and (whole or within(key.path))


# --------------------------------------------------------------------------- the editor's view


def editor_view(findings: list[Finding], root: Path, declarations: DeclarationIndex, configured: str | None,
                show: bool) -> tuple[list[Finding], str | None]:
    """The findings an editor shows under the ``baseline`` setting: those the baseline
    suppresses are left out, or (``show``) kept as hints that say so. Returns the findings
    and the reason the baseline could not be used (then nothing is suppressed)."""
    path = baseline_path(root, configured)
    if path is None:
        return findings, None
    baseline = load_cached(path)
    if isinstance(baseline, BaselineError):
        return findings, str(baseline)
    result = baseline.apply([(finding_key(f, root, declarations), f) for f in findings])
    if not show:
        return result.new, None
    hidden = {id(f) for f in result.suppressed}
    return [
        replace(f, severity=Severity.HINT, message=f"{f.message} (in the baseline)") if id(f) in hidden else f
        for f in findings
    ], None
