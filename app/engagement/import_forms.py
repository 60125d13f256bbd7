"""The organizers' upload form for engagement measured on other platforms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SubmitField

MAX_IMPORT_BYTES = 1024 * 1024


class ExternalImportForm(FlaskForm):
    file = FileField(
        _l("Engagement file (CSV, UTF-8, at most 1 MB)"),
        validators=[FileRequired(), FileAllowed(["csv", "txt"], _l("Upload a .csv file."))],
    )
    submit = SubmitField(_l("Import the engagement"))
