"""Committee import of team packages: preview, backup, one transaction; records matched by UUID and
natural key, scores merged by their revision chains (``services.conflicts``).

``run`` holds the entry point and the orchestrator (``Merge``); each kind of record has one planner
module that checks and decides everything for that kind before anything is written (``sets``: criteria
sets and periods, ``units``, ``assessments``, ``scores``, ``decisions``, ``evidence``, ``audit``), sharing
one ``context.MergeContext``."""

from evaluator.services.exchange.merge.bulk import bulk_insert
from evaluator.services.exchange.merge.run import import_packages

__all__ = ["bulk_insert", "import_packages"]
