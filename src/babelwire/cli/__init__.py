"""The ``babelwire`` command line: thin commands over ``babelwire.engine``.

Each submodule registers its commands on the one ``app``; importing this package wires them all.
"""

from babelwire.cli import articles, entities, evaluate, export, search, serve, stories, watch
from babelwire.cli.common import app

__all__ = ["app", "articles", "entities", "evaluate", "export", "search", "serve", "stories", "watch"]
