"""Plugin manifests (``manifest.sdn``, SFFI.md section 4): parse them with spans, and
write or update one entry while leaving the rest of the file as it was.

The format, as the runtime reads it::

    plugins:
        -
            name: regex
            library: /abs/path/libsimple_regex_ffi.so
            functions: [rt_regex_new, rt_regex_destroy]
            version: 0.1.0
            classes: [Regex]

Parsing never raises: a line that does not fit becomes a ``ManifestIssue``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sffi_lsp.model import Problem, Span
from sffi_lsp.text import LineIndex

MANIFEST_KEYS = ("name", "library", "functions", "version", "classes")
DEFAULT_DASH_INDENT = 4
DEFAULT_KEY_INDENT = 8

_KEY_LINE = re.compile(r"^(?P<indent>[ \t]*)(?P<dash>-[ \t]*)?(?P<key>[A-Za-z_][\w-]*)[ \t]*:(?P<value>.*)$")


@dataclass(frozen=True, slots=True)
class ManifestIssue:
    """A line of a manifest that could not be understood, and why."""

    span: Span
    message: str


@dataclass(frozen=True, slots=True)
class ManifestEntry:
    """One ``-`` item under ``plugins:``."""

    name: str | None
    library: Path | None  # resolved against the manifest's directory
    library_text: str | None  # as written
    functions: tuple[str, ...]
    function_spans: tuple[Span, ...]
    version: str | None
    classes: tuple[str, ...]
    span: Span  # from the ``-`` line to the end of the entry's last line
    name_span: Span | None
    library_span: Span | None
    functions_span: Span | None  # the whole ``functions:`` line


@dataclass
class Manifest:
    path: Path
    entries: list[ManifestEntry] = field(default_factory=list)
    issues: list[ManifestIssue] = field(default_factory=list)

    def problems(self) -> list[Problem]:
        """The issues as ``Problem`` values with 1-based line numbers in the reason."""
        return [
            Problem(self.path, f"line {issue.span.start.line + 1}: {issue.message}")
            for issue in self.issues
        ]

    def claims(self) -> dict[str, list[ManifestEntry]]:
        """Function name -> the entries that list it (more than one is a runtime error)."""
        table: dict[str, list[ManifestEntry]] = {}
        for entry in self.entries:
            for fn in entry.functions:
                table.setdefault(fn, []).append(entry)
        return table


def _strip_quotes(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _strip_comment(value: str) -> str:
    """Drop a trailing `` # comment`` (a ``#`` inside quotes or a path stays)."""
    in_quote = False
    for i, ch in enumerate(value):
        if ch == '"':
            in_quote = not in_quote
        elif ch == "#" and not in_quote and (i == 0 or value[i - 1] in " \t"):
            return value[:i].rstrip()
    return value


def _parse_list(value: str, value_offset: int) -> tuple[list[tuple[str, int, int]], str | None]:
    """``[a, b]`` -> [(item, start, end)] with byte offsets relative to ``value_offset``."""
    stripped = value.strip()
    if not (stripped.startswith("[") and stripped.endswith("]")):
        return [], "expected an inline list like [rt_a, rt_b]"
    lead = len(value) - len(value.lstrip())
    start = lead + 1
    inner = stripped[1:-1]
    items: list[tuple[str, int, int]] = []
    pos = 0
    for part in inner.split(","):
        raw_start = pos
        pos += len(part) + 1
        text = part.strip()
        if not text:
            continue
        offset = raw_start + (len(part) - len(part.lstrip()))
        if text[0] == text[-1] and text[0] in "\"'" and len(text) >= 2:
            text = text[1:-1]
            offset += 1
        b_start = value_offset + len(value[:start].encode()) + len(inner[:offset].encode())
        items.append((text, b_start, b_start + len(text.encode())))
    return items, None


class _EntryBuilder:
    def __init__(self, start: int) -> None:
        self.start = start
        self.end = start
        self.values: dict[str, str] = {}
        self.spans: dict[str, Span] = {}
        self.functions: list[tuple[str, Span]] = []
        self.classes: list[str] = []


