"""Ticket attachments are checked by extension and content, never by the browser's content type, and
stored under a random name, so that nothing uploaded can reach another user's browser as a page."""

import os

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from canal.core.errors import RuleViolation

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
IMAGE_AND_PDF = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".gif": ("image/gif", (b"GIF87a", b"GIF89a")),
}
TEXT_LOGS = {".txt", ".log"}


def content_type_of(name: str) -> str:
    """The type a stored attachment is served with (always as a download)."""
    extension = os.path.splitext(name)[1].lower()
    if extension in TEXT_LOGS:
        return "text/plain; charset=utf-8"
    kind = IMAGE_AND_PDF.get(extension)
    return kind[0] if kind else "application/octet-stream"


def check_attachment(upload: UploadedFile) -> tuple[str, str]:
    """Refuses anything but a real image, PDF or UTF-8 text log of at most 10 MB; returns the extension to
    store it under and the cleaned original name to show."""
    name = os.path.basename(upload.name or "")[:200]
    extension = os.path.splitext(name)[1].lower()
    if upload.size is not None and upload.size > MAX_ATTACHMENT_BYTES:
        raise RuleViolation(
            _("An attachment may be at most 10 MB; compress the log or send a smaller screenshot."),
            code="attachment_too_large",
            field="attachment",
        )
    if not upload.size:
        raise RuleViolation(_("The attached file is empty."), code="attachment_empty", field="attachment")
    upload.seek(0)
    if extension in TEXT_LOGS:
        content = upload.read()
        upload.seek(0)
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            text = "\x00"
        if "\x00" in text:
            raise _wrong_type()
        return extension, name
    kind = IMAGE_AND_PDF.get(extension)
    head = upload.read(16)
    upload.seek(0)
    if kind is None or not any(head.startswith(magic) for magic in kind[1]):
        raise _wrong_type()
    return (".jpg" if extension == ".jpeg" else extension), name


def _wrong_type() -> RuleViolation:
    return RuleViolation(
        _("Attach a screenshot (PNG, JPEG, GIF), a PDF or a text log (.txt, .log); this file is not one."),
        code="attachment_type",
        field="attachment",
    )
