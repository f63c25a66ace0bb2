"""Figures on S3-compatible object storage (``MEDIA_STORAGE_URL``).

django-storages' S3Storage, with what several app servers sharing a
bucket need:

* a name is never reused: every file stored gets a random suffix
  (``figure_a8Kx9Qz.png``), so two servers storing ``figure.png`` at the
  same moment cannot overwrite each other (an S3 PUT replaces silently,
  and Swift's s3api has no conditional PUT to refuse it);
* a file the store refuses, or a connection that drops mid-upload, is a
  StorageWriteError, which the admin shows as a form error; S3 never keeps
  a partial object, and the files already stored in the request are
  deleted with its rolled-back rows (healthlib.lib.storage);
* pages link ``MEDIA_URL``, served by the application from the bucket
  (healthlib.lib.media), unless ``custom_domain`` names a host that serves
  the bucket itself: no expiring signed URL ends up in a cached page.
"""

from boto3.exceptions import Boto3Error
from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.utils import validate_file_name
from django.utils.crypto import get_random_string
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

from healthlib.lib.storage import StorageWriteError, record_written

STORE_ERRORS = (BotoCoreError, ClientError, Boto3Error, OSError)


class MediaS3Storage(S3Storage):
    def __init__(self, **options):
        # Public objects are not assumed: pages link MEDIA_URL or a CDN.
        options.setdefault("file_overwrite", False)
        options.setdefault("querystring_auth", False)
        super().__init__(**options)

    def get_available_name(self, name, max_length=None):
        """``name`` with a random suffix (``figure_a8Kx9Qz.png``), always:
        without a request to the store, and without two servers ever
        choosing the same name."""
        name = clean_name(name)
        directory, _, filename = name.rpartition("/")
        stem, dot, ext = filename.rpartition(".")
        if not dot:
            stem, ext = filename, ""
        suffix = f"_{get_random_string(7)}{dot}{ext}"
        if max_length is not None:
            room = max_length - len(suffix) - (len(directory) + 1 if directory else 0)
            if room < 1:
                raise SuspiciousFileOperation(
                    f'Storage can not find an available filename for "{name}". Please make'
                    " sure that the corresponding file field allows sufficient max_length."
                )
            stem = stem[:room]
        candidate = f"{directory}/{stem}{suffix}" if directory else f"{stem}{suffix}"
        validate_file_name(candidate, allow_relative_path=True)
        return candidate

    def _save(self, name, content):
        try:
            stored = super()._save(name, content)
        except STORE_ERRORS as exc:
            # S3 keeps no partial object, and s3transfer aborts an unfinished
            # multipart upload: nothing of this file is in the bucket.
            raise StorageWriteError(exc) from exc
        record_written(stored)
        return stored

    def url(self, name, parameters=None, expire=None, http_method=None):
        if self.custom_domain:
            return super().url(name, parameters, expire, http_method)
        return f"{settings.MEDIA_URL}{filepath_to_uri(clean_name(name))}"
