"""Test fixtures: seeded random images and indexes, and the store invariant checker.

``random_image(seed, layers, empty_layers, exotic)`` and ``random_index(seed,
platforms)`` make deterministic content; ``validate_store(registry)`` checks a
registry's storage after any sequence of requests.
"""

from __future__ import annotations

from regcompat.testing.images import DEFAULT_PLATFORMS, RandomIndex, random_image, random_index
from regcompat.testing.store import StoreInvariantError, validate_store

__all__ = ["random_image", "random_index", "RandomIndex", "DEFAULT_PLATFORMS", "validate_store",
           "StoreInvariantError"]
