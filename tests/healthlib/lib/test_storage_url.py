"""``MEDIA_STORAGE_URL``: one URL says where figures are stored; what
cannot be read stops start-up with a one-line reason."""

import os
import subprocess
import sys
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from healthlib.lib.storage_url import S3_BACKEND, BadMediaStorageURL, storage_from_url
from tests.paths import ROOT

buckets = st.from_regex(r"[a-z0-9][a-z0-9.-]{1,40}[a-z0-9]", fullmatch=True)
secrets = st.text(st.characters(codec="ascii", exclude_categories=["Cc"]), min_size=1, max_size=40)
prefixes = st.lists(st.from_regex(r"[a-z0-9_-]{1,10}", fullmatch=True), max_size=3)


def test_empty_is_the_local_disk():
    assert storage_from_url("") is None
    assert storage_from_url("  ") is None


@hsettings(max_examples=40)
@given(bucket=buckets, key=secrets, secret=secrets, path=prefixes, port=st.integers(1, 65535))
def test_every_part_of_the_url_reaches_the_storage(bucket, key, secret, path, port):
    """Whatever the characters of the key and secret (percent-encoded),
    the bucket, the prefix and the endpoint come out as given."""
    url = (
        f"s3://{quote(key, safe='')}:{quote(secret, safe='')}@{bucket}/{'/'.join(path)}"
        f"?endpoint_url=http://127.0.0.1:{port}&region=eu-west-1"
    )
    config = storage_from_url(url)
    assert config["BACKEND"] == S3_BACKEND
    options = config["OPTIONS"]
    assert (options["access_key"], options["secret_key"]) == (key, secret)
    assert options["bucket_name"] == bucket
    assert options["location"] == "/".join(path)
    assert options["endpoint_url"] == f"http://127.0.0.1:{port}"
    assert options["region_name"] == "eu-west-1"
    assert options["addressing_style"] == "path"


def test_aws_without_credentials_uses_boto3s_own():
    options = storage_from_url("s3://healthlib-media?region=eu-west-1")["OPTIONS"]
    assert "access_key" not in options and "secret_key" not in options
    assert options["endpoint_url"] is None and options["addressing_style"] is None
    assert options["custom_domain"] is None


def test_a_custom_domain_is_where_pages_link():
    options = storage_from_url("s3://media?custom_domain=media.example.org/")["OPTIONS"]
    assert options["custom_domain"] == "media.example.org"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://bucket", "unknown scheme “ftp”"),
        ("s3:///prefix", "no bucket"),
        ("s3://bucket?endpoint=http://x", "unknown option “endpoint”"),
        ("s3://bucket?endpoint_url=127.0.0.1:9000", "must start with http:// or https://"),
        ("s3://key@bucket", "give both the access key and the secret"),
        ("s3://bucket?addressing_style=sideways", "must be path, virtual or auto"),
    ],
)
def test_what_cannot_be_read_is_refused_with_a_reason(url, reason):
    with pytest.raises(BadMediaStorageURL, match=reason):
        storage_from_url(url)


def test_a_bad_url_stops_start_up_in_one_line_without_the_secret():
    env = {**os.environ, "MEDIA_STORAGE_URL": "s3://key:hunter2@?region=x", "DJANGO_DEBUG": "1"}
    done = subprocess.run(
        [sys.executable, "-c", "import healthlib.settings"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "healthlib: MEDIA_STORAGE_URL: no bucket in “s3://key:***@?region=x”; "
        "use s3://KEY:SECRET@BUCKET"
    ]
