"""The fault tests run on the same bench as the end-to-end tests."""

from tests.e2e.conftest import bench, settings  # noqa: F401 (fixtures)
