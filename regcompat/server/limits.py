"""What one ``regcompat serve`` may spend, and how the options are read.

Go's server and distribution set none of these by default (no body limit,
no connection limit, no idle timeout); a model that holds every blob in
memory needs them. Defaults (each an option of ``serve``/``run`` and of
``regcompat serve``):

* ``max_body_size`` 1 GiB: a request announcing more (``Content-Length``) is
  answered ``413`` before any of it is read; a chunked body is cut off at it;
* ``connection_limit`` 256: beyond it the server stops accepting (new clients
  wait in the listen backlog) until a connection closes;
* ``idle_timeout`` 60 (whole seconds): a connection that sends nothing and waits for no
  answer for that long (an abandoned keep-alive, a client stalled mid-request)
  is closed; checked every ``idle_timeout // 4`` seconds (at most 30, at least 1),
  so it closes within 1.25 × ``idle_timeout``.

Memory: a request body is held in memory up to ``BODY_IN_MEMORY`` (1 MiB) and
spooled to a temporary file beyond; the model then gets the bytes that
actually arrived. So buffering costs at most ``connection_limit`` ×
1 MiB whatever clients announce, plus one body being handed to the model and
whatever the store keeps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["BODY_IN_MEMORY", "Limits", "parse_size"]

BODY_IN_MEMORY = 1 << 20
_UNITS = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}
_SIZE = re.compile(r"\s*(\d+)\s*([kmgt]?)(?:i?b)?\s*", re.I)


def parse_size(text: str) -> int:
    """``"512M"``, ``"1G"``, ``"1GiB"``, ``"1048576"`` -> bytes (powers of 1024)."""
    match = _SIZE.fullmatch(str(text))
    if not match:
        raise ValueError(f"not a size: {text!r} (use a number of bytes, or e.g. 512M, 2G)")
    return int(match.group(1)) * _UNITS[match.group(2).lower()]


@dataclass(frozen=True)
class Limits:
    max_body_size: int = 1 << 30
    connection_limit: int = 256
    idle_timeout: int = 60

    def __post_init__(self) -> None:
        if self.max_body_size < 1 or self.connection_limit < 1 or self.idle_timeout <= 0:
            raise ValueError(f"limits must be positive: {self}")

    def waitress_settings(self) -> dict:
        return {
            "max_request_body_size": self.max_body_size,
            "connection_limit": self.connection_limit,
            "channel_timeout": self.idle_timeout,
            "cleanup_interval": max(1, min(30, self.idle_timeout // 4)),
            "inbuf_overflow": BODY_IN_MEMORY,
        }
