"""One way in to a data product named by id: the product and what the user may do with it.

Pages and the API both ask `data_product_for(request, pk)`; a product the user may not see
(a partner and a non-public product) answers 404 exactly as one that does not exist.
"""

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db.models import Prefetch
from django.http import Http404, HttpRequest

from aiom.catalogue import permissions
from aiom.catalogue.models import DataProduct, DataProductQuerySet

NOT_FOUND = "No such data product, or not one you may see."


@dataclass(frozen=True)
class DataProductAccess:
    data_product: DataProduct
    user: Any

    @cached_property
    def may_curate(self) -> bool:
        return permissions.can_curate(self.user, self.data_product.domain)


def visible_products(user: Any, *, upstream: bool = False) -> DataProductQuerySet:
    """The products `user` may see with their domain and steward (and, when asked, the
    upstream products they may also see)."""
    found = DataProduct.objects.visible_to(user).select_related("domain", "steward")
    if upstream:
        visible_upstream = DataProduct.objects.visible_to(user)
        found = found.prefetch_related(Prefetch("upstream", queryset=visible_upstream))
    return found


def data_product_for(request: HttpRequest, pk: int, *, upstream: bool = False) -> DataProductAccess:
    """The product if `request.user` may see it; 404 otherwise."""
    found = visible_products(request.user, upstream=upstream).filter(pk=pk).first()
    if found is None:
        raise Http404(NOT_FOUND)
    return DataProductAccess(found, request.user)
