"""The public tracker website: the events table browsable, searchable and citable.

``web.queries`` reads the SQLite database read-only, ``web.app`` serves it
(FastAPI + Jinja2, ``pantau web``), ``web.build`` writes the same pages as
static files (``pantau site build DIR``). The site never writes to the
database.
"""
