"""Criteria sets (bộ tiêu chí) as data: the model, loading with validation, identity, export.

Pure: no Qt, no database. Everything that scores or stores a set goes through ``Framework``.
"""

from evaluator.frameworks.canonical import canonical_json
from evaluator.frameworks.files import load_framework
from evaluator.frameworks.loader import FrameworkInvalid, Problem, parse_framework
from evaluator.frameworks.model import ALL_STAGES, STAGES, SURVEY_STAGE, ClassBand, Framework, Node, Rule

__all__ = [
    "ALL_STAGES",
    "STAGES",
    "SURVEY_STAGE",
    "ClassBand",
    "Framework",
    "FrameworkInvalid",
    "Node",
    "Problem",
    "Rule",
    "canonical_json",
    "load_framework",
    "parse_framework",
]
