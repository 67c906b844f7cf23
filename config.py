"""Configuration: read from the environment, with safe defaults for a local run."""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("CONSULT_INSTANCE", BASE_DIR / "instance"))

DEFAULT_SECRET_KEY = "dev-only-not-secret"


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{INSTANCE_DIR / 'consult.db'}"
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://"):]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = _database_url()
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    INSTANCE_DIR = str(INSTANCE_DIR)

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024

    LANGUAGES = ("en", "ro")
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"

    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_LOGIN = os.environ.get("RATELIMIT_LOGIN", "10 per minute;100 per hour")
    RATELIMIT_REGISTER = os.environ.get("RATELIMIT_REGISTER", "5 per minute;30 per hour")

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "consult@localhost")
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    #: Where mail goes without MAIL_SERVER (default: instance/outbox).
    MAIL_OUTBOX = os.environ.get("MAIL_OUTBOX", "")
    #: The site's public address, for links in e-mail (default: the request's host).
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "")

    RATELIMIT_POSTING = os.environ.get("RATELIMIT_POSTING", "20 per minute;300 per day")
    #: The editor's live preview asks on every pause in typing: generous, but not unbounded.
    RATELIMIT_PREVIEW = os.environ.get("RATELIMIT_PREVIEW", "60 per minute")
    #: Edits of one's comments (previews included) and reports of others' comments, per person.
    RATELIMIT_EDITING = os.environ.get("RATELIMIT_EDITING", "20 per minute;300 per day")
    RATELIMIT_REPORTING = os.environ.get("RATELIMIT_REPORTING", "10 per minute;100 per day")

    #: werkzeug's password hashing method (scrypt by default).
    PASSWORD_HASH_METHOD = "scrypt"

    #: Pool sizes for PostgreSQL; SQLite ignores them.
    DB_POOL_SIZE = int(os.environ.get("DB_POOL_SIZE", "3"))


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    #: Limits stay on, generous enough for the suite; a test tightens them to see a 429.
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_LOGIN = "100000 per minute"
    RATELIMIT_REGISTER = "100000 per minute"
    RATELIMIT_POSTING = "100000 per minute"
    RATELIMIT_PREVIEW = "100000 per minute"
    RATELIMIT_EDITING = "100000 per minute"
    RATELIMIT_REPORTING = "100000 per minute"
    WTF_CSRF_ENABLED = True
    MAIL_SERVER = ""
    #: Cheap hashing keeps the suite fast; production keeps scrypt.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True

    @staticmethod
    def check(settings: dict) -> None:
        """Refuse to run in production with a missing or default secret."""
        key = os.environ.get("SECRET_KEY", "")
        if not key or key == DEFAULT_SECRET_KEY or len(key) < 16:
            raise RuntimeError(
                "SECRET_KEY must be set to a long random value in production "
                "(for example: python -c 'import secrets; print(secrets.token_hex(32))')."
            )
        settings["SECRET_KEY"] = key
