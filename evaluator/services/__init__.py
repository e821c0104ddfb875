"""Use cases shared by every face (CLI, GUI): projects, scores, imports, results, demo data.

Services take a ``Project`` (or a session) and plain values, never widgets; each call that changes data
returns a ``Change`` describing what changed so that open views refresh only that.
"""
