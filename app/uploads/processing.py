"""Hardened processing of uploaded pictures and PDFs. No Flask, no database.

Pictures are judged by decoding their content, never by name or declared type: the
header is read first to refuse huge images before any pixel is decoded, then the whole
image is decoded (a truncated file fails here), turned upright by its EXIF orientation,
and re-encoded as JPEG without any metadata (GPS included) in two sizes. Whatever was
appended after the image data does not survive re-encoding.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
THUMB_SIZE = 400
DISPLAY_SIZE = 1600
JPEG_QUALITY = 85


class UploadRefused(ValueError):
    """A file we will not store; `code` says why (see the message tables in the routes)."""

    def __init__(self, code: str, filename: str = ""):
        super().__init__(code)
        self.code = code
        self.filename = filename


@dataclass(frozen=True)
class ProcessedImage:
    width: int  # of the display size, as stored
    height: int
    thumbnail: bytes
    display: bytes


def read_capped(stream, max_bytes: int) -> bytes:
    """Read at most max_bytes + 1 bytes: enough to know a file is too large without reading all of it."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UploadRefused("too_large")
    return data


def _encode(image: Image.Image, box: int) -> bytes:
    copy = image.copy()
    copy.thumbnail((box, box), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    copy.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return out.getvalue()


def process_image(data: bytes, *, max_bytes: int, max_pixels: int) -> ProcessedImage:
    """Decode, check, straighten, strip and re-encode one picture; raises UploadRefused."""
    if not data:
        raise UploadRefused("empty")
    if len(data) > max_bytes:
        raise UploadRefused("too_large")
    try:
        probe = Image.open(io.BytesIO(data))  # reads the header only
        if probe.format not in ACCEPTED_FORMATS:
            raise UploadRefused("unsupported_format")
        width, height = probe.size
        # Checked before any pixel is decoded; our cap is below Pillow's own warning threshold.
        if width * height > max_pixels:
            raise UploadRefused("too_many_pixels")
        probe.load()  # the full decode: truncated or corrupt data fails here
        image = ImageOps.exif_transpose(probe)
    except UploadRefused:
        raise
    except Image.DecompressionBombError:
        # Pillow's own guard fires while reading the header of an absurdly large image.
        raise UploadRefused("too_many_pixels") from None
    except UnidentifiedImageError:
        raise UploadRefused("not_an_image") from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise UploadRefused("corrupt") from None
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.split()[-1])
        image = flat
    elif image.mode != "RGB":
        image = image.convert("RGB")
    display = _encode(image, DISPLAY_SIZE)
    width, height = Image.open(io.BytesIO(display)).size
    return ProcessedImage(width=width, height=height, thumbnail=_encode(image, THUMB_SIZE), display=display)


def check_pdf(data: bytes, *, max_bytes: int) -> None:
    """A PDF by its signature and within the size limit; raises UploadRefused."""
    if not data:
        raise UploadRefused("empty")
    if len(data) > max_bytes:
        raise UploadRefused("too_large")
    if not data.startswith(b"%PDF-"):
        raise UploadRefused("not_a_pdf")


def display_name(filename: str | None, fallback: str = "tai-lieu.pdf") -> str:
    """A harmless name to show for a document: no directories, no control characters, ≤ 120 characters."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = unicodedata.normalize("NFC", name)
    name = re.sub(r"[\x00-\x1f\x7f<>:\"|?*]", "", name).strip(" .")
    return name[:120] or fallback
