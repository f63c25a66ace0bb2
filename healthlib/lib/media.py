"""Serving uploaded files from Django (``DJANGO_SERVE_MEDIA``).

On the local disk, from ``MEDIA_ROOT``; on object storage
(``MEDIA_STORAGE_URL`` without a ``custom_domain``), from the bucket, so
every app server serves every figure whichever server stored it.

Uploads are stored under the extension of the format their bytes are in
(``conditions.models.images.stored_name``), so the type guessed from the
name is right. Files stored before that, or put in ``MEDIA_ROOT`` by other means,
could still carry a misleading name; whatever is not an image type is
therefore sent as a download, never shown inline. SecurityMiddleware adds
``X-Content-Type-Options: nosniff`` so browsers keep to the type given.
"""

import mimetypes

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import FileSystemStorage, default_storage, storages
from django.http import FileResponse, Http404
from django.views.static import serve

INLINE_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif"}


def serve_media(request, path):
    if isinstance(storages["default"], FileSystemStorage):
        # MEDIA_ROOT read per request, not when the URLs are loaded.
        response = serve(request, path, document_root=settings.MEDIA_ROOT)
    else:
        response = _from_storage(path)
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    if response.status_code == 200 and content_type not in INLINE_TYPES:
        response["Content-Type"] = "application/octet-stream"
        response["Content-Disposition"] = "attachment"
    # A file is never a page: no script, no plug-in, even if a browser tried.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _from_storage(path):
    try:
        file = default_storage.open(path, "rb")
    except (FileNotFoundError, SuspiciousFileOperation, ValueError) as exc:
        raise Http404("No such file") from exc
    except Exception as exc:
        # The object store answers 404 (or 403 for a missing key without
        # list rights) as a ClientError; anything else is a real failure.
        status = getattr(exc, "response", {}).get("ResponseMetadata", {}).get("HTTPStatusCode")
        if status in (403, 404):
            raise Http404("No such file") from exc
        raise
    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    response = FileResponse(file, content_type=content_type)
    # A stored name is never reused (healthlib.lib.s3_storage): its bytes never change.
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
