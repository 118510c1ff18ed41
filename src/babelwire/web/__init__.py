"""The web app: server-rendered pages, a JSON API and Atom feeds over one babelwire database."""

from babelwire.web.app import create_app
from babelwire.web.settings import WebSettings

__all__ = ["WebSettings", "create_app"]
