"""Shared fixtures for the notebook adapter tests: a headless matplotlib."""

import matplotlib

matplotlib.use("Agg")
