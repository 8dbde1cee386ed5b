"""Cursor pagination that keeps the columns a list was ordered by before its cursor's column.

A list narrowed to one organisation is ordered by `("-organisation_id",)` in its view and paginated by
`-id`: the rows come in the same order as by id alone (the organisation is the same on every row), but
PostgreSQL reads the `(organisation_id, id)` index backwards and stops after the page. Ordered by id
alone, it may walk the primary key backwards through every other organisation's newer rows, guessing
that the organisation's rows are spread evenly (issue 15; test_invoice_list_plan.py).
"""

from django.db.models import QuerySet
from ninja.pagination import CursorPagination


class LeadingOrderCursorPagination(CursorPagination):
    def _order_queryset(self, queryset: QuerySet, cursor: CursorPagination.Cursor) -> QuerySet:
        ordering = (*queryset.query.order_by, *self.ordering)
        return queryset.order_by(*(self._reverse_order(ordering) if cursor.r else ordering))
