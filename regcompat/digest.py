"""Content digests, as go-digest (opencontainers/go-digest v1.0.0) validates them.

A digest is ``algorithm ":" encoded``. :class:`Digest` is a ``str`` checked at
construction, so comparisons stay cheap (``==``) and a digest can be used
wherever a string is expected.

Modelled:
  * the loose grammar ``[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+``;
  * the three go-digest errors, in go-digest's order of checks:
    ``invalid checksum digest format``, ``invalid checksum digest length``,
    ``unsupported digest algorithm``;
  * sha256 (64 hex), sha384 (96) and sha512 (128), lowercase hex only.

Left out: blake3 and other optional algorithms (reported as unsupported), and
distribution 2.3's looser private digest package, which accepted uppercase hex.
"""

from __future__ import annotations

import hashlib
import re

__all__ = [
    "ALGORITHMS",
    "Digest",
    "DigestError",
    "Verifier",
    "from_bytes",
    "parse_digest",
]

#: Registered algorithms and the hex length of their output.
ALGORITHMS: dict[str, int] = {"sha256": 64, "sha384": 96, "sha512": 128}

_LOOSE = re.compile(r"[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+\Z")
_HEX = {n: re.compile(r"[a-f0-9]{%d}\Z" % n) for n in set(ALGORITHMS.values())}

ERR_FORMAT = "invalid checksum digest format"
ERR_LENGTH = "invalid checksum digest length"
ERR_UNSUPPORTED = "unsupported digest algorithm"


class DigestError(ValueError):
    """A string that go-digest's ``Parse`` would refuse; ``str(err)`` is its message."""


def _validate(value: str) -> None:
    algorithm, sep, encoded = value.partition(":")
    if not sep or not algorithm or not encoded:
        raise DigestError(ERR_FORMAT)
    if algorithm not in ALGORITHMS:
        raise DigestError(ERR_UNSUPPORTED if _LOOSE.match(value) else ERR_FORMAT)
    size = ALGORITHMS[algorithm]
    if len(encoded) != size:
        raise DigestError(ERR_LENGTH)
    if not _HEX[size].match(encoded):
        raise DigestError(ERR_FORMAT)


class Digest(str):
    """A validated digest string such as ``sha256:e3b0c442...``."""

    __slots__ = ()

    def __new__(cls, value: str) -> "Digest":
        if isinstance(value, Digest):
            return value
        if not isinstance(value, str):
            raise DigestError(ERR_FORMAT)
        _validate(value)
        return str.__new__(cls, value)

    @property
    def algorithm(self) -> str:
        return self.partition(":")[0]

    @property
    def encoded(self) -> str:
        return self.partition(":")[2]

    @property
    def short(self) -> str:
        """The first 12 hex characters, as ``docker images`` shows them."""
        return self.encoded[:12]

    def verifies(self, data: bytes) -> bool:
        """True when ``data`` hashes to this digest."""
        return from_bytes(data, self.algorithm) == self


def parse_digest(value: str) -> Digest:
    """Parse ``value`` or raise :class:`DigestError` with go-digest's message."""
    return Digest(value)


def from_bytes(data: bytes, algorithm: str = "sha256") -> Digest:
    """The digest of ``data`` (sha256 unless told otherwise)."""
    return str.__new__(Digest, algorithm + ":" + hashlib.new(algorithm, data).hexdigest())


class Verifier:
    """Incremental check of streamed bytes against an expected digest."""

    __slots__ = ("_expected", "_hash", "size")

    def __init__(self, expected: Digest | str):
        self._expected = Digest(expected)
        self._hash = hashlib.new(self._expected.algorithm)
        self.size = 0

    def update(self, chunk: bytes) -> None:
        self._hash.update(chunk)
        self.size += len(chunk)

    def verified(self) -> bool:
        return self._hash.hexdigest() == self._expected.encoded
