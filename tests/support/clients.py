"""Clients signed in as someone: the API's (DRF) and the pages' (Django's test client)."""

from django.test import Client
from rest_framework.test import APIClient


def client_for(user=None) -> APIClient:
    """An API client authenticated as `user` (anonymous for None)."""
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def browser_for(user=None) -> Client:
    """A pages client with `user` signed in (anonymous for None)."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
