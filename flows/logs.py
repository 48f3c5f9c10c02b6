"""The project's own log lines in each run's log in the Prefect UI.

The deployments set PREFECT_LOGGING_EXTRA_LOGGERS=flows,tasks,schemas (prefect.yaml job
variables). Prefect gives those loggers its API handler but not its level, so below the root
logger's WARNING their INFO lines ("report 2018H1 sent to …") would be dropped: copy the level.
"""

from __future__ import annotations

import logging

from prefect.settings import PREFECT_LOGGING_EXTRA_LOGGERS


def project_logs_to_run_log() -> None:
    """Give each extra logger without a level of its own the level of Prefect's extra loggers."""
    level = logging.getLogger("prefect.extra").level
    for name in PREFECT_LOGGING_EXTRA_LOGGERS.value() or ():
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET:
            logger.setLevel(level)
