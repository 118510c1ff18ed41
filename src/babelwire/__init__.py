"""babelwire: an offline engine that turns multilingual news into stories and compares their coverage."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from babelwire.engine import Engine, analyze


def __getattr__(name: str) -> Any:
    # imported lazily so that `import babelwire` stays cheap for the CLI and tests
    if name in ("Engine", "analyze"):
        from babelwire import engine

        return getattr(engine, name)
    raise AttributeError(name)


__all__ = ["Engine", "__version__", "analyze"]
