"""The incident's tags and contributing factors, edited from its postmortem.

They are the incident's lists (``incidents.services.taxonomy``): this only checks that the user
may edit the postmortem, then calls the incidents' service, which writes one ``field_changed``
event per changed list, saying the edit was made from the postmortem.
"""

from __future__ import annotations

from typing import Any

from incidents.services import incident_taxonomy_update
from postmortems.models import Postmortem
from postmortems.services._common import authorize_edit


def postmortem_taxonomy_update(
    *,
    user,
    postmortem: Postmortem,
    tags: Any = None,
    contributing_factors: Any = None,
    reason: str = "",
) -> list[str]:
    """Replace the incident's tags and/or contributing factors (None leaves a list as it is).

    Returns the lists that changed. The postmortem's own version does not change: the lists
    belong to the incident, not to the document.
    """
    authorize_edit(user, postmortem.incident)
    return incident_taxonomy_update(
        incident=postmortem.incident,
        user=user,
        tags=tags,
        contributing_factors=contributing_factors,
        reason=reason,
        via="from the postmortem",
    )
