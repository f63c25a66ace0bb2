"""A figure uploaded when the media folder's disk is full.

The disk is simulated: every file opened for writing under MEDIA_ROOT
(through ``os.fdopen``, which Django's storage and ours write through)
takes bytes from a shared budget and, when it runs out, writes what fits
and raises ENOSPC, as a real full disk does. Before the atomic storage
(healthlib.lib.storage) this answered 500 and left a truncated image and an
empty rendition under their real names.
"""

import errno
import io
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from PIL import Image

from conditions.models import Condition, Figure
from tests.admin_forms import add_rows, form_data

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/conditions/condition/add/"
FULL = "The server&#x27;s disk is full; nothing was saved."


def noisy_png(width=400, height=300):
    """A PNG that does not compress (about 360 kB): writing it takes
    several chunks, so the disk can fill in the middle of it."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)).save(buffer, "PNG")
    return buffer.getvalue()


IMAGE = noisy_png()


class FullDisk:
    """``free`` bytes left on the disk holding ``root``."""

    def __init__(self, root, free):
        self.root = str(root)
        self.free = free
        self._fdopen = os.fdopen

    def fdopen(self, fd, *args, **kwargs):
        file = self._fdopen(fd, *args, **kwargs)
        if os.readlink(f"/proc/self/fd/{fd}").startswith(self.root):
            return _OnDisk(file, self)
        return file


class _OnDisk:
    def __init__(self, file, disk):
        self._file, self._disk = file, disk

    def write(self, data):
        fits = min(len(data), self._disk.free)
        self._file.write(data[:fits])
        self._disk.free -= fits
        if fits < len(data):
            self._file.flush()  # what fitted is on the disk, as it would be
            raise OSError(errno.ENOSPC, "No space left on device")
        return fits

    def __getattr__(self, name):
        return getattr(self._file, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._file.close()


def _files(root):
    root = Path(root)
    return {str(p.relative_to(root)): p.stat().st_size for p in root.rglob("*") if p.is_file()}


def _post_figure(client, slug, free, settings, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = form_data(client.get(ADD_URL))
    data.update(
        {"title": f"Tremor {slug}", "slug": slug, "summary": "A shaking of the hands.",
         "audience": "patient", "tags": "Nervous system"}
    )  # fmt: skip
    upload = SimpleUploadedFile("figure.png", IMAGE, content_type="image/png")
    add_rows(data, "figures", [{"image": upload, "alt_text": "A diagram", "order": 0}])
    Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
    with monkeypatch.context() as patch:
        patch.setattr(os, "fdopen", FullDisk(settings.MEDIA_ROOT, free).fdopen)
        return client.post(ADD_URL, data)


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs Linux's /proc")
@pytest.mark.parametrize(
    "free",
    [0, 100_000, len(IMAGE) + 1000],
    # Named, not numbered: IMAGE's size varies between test processes, and
    # pytest-xdist needs every process to collect the same test ids.
    ids=["no-space", "part-of-the-image", "the-image-not-its-renditions"],
)
def test_a_full_disk_is_a_form_error_and_leaves_nothing(admin_client, settings, monkeypatch, free):
    """No space at all; space for part of the image; space for the image
    but not all its renditions."""
    response = _post_figure(admin_client, "tremor", free, settings, monkeypatch)
    assert response.status_code == 200
    assert FULL in response.content.decode()
    assert _files(settings.MEDIA_ROOT) == {}
    assert not Condition.objects.exists()
    assert not Figure.objects.exists()
    # The editor's input is still there, to send again once there is room.
    assert 'value="tremor"' in response.content.decode()


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs Linux's /proc")
@hsettings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(free=st.integers(min_value=0, max_value=2 * len(IMAGE)))
@example(free=10**9)
def test_an_upload_is_stored_whole_or_not_at_all(admin_client, settings, monkeypatch, free):
    """Whatever the space left: the article is saved with complete files,
    or nothing is saved and the form says why."""
    slug = f"tremor-{free}"
    before = _files(settings.MEDIA_ROOT) if Path(settings.MEDIA_ROOT).exists() else {}
    response = _post_figure(admin_client, slug, free, settings, monkeypatch)
    after = _files(settings.MEDIA_ROOT)
    if response.status_code == 302:
        figure = Figure.objects.get(condition__slug=slug)
        assert figure.image.read() == IMAGE
        names = {figure.image.name} | {r["name"] for r in figure.renditions}
        assert set(after) - set(before) == names
        for rendition in figure.renditions:
            with Image.open(figure.image.storage.path(rendition["name"])) as image:
                image.load()  # a truncated file would raise here
    else:
        assert response.status_code == 200
        assert FULL in response.content.decode()
        assert after == before
        assert not Condition.objects.filter(slug=slug).exists()


def test_files_that_cannot_be_deleted_are_logged_and_the_rest_deleted(settings, tmp_path, caplog):
    """Discarding the files of a rolled-back save when the store is down:
    each failure is logged with its name, the others are still deleted."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from healthlib.lib.storage import discard_files

    settings.MEDIA_ROOT = tmp_path
    names = [default_storage.save(f"f{i}.png", ContentFile(b"x")) for i in range(3)]
    real_delete = default_storage.delete

    def delete(name):
        if name == "f1.png":
            raise OSError("the store went away")
        real_delete(name)

    default_storage.delete = delete
    try:
        discard_files(names)
    finally:
        del default_storage.delete
    assert _files(tmp_path) == {"f1.png": 1}
    assert "Could not delete f1.png" in caplog.text
