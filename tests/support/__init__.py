"""What tests share, imported by name (``from support.helpers import make_datasette``); fixtures
live in conftest.py alone."""
