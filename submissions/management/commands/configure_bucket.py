"""`python manage.py configure_bucket`: the entries' bucket as docs/deployment.md describes it.

Idempotent, run by compose's one-shot `createbucket` and by hand against AWS: the bucket is
created if missing, private, versioned (a restore drill brings back any file's earlier
version), with CORS for the site's origin (the browser sends the bytes of direct uploads
straight to it) and a lifecycle that aborts unfinished multipart uploads, clears upload keys
left behind (uploads/… once a file is checked it lives elsewhere) and expires old versions.
"""

from botocore.exceptions import ClientError
from django.conf import settings
from django.core.management.base import BaseCommand

from submissions import storage

UPLOADS_PREFIX = "uploads/"


def lifecycle_rules(noncurrent_days: int, with_multipart_abort: bool = True) -> list[dict]:
    uploads = {
        "ID": "abandoned-upload-keys",
        "Filter": {"Prefix": UPLOADS_PREFIX},
        "Status": "Enabled",
        "Expiration": {"Days": 1},
    }
    if with_multipart_abort:
        uploads["AbortIncompleteMultipartUpload"] = {"DaysAfterInitiation": 1}
    return [
        uploads,
        {
            "ID": "old-versions",
            "Filter": {"Prefix": ""},
            "Status": "Enabled",
            "NoncurrentVersionExpiration": {"NoncurrentDays": noncurrent_days},
        },
    ]


class Command(BaseCommand):
    help = "Create and configure the entries' bucket: private, versioned, CORS, lifecycle."

    def add_arguments(self, parser):
        parser.add_argument(
            "--origin",
            action="append",
            help="A site origin allowed to upload (repeatable; default: SITE_URL).",
        )
        parser.add_argument("--keep-versions-days", type=int, default=90)

    def handle(self, *args, origin=None, keep_versions_days=90, **options):
        client, bucket = storage.s3_client(), storage.bucket()
        try:
            client.head_bucket(Bucket=bucket)
        except ClientError:
            client.create_bucket(Bucket=bucket)
            self.stdout.write(f"Created bucket {bucket}.")
        if not settings.AWS_S3_ENDPOINT_URL:  # AWS itself; MinIO has no such setting
            client.put_public_access_block(
                Bucket=bucket,
                PublicAccessBlockConfiguration={
                    "BlockPublicAcls": True,
                    "IgnorePublicAcls": True,
                    "BlockPublicPolicy": True,
                    "RestrictPublicBuckets": True,
                },
            )
        client.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
        origins = origin or [settings.SITE_URL]
        client.put_bucket_cors(
            Bucket=bucket,
            CORSConfiguration={
                "CORSRules": [
                    {
                        "AllowedOrigins": origins,
                        "AllowedMethods": ["POST", "PUT"],
                        "AllowedHeaders": ["*"],
                        "ExposeHeaders": ["ETag"],
                        "MaxAgeSeconds": 3600,
                    }
                ]
            },
        )
        try:
            client.put_bucket_lifecycle_configuration(
                Bucket=bucket,
                LifecycleConfiguration={"Rules": lifecycle_rules(keep_versions_days)},
            )
        except ClientError:
            # MinIO refuses AbortIncompleteMultipartUpload: it aborts stale multipart uploads
            # itself (its `api stale_uploads_expiry`, 24 h by default).
            client.put_bucket_lifecycle_configuration(
                Bucket=bucket,
                LifecycleConfiguration={"Rules": lifecycle_rules(keep_versions_days, False)},
            )
            self.stdout.write(
                "This store refused AbortIncompleteMultipartUpload; its own stale-upload "
                "expiry aborts unfinished multipart uploads."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Bucket {bucket}: private, versioned, CORS for {', '.join(origins)}, "
                f"lifecycle set (old versions kept {keep_versions_days} days)."
            )
        )
