"""REST API for postmortems, templates and action items.

Thin: an input serializer checks the shape, one service does the work, an output serializer
renders the result. Visibility is applied in ``get_queryset()`` (a private incident's postmortem
is 404 for anyone who is not a member); authorization proper stays in the services.

The package: ``base`` (what the viewsets share), one module per viewset.
"""

from __future__ import annotations

from postmortems.api.views.action_items import ActionItemViewSet
from postmortems.api.views.postmortems import PostmortemViewSet
from postmortems.api.views.templates import PostmortemTemplateViewSet

__all__ = ["ActionItemViewSet", "PostmortemTemplateViewSet", "PostmortemViewSet"]
