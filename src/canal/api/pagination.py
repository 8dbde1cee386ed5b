"""Offset pages bounded like every other number at the edge: the database's OFFSET is a bigint (a larger
one is a 500, not a refusal), and a deep offset reads every row before it. Lists that can use a cursor
use ninja's CursorPagination; this is for orderings a cursor cannot follow (tickets by due time)."""

from typing import Annotated

from ninja import Schema
from ninja.conf import settings
from ninja.pagination import LimitOffsetPagination
from pydantic import Field

MAX_OFFSET = 10_000
MAX_LIMIT = 100


class BoundedOffsetPagination(LimitOffsetPagination):
    class Input(Schema):
        limit: Annotated[int, Field(ge=1, le=MAX_LIMIT)] = min(settings.PAGINATION_PER_PAGE, MAX_LIMIT)
        offset: Annotated[int, Field(ge=0, le=MAX_OFFSET)] = 0
