"""What a push or a pull returns: the outcome, the lines printed, every exchange.

``output`` holds the lines the engine's CLI prints (``latest: digest: sha256:...
size: 1234``, ``Digest: sha256:...``, and the error text last when the command
fails). ``error`` is the daemon's error text without the CLI's ``Error
response from daemon:`` prefix. ``daemon_log`` holds what the daemon logs but
the user never sees (the schema1 fallback warning). ``exchanges`` are the HTTP
requests and responses in order, so any result can be replayed on screen.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..digest import Digest
from ..messages import Exchange

__all__ = ["PushResult", "PullResult"]


@dataclass
class PushResult:
    """The result of ``Engine.push``; ``digest``/``size`` are what the engine printed."""

    ok: bool
    digest: Digest | None
    media_type: str | None
    size: int | None
    output: list[str] = field(default_factory=list)
    error: str | None = None
    exchanges: list[Exchange] = field(default_factory=list)
    daemon_log: list[str] = field(default_factory=list)

    def __repr__(self) -> str:
        state = f"ok digest={self.digest}" if self.ok else f"failed error={self.error!r}"
        return f"<PushResult {state} exchanges={len(self.exchanges)}>"


@dataclass
class PullResult:
    """The result of ``Engine.pull``.

    ``digest`` is the ``Digest:`` line the engine printed; ``media_type`` is the
    Content-Type of the manifest response the engine acted on (for a list: the
    list's); ``manifest_bytes`` the body of that response.
    """

    ok: bool
    digest: Digest | None
    media_type: str | None
    output: list[str] = field(default_factory=list)
    error: str | None = None
    exchanges: list[Exchange] = field(default_factory=list)
    manifest_bytes: bytes | None = None
    daemon_log: list[str] = field(default_factory=list)

    def __repr__(self) -> str:
        state = f"ok digest={self.digest}" if self.ok else f"failed error={self.error!r}"
        return f"<PullResult {state} exchanges={len(self.exchanges)}>"
