"""`rq cron engine/executor/cron.py`: the periodic jobs. The cron process keeps its
schedule in memory, so a flushed Redis does not lose it."""

from rq import cron

from engine.executor import jobs
from engine.executor.connection import QUEUE_NAME

RECONCILE_EVERY = 30  # seconds

cron.register(
    jobs.reconcile, queue_name=QUEUE_NAME, interval=RECONCILE_EVERY, job_timeout=jobs.SWEEP_TIMEOUT
)
