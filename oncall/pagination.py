"""Pages over long lists that never count more than they must.

Counting every visible alert costs more as history grows (millions of rows), so a list counts
at most ``COUNT_CAP`` rows past the page asked for: beyond that it says "10,000+" and still
links to the next page. The count is ``SELECT COUNT(*) FROM (... LIMIT n)``.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.functional import cached_property
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response

COUNT_CAP = 10_000


def capped_count(queryset, *, upto: int) -> tuple[int, bool]:
    """(count, capped): the number of rows, or ``upto`` and True when there are more."""
    # Counted rows need no order, no joined rows (select_related) and no columns but the key.
    counted = queryset.order_by().select_related(None).values("pk")[: upto + 1].count()
    return (upto, True) if counted > upto else (counted, False)


class CappedPaginator(Paginator):
    """A Paginator whose count stops at COUNT_CAP rows past the start of the requested page."""

    def __init__(self, object_list, per_page, *, page_number=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        try:
            requested = max(int(page_number or 1), 1)
        except (TypeError, ValueError):
            requested = 1
        self._upto = max(COUNT_CAP, requested * per_page)

    @cached_property
    def _counted(self) -> tuple[int, bool]:
        return capped_count(self.object_list, upto=self._upto)

    @cached_property
    def count(self) -> int:
        return self._counted[0]

    @property
    def count_is_capped(self) -> bool:
        """True when there are more rows than ``count`` (shown as "10,000+")."""
        return self._counted[1]


class CappedLimitOffsetPagination(LimitOffsetPagination):
    """LimitOffsetPagination with a bounded count: ``count`` stops at COUNT_CAP rows past the
    offset, and ``count_is_capped`` says when there are more (``next`` still links to them)."""

    max_limit = 200

    def get_count(self, queryset) -> int:
        upto = max(COUNT_CAP, self.get_offset(self.request) + (self.get_limit(self.request) or 0))
        count, self.count_is_capped = capped_count(queryset, upto=upto)
        # One more than counted when capped, so ``next`` is offered past the cap.
        return count + 1 if self.count_is_capped else count

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.count - 1 if self.count_is_capped else self.count,
                "count_is_capped": self.count_is_capped,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count"]["description"] = (
            f"Matching rows, counted up to {COUNT_CAP:,} past the offset."
        )
        response["properties"]["count_is_capped"] = {
            "type": "boolean",
            "description": "True when there are more rows than `count` says.",
        }
        response["required"] = [*response.get("required", []), "count_is_capped"]
        return response
