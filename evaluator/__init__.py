"""evaluator: the yearly administrative-reform appraisal (Chỉ số CCHC / PAR Index) of a province.

Layers, from the inside out (nothing inside imports anything outside):
- ``frameworks``: criteria sets as data (load, validate, export).
- ``scoring``: pure computation — framework + scores in, points/indices/classes/ranks out.
- ``models``: persistence (SQLAlchemy models, project files, migrations).
- ``services``: use cases shared by every face (CLI, GUI).
- ``cli`` and ``ui``: the faces.
"""

__version__ = "0.1.0"
