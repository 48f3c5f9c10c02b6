"""The performance benchmark of d9-report: `python -m bench` (`make bench`)."""
