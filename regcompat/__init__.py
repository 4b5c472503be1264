"""regcompat: how container registries store, convert and serve image manifests.

A faithful, in-process model of the CNCF distribution registry (2.0 to 3.0)
and of Docker Engine clients (1.6 to today). Public names are imported lazily,
so ``import regcompat`` stays fast and never pulls in notebook or HTTP code.

    >>> import regcompat as rc
    >>> reg = rc.Registry("2.3.0")
    >>> push = rc.Engine("1.10", reg).push(rc.sample_image(), "demo/app:latest")
    >>> rc.Engine("1.9", reg).pull("demo/app@" + push.digest).error
    'unsupported schema version 2 for tag "sha256:..."'
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_EXPORTS = {
    "Digest": "regcompat.digest",
    "MediaType": "regcompat.mediatypes",
    "Reference": "regcompat.reference",
    "parse_reference": "regcompat.reference",
    "ErrorCode": "regcompat.errors",
    "RegistryError": "regcompat.errors",
    "Headers": "regcompat.messages",
    "Request": "regcompat.messages",
    "Response": "regcompat.messages",
    "Exchange": "regcompat.messages",
    "manifest_digest": "regcompat.manifest",
    "parse_manifest": "regcompat.manifest",
    "Image": "regcompat.image",
    "sample_image": "regcompat.image",
    "Registry": "regcompat.registry",
    "REGISTRY_VERSIONS": "regcompat.registry",
    "Engine": "regcompat.engine",
    "ENGINE_VERSIONS": "regcompat.engine",
    "scenario": "regcompat.scenarios",
    "compatibility_matrix": "regcompat.scenarios",
    "testing": None,
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'regcompat' has no attribute {name!r}")
    module_name = _EXPORTS[name]
    if module_name is None:
        value = importlib.import_module(f"regcompat.{name}")
    else:
        value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
