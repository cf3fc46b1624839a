"""`manage.py configure_bucket` against moto's S3 server: what compose's createbucket and an
AWS deployment run (docs/deployment.md)."""

from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.django_db, pytest.mark.s3]


def test_the_bucket_is_versioned_with_cors_for_the_site_and_a_lifecycle(s3, settings):
    settings.SITE_URL = "https://awards.metropolis.org"
    out = StringIO()
    call_command("configure_bucket", stdout=out)
    call_command("configure_bucket", stdout=out)  # idempotent

    assert s3.get_bucket_versioning(Bucket=s3.bucket)["Status"] == "Enabled"
    [cors] = s3.get_bucket_cors(Bucket=s3.bucket)["CORSRules"]
    assert cors["AllowedOrigins"] == ["https://awards.metropolis.org"]
    assert set(cors["AllowedMethods"]) == {"POST", "PUT"} and cors["ExposeHeaders"] == ["ETag"]
    rules = {r["ID"]: r for r in s3.get_bucket_lifecycle_configuration(Bucket=s3.bucket)["Rules"]}
    uploads = rules["abandoned-upload-keys"]
    assert uploads["Filter"]["Prefix"] == "uploads/" and uploads["Expiration"]["Days"] == 1
    assert uploads["AbortIncompleteMultipartUpload"] == {"DaysAfterInitiation": 1}
    assert rules["old-versions"]["NoncurrentVersionExpiration"]["NoncurrentDays"] == 90
    assert "lifecycle set" in out.getvalue()


def test_a_missing_bucket_is_created(s3, settings):
    settings.AWS_STORAGE_BUCKET_NAME = "metropolis-fresh-bucket"
    settings.STORAGES = {**settings.STORAGES}
    call_command("configure_bucket", stdout=StringIO())
    assert "metropolis-fresh-bucket" in {b["Name"] for b in s3.list_buckets()["Buckets"]}
