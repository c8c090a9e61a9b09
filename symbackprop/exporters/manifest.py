"""The manifest format: manifest.json, the drawn values and asked answers of every exam variant."""
from symbackprop.exams.manifest import manifest_json
from symbackprop.exporters.publication import Publication

NAME = "manifest"
BUILDS = False


def files(publication: Publication) -> list[str]:
    """The file names this format writes."""
    return ["manifest.json"] if publication.manifest is not None else []


def texts(publication: Publication) -> dict[str, str]:
    """{"manifest.json": JSON text}."""
    return {"manifest.json": manifest_json(publication.manifest)} if publication.manifest is not None else {}
