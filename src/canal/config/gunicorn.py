"""gunicorn settings for `canal serve` (read with --config python:canal.config.gunicorn)."""

import gunicorn.http.wsgi

# The Server header names no software and no version: nothing for a scanner to match with advisories.
gunicorn.http.wsgi.SERVER = "Canal"
