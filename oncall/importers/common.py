"""Helpers the vendor readers share: service slugs, the kind of alert integration a monitoring
system maps to, and checks on a rotation's people."""

from __future__ import annotations

from django.utils.text import slugify

from oncall.importers.fit import NoFit


def service_slug(name: str) -> str:
    """The slug our schedules, policies and integrations use for a service called ``name``."""
    return slugify(name or "")[:100].strip("-")


def integration_kind(*names: str) -> str:
    """Our integration kind for a sender described by ``names`` (vendor type, title): the
    payload parser that reads it. Anything not Alertmanager or Grafana posts generic JSON."""
    text = " ".join(n or "" for n in names).lower()
    if "alertmanager" in text or "prometheus" in text:
        return "alertmanager"
    if "grafana" in text:
        return "grafana"
    return "generic"


def check_people(people: list[str], known: set[str]) -> None:
    """Raise :class:`NoFit` unless every id is a known person and nobody is listed twice."""
    if not people:
        raise NoFit("nobody is on the rotation")
    unknown = [p for p in people if p not in known]
    if unknown:
        raise NoFit(f"people not in the export: {', '.join(unknown)}")
    twice = sorted({p for p in people if people.count(p) > 1})
    if twice:
        raise NoFit(
            f"{', '.join(twice)} take(s) more than one turn per cycle; here each person is "
            "listed once"
        )
