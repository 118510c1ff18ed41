"""Stage protocol, registry and the runner that checks order and records ``stage@version``."""

from babelwire.pipeline.runner import Pipeline, RunReport
from babelwire.pipeline.stage import Stage

__all__ = ["Pipeline", "RunReport", "Stage"]
