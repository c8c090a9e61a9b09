"""The tex format: every template of the publication rendered to its .tex file."""
from symbackprop.documents.templating import render
from symbackprop.exporters.publication import Publication

NAME = "tex"
BUILDS = False


def files(publication: Publication) -> list[str]:
    """The file names this format writes."""
    return list(publication.templates)


def texts(publication: Publication) -> dict[str, str]:
    """{file name: LaTeX source}."""
    return {name: render(template, publication.context, publication.template_dir)
            for name, template in publication.templates.items()}
