"""The executor: RQ jobs and scheduling that walk runs. The database is the source of truth."""
