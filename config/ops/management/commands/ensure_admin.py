"""Create the first admin from the environment, once (compose's and Helm's migrate job).

FIREBREAK_ADMIN_USERNAME, FIREBREAK_ADMIN_EMAIL, FIREBREAK_ADMIN_PASSWORD. Does nothing when the
variables are unset or the user exists already (the password is never reset by a redeploy).
"""

from __future__ import annotations

import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = "Create the first admin from FIREBREAK_ADMIN_USERNAME/_EMAIL/_PASSWORD (once)."

    def handle(self, *args, **options):
        username = os.environ.get("FIREBREAK_ADMIN_USERNAME", "").strip()
        password = os.environ.get("FIREBREAK_ADMIN_PASSWORD", "")
        email = os.environ.get("FIREBREAK_ADMIN_EMAIL", "").strip()
        if not username:
            self.stdout.write("FIREBREAK_ADMIN_USERNAME is not set: no admin created.")
            return
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(f"Admin {username!r} exists already; left unchanged.")
            return
        if not password:
            raise CommandError("Set FIREBREAK_ADMIN_PASSWORD to create the first admin.")
        user = User(username=username, email=email, is_staff=True, is_superuser=True)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError("FIREBREAK_ADMIN_PASSWORD: " + " ".join(error.messages)) from None
        with transaction.atomic():
            user.set_password(password)
            user.save()
            user.groups.add(Group.objects.get_or_create(name="admin")[0])
        self.stdout.write(self.style.SUCCESS(f"Created admin {username!r}."))
