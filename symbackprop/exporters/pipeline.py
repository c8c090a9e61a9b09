"""The one output pipeline: make every asked format's files, write them atomically, then build, drop the stale."""
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from symbackprop.exporters import EXPORTERS
from symbackprop.exporters.publication import Publication
from symbackprop.files.writing import check_folder, clean_leftovers, folder_lock, remove_stale, write_all


@dataclass(frozen=True)
class Published:
    """The paths written, and those removed because they belonged to an earlier run."""

    written: list[Path]
    removed: list[Path]


def publish(publication: Publication, folder: str | Path, formats: list[str],
            progress: Callable[[int], None] | None = None) -> Published:
    """Write the publication in the named formats (EXPORTERS keys) into folder (a format with a destination()
    writes into the folder it names instead).

    Every file of a format that is not asked for, and every built file (a PDF made from an earlier .tex), is
    removed before the new files appear, so nothing in folder belongs to another run; what an interrupted run
    left behind is cleaned first. Two runs into one folder at once: the second stops with one line."""
    exporters = [EXPORTERS[name] for name in formats]
    for exporter in exporters:
        if hasattr(exporter, "prepare"):
            exporter.prepare()
    folder = check_folder(folder)
    texts: dict[str, str | bytes] = {}
    elsewhere: dict[Path, dict[str, str | bytes]] = {}  # formats that write a folder of their own
    for exporter in exporters:
        if exporter.BUILDS:
            continue
        own = exporter.destination(publication) if hasattr(exporter, "destination") else None
        if own is None:
            texts.update(exporter.texts(publication))
        else:
            elsewhere.setdefault(check_folder(own), {}).update(exporter.texts(publication))
    with folder_lock(folder):
        clean_leftovers(folder)
        replaced = [name for exporter in EXPORTERS.values() if exporter.BUILDS
                    for name in exporter.files(publication)]
        unasked = [name for exporter in EXPORTERS.values() if exporter not in exporters
                   for name in exporter.files(publication)]
        removed = remove_stale(folder / name for name in dict.fromkeys(replaced + unasked))
        written = write_all(folder, texts)
        for own, files in elsewhere.items():
            written += write_all(own, files)
        for exporter in exporters:
            if exporter.BUILDS:
                written += exporter.build(publication, folder, progress)
    rebuilt = set(written)
    return Published(written, [path for path in removed if path not in rebuilt])
