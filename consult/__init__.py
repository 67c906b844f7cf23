"""consult: an action-plan consultation platform. `create_app` builds the Flask app."""
from pathlib import Path

from flask import Flask, has_request_context, request, session
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError

from config import Config
from consult.core import mail
from consult.core.db import configure_engine, engine_options
from consult.core.errors import concurrent_change_message, error_response, register_error_handlers
from consult.core.routing import BoundedIntConverter
from consult.extensions import babel, csrf, db, limiter, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent


def select_locale() -> str:
    """Explicit choice (session), then the user's preference, then the browser's."""
    from flask import current_app

    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = current_app.config["LANGUAGES"]
    if request.path.startswith("/api/"):
        return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    if current_user and getattr(current_user, "is_authenticated", False) and current_user.locale in languages:
        return current_user.locale
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def create_app(config: type[Config] | object = Config) -> Flask:
    app = Flask(__name__, template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "static"),
                instance_path=str(getattr(config, "INSTANCE_DIR", ROOT / "instance")))
    app.config.from_object(config)
    if hasattr(config, "check"):
        config.check(app.config)
    options = engine_options(app.config["SQLALCHEMY_DATABASE_URI"], app.config.get("DB_POOL_SIZE", 3))
    options.update(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=str(Path(__file__).parent / "translations"))
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.session_protection = "strong"
    app.url_map.converters["int"] = BoundedIntConverter  # before any route is added

    from consult.accounts.routes import bp as accounts_bp
    from consult.api.routes import bp as api_bp
    from consult.comments.routes import bp as comments_bp
    from consult.moderation.routes import bp as moderation_bp
    from consult.plans.routes import bp as plans_bp

    app.register_blueprint(accounts_bp)
    app.register_blueprint(plans_bp)
    app.register_blueprint(comments_bp)
    app.register_blueprint(moderation_bp)
    app.register_blueprint(api_bp)

    register_error_handlers(app)
    _register_request_hooks(app)
    _register_template_helpers(app)

    from consult.cli import register_cli

    register_cli(app)
    return app


def _register_request_hooks(app: Flask) -> None:
    # after_request hooks run last-registered first: the commit, which may replace the
    # response with a conflict page, is registered after the headers that every response gets.
    @app.after_request
    def _security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
        return response

    @app.after_request
    def _commit_once(response):
        """The request's single commit; anything that failed rolls back instead. A uniqueness
        rule broken by a request that committed first is a 409, not a 500."""
        if response.status_code < 400:
            try:
                db.session.commit()
            except IntegrityError as error:
                db.session.rollback()
                mail.discard_queued()
                app.logger.info("Refused a concurrent change at commit: %s", error.orig)
                return app.make_response(error_response(409, concurrent_change_message()))
            mail.send_queued()
        else:
            db.session.rollback()
            mail.discard_queued()
        return response


def _register_template_helpers(app: Flask) -> None:
    from flask_babel import format_decimal, get_locale

    from consult.core import time as timeutil
    from consult.core.forms import max_length

    @app.template_filter("datetime")
    def _datetime(value, zone="UTC", fmt="medium"):
        return timeutil.format_datetime(value, zone, fmt)

    @app.template_filter("date")
    def _date(value, zone="UTC", fmt="long"):
        return timeutil.format_date(value, zone, fmt)

    @app.template_filter("number")
    def _number(value) -> str:
        """A number as the reader's language writes it (5,000 / 5.000)."""
        return format_decimal(value)

    app.add_template_filter(max_length)

    @app.template_filter("stored_html")
    def _stored_html(value: str | None) -> Markup:
        """Mark stored output of `render_markdown` safe: the only user markup allowed."""
        return Markup(value or "")

    @app.context_processor
    def _globals():
        return {"current_locale": str(get_locale()), "languages": app.config["LANGUAGES"]}
