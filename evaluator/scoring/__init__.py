"""The scoring engine: criteria set + scores in, points, indices, classes and ranks out.

Pure: no Qt, no database. ``unit.score_unit`` is the simple per-unit path (Decimal over the tree);
``engine.score_batch`` the vectorised path for whole provinces and countries; both follow the same rules
(see ``unit.py``) and are tested to agree. ``rules.evaluate`` turns what a person entered into points.
"""

from evaluator.scoring.engine import BatchResult, score_batch
from evaluator.scoring.ranking import changes, rank, rank_kind, shares, summarise_kind
from evaluator.scoring.rules import Evaluated, InputError, can_produce, check_points, describe, evaluate
from evaluator.scoring.unit import Entry, NodeScore, UnitScore, score_unit, score_units

__all__ = [
    "BatchResult",
    "Entry",
    "Evaluated",
    "InputError",
    "NodeScore",
    "UnitScore",
    "can_produce",
    "changes",
    "check_points",
    "describe",
    "evaluate",
    "rank",
    "rank_kind",
    "score_batch",
    "score_unit",
    "score_units",
    "shares",
    "summarise_kind",
]
