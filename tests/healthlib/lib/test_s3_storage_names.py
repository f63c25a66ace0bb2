"""Names on object storage are never reused (healthlib.lib.s3_storage):
no request to a store is needed to see it, so this runs in every suite."""

import pytest
from django.core.exceptions import SuspiciousFileOperation
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from healthlib.lib.s3_storage import MediaS3Storage
from healthlib.lib.storage_url import storage_from_url

STORAGE = MediaS3Storage(
    **storage_from_url("s3://k:s@media?endpoint_url=http://127.0.0.1:9")["OPTIONS"]
)
parts = st.from_regex(r"[a-z0-9_-]{1,30}", fullmatch=True)


@hsettings(max_examples=50)
@given(
    folders=st.lists(parts, max_size=3),
    stem=parts,
    ext=st.sampled_from(["png", "jpg", "webp", ""]),
    max_length=st.one_of(st.none(), st.integers(40, 120)),
)
def test_every_stored_name_is_new_and_fits(folders, stem, ext, max_length):
    """The folder and extension are kept, the name fits the field, and two
    servers storing the same name at once get two names."""
    name = "/".join([*folders, f"{stem}.{ext}" if ext else stem])
    folder = "/".join(folders)
    # "_" and 7 letters, the extension, the folder: what a name needs around its stem.
    around = 8 + (len(ext) + 1 if ext else 0) + (len(folder) + 1 if folder else 0)
    if max_length is not None and max_length - around < 1:
        # No room for even one letter of the name: refused, as Django does.
        with pytest.raises(SuspiciousFileOperation):
            STORAGE.get_available_name(name, max_length=max_length)
        return
    first = STORAGE.get_available_name(name, max_length=max_length)
    second = STORAGE.get_available_name(name, max_length=max_length)
    assert first != second
    for stored in (first, second):
        assert stored.rpartition("/")[0] == "/".join(folders)
        assert stored.endswith(f".{ext}" if ext else "")
        assert max_length is None or len(stored) <= max_length


def test_pages_link_media_url_unless_a_custom_domain_serves_the_bucket(settings):
    assert STORAGE.url("figures/a b.png") == "/media/figures/a%20b.png"
    cdn = MediaS3Storage(**storage_from_url("s3://media?custom_domain=cdn.example.org")["OPTIONS"])
    assert cdn.url("figures/a.png") == "https://cdn.example.org/figures/a.png"
