"""Figure images: checking uploads and making renditions with Pillow.

The image files of ``Figure`` (``conditions.models.article_parts``), which
uses these as its field's validator and upload name and to make its
renditions. They work on files and never import a model.

Renditions are made once, when a figure is saved, stored beside the
original (on the local disk or the shared bucket, whichever the image's
storage is) and listed in the figure's row, which every page, the API and
the export read: no server makes them again.
"""

from io import BytesIO
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.text import slugify
from PIL import Image, ImageDraw, ImageFont, UnidentifiedImageError

FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "png"}
PLACEHOLDER_PREFIX = "placeholder-"


# An original keeps its own format; the extension says which it really is.
ORIGINAL_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}


def detected_extension(file):
    """The extension of the image format found in ``file``'s bytes (not its
    name), or None when Pillow cannot tell."""
    try:
        file.seek(0)
        with Image.open(file) as image:
            return ORIGINAL_EXTENSIONS.get(image.format)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
    finally:
        file.seek(0)


def stored_name(file, filename):
    """``filename`` with the extension of the format the bytes are in, so a
    PNG uploaded as ``scan.pdf`` is stored, and served, as ``scan.png``."""
    path = PurePosixPath(filename)
    try:
        ext = detected_extension(file)
    except ValueError:
        # FieldFile.save(name, content) names the file before the field
        # holds it, so there is nothing to read: keep the name. Uploads
        # through forms always hold their file here.
        ext = None
    return f"{path.stem}.{ext}" if ext else path.name


def validate_figure_image(file):
    """Refuse what is not an image, or too large to handle safely.

    Only a new upload is checked. An image already stored was checked when
    it was uploaded, and re-saving an article must not reopen (or fail on)
    every figure it has.
    """
    if getattr(file, "_committed", False):
        return
    size = getattr(file, "size", None)
    if size is not None and size > settings.FIGURE_MAX_BYTES:
        raise ValidationError(
            "This file is %(size).1f MB; figures may be at most %(max)d MB.",
            params={"size": size / 1e6, "max": settings.FIGURE_MAX_BYTES // 1_000_000},
            code="too_big",
        )
    try:
        file.seek(0)
        with Image.open(file) as image:
            width, height = image.size
            kind = image.format
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ValidationError(
            "This file is not an image we can read. Upload a JPEG, PNG, WebP or GIF.",
            code="not_an_image",
        ) from exc
    finally:
        file.seek(0)
    if kind not in FORMATS:
        raise ValidationError(
            "Images of type %(kind)s are not accepted. Upload a JPEG, PNG, WebP or GIF.",
            params={"kind": kind},
            code="bad_format",
        )
    if width * height > settings.FIGURE_MAX_PIXELS:
        raise ValidationError(
            "This image is %(mp).1f megapixels; figures may be at most %(max)d megapixels.",
            params={"mp": width * height / 1e6, "max": settings.FIGURE_MAX_PIXELS // 1_000_000},
            code="too_many_pixels",
        )


def make_renditions(image):
    """Store resized copies of ``image`` (a figure's stored image file) and
    return them, as ``Figure.renditions`` holds them."""
    renditions = []
    with image.open("rb") as fh, Image.open(fh) as original:
        original.load()
        kind = original.format if original.format in FORMATS else "PNG"
        ext = FORMATS[kind]
        save_as = "PNG" if kind == "GIF" else kind
        stem = PurePosixPath(image.name).stem
        widths = [w for w in settings.FIGURE_RENDITION_WIDTHS if w < original.width]
        for width in [*widths, original.width]:
            height = max(1, round(original.height * width / original.width))
            resized = (
                original
                if width == original.width
                else original.resize((width, height), Image.Resampling.LANCZOS)
            )
            if save_as == "JPEG" and resized.mode not in ("RGB", "L"):
                resized = resized.convert("RGB")
            buffer = BytesIO()
            resized.save(
                buffer, save_as, optimize=True, **({"quality": 85} if save_as != "PNG" else {})
            )
            # The image's own storage: the local disk or the shared bucket.
            name = image.storage.save(
                f"renditions/{stem}-{width}w.{ext}", ContentFile(buffer.getvalue())
            )
            renditions.append(
                {"width": width, "height": height, "name": name, "source": image.name}
            )
    return renditions


def srcset(renditions):
    return ", ".join(f"{default_storage.url(r['name'])} {r['width']}w" for r in renditions)


def placeholder_image(text, *, width=1200, height=800):
    """A labelled placeholder PNG for a figure whose original is missing."""
    image = Image.new("RGB", (width, height), "#e8eef4")
    draw = ImageDraw.Draw(image)
    draw.rectangle([8, 8, width - 9, height - 9], outline="#2b5b84", width=6)
    try:
        font = ImageFont.load_default(size=48)
    except TypeError:  # Pillow without FreeType
        font = ImageFont.load_default()
    lines = [text, "Image to be supplied"]
    y = height // 2 - 60
    for line in lines:
        box = draw.textbbox((0, 0), line, font=font)
        draw.text(((width - (box[2] - box[0])) // 2, y), line, fill="#1a3550", font=font)
        y += 80
    buffer = BytesIO()
    image.save(buffer, "PNG", optimize=True)
    # The prefix is how content checks tell a placeholder from a real image.
    name = f"{PLACEHOLDER_PREFIX}{slugify(text) or 'figure'}.png"
    return ContentFile(buffer.getvalue(), name=name)
