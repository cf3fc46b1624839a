"""Accounts: created by the secretariat, with a password or an emailed invitation."""

from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from . import audit, notifications
from .models import User


def set_password_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return notifications.absolute_url(
        reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    )


@transaction.atomic
def create_user(
    actor: User, *, password: str | None = None, send_invitation: bool = False, **fields
) -> User:
    user = User(**fields)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    audit.record(actor, "user.created", user, role=user.role)
    if send_invitation:
        invite(actor, user)
    return user


def invite(actor: User, user: User) -> None:
    link = set_password_link(user)
    notifications.send(
        "user.invitation",
        user.email,
        lambda: _("Your account on the Metropolis jury platform"),
        lambda: (
            _(
                "Hello %(name)s,\n\nAn account was created for you (user name: %(username)s). "
                "Choose your password here:\n%(link)s\n"
            )
            % {
                "name": user.get_full_name() or user.username,
                "username": user.username,
                "link": link,
            }
        ),
        user=user,
    )
    audit.record(actor, "user.invited", user)
