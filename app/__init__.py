"""The application factory."""

from __future__ import annotations

import hashlib

from flask import Flask, abort, flash, g, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.middleware.proxy_fix import ProxyFix

from config import BASE_DIR, Config, config_from_env, development_secret_key

# Content-Security-Policy: no inline script anywhere, no third-party origin.
CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def create_app(config_class: type[Config] | None = None, **overrides) -> Flask:
    config_class = config_class or config_from_env()
    app = Flask(
        __name__,
        template_folder=str(BASE_DIR / "templates"),
        static_folder="static",
        instance_path=str(BASE_DIR / "instance"),
    )
    app.config.from_object(config_class)
    app.config.update(overrides)
    app.json.ensure_ascii = False  # Vietnamese stays readable in JSON
    if not app.config.get("SECRET_KEY"):
        if getattr(config_class, "ENV_NAME", "") == "development":
            app.config["SECRET_KEY"] = development_secret_key()
        else:
            raise RuntimeError("SECRET_KEY must be set")
    if not app.config.get("HASH_SALT"):
        # A stable salt per deployment, different from the key itself.
        app.config["HASH_SALT"] = hashlib.sha256(
            b"sks-hash-salt:" + app.config["SECRET_KEY"].encode()
        ).hexdigest()
    if hasattr(config_class, "validate"):
        config_class.validate(app.config)
    if app.config.get("PROXY_FIX"):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)

    from app.security import PageSessionInterface

    app.session_interface = PageSessionInterface()  # no cookie session under /api/
    _init_extensions(app)
    _register_blueprints(app)

    from app import cli, engagement, errors, i18n

    errors.init_app(app)
    i18n.init_app(app)
    engagement.init_app(app)
    cli.init_app(app)

    @app.after_request
    def _no_store_for_private_pages(response):
        # Pages for a signed-in person must not be kept by shared caches.
        if request.endpoint != "static" and "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "no-store" if g.get("_login_user_seen") else "no-cache"
        return response

    return app


def _init_extensions(app: Flask) -> None:
    from app import database  # noqa: F401  (SQLite pragmas and BEGIN IMMEDIATE)
    from app.auth.service import load_session_user
    from app.extensions import (
        babel,
        bootstrap,
        cache,
        csrf,
        db,
        limiter,
        login_manager,
        mail,
        migrate,
        talisman,
    )
    from app.i18n import select_locale, select_timezone

    db.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    limiter.init_app(app)
    cache.init_app(app)
    mail.init_app(app)
    bootstrap.init_app(app)
    talisman.init_app(
        app,
        force_https=app.config["FORCE_HTTPS"],
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        content_security_policy=CSP,
        strict_transport_security=app.config["FORCE_HTTPS"],
        frame_options="DENY",
        referrer_policy="strict-origin-when-cross-origin",
    )

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    login_manager.login_message = _l("Please sign in to see this page.")

    @login_manager.user_loader
    def _load_user(session_id: str):
        g._login_user_seen = True
        return load_session_user(session_id)

    @login_manager.unauthorized_handler
    def _unauthorized():
        if request.path.startswith("/api/"):
            abort(401)
        flash(str(login_manager.login_message), "info")
        return redirect(
            url_for("auth.login", next=request.full_path if request.query_string else request.path)
        )


def _register_blueprints(app: Flask) -> None:
    from app import api
    from app.audit.routes import bp as audit_bp
    from app.auth.routes import bp as auth_bp
    from app.contest.routes import bp as contest_bp
    from app.engagement.admin_routes import bp as engagement_admin_bp
    from app.engagement.import_routes import bp as engagement_import_bp
    from app.engagement.routes import bp as engagement_bp
    from app.initiatives.review_routes import bp as review_bp
    from app.initiatives.routes import bp as initiatives_bp
    from app.judging.admin_routes import bp as judging_admin_bp
    from app.judging.public_routes import bp as results_bp
    from app.judging.routes import bp as judging_bp
    from app.main.routes import bp as main_bp
    from app.units.routes import bp as units_bp
    from app.users.routes import bp as users_bp

    for bp in (
        main_bp,
        auth_bp,
        contest_bp,
        units_bp,
        users_bp,
        audit_bp,
        initiatives_bp,
        review_bp,
        engagement_bp,
        engagement_admin_bp,
        engagement_import_bp,
        judging_bp,
        judging_admin_bp,
        results_bp,
    ):
        app.register_blueprint(bp)
    api.init_app(app)
