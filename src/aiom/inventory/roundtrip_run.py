"""Run one round trip: import a file, export it, compare cell by cell, import the export again.

`run` does it in the current database (a test's, or a benchmark's scratch one) as the
system: the export is of every use case, so run it on a database holding only this
file's use cases. For aiom's own formats (csv, xlsx, json) the cell comparison is of the
export with a second export made after the re-import (they must be identical), since
aiom's columns are not the file's.
"""

import time
from dataclasses import dataclass, field
from pathlib import Path

from aiom.inventory import exporter
from aiom.inventory.importer import run_import
from aiom.inventory.mapping import load_preset
from aiom.inventory.report import Report
from aiom.inventory.roundtrip import Comparison, compare_files

OWN_FORMATS = ("csv", "xlsx", "json")


@dataclass
class RoundTrip:
    file: str
    preset: str
    fmt: str
    first: Report
    second: Report | None = None
    comparison: Comparison | None = None
    export_seconds: float = 0.0
    exports_identical: bool | None = None  # aiom's formats: export, re-import, export again
    notes: list[str] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return self.first.created + self.first.updated + self.first.unchanged

    @property
    def no_op(self) -> bool:
        """The second import created and updated nothing and refused nothing."""
        s = self.second
        return s is not None and s.written and (s.created, s.updated, s.invalid) == (0, 0, 0)


def run(path: Path, *, preset: str, fmt: str, work: Path, skip_invalid: bool = False) -> RoundTrip:
    first = run_import(path, actor=None, mapping=load_preset(preset), skip_invalid=skip_invalid)
    trip = RoundTrip(path.name, preset, fmt, first)
    if not first.written:
        trip.notes.append("the first import was refused: nothing to export")
        return trip
    suffix = fmt if fmt in OWN_FORMATS else "csv"
    out = work / f"{path.stem}.export-{fmt}.{suffix}"
    started = time.monotonic()
    out.write_bytes(exporter.export(fmt, exporter.select().iterator(chunk_size=2000)))
    trip.export_seconds = time.monotonic() - started
    back = load_preset("aiom" if fmt in OWN_FORMATS else fmt)
    if fmt not in OWN_FORMATS:
        trip.comparison = compare_files(path, out, back)
    trip.second = run_import(out, actor=None, mapping=back)
    if fmt in OWN_FORMATS:
        again = work / f"{path.stem}.export-{fmt}-again.{suffix}"
        again.write_bytes(exporter.export(fmt, exporter.select().iterator(chunk_size=2000)))
        if fmt == "xlsx":  # a workbook's zip carries times: compare the cells
            from aiom.inventory.readers import read_source

            trip.exports_identical = read_source(out).rows == read_source(again).rows
        else:
            trip.exports_identical = out.read_bytes() == again.read_bytes()
    return trip


def lines(trip: RoundTrip) -> list[str]:
    f, s = trip.first, trip.second
    out = [
        f"{trip.file} (preset {trip.preset}) -> export {trip.fmt} -> import "
        f"({'aiom' if trip.fmt in OWN_FORMATS else trip.fmt})",
        f"  first import: rows {f.rows}, created {f.created}, invalid {f.invalid} "
        f"({f.seconds:.2f} s); export {trip.export_seconds:.2f} s",
    ]
    if s is not None:
        out.append(
            f"  second import: created {s.created}, updated {s.updated}, unchanged "
            f"{s.unchanged}, invalid {s.invalid} ({s.seconds:.2f} s): "
            + ("no-op" if trip.no_op else "CHANGED SOMETHING")
        )
    if trip.exports_identical is not None:
        out.append(f"  export after re-import identical: {trip.exports_identical}")
    if trip.comparison is not None:
        out += ["  " + line for line in trip.comparison.lines()]
    out += [f"  {n}" for n in trip.notes]
    return out
