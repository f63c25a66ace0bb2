"""Serving uploaded files from Django (``DJANGO_SERVE_MEDIA``).

Uploads are stored under the extension of the format their bytes are in
(``conditions.models.images.stored_name``), so the type guessed from the
name is right. Files stored before that, or put in ``MEDIA_ROOT`` by other means,
could still carry a misleading name; whatever is not an image type is
therefore sent as a download, never shown inline. SecurityMiddleware adds
``X-Content-Type-Options: nosniff`` so browsers keep to the type given.
"""

from django.conf import settings
from django.views.static import serve

INLINE_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif"}


def serve_media(request, path):
    # MEDIA_ROOT read per request, not when the URLs are loaded.
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    if response.status_code == 200 and content_type not in INLINE_TYPES:
        response["Content-Type"] = "application/octet-stream"
        response["Content-Disposition"] = "attachment"
    # A file is never a page: no script, no plug-in, even if a browser tried.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
