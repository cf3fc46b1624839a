"""The front door: a welcome for visitors, and each signed-in person sent to their own work."""

from django.conf import settings
from django.shortcuts import redirect, render


def home(request):
    user = request.user
    if user.is_authenticated:
        if user.is_city_contact and user.organization_id:
            return redirect("city:home")
        if user.is_juror:
            return redirect("juror:home")
        if user.is_secretariat:
            return redirect("secretariat:home")
        if user.is_board:
            return redirect("board:home")
    return render(request, "frontend/home.html", {"show_demo_accounts": settings.DEBUG})
