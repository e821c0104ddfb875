"""The desktop application (PySide6): start page, appraisal workspace, results dashboard, audit view.

Thin over the services: widgets call ``evaluator.services`` and render what they return. No scoring, no
SQL, no validation rules live here. Every edit goes through ``AppContext`` (``context.py``), which calls a
service, records undo information and announces the returned ``Change`` on one Qt signal; each view
refreshes only what the change names. Long work (opening projects, results, imports, exports,
documents) runs off the GUI thread as an operation (``operations.py``).
"""
