"""The moodle format: moodle.xml for Moodle's XML import, one cloze question per exam variant."""
from symbackprop.exporters.publication import Publication

NAME = "moodle"
BUILDS = False
OPTION = "--moodle"
HELP = "also write moodle.xml for Moodle's XML importer (one cloze question per variant, the diagram embedded)"


def files(publication: Publication) -> list[str]:
    """The file names this format writes."""
    return ["moodle.xml"] if publication.quiz is not None else []


def texts(publication: Publication) -> dict[str, str]:
    """{"moodle.xml": XML text}."""
    return {"moodle.xml": publication.quiz().decode("utf-8")} if publication.quiz is not None else {}
