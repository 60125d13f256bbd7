"""Account pages: register, verify, sign in and out, reset a password, edit the profile."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from app import ratelimits
from app.auth import service
from app.auth.forms import (
    ForgotForm,
    LoginForm,
    LogoutForm,
    PasswordForm,
    ProfileForm,
    RegisterForm,
    ResendForm,
    ResetForm,
    VerifyForm,
)
from app.auth.rules import national_phone
from app.extensions import limiter
from app.forms import unit_choices
from app.security import safe_next
from models import Unit, db

bp = Blueprint("auth", __name__, url_prefix="/auth")

CODE_MESSAGES = {
    "wrong": lambda: _("That code is not right. Check the email and try again."),
    "expired": lambda: _("That code has expired or was already used. Ask for a new one."),
    "too_many_attempts": lambda: _("Too many wrong tries. Ask for a new code."),
}


def _units():
    return db.session.scalars(select(Unit).order_by(Unit.name)).all()


def _start_session(user, remember: bool = False) -> None:
    """Sign in with a fresh session: nothing from before the login survives (no fixation)."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    login_user(user, remember=remember)
    service.record_login(user)


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(ratelimits.register_per_ip, exempt_when=ratelimits.only_post)
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = RegisterForm()
    form.unit_id.choices = unit_choices(_units())
    if form.validate_on_submit():
        try:
            registration = service.register_user(
                full_name=form.full_name.data,
                email=form.email.data or None,
                phone=form.phone.data or None,
                password=form.password.data,
                unit_id=form.unit_id.data,
            )
        except service.AccountExists as exc:
            if exc.field == "email":
                form.email.errors.append(_("An account with this email already exists. Sign in instead."))
            else:
                form.phone.errors.append(
                    _("An account with this phone number already exists. Sign in instead.")
                )
        else:
            user = registration.user
            _start_session(user)
            if user.is_verified:
                flash(
                    _("Welcome! Your unit's roster already lists you, so your account is verified."),
                    "success",
                )
                return redirect(url_for("main.index"))
            if registration.code_sent:
                flash(
                    _(
                        "We sent a 6-digit code to %(email)s. Enter it to verify your account.",
                        email=user.email,
                    ),
                    "info",
                )
            elif user.email:
                flash(
                    _("The email could not be sent right now. Please try again in a few minutes."), "danger"
                )
            return redirect(url_for("auth.verify"))
    return render_template("auth/register.html", form=form), 422 if form.errors else 200


@bp.route("/verify", methods=["GET", "POST"])
@login_required
@limiter.limit(
    ratelimits.code_per_account, key_func=ratelimits.current_user_key, exempt_when=ratelimits.only_post
)
def verify():
    if current_user.is_verified:
        return redirect(safe_next(request.args.get("next")))
    form = VerifyForm()
    if form.validate_on_submit():
        try:
            service.verify_email(current_user, form.code.data)
        except service.CodeProblem as exc:
            form.code.errors.append(CODE_MESSAGES[exc.reason]())
        else:
            flash(_("Your account is verified. Thank you!"), "success")
            return redirect(safe_next(request.args.get("next")))
    return render_template(
        "auth/verify.html", form=form, resend_form=ResendForm()
    ), 422 if form.errors else 200


@bp.route("/verify/resend", methods=["POST"])
@login_required
@limiter.limit(ratelimits.code_per_account, key_func=ratelimits.current_user_key)
def resend_code():
    form = ResendForm()
    if form.validate_on_submit():
        if service.send_verification_code(current_user):
            flash(_("A new code is on its way to %(email)s.", email=current_user.email), "info")
        elif not current_user.email:
            flash(_("Your account has no email address, so no code can be sent."), "warning")
        else:
            flash(_("The email could not be sent right now. Please try again in a few minutes."), "danger")
    return redirect(url_for("auth.verify"))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(ratelimits.login_per_ip, exempt_when=ratelimits.only_post)
