"""WSGI entry point for a checkout: ``gunicorn wsgi:app`` from this folder.

An installed factcheck has no wsgi.py: there, run ``factcheck serve`` or
``gunicorn 'factcheck:create_app()'``.
"""

from factcheck import create_app

app = create_app()
