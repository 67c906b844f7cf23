"""Entry point: `flask --app app run` or `gunicorn app:app`."""
import os

from consult import create_app

if os.environ.get("CONSULT_ENV") == "production":
    from config import ProductionConfig

    app = create_app(ProductionConfig)
else:
    app = create_app()
