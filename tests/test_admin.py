import pytest
from django.apps import apps
from django.contrib import admin

from submissions.demo.seed import DEMO_PASSWORD

APPS = ("submissions", "jury", "scoring")


def _reachable_models() -> set:
    reachable = set()
    for model, model_admin in admin.site._registry.items():
        reachable.add(model)
        reachable.update(inline.model for inline in model_admin.inlines)
    return reachable


def test_every_model_of_the_platform_is_in_the_admin():
    missing = [
        m.__name__
        for name in APPS
        for m in apps.get_app_config(name).get_models()
        if m not in _reachable_models()
    ]
    assert not missing, f"not reachable in the Django admin: {missing}"


@pytest.mark.django_db
def test_every_admin_page_opens_for_the_secretariat(client, settings):
    from django.core.management import call_command

    settings.DEBUG = True
    call_command("seed_demo")
    assert client.login(username="secretariat", password=DEMO_PASSWORD)
    for model in admin.site._registry:
        if model._meta.app_label not in APPS:
            continue
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        assert client.get(url).status_code == 200, url
        first = model.objects.first()
        if first is not None:
            assert client.get(f"{url}{first.pk}/change/").status_code == 200, url
