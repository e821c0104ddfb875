"""The command line: every batch job a user can do in the GUI, headless (``evaluator …``)."""