def parse_manifest(text: str, path: Path) -> Manifest:
    """Parse manifest text; ``path`` is where it lives (relative libraries resolve there)."""
    data = text.encode("utf-8")
    index = LineIndex(data)
    manifest = Manifest(path)
    base = path.parent
    current: _EntryBuilder | None = None
    builders: list[_EntryBuilder] = []
    seen_header = False
    offset = 0

    def issue(start: int, end: int, message: str) -> None:
        manifest.issues.append(ManifestIssue(index.span(start, end), message))

    for raw_line in data.split(b"\n"):
        line_start = offset
        offset += len(raw_line) + 1
        line = raw_line.decode("utf-8", errors="replace").rstrip("\r")
        content_end = line_start + len(line.encode())
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not seen_header:
            seen_header = True
            if stripped == "plugins:" and line[0] not in " \t":
                continue
            issue(line_start, content_end, "expected 'plugins:' as the first line")
            if not stripped.startswith("-"):
                continue
        if stripped == "-":
            current = _EntryBuilder(line_start)
            current.end = content_end
            builders.append(current)
            continue
        match = _KEY_LINE.match(line)
        if match is None:
            issue(line_start, content_end, f"cannot read this line: {stripped!r}")
            continue
        if match.group("dash"):
            current = _EntryBuilder(line_start)
            builders.append(current)
        if current is None:
            issue(line_start, content_end, "a key outside of a '-' entry")
            continue
        key = match.group("key")
        value = _strip_comment(match.group("value"))
        value_start = line_start + len(line[: match.start("value")].encode())
        key_start = line_start + len(line[: match.start("key")].encode())
        current.end = content_end
        if key not in MANIFEST_KEYS:
            issue(key_start, content_end, f"unknown key '{key}'")
            continue
        if key in current.values:
            issue(key_start, content_end, f"'{key}' given twice in one entry")
            continue
        current.values[key] = value
        current.spans[key] = index.span(key_start, content_end)
        if key in ("functions", "classes"):
            items, error = _parse_list(value, value_start)
            if error:
                issue(key_start, content_end, f"{key}: {error}")
                continue
            if key == "functions":
                current.functions = [(name, index.span(s, e)) for name, s, e in items]
            else:
                current.classes = [name for name, _, _ in items]
        elif not _strip_quotes(value):
            issue(key_start, content_end, f"'{key}' has no value")

    for builder in builders:
        name = _strip_quotes(builder.values.get("name", "")) or None
        library_text = _strip_quotes(builder.values.get("library", "")) or None
        library = None
        if library_text:
            expanded = Path(os.path.expanduser(library_text))
            # Normalised, so `plugins/../x.so` and the discovered `x.so` are one library.
            library = Path(os.path.normpath(expanded if expanded.is_absolute() else base / expanded))
        span = index.span(builder.start, builder.end)
        if name is None:
            issue(builder.start, builder.end, "plugin entry without 'name'")
        if library_text is None:
            issue(builder.start, builder.end, f"plugin entry {name or ''} without 'library'".replace("  ", " "))
        manifest.entries.append(
            ManifestEntry(
                name=name,
                library=library,
                library_text=library_text,
                functions=tuple(fn for fn, _ in builder.functions),
                function_spans=tuple(s for _, s in builder.functions),
                version=_strip_quotes(builder.values["version"]) if "version" in builder.values else None,
                classes=tuple(builder.classes),
                span=span,
                name_span=builder.spans.get("name"),
                library_span=builder.spans.get("library"),
                functions_span=builder.spans.get("functions"),
            )
        )
    manifest.issues.sort(key=lambda i: i.span.start_byte)
    return manifest


def _render_list(items: Iterable[str]) -> str:
    return "[" + ", ".join(items) + "]"


def render_manifest_entry(
    name: str,
    library: str | Path,
    functions: Sequence[str],
    version: str | None = None,
    classes: Sequence[str] = (),
    *,
    dash_indent: int = DEFAULT_DASH_INDENT,
    key_indent: int = DEFAULT_KEY_INDENT,
) -> str:
    """One entry as manifest text (ending in a newline), in the runtime's layout."""
    pad = " " * key_indent
    lines = [
        " " * dash_indent + "-",
        f"{pad}name: {name}",
        f"{pad}library: {library}",
        f"{pad}functions: {_render_list(functions)}",
    ]
    if version is not None:
        lines.append(f"{pad}version: {version}")
    if classes:
        lines.append(f"{pad}classes: {_render_list(classes)}")
    return "\n".join(lines) + "\n"


def _indents(text: str, entry: ManifestEntry | None) -> tuple[int, int]:
    """The indentation an existing file uses for '-' lines and keys."""
    dash = key = None
    for line in text.splitlines():
        stripped = line.lstrip(" ")
        width = len(line) - len(stripped)
        if stripped.startswith("-") and dash is None:
            dash = width
            rest = stripped[1:]
            if rest.strip():  # "- name: x" form: keys align after "- "
                key = width + 1 + (len(rest) - len(rest.lstrip(" ")))
        elif dash is not None and key is None and stripped and not stripped.startswith("#"):
            key = width
        if dash is not None and key is not None:
            break
    if dash is None:
        return DEFAULT_DASH_INDENT, DEFAULT_KEY_INDENT
    return dash, key if key is not None else dash + 4


def add_or_update_entry(
    text: str, name: str, library: str | Path, functions: Sequence[str]
) -> str:
    """The manifest text with the entry ``name`` set to ``library`` and ``functions``.

    An existing entry of that name is replaced in place (its version and classes kept);
    otherwise the entry is appended. Empty text gets the ``plugins:`` header.
    """
    manifest = parse_manifest(text, Path("manifest.sdn"))
    existing = next((e for e in manifest.entries if e.name == name), None)
    dash_indent, key_indent = _indents(text, existing)
    if existing is not None:
        data = text.encode("utf-8")
        rendered = render_manifest_entry(
            name, library, functions, existing.version, existing.classes,
            dash_indent=dash_indent, key_indent=key_indent,
        )
        end = existing.span.end_byte
        if data[end : end + 1] == b"\n":
            end += 1
        else:
            rendered = rendered[:-1]
        return (data[: existing.span.start_byte] + rendered.encode("utf-8") + data[end:]).decode("utf-8")
    rendered = render_manifest_entry(name, library, functions, dash_indent=dash_indent, key_indent=key_indent)
    if not text.strip():
        return "plugins:\n" + rendered
    if not text.endswith("\n"):
        text += "\n"
    return text + rendered
