"""WSGI entry point: ``gunicorn -w 2 wsgi:app``."""

from portal import create_app

app = create_app()
