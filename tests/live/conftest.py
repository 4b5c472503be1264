"""Live fixtures: Debian's docker-registry and regcompat, each on a free loopback port.

Session-scoped servers (tests use their own repository names, so they never
see each other's data): the real registry with its default configuration and
with ``compatibility: schema1: enabled: true``; regcompat serving
``Registry("2.8")`` and ``Registry("2.8", schema1_push=True)`` through the
waitress server; their stores are checked with ``validate_store`` when the
session ends. ``pair`` / ``pair_schema1`` drive one real and one model
registry in lockstep (see differential.py).
"""

from __future__ import annotations

import pytest

import regcompat as rc
from regcompat.server import serve
from regcompat.testing import validate_store
from tests.conftest import require_tool

from .differential import Pair
from .processes import RealRegistry


def _real(schema1: bool):
    registry = RealRegistry(require_tool("docker-registry"), schema1=schema1).start()
    try:
        yield registry
    finally:
        registry.close()


@pytest.fixture(scope="session")
def real_registry():
    yield from _real(schema1=False)


@pytest.fixture(scope="session")
def real_registry_schema1():
    yield from _real(schema1=True)


def _ours(**config):
    registry = rc.Registry("2.8", **config)
    with serve(registry) as url:
        yield registry, url
    validate_store(registry)  # whatever the session sent, the store stayed consistent


@pytest.fixture(scope="session")
def ours():
    yield from _ours()


@pytest.fixture(scope="session")
def ours_schema1():
    yield from _ours(schema1_push=True)


def _paired(real_url: str, ours_url: str):
    p = Pair(real_url, ours_url)
    yield p
    p.close()
    p.check()


def _fresh(*, delete: bool = False):
    """A new real registry and a new model, configured alike (for tests that need empty storage)."""
    real = RealRegistry(require_tool("docker-registry"), delete=delete).start()
    try:
        with serve(rc.Registry("2.8", delete_enabled=delete)) as url:
            yield from _paired(real.url, url)
    finally:
        real.close()


@pytest.fixture
def pair(real_registry, ours):
    yield from _paired(real_registry.url, ours[1])


@pytest.fixture
def pair_schema1(real_registry_schema1, ours_schema1):
    yield from _paired(real_registry_schema1.url, ours_schema1[1])


@pytest.fixture
def fresh_pair():
    yield from _fresh()


@pytest.fixture
def fresh_pair_with_delete():
    yield from _fresh(delete=True)
