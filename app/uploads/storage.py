"""Where uploaded files live: UPLOAD_FOLDER/images/ab/<token>-<variant>.jpg and documents/ab/<token>.pdf.

Names are random tokens, never the user's file name; writes go to a temporary file first
and are renamed into place, so a reader never sees half a file.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

from flask import current_app

IMAGE_VARIANTS = ("thumb", "display")


def new_token() -> str:
    return secrets.token_hex(16)


def root() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"])


def image_path(token: str, variant: str) -> Path:
    if variant not in IMAGE_VARIANTS or not token.isalnum():
        raise ValueError("bad image reference")
    return root() / "images" / token[:2] / f"{token}-{variant}.jpg"


def document_path(token: str) -> Path:
    if not token.isalnum():
        raise ValueError("bad document reference")
    return root() / "documents" / token[:2] / f"{token}.pdf"


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_image(token: str, thumbnail: bytes, display: bytes) -> None:
    write_atomic(image_path(token, "thumb"), thumbnail)
    write_atomic(image_path(token, "display"), display)


def save_document(token: str, data: bytes) -> None:
    write_atomic(document_path(token), data)


def delete_image(token: str) -> None:
    for variant in IMAGE_VARIANTS:
        image_path(token, variant).unlink(missing_ok=True)


def delete_document(token: str) -> None:
    document_path(token).unlink(missing_ok=True)
