"""Accounts: created by the secretariat, with a password or an emailed invitation."""

from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.authtoken.models import Token

from . import audit, notifications
from .errors import DomainError
from .models import Role, User
from .rules import ensure_may_grant_role, ensure_may_manage_account


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
    ensure_may_grant_role(actor, fields.get("role", Role.CITY_CONTACT))
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


@transaction.atomic
def update_user(actor: User, user: User, *, password: str | None = None, **fields) -> User:
    """Change an account's fields (and password) if the rule lets the actor change it."""
    ensure_may_manage_account(actor, user)
    if "role" in fields and fields["role"] != user.role:
        ensure_may_grant_role(actor, fields["role"])
    for name, value in fields.items():
        setattr(user, name, value)
    if password:
        user.set_password(password)  # the model revokes the account's API tokens on save
    user.save()
    audit.record(actor, "user.changed", user, fields=sorted(fields), password=bool(password))
    return user


@transaction.atomic
def set_password(actor: User, user: User, password: str) -> User:
    """A new password: every session of the account signed in before, and its API tokens,
    stop working (the session hash follows the password; the model deletes the tokens)."""
    ensure_may_manage_account(actor, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record(actor, "user.password_set", user)
    return user


def api_token(user: User) -> str:
    """The account's API token, made at its first sign-in through the API (a new password
    revokes it: see User.save)."""
    token, _created = Token.objects.get_or_create(user=user)
    return token.key


LANGUAGES = {"en", "fr", "es"}


def remember_language(user: User, language: str) -> None:
    """The language of this person's emails: the last one they chose on the pages."""
    if language in LANGUAGES:
        User.objects.filter(pk=user.pk).exclude(language=language).update(language=language)
        user.language = language


def invite(actor: User, user: User) -> None:
    ensure_may_manage_account(actor, user)
    if not user.email:
        raise DomainError(gettext_lazy("This user has no email address to send the invitation to."))
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
                "name": user.display_name,
                "username": user.username,
                "link": link,
            }
        ),
        user=user,
    )
    audit.record(actor, "user.invited", user)
