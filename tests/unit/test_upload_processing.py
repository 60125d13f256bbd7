"""Upload hardening (pure): pictures are decoded, checked, straightened, stripped and re-encoded."""

import io
import struct
import zlib

import pytest
from PIL import Image

from app.uploads.processing import UploadRefused, check_pdf, display_name, process_image

MB = 1024 * 1024
LIMITS = {"max_bytes": 10 * MB, "max_pixels": 40_000_000}


def jpeg(width=800, height=600, color=(30, 120, 200), exif=None) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "JPEG", exif=exif or Image.Exif())
    return out.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG that declares a huge size (a decompression bomb's header)."""

    def chunk(kind, payload):
        return (
            struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 10))
        + chunk(b"IEND", b"")
    )


def gps_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "Máy ảnh của xã"  # Make
    gps = {1: "N", 2: (21.0, 1.0, 2.0), 3: "E", 4: (105.0, 50.0, 3.0)}
    exif[0x8825] = gps
    return exif


def test_a_good_jpeg_gives_a_thumbnail_and_a_display_size():
    result = process_image(jpeg(3000, 2000), **LIMITS)
    thumb = Image.open(io.BytesIO(result.thumbnail))
    display = Image.open(io.BytesIO(result.display))
    assert (result.width, result.height) == (1600, 1067)  # the stored display size
    assert thumb.format == display.format == "JPEG"
    assert max(thumb.size) == 400 and max(display.size) == 1600


def test_png_and_webp_are_accepted_and_transparency_is_flattened():
    out = io.BytesIO()
    Image.new("RGBA", (100, 50), (255, 0, 0, 0)).save(out, "PNG")
    assert Image.open(io.BytesIO(process_image(out.getvalue(), **LIMITS).display)).mode == "RGB"
    out = io.BytesIO()
    Image.new("RGB", (100, 50), "green").save(out, "WEBP")
    assert process_image(out.getvalue(), **LIMITS).width == 100


def test_a_png_declaring_20000_by_20000_pixels_is_refused_before_decoding():
    with pytest.raises(UploadRefused) as exc:
        process_image(png_header_only(20000, 20000), **LIMITS)
    assert exc.value.code == "too_many_pixels"


def test_an_html_file_named_jpg_is_not_an_image():
    with pytest.raises(UploadRefused) as exc:
        process_image(b"<html><script>alert(1)</script></html>", **LIMITS)
    assert exc.value.code == "not_an_image"


def test_a_script_appended_after_the_jpeg_does_not_survive():
    payload = b"<script>alert('xss')</script>"
    result = process_image(jpeg() + payload, **LIMITS)
    assert payload not in result.display and payload not in result.thumbnail
    assert b"script" not in result.display


def test_a_truncated_jpeg_is_refused():
    data = jpeg(1200, 900, color=(10, 200, 90))
    with pytest.raises(UploadRefused) as exc:
        process_image(data[: len(data) // 2], **LIMITS)
    assert exc.value.code == "corrupt"


def test_gps_and_all_exif_are_dropped_and_orientation_applied():
    exif = gps_exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    result = process_image(jpeg(800, 600, exif=exif), **LIMITS)
    for blob in (result.display, result.thumbnail):
        stored = Image.open(io.BytesIO(blob))
        assert dict(stored.getexif()) == {}
        assert b"Exif" not in blob[:200]
    assert (result.width, result.height) == (600, 800)  # turned upright


def test_too_large_and_empty_files_and_other_formats():
    with pytest.raises(UploadRefused) as exc:
        process_image(jpeg(), max_bytes=100, max_pixels=40_000_000)
    assert exc.value.code == "too_large"
    with pytest.raises(UploadRefused) as exc:
        process_image(b"", **LIMITS)
    assert exc.value.code == "empty"
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, "GIF")
    with pytest.raises(UploadRefused) as exc:
        process_image(gif.getvalue(), **LIMITS)
    assert exc.value.code == "unsupported_format"


def test_pdfs_are_checked_by_signature_and_size():
    check_pdf(b"%PDF-1.7\n...%%EOF", max_bytes=MB)
    with pytest.raises(UploadRefused) as exc:
        check_pdf(b"MZ\x90\x00 an executable", max_bytes=MB)
    assert exc.value.code == "not_a_pdf"
    with pytest.raises(UploadRefused) as exc:
        check_pdf(b"%PDF-" + b"x" * 100, max_bytes=50)
    assert exc.value.code == "too_large"


@pytest.mark.parametrize(
    "raw, shown",
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\win.ini", "win.ini"),
        ("Báo cáo kết quả.pdf", "Báo cáo kết quả.pdf"),
        ("<script>.pdf", "script.pdf"),
        ("", "tai-lieu.pdf"),
        ("..", "tai-lieu.pdf"),
    ],
)
def test_document_names_are_shown_harmlessly(raw, shown):
    assert display_name(raw) == shown
