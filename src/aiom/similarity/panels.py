"""Similarity's section of the use-case page: links to related use cases, suggestions
(registered in SimilarityConfig.ready)."""

from aiom.portfolio import panels
from aiom.similarity.views import links_context


def register() -> None:
    panels.register("similarity", "similarity/_use_case_links.html", links_context, order=36)
