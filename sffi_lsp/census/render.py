"""The census as text (an aligned table, then totals per class and per lane), JSON and CSV,
with rows filtered by class and sorted by name, calls or class."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from sffi_lsp.census.model import CLASS_ORDER, LANE_ORDER, STATE_ORDER, Census, CensusClass, CensusRow
from sffi_lsp.resolution import Lane, Provider
from sffi_lsp.workspace.discovery import relative_path

SORT_KEYS = ("name", "calls", "class")
TEXT_COLUMNS = ("NAME", "CLASS", "DECLS", "CALLS", "INTERPRETER", "JIT", "NATIVE", "DRIFT", "PROVIDERS")
CSV_COLUMNS = ("workspace", "name", "class", "declarations", "calls", "interpreter", "jit", "native", "drift",
               "providers")


def parse_classes(text: str) -> tuple[set[CensusClass], list[str]]:
    """``unresolved,lane-gap`` -> the classes, and the words that name none."""
    known = {c.value: c for c in CensusClass}
    chosen: set[CensusClass] = set()
    unknown: list[str] = []
    for word in (w.strip().lower() for w in text.split(",")):
        if not word:
            continue
        if word in known:
            chosen.add(known[word])
        else:
            unknown.append(word)
    return chosen, unknown


def chosen_rows(census: Census, classes: set[CensusClass] | None, sort: str = "name") -> list[CensusRow]:
    rows = [r for r in census.rows if not classes or r.census_class in classes]
    if sort == "calls":
        rows.sort(key=lambda r: (-r.calls, r.name))
    elif sort == "class":
        rows.sort(key=lambda r: (CLASS_ORDER.index(r.census_class), r.name))
    else:
        rows.sort(key=lambda r: r.name)
    return rows


def _provider_where(census: Census, provider: Provider) -> str:
    path = relative_path(provider.path, census.root)
    return f"{path}:{provider.line}" if provider.line else path


def providers_text(census: Census, row: CensusRow, separator: str = ", ") -> str:
    return separator.join(dict.fromkeys(_provider_where(census, p) for p in row.providers))


def _lane_text(row: CensusRow, lane: Lane) -> str:
    cell = row.lanes.get(lane)
    return cell.label() if cell is not None else "-"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


# --------------------------------------------------------------------------- text


def text_report(census: Census, rows: Sequence[CensusRow]) -> str:
    table = [list(TEXT_COLUMNS)]
    for r in rows:
        table.append([r.name, r.census_class.value, str(r.declarations), str(r.calls),
                      *(_lane_text(r, lane) for lane in LANE_ORDER), r.drift_kind or "-",
                      providers_text(census, r) or "-"])
    widths = [max(len(line[i]) for line in table) for i in range(len(TEXT_COLUMNS))]
    numeric = {2, 3}
    out = io.StringIO()
    for line in table:
        cells = [cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i]) for i, cell in enumerate(line)]
        out.write("  ".join(cells).rstrip() + "\n")
    out.write("\n")
    classes = census_totals(rows)
    parts = ", ".join(f"{classes[c]} {c.value}" for c in CLASS_ORDER if classes[c])
    out.write(f"{_plural(len(rows), 'name')}" + (f": {parts}" if parts else "") + "\n")
    for lane in LANE_ORDER:
        if lane not in census.judged:
            out.write(f"{lane.value}: not judged\n")
            continue
        states = lane_totals(rows, lane)
        out.write(f"{lane.value}: " + (", ".join(f"{states[s]} {s.value}" for s in STATE_ORDER if states[s])
                                       or "nothing") + "\n")
    drifted = [r for r in rows if r.drift]
    if drifted:
        out.write(f"{_plural(len(drifted), 'name')} with signature drift:\n")
        for r in drifted:
            out.write(f"  {r.name}: {r.drift_kind}: {r.drift}\n")
    return out.getvalue()


def census_totals(rows: Iterable[CensusRow]) -> dict[CensusClass, int]:
    totals = dict.fromkeys(CLASS_ORDER, 0)
    for r in rows:
        totals[r.census_class] += 1
    return totals


def lane_totals(rows: Iterable[CensusRow], lane: Lane) -> dict[Any, int]:
    totals = dict.fromkeys(STATE_ORDER, 0)
    for r in rows:
        cell = r.lanes.get(lane)
        if cell is not None:
            totals[cell.state] += 1
    return totals


# --------------------------------------------------------------------------- JSON


def json_workspace(census: Census, rows: Sequence[CensusRow], label: str) -> dict[str, Any]:
    """One workspace's census as JSON-ready data."""
    return {
        "workspace": label,
        "judged_lanes": [lane.value for lane in LANE_ORDER if lane in census.judged],
        "rows": [_json_row(census, r) for r in rows],
        "totals": {
            "names": len(rows),
            "classes": {c.value: n for c, n in census_totals(rows).items()},
            "lanes": {lane.value: {s.value: n for s, n in lane_totals(rows, lane).items()}
                      for lane in LANE_ORDER if lane in census.judged},
            "drift": sum(1 for r in rows if r.drift),
        },
    }


def _json_row(census: Census, row: CensusRow) -> dict[str, Any]:
    return {
        "name": row.name,
        "class": row.census_class.value,
        "declarations": row.declarations,
        "calls": row.calls,
        "lanes": {lane.value: ({"state": row.lanes[lane].state.value, "feature": row.lanes[lane].feature,
                                "reason": row.lanes[lane].reason}
                               if lane in row.lanes else None) for lane in LANE_ORDER},
        "providers": [
            {"kind": p.kind.value, "name": p.name, "path": relative_path(p.path, census.root),
             "line": p.line or None, "feature": p.feature, "family": p.family}
            for p in row.providers
        ],
        "drift": {"kind": row.drift_kind, "detail": row.drift} if row.drift else None,
    }


# --------------------------------------------------------------------------- CSV


def csv_rows(census: Census, rows: Sequence[CensusRow], label: str) -> list[list[str]]:
    return [
        [label, r.name, r.census_class.value, str(r.declarations), str(r.calls),
         *(_lane_text(r, lane) for lane in LANE_ORDER),
         f"{r.drift_kind}: {r.drift}" if r.drift else "", providers_text(census, r, "; ")]
        for r in rows
    ]


def csv_report(tables: Iterable[list[list[str]]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for table in tables:
        writer.writerows(table)
    return out.getvalue()
