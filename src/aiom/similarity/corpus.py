"""Use-case documents: THE text of a use case that similarity reads.

`document_text` is the definition the index, the search and the evaluation share (title,
problem, description, value hypothesis). Reading inventory files into documents is
`similarity.inventory_docs`, so the index never loads the importer.
"""


def document_text(title: str, problem: str, description: str, value_hypothesis: str) -> str:
    """The text similarity reads; the title is repeated because it says the most."""
    return "\n".join((title, title, problem, description, value_hypothesis))
