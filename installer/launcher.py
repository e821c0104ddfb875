"""Entry point of the frozen app (PyInstaller): the same ``main`` as the installed ``evaluator`` script.

- ``freeze_support`` lets ``report --all`` start its worker processes from the frozen executable on
  Windows (spawn); elsewhere it does nothing.
- The window-only ``evaluatorw.exe`` (Start menu, ``.cchc`` association) has no standard streams:
  give it null ones so that a message printed by the command line code cannot crash it.
"""

import multiprocessing
import os
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    if sys.stdout is None or sys.stderr is None:
        null = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
        sys.stdout = sys.stdout or null
        sys.stderr = sys.stderr or null
    from evaluator.cli.main import main

    sys.exit(main())
