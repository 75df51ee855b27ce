"""factory_boy factories. Incidents are declared through the service, as a user would."""

from __future__ import annotations

import factory
from django.contrib.auth.models import Group

from incidents import services
from incidents.models import Service, Team
from oncall.models import User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    first_name = factory.Faker("first_name")
    timezone = "UTC"
    password = factory.PostGenerationMethodCall("set_password", "pw")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if not create:
            return
        for name in extracted or ["responder"]:
            # get_or_create: a transactional test's flush removes the groups the migration made.
            self.groups.add(Group.objects.get_or_create(name=name)[0])
        self.save()


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    slug = factory.Sequence(lambda n: f"team-{n}")
    name = factory.Sequence(lambda n: f"Team {n}")


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    slug = factory.Sequence(lambda n: f"service-{n}")
    name = factory.Sequence(lambda n: f"Service {n}")
    team = factory.SubFactory(TeamFactory)


def declare(user, **kwargs):
    """Declare an incident through the real service (the declarer becomes IC)."""
    kwargs.setdefault("title", "Checkout returns 500s")
    kwargs.setdefault("severity", "SEV2")
    return services.incident_declare(user=user, **kwargs)
