"""The demo article's figure: a schematic drawn with Pillow, so the demo
needs no image it has no right to.

It shows only what the seed's text says ("The message travels along the
nerves to the muscle"): brain → spinal cord → nerves → muscle, as simple
labelled shapes joined by arrows. It is marked, on the image and in its
alt text and credit, as an illustration made for the demo.
"""

from io import BytesIO

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont

FILE_NAME = "myoclonus-nervous-system-pathways.png"
CREDIT = "Illustration made for the healthlib demo"
ALT_TEXT = (
    "A simple drawing made for the healthlib demo, not a medical image: four labelled "
    "shapes, the brain, the spinal cord, the nerves and a muscle, joined by arrows in that "
    "order to show the path a message travels to the muscle."
)
# The same picture in the Spanish translation: its labels are in English.
CREDIT_ES = "Ilustración hecha para la demostración de healthlib"
ALT_TEXT_ES = (
    "Un dibujo sencillo hecho para la demostración de healthlib, no una imagen médica: cuatro "
    "figuras con rótulos en inglés, el cerebro, la médula espinal, los nervios y un músculo, "
    "unidas por flechas en ese orden para mostrar el camino que recorre un mensaje hasta el "
    "músculo."
)
STATIONS = ["Brain", "Spinal cord", "Nerves", "Muscle"]

WIDTH, HEIGHT = 1600, 900
INK = "#1a3550"
BACKGROUND = "#f7fafc"


def _font(size):
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow without FreeType: small, but still legible
        return ImageFont.load_default()


def _centered_text(draw, x, y, text, font, fill=INK):
    box = draw.textbbox((0, 0), text, font=font)
    draw.text((x - (box[2] - box[0]) / 2, y), text, fill=fill, font=font)


def _arrow(draw, start, end):
    (x1, y), (x2, _) = start, end
    draw.line([(x1, y), (x2 - 34, y)], fill=INK, width=12)
    draw.polygon([(x2, y), (x2 - 44, y - 28), (x2 - 44, y + 28)], fill=INK)


def _brain(draw, cx, cy):
    draw.ellipse([cx - 130, cy - 95, cx + 130, cy + 95], fill="#f6c9d0", outline="#9c4d6b", width=8)
    for dx, dy, w in ((-70, -30, 70), (10, -45, 80), (-40, 25, 90), (50, 20, 60)):
        draw.arc(
            [cx + dx - w / 2, cy + dy - 25, cx + dx + w / 2, cy + dy + 25],
            200,
            340,
            fill="#9c4d6b",
            width=6,
        )


def _spinal_cord(draw, cx, cy):
    draw.rounded_rectangle(
        [cx - 38, cy - 150, cx + 38, cy + 150],
        radius=36,
        fill="#fde9b4",
        outline="#b7892b",
        width=8,
    )
    for y in range(cy - 110, cy + 120, 44):
        draw.line([(cx - 38, y), (cx + 38, y)], fill="#b7892b", width=5)


def _nerves(draw, cx, cy):
    colour = "#2b6cb0"
    draw.line([(cx - 120, cy), (cx + 120, cy)], fill=colour, width=10)
    for x in (cx - 60, cx, cx + 60):
        draw.line([(x, cy), (x + 50, cy - 70)], fill=colour, width=7)
        draw.line([(x, cy), (x + 50, cy + 70)], fill=colour, width=7)
    for x, y in ((cx + 120, cy), (cx - 10, cy - 70), (cx + 50, cy - 70), (cx + 110, cy - 70)):
        draw.ellipse([x - 10, y - 10, x + 10, y + 10], fill=colour)


def _muscle(draw, cx, cy):
    draw.ellipse([cx - 130, cy - 80, cx + 130, cy + 80], fill="#e88f8f", outline="#a33b3b", width=8)
    for dy in (-40, 0, 40):
        draw.arc(
            [cx - 110, cy + dy - 30, cx + 110, cy + dy + 30], 190, 350, fill="#a33b3b", width=5
        )


def nervous_system_schematic():
    """The schematic as a PNG ``ContentFile`` named ``FILE_NAME``."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle([6, 6, WIDTH - 7, HEIGHT - 7], outline="#2b5b84", width=6)
    _centered_text(draw, WIDTH / 2, 50, "The nervous system pathways", _font(64))

    cy = 430
    xs = [WIDTH * (2 * i + 1) / 8 for i in range(4)]
    for draw_shape, x in zip((_brain, _spinal_cord, _nerves, _muscle), xs, strict=True):
        draw_shape(draw, int(x), cy)
    for left, right in zip(xs, xs[1:], strict=False):
        _arrow(draw, (left + 140, cy), (right - 140, cy))
    label = _font(54)
    for name, x in zip(STATIONS, xs, strict=True):
        _centered_text(draw, x, cy + 190, name, label)

    _centered_text(
        draw,
        WIDTH / 2,
        HEIGHT - 90,
        "Illustration made for the healthlib demo. Not a medical image.",
        _font(36),
        fill="#4a5568",
    )
    buffer = BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return ContentFile(buffer.getvalue(), name=FILE_NAME)
