"""A person's contact methods page (/profile/contact-methods/): add, reorder, remove."""

from __future__ import annotations

import pytest

from oncall.models import ContactMethod
from tests.oncall.schedules.support import person

pytestmark = pytest.mark.django_db

URL = "/profile/contact-methods/"


@pytest.fixture
def ana(client):
    user = person("ana")
    client.force_login(user)
    return user


def kinds(user) -> list[str]:
    return list(ContactMethod.objects.filter(user=user).values_list("kind", flat=True))


def test_adding_methods_puts_each_last_in_the_order(client, ana, channels):
    first = client.post(URL, {"kind": "sms", "address": " +4915112345678 "})
    client.post(URL, {"kind": "push", "address": "ana-pager-7f3k"})
    page = client.get(URL)

    assert first.status_code == 302
    assert kinds(ana) == ["sms", "push"]
    html = page.content.decode()
    assert html.index("SMS (Twilio)") < html.index("Push (ntfy)")
    assert "+4915112345678" in html


def test_a_bad_number_is_a_form_error_and_nothing_is_saved(client, ana):
    response = client.post(URL, {"kind": "sms", "address": "0151 1234"})

    assert response.status_code == 400
    assert "international form" in response.content.decode()
    assert kinds(ana) == []


def test_a_teams_url_must_be_microsofts(client, ana):
    response = client.post(URL, {"kind": "teams", "address": "https://10.0.0.5/hook"})

    assert response.status_code == 400
    assert "logic.azure.com" in response.content.decode()
    assert kinds(ana) == []


def test_a_second_method_of_one_kind_is_refused(client, ana):
    client.post(URL, {"kind": "push", "address": "ana-pager-7f3k"})
    response = client.post(URL, {"kind": "push", "address": "other-topic"})

    assert response.status_code == 400
    assert "You already have Push (ntfy)" in response.content.decode()
    assert ContactMethod.objects.get(user=ana).address == "ana-pager-7f3k"


def test_moving_up_and_removing(client, ana):
    for kind, address in (("sms", "+4915112345678"), ("push", "t1"), ("phone", "+4915112345678")):
        client.post(URL, {"kind": kind, "address": address})
    phone = ContactMethod.objects.get(user=ana, kind="phone")

    client.post(f"{URL}{phone.pk}/up/")
    assert kinds(ana) == ["sms", "phone", "push"]
    client.post(f"{URL}{phone.pk}/delete/")
    assert kinds(ana) == ["sms", "push"]


def test_nobody_can_remove_or_reorder_someone_elses_method(client, ana):
    ben = person("ben")
    theirs = ContactMethod.objects.create(user=ben, kind="push", address="ben-topic")

    assert client.post(f"{URL}{theirs.pk}/delete/").status_code == 404
    assert client.post(f"{URL}{theirs.pk}/up/").status_code == 404
    assert ContactMethod.objects.filter(pk=theirs.pk).exists()


def test_a_channel_the_server_has_not_set_up_is_marked(client, ana):
    client.post(URL, {"kind": "sms", "address": "+4915112345678"})  # no Twilio settings here

    assert "not set up" in client.get(URL).content.decode()


def test_signing_in_is_required(client):
    response = client.get(URL)

    assert response.status_code == 302 and "/login" in response["Location"]
