"""The executor's fixtures (a crew of people, real RQ workers) for the post-mortem tests."""

from tests.executor.conftest import crew, workers  # noqa: F401  (fixtures, used by name)
