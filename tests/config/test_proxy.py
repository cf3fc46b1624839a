"""Behind a load balancer: X-Forwarded-For and X-Forwarded-Proto believed only from
TRUSTED_PROXIES (issue 11, item 5)."""

import logging

import pytest
from django.test import RequestFactory
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle

from config.proxy import TrustedProxyMiddleware, client_from_forwarded_for, parse_networks
from submissions import security

PROXIES = ["10.0.0.0/8", "192.0.2.10"]


def through_middleware(remote: str, **headers) -> Request:
    request = RequestFactory().get("/", REMOTE_ADDR=remote, **headers)
    TrustedProxyMiddleware(lambda r: None)(request)
    return Request(request)


@pytest.fixture(autouse=True)
def trusted(settings):
    settings.TRUSTED_PROXIES = PROXIES


@pytest.mark.parametrize(
    ("header", "client"),
    [
        ("203.0.113.5", "203.0.113.5"),
        ("198.51.100.1, 203.0.113.5", "203.0.113.5"),  # the left part is the client's own claim
        ("203.0.113.5, 10.1.2.3", "203.0.113.5"),  # our own inner proxy is skipped
        ("10.1.2.3, 10.4.5.6", "10.1.2.3"),
        ("not-an-address", None),
        ("2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_is_the_rightmost_address_that_is_not_one_of_ours(header, client):
    assert client_from_forwarded_for(header, parse_networks(PROXIES)) == client


def test_a_forged_forwarded_for_from_an_untrusted_peer_changes_no_throttle_count():
    # DRF's throttles used to key on X-Forwarded-For itself: a new header, a fresh allowance.
    request = through_middleware("198.51.100.77", HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert request.META["REMOTE_ADDR"] == "198.51.100.77"
    assert AnonRateThrottle().get_ident(request) == "198.51.100.77"


def test_the_same_header_from_a_trusted_proxy_names_the_client():
    request = through_middleware("10.9.8.7", HTTP_X_FORWARDED_FOR="203.0.113.99, 10.1.1.1")
    assert request.META["REMOTE_ADDR"] == "203.0.113.99"
    assert AnonRateThrottle().get_ident(request) == "203.0.113.99"
    # The sign-in lockout counts the address it reads here: the client's, not the balancer's.
    assert security.client_address(request) == "203.0.113.99"


def test_a_bad_trusted_proxies_entry_is_a_clear_configuration_error():
    with pytest.raises(ValueError, match="TRUSTED_PROXIES: 'ten' is not an address"):
        parse_networks(["ten"])


@pytest.mark.django_db
def test_https_is_believed_from_a_trusted_proxy_only(client, settings):
    settings.SECURE_HSTS_SECONDS = 3600  # sent on secure requests only
    https = {"HTTP_X_FORWARDED_PROTO": "https"}
    forged = client.get("/accounts/login/", REMOTE_ADDR="198.51.100.7", **https)
    assert forged.status_code == 200 and "Strict-Transport-Security" not in forged
    proxied = client.get("/accounts/login/", REMOTE_ADDR="10.0.0.5", **https)
    assert proxied.status_code == 200 and "max-age=3600" in proxied["Strict-Transport-Security"]


@pytest.mark.django_db
def test_the_request_log_sees_the_forwarded_client_only_through_a_trusted_proxy(client, caplog):
    with caplog.at_level(logging.INFO, logger="metropolis.request"):
        client.get("/accounts/login/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.8")
        client.get("/accounts/login/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="1.2.3.4")
    seen = [r.remote_addr for r in caplog.records if r.name == "metropolis.request"]
    assert seen == ["203.0.113.8", "198.51.100.7"]
