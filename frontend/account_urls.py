"""Sign-in and passwords, on the platform's own pages.

Every page names its template explicitly (frontend/accounts/...), so no other app's
registration/ templates (the admin ships some) can stand in for them, whatever the order of
INSTALLED_APPS. There is no self-service password reset by email: a forgotten password is
reset by the secretariat, who sends a new invitation (its link opens `password_reset_confirm`).
"""

from django.contrib.auth import views as auth
from django.urls import path

from .forms import ThrottledAuthenticationForm

urlpatterns = [
    path(
        "login/",
        auth.LoginView.as_view(
            authentication_form=ThrottledAuthenticationForm,
            template_name="frontend/accounts/login.html",
        ),
        name="login",
    ),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path(
        "password_change/",
        auth.PasswordChangeView.as_view(template_name="frontend/accounts/password_change.html"),
        name="password_change",
    ),
    path(
        "password_change/done/",
        auth.PasswordChangeDoneView.as_view(
            template_name="frontend/accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
    # The invitation's link: choose a password (also after the secretariat resets an account).
    path(
        "reset/<uidb64>/<token>/",
        auth.PasswordResetConfirmView.as_view(template_name="frontend/accounts/set_password.html"),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth.PasswordResetCompleteView.as_view(
            template_name="frontend/accounts/set_password_done.html"
        ),
        name="password_reset_complete",
    ),
]
