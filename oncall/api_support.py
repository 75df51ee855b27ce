"""Helpers shared by every capability's REST API: documented error responses and safe ids."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse

from config.api_fields import ErrorSerializer
from config.errors import NotFound

MAX_ID = 2**63 - 1  # PostgreSQL bigint: larger ids cannot exist and must not reach the driver


def errors(*codes: int, not_found: str = "No such object.") -> dict[int, OpenApiResponse]:
    """OpenAPI responses for the given error status codes (each body is an ``ErrorSerializer``)."""
    meaning = {
        400: "Invalid input: `detail` says what, `errors` says which field.",
        401: "Not signed in.",
        403: "Not allowed.",
        404: not_found,
        409: "Conflicts with the object's state.",
    }
    return {code: OpenApiResponse(ErrorSerializer, description=meaning[code]) for code in codes}


def as_id(value, *, not_found: str = "Not found.") -> int:
    """A primary key from a URL segment; anything that cannot be one is a 404, never a 500."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise NotFound(not_found) from None
    if not 1 <= number <= MAX_ID:
        raise NotFound(not_found)
    return number