@limiter.limit(
    ratelimits.login_per_account, key_func=ratelimits.account_key, exempt_when=ratelimits.only_post
)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = service.authenticate(form.login.data, form.password.data)
        if user is None:
            form.login.errors.append(_("The login or password is not right, or the account is not active."))
        else:
            _start_session(user, remember=form.remember.data)
            flash(_("Welcome back, %(name)s.", name=user.full_name), "success")
            return redirect(safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form), 422 if form.errors else 200


@bp.route("/logout", methods=["POST"])
def logout():
    form = LogoutForm()
    if form.validate_on_submit():
        lang = session.get("lang")
        logout_user()
        session.clear()
        if lang:
            session["lang"] = lang
        flash(_("You are signed out."), "info")
    return redirect(url_for("main.index"))


@bp.route("/forgot", methods=["GET", "POST"])
@limiter.limit(ratelimits.login_per_ip, exempt_when=ratelimits.only_post)
@limiter.limit(ratelimits.code_per_account, key_func=ratelimits.account_key, exempt_when=ratelimits.only_post)
def forgot():
    form = ForgotForm()
    if form.validate_on_submit():
        service.request_password_reset(form.login.data)
        # The same answer whether or not the account exists: no account enumeration.
        flash(_("If an account with an email matches, a reset code has been sent to it."), "info")
        return redirect(url_for("auth.reset", login=form.login.data))
    return render_template("auth/forgot.html", form=form), 422 if form.errors else 200


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(ratelimits.login_per_ip, exempt_when=ratelimits.only_post)
@limiter.limit(
    ratelimits.login_per_account, key_func=ratelimits.account_key, exempt_when=ratelimits.only_post
)
def reset():
    form = ResetForm()
    if request.method == "GET" and request.args.get("login"):
        form.login.data = request.args["login"][:254]
    if form.validate_on_submit():
        try:
            user = service.reset_password(form.login.data, form.code.data, form.password.data)
        except service.CodeProblem as exc:
            form.code.errors.append(CODE_MESSAGES[exc.reason]())
        else:
            _start_session(user)
            flash(_("Your password has been changed and other sessions were signed out."), "success")
            return redirect(url_for("main.index"))
    return render_template("auth/reset.html", form=form), 422 if form.errors else 200


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user if request.method == "GET" else None)
    form.unit_id.choices = unit_choices(_units())
    if request.method == "GET":
        form.locale.data = current_user.locale or "vi"
        form.phone.data = national_phone(current_user.phone)
    password_form = PasswordForm(prefix="pw")
    if form.validate_on_submit():
        try:
            service.update_profile(
                current_user,
                service.ProfileChanges(
                    full_name=form.full_name.data,
                    phone=form.phone.data or None,
                    unit_id=form.unit_id.data,
                    locale=form.locale.data,
                ),
            )
        except service.AccountExists:
            form.phone.errors.append(_("Another account already uses this phone number."))
        else:
            session["lang"] = form.locale.data
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("auth.profile"))
    status = 422 if form.errors else 200
    return render_template("auth/profile.html", form=form, password_form=password_form), status


@bp.route("/password", methods=["POST"])
@login_required
@limiter.limit(ratelimits.login_per_account, key_func=ratelimits.current_user_key)
def change_password():
    form = ProfileForm(obj=current_user)
    form.unit_id.choices = unit_choices(_units())
    form.locale.data = current_user.locale or "vi"
    personal = tuple(
        filter(None, [current_user.full_name, (current_user.email or "").split("@")[0], current_user.phone])
    )
    password_form = PasswordForm(prefix="pw", personal=personal)
    if password_form.validate_on_submit():
        if service.change_password(current_user, password_form.current.data, password_form.password.data):
            # change_password ended every session, this one included: start a fresh one.
            _start_session(current_user._get_current_object())
            flash(_("Your password has been changed and other sessions were signed out."), "success")
            return redirect(url_for("auth.profile"))
        password_form.current.errors.append(_("The current password is not right."))
    return render_template("auth/profile.html", form=form, password_form=password_form), 422
