"""``MEDIA_STORAGE_URL``: where uploaded figures and their renditions go.

Empty: ``MEDIA_ROOT`` on the local disk (healthlib.lib.storage). Otherwise
one URL names an S3-compatible bucket (AWS S3, OpenStack Swift's s3api,
Ceph, MinIO…)::

    s3://ACCESS_KEY:SECRET_KEY@BUCKET/PREFIX?endpoint_url=https://s3.example.org&region=eu-west-1

* the user and password are the access key and secret (percent-encoded:
  ``test%3Atester`` for Swift's ``test:tester``); without them boto3 finds
  its own (``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``, an instance role);
* the host is the bucket, the path an optional prefix every name is stored under;
* ``endpoint_url``: the store's address; absent, AWS S3 itself;
* ``region``; ``addressing_style`` (``path``, the default with an
  ``endpoint_url``, or ``virtual``); ``signature_version`` (default ``s3v4``);
* ``custom_domain``: a host (and path) that serves the bucket to readers,
  a CDN say; pages then link there. Absent, pages link ``MEDIA_URL`` and
  the application serves each file from the bucket (``DJANGO_SERVE_MEDIA``).

This module only reads the URL (settings import it, so it imports no
boto3); healthlib.lib.s3_storage is the storage itself.
"""

from urllib.parse import parse_qs, unquote, urlsplit

S3_BACKEND = "healthlib.lib.s3_storage.MediaS3Storage"
OPTIONS = ("endpoint_url", "region", "addressing_style", "signature_version", "custom_domain")


class BadMediaStorageURL(ValueError):
    pass


def storage_from_url(url):
    """``STORAGES["default"]`` for a ``MEDIA_STORAGE_URL``, or None for the
    local disk. Anything that cannot be read raises BadMediaStorageURL with
    a one-line reason, which settings turn into a refusal to start."""
    url = (url or "").strip()
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme != "s3":
        raise BadMediaStorageURL(
            f"unknown scheme “{parts.scheme or url}”; use s3://KEY:SECRET@BUCKET?endpoint_url=…,"
            " or leave it empty for MEDIA_ROOT on disk"
        )
    if not parts.hostname:
        raise BadMediaStorageURL(f"no bucket in “{_redacted(url)}”; use s3://KEY:SECRET@BUCKET")
    query = parse_qs(parts.query, keep_blank_values=True)
    unknown = sorted(set(query) - set(OPTIONS))
    if unknown:
        raise BadMediaStorageURL(
            f"unknown option “{unknown[0]}”; the options are {', '.join(OPTIONS)}"
        )
    option = {key: values[-1] for key, values in query.items()}
    endpoint = option.get("endpoint_url", "")
    if endpoint and urlsplit(endpoint).scheme not in ("http", "https"):
        raise BadMediaStorageURL(f"endpoint_url “{endpoint}” must start with http:// or https://")
    addressing = option.get("addressing_style", "path" if endpoint else "")
    if addressing not in ("", "path", "virtual", "auto"):
        raise BadMediaStorageURL(f"addressing_style “{addressing}” must be path, virtual or auto")
    options = {
        # The host keeps its case: urlsplit's hostname lowers it.
        "bucket_name": unquote(parts.netloc.rpartition("@")[2]),
        "location": unquote(parts.path).strip("/"),
        "endpoint_url": endpoint or None,
        "region_name": option.get("region") or None,
        "addressing_style": addressing or None,
        "signature_version": option.get("signature_version") or "s3v4",
        "custom_domain": option.get("custom_domain", "").strip("/") or None,
    }
    if parts.username is not None or parts.password is not None:
        if not (parts.username and parts.password):
            raise BadMediaStorageURL(
                "give both the access key and the secret (s3://KEY:SECRET@BUCKET), or neither"
            )
        options["access_key"] = unquote(parts.username)
        options["secret_key"] = unquote(parts.password)
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}


def _redacted(url):
    """``url`` without its secret, for messages."""
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@", 1)
    return url
