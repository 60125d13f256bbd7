"""Configuration: one class per environment, values read from the environment.

The rules get their parameters as arguments; only the app layer reads this.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def development_secret_key() -> str:
    """A random key kept in instance/ so sessions survive a restart; never used in production."""
    INSTANCE_DIR.mkdir(exist_ok=True)
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


class Config:
    ENV_NAME = "base"
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'sangkienso.db'}")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER", str(BASE_DIR / "uploads"))
    # A whole request (a form with several pictures) and each uploaded file.
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 64 * 1024 * 1024))
    MAX_IMAGE_BYTES = 10 * 1024 * 1024
    MAX_IMAGE_PIXELS = 40_000_000
    MAX_DOCUMENT_BYTES = 10 * 1024 * 1024

    # Locale and time.
    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "app" / "translations")
    LANGUAGES = ("vi", "en")

    # Sessions and cookies.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 24 * 14
    FORCE_HTTPS = _env_bool("FORCE_HTTPS", False)
    PROXY_FIX = _env_bool("PROXY_FIX", False)

    # Forms.
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = 60 * 60 * 8

    # Rate limits (Flask-Limiter). memory:// by default, redis://… in production.
    RATELIMIT_ENABLED = _env_bool("RATELIMIT_ENABLED", True)
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    # Keeps the counters of deployments sharing one Redis apart.
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "sks")
    # If Redis is unreachable, count in memory per worker rather than answer 500.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_STRATEGY = "fixed-window"
    LOGIN_LIMIT_PER_IP = os.environ.get("LOGIN_LIMIT_PER_IP", "30/minute;300/hour")
    LOGIN_LIMIT_PER_ACCOUNT = os.environ.get("LOGIN_LIMIT_PER_ACCOUNT", "5/minute;30/hour")
    REGISTER_LIMIT_PER_IP = os.environ.get("REGISTER_LIMIT_PER_IP", "10/hour;50/day")
    CODE_LIMIT_PER_ACCOUNT = os.environ.get("CODE_LIMIT_PER_ACCOUNT", "3/minute;10/hour")

    # Salt of the hashes of network addresses and user agents kept with engagement events
    # (defaults to a value derived from SECRET_KEY in create_app).
    HASH_SALT = os.environ.get("HASH_SALT")

    # Engagement rate limits, per account and per network address.
    LIKE_LIMIT = os.environ.get("LIKE_LIMIT", "30/minute;300/hour")
    LIKE_LIMIT_PER_IP = os.environ.get("LIKE_LIMIT_PER_IP", "120/minute")
    COMMENT_LIMIT = os.environ.get("COMMENT_LIMIT", "5/minute;30/hour")
    COMMENT_LIMIT_PER_IP = os.environ.get("COMMENT_LIMIT_PER_IP", "30/minute;300/hour")
    REPORT_LIMIT = os.environ.get("REPORT_LIMIT", "10/minute;50/hour")

    # Flask-Caching: per-process by default; CACHE_TYPE=RedisCache with CACHE_REDIS_URL shares it.
    CACHE_TYPE = os.environ.get("CACHE_TYPE", "SimpleCache")
    CACHE_REDIS_URL = os.environ.get("CACHE_REDIS_URL")
    CACHE_DEFAULT_TIMEOUT = 60
    CACHE_KEY_PREFIX = "sks:"
    # How long the gallery's unit and field lists are reused before being read again.
    GALLERY_FILTERS_SECONDS = int(os.environ.get("GALLERY_FILTERS_SECONDS", 30))

    # Mail (Flask-Mailman). "console" prints messages, "smtp" sends them.
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp")
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", 25))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = _env_bool("MAIL_USE_SSL", False)
    MAIL_TIMEOUT = 10
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Sáng kiến số <no-reply@sangkienso.local>")

    # Accounts.
    VERIFICATION_CODE_TTL_MINUTES = 15
    VERIFICATION_CODE_MAX_ATTEMPTS = 5
    API_TOKEN_TTL_HOURS = int(os.environ.get("API_TOKEN_TTL_HOURS", 24))
    PASSWORD_MIN_LENGTH = 8

    # API (flask-smorest).
    API_TITLE = "Sáng kiến số API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    OPENAPI_SWAGGER_UI_PATH = "docs"
    OPENAPI_SWAGGER_UI_URL = "/api/v1/docs/assets/"

    BOOTSTRAP_SERVE_LOCAL = True


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    # The key itself is made lazily by create_app (see development_secret_key) so importing
    # this module never writes files.
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "console")


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-secret-key"  # noqa: S105 - a fixed key for tests only
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    RATELIMIT_STORAGE_URI = "memory://"
    MAIL_BACKEND = "locmem"
    UPLOAD_FOLDER = os.environ.get("TEST_UPLOAD_FOLDER", "/tmp/sangkienso-test-uploads")  # noqa: S108


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    FORCE_HTTPS = _env_bool("FORCE_HTTPS", True)
    PROXY_FIX = _env_bool("PROXY_FIX", True)

    @staticmethod
    def validate(config) -> None:
        """Refuse to start production without the settings it cannot guess."""
        if not config.get("SECRET_KEY"):
            raise RuntimeError("SECRET_KEY must be set in production")
        if config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite") and not _env_bool("ALLOW_SQLITE", False):
            raise RuntimeError("DATABASE_URL must point to PostgreSQL in production (or set ALLOW_SQLITE=1)")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_env() -> type[Config]:
    return CONFIGS[os.environ.get("APP_ENV", "development")]
