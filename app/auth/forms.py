"""Account forms. Identifiers are normalised by their validators (email lower-cased, phone E.164)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, SubmitField, TelField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp, ValidationError

from app.auth.rules import InvalidIdentifier, parse_login
from app.forms import UnitSelectField, check_password, email_validator, phone_validator


class RegisterForm(FlaskForm):
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(min=2, max=120)])
    email = EmailField(_l("Email"), validators=[Optional(), Length(max=254), email_validator])
    phone = TelField(_l("Phone number"), validators=[Optional(), Length(max=20), phone_validator])
    unit_id = UnitSelectField(_l("Unit (optional)"))
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))],
    )
    submit = SubmitField(_l("Create account"))

    def validate_phone(self, field):
        if not self.email.data and not field.data:
            raise ValidationError(_l("Give an email address, a phone number, or both."))

    def validate_password(self, field):
        personal = tuple(
            filter(None, [self.full_name.data, (self.email.data or "").split("@")[0], self.phone.data])
        )
        check_password(field.data, personal)


class LoginForm(FlaskForm):
    login = StringField(_l("Email or phone number"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    remember = BooleanField(_l("Keep me signed in on this device"))
    submit = SubmitField(_l("Sign in"))


class VerifyForm(FlaskForm):
    code = StringField(
        _l("6-digit code"),
        validators=[DataRequired(), Regexp(r"^\s*\d{6}\s*$", message=_l("The code has 6 digits."))],
    )
    submit = SubmitField(_l("Verify"))


class ResendForm(FlaskForm):
    submit = SubmitField(_l("Send a new code"))


class ForgotForm(FlaskForm):
    login = StringField(_l("Email or phone number"), validators=[DataRequired(), Length(max=254)])
    submit = SubmitField(_l("Send a reset code"))

    def validate_login(self, field):
        try:
            parse_login(field.data)
        except InvalidIdentifier as exc:
            raise ValidationError(_l("Enter the email or phone number of your account.")) from exc


class ResetForm(FlaskForm):
    login = StringField(_l("Email or phone number"), validators=[DataRequired(), Length(max=254)])
    code = StringField(
        _l("6-digit code"),
        validators=[DataRequired(), Regexp(r"^\s*\d{6}\s*$", message=_l("The code has 6 digits."))],
    )
    password = PasswordField(_l("New password"), validators=[DataRequired()])
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))],
    )
    submit = SubmitField(_l("Set the new password"))

    def validate_password(self, field):
        check_password(field.data, (self.login.data or "",))


class ProfileForm(FlaskForm):
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(min=2, max=120)])
    phone = TelField(_l("Phone number"), validators=[Optional(), Length(max=20), phone_validator])
    unit_id = UnitSelectField(_l("Unit"))
    locale = SelectField(
        _l("Language"), choices=[SelectChoice("vi", "Tiếng Việt"), SelectChoice("en", "English")]
    )
    submit = SubmitField(_l("Save"))


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    password = PasswordField(_l("New password"), validators=[DataRequired()])
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))],
    )
    submit = SubmitField(_l("Change password"))

    def __init__(self, *args, personal: tuple[str, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self._personal = personal

    def validate_password(self, field):
        check_password(field.data, self._personal)


class LogoutForm(FlaskForm):
    submit = SubmitField(_l("Sign out"))
