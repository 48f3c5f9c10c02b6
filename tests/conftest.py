"""Suite-wide settings. Stage fixtures live in tests/support/ and are imported explicitly."""

import os

# Keep Prefect and GX from phoning home or writing into the developer's home during tests.
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
