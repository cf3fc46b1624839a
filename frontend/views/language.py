"""The language switcher: the pages change language, and a signed-in person's emails follow."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import translation
from django.views.i18n import set_language as django_set_language

from submissions import members


def set_language(request):
    """Django's set_language (cookie, redirect), and the choice kept on the account."""
    response = django_set_language(request)
    chosen = request.POST.get("language", "")
    user = request.user
    if request.method == "POST" and user.is_authenticated:
        members.remember_language(user, chosen)
    return response


@receiver(user_logged_in)
def remember_language_at_sign_in(sender, request, user, **kwargs):
    """Someone who never chose keeps the language their pages were shown in."""
    if request is None or getattr(user, "language", None) != "":
        return
    members.remember_language(user, (translation.get_language_from_request(request) or "en")[:2])
