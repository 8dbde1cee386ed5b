"""Canal's settings with one bare Django JSON view added to its URLs, for the HTTP benchmarks' baseline.

`canal serve` runs with DJANGO_SETTINGS_MODULE=served_site (bench/ on PYTHONPATH): every setting and
middleware is Canal's own, and the URLs are Canal's (bench/served_urls.py) plus `/bench/bare`, which
answers a constant JSON body without touching the database or the cache: what serving any Django view
costs on this server.
"""

from canal.config.settings import *  # noqa: F403 - the same settings, only the URLs differ

ROOT_URLCONF = "served_urls"
