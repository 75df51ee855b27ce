from incidents.models import Role


def test_declaring_makes_the_declarer_incident_commander(incident, responder):
    ic = incident.role_assignments.get(role=Role.INCIDENT_COMMANDER, ended_at__isnull=True)
    assert ic.user == responder
    assert incident.reference == "INC-1"
