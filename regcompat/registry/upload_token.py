"""The ``_state`` token of a blob upload, signed as distribution signs it.

distribution (``registry/handlers/hmac.go``, the same from 2.0 to 3.0) packs
the upload's state, ``{"Name","UUID","Offset","StartedAt"}`` as Go's
``json.Marshal`` writes it, behind a SHA-256 HMAC keyed with the registry's
``http.secret``, and sends ``base64.URLEncoding`` (padded) of ``mac + json``.
A token that does not decode fails with Go's ``CorruptInputError`` (an
integer, the offset of the bad byte); one that is shorter than a MAC or whose
MAC does not match fails with ``errInvalidSecret`` (a Go error value, written
``{}`` in an error detail by 2.1-2.8, its text by 2.0 and 3.0). Both are
BLOB_UPLOAD_INVALID (seen against 2.8.2, and in the recorded sessions of every
line from 2.0.1 to 3.0.0; blobs.py renders them per version).

The real registry writes the wall-clock time at the upload's start as
``StartedAt``; the model writes one fixed time (nothing in the API reads it
back, and a fixed time keeps tokens repeatable under a given secret).

Left out: 3.0's ``DigestAlgorithm`` field (only written for a non-canonical
``digest-algorithm`` upload parameter, which the model does not take).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets

from ..gojson import marshal

__all__ = ["STARTED_AT", "TokenError", "new_secret", "as_secret", "pack", "unpack",
           "go_base64_error"]

#: The ``StartedAt`` every token carries (see the module docstring).
STARTED_AT = "2016-02-09T10:00:00Z"


class TokenError(ValueError):
    """A token distribution refuses: ``bad_byte`` is where base64 decoding failed
    (Go's CorruptInputError, an integer), None for a MAC or JSON failure."""

    def __init__(self, bad_byte: int | None = None):
        super().__init__("bad token" if bad_byte is None else f"illegal base64 data at input byte {bad_byte}")
        self.bad_byte = bad_byte


def new_secret() -> bytes:
    """A random secret, as a registry without ``http.secret`` makes at every start."""
    return secrets.token_bytes(32)


def as_secret(secret: bytes | str | None) -> bytes:
    """``secret`` as key bytes (a str is UTF-8, as Go's ``[]byte(string)``); None: a random one."""
    if secret is None:
        return new_secret()
    return secret.encode() if isinstance(secret, str) else bytes(secret)


def pack(secret: bytes, name: str, uuid: str, offset: int, started: str = STARTED_AT) -> str:
    """The token distribution's ``packUploadState`` writes."""
    message = marshal({"Name": name, "UUID": uuid, "Offset": offset, "StartedAt": started})
    mac = hmac.new(secret, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac + message).decode()


def unpack(secret: bytes, token: str) -> dict:
    """The state in ``token`` (``Name``, ``UUID``, ``Offset``, ``StartedAt``), checked as ``unpackUploadState`` checks it; TokenError otherwise."""
    bad_byte = go_base64_error(token)
    if bad_byte is not None:
        raise TokenError(bad_byte)
    raw = base64.urlsafe_b64decode(token)
    size = hashlib.sha256().digest_size
    if len(raw) < size or not hmac.compare_digest(
            hmac.new(secret, raw[size:], hashlib.sha256).digest(), raw[:size]):
        raise TokenError()  # errInvalidSecret
    try:
        value = json.loads(raw[size:])
    except ValueError:
        raise TokenError() from None
    if not isinstance(value, dict):
        raise TokenError()
    return value


_B64URL = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def go_base64_error(text: str) -> int | None:
    """Where Go's ``base64.URLEncoding.DecodeString`` fails on ``text``, or None.

    The index of the first byte outside the alphabet, or, when the input ends
    inside a group of four, where that group starts (checked against 2.8.2:
    ``garbage`` -> 4, ``abc`` -> 0, ``Zm9v!!`` -> 4)."""
    for start in range(0, len(text), 4):
        group = text[start:start + 4]
        for offset, char in enumerate(group):
            if char == "=":
                rest = text[start + offset:]
                if offset >= 2 and len(group) == 4 and rest == "=" * len(rest) and len(rest) <= 2:
                    return None
                return start + offset
            if char not in _B64URL:
                return start + offset
        if len(group) < 4:
            return start
    return None
