"""Photos for the demo's completed and running cards: small drawn scenes."""

import io
import random

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw


def demo_photo(scene: str, *, seed: int) -> ContentFile:
    """A small JPEG of a simple, drawn scene (sky, hills, and the `scene`'s
    subject), different for every seed."""
    rng = random.Random(seed)  # nosec B311  # reproducible demo pictures, not a secret
    width, height = 960, 640
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    top, bottom = (rng.randint(70, 120), rng.randint(150, 190), 235), (205, 228, 245)
    horizon = int(height * rng.uniform(0.5, 0.62))
    for y in range(horizon):
        f = y / horizon
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(int(a + (b - a) * f) for a, b in zip(top, bottom, strict=True)),
        )
    sun = rng.randint(80, width - 80)
    draw.ellipse([sun - 40, 50, sun + 40, 130], fill=(255, 236, 170))
    for _ in range(3):
        x, y = rng.randint(0, width), rng.randint(30, horizon // 2)
        draw.ellipse([x - 70, y - 18, x + 70, y + 18], fill=(248, 250, 252))
    for _ in range(2):
        x = rng.randint(0, width)
        draw.ellipse([x - 380, horizon - 90, x + 380, horizon + 90], fill=(120, 160, 130))
    ground = (rng.randint(100, 130), rng.randint(150, 175), 95)
    draw.rectangle([0, horizon, width, height], fill=ground)
    if scene == "bridge":
        draw.rectangle([0, horizon + 40, width, height], fill=(80, 130, 190))
        deck = horizon + 10
        draw.rectangle([0, deck, width, deck + 26], fill=(190, 190, 185))
        for x in range(40, width, 120):
            draw.rectangle([x, deck + 26, x + 18, height], fill=(150, 150, 145))
            draw.ellipse([x - 6, deck - 40, x + 24, deck - 10], fill=(255, 220, 120))
            draw.rectangle([x + 6, deck - 12, x + 12, deck], fill=(90, 90, 90))
        for x in range(60, width, 90):
            draw.ellipse([x - 16, deck - 34, x + 16, deck - 2], fill=(70, 150, 80))
    elif scene == "street":
        for x in range(0, width, 150):
            tall = rng.randint(120, 260)
            draw.rectangle(
                [x + 8, horizon - tall, x + 140, horizon],
                fill=(rng.randint(170, 220), rng.randint(160, 210), rng.randint(150, 200)),
            )
            for wy in range(horizon - tall + 15, horizon - 20, 35):
                for wx in range(x + 20, x + 130, 30):
                    draw.rectangle([wx, wy, wx + 14, wy + 18], fill=(120, 150, 180))
        draw.polygon(
            [(width // 2 - 60, horizon), (width // 2 + 60, horizon), (width, height), (0, height)],
            fill=(200, 195, 185),
        )
        for y in range(horizon + 20, height, 40):
            draw.rectangle([width // 2 - 5, y, width // 2 + 5, y + 20], fill=(250, 250, 250))
    else:  # park or square: a path, trees and benches
        draw.polygon(
            [
                (width // 2 - 30, horizon),
                (width // 2 + 30, horizon),
                (width - 200, height),
                (200, height),
            ],
            fill=(215, 200, 170),
        )
        for _ in range(9):
            x = rng.randint(20, width - 20)
            y = rng.randint(horizon + 10, height - 40)
            size = 20 + (y - horizon) // 4
            draw.rectangle([x - 5, y - size, x + 5, y], fill=(110, 80, 50))
            draw.ellipse(
                [x - size, y - 2 * size, x + size, y - size // 2],
                fill=(rng.randint(40, 80), rng.randint(120, 160), rng.randint(50, 80)),
            )
        for x in (width // 2 - 200, width // 2 + 140):
            y = horizon + 120
            draw.rectangle([x, y, x + 70, y + 12], fill=(160, 100, 60))
            draw.rectangle([x + 5, y + 12, x + 10, y + 30], fill=(80, 80, 80))
            draw.rectangle([x + 60, y + 12, x + 65, y + 30], fill=(80, 80, 80))
        if scene == "sign":
            draw.rectangle(
                [width // 2 + 60, horizon - 40, width // 2 + 66, horizon + 90], fill=(90, 90, 90)
            )
            draw.rectangle(
                [width // 2 + 20, horizon - 80, width // 2 + 110, horizon - 20], fill=(40, 90, 160)
            )
            for n in range(3):
                draw.rectangle(
                    [
                        width // 2 + 30,
                        horizon - 70 + 18 * n,
                        width // 2 + 95,
                        horizon - 62 + 18 * n,
                    ],
                    fill=(240, 240, 240),
                )
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return ContentFile(out.getvalue(), name=f"demo-{scene}-{seed}.jpg")
