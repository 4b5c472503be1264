"""Counters of what happened to the connections of one server, for tests, logs and benchmarks.

``ConnectionStats`` is filled by the waitress channel (``_waitress.py``) from
the server's loop and worker threads; read it with :meth:`snapshot`.

* ``opened`` / ``closed``: connections accepted and closed (``open`` and
  ``peak_open`` follow from them);
* ``cut``: the client shut its sending side (FIN) inside a request: a body cut
  short (answered 499 by the model) or a header block left unfinished
  (answered Go's ``400 Bad Request``); the connection is closed once answered;
* ``refused``: requests Go's server refuses before any handler runs (see
  gohttp.py) and TLS handshakes on the plain port; closed once answered;
* ``reset``: the connection ended without an orderly close: the client reset
  it, or vanished while we read or wrote;
* ``timed_out``: idle longer than the server's idle timeout, closed by it.
"""

from __future__ import annotations

import threading

__all__ = ["ConnectionStats"]

_FIELDS = ("opened", "closed", "cut", "refused", "reset", "timed_out")


class ConnectionStats:
    """Thread-safe counters; ``snapshot()`` returns a plain dict."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts = dict.fromkeys(_FIELDS, 0)
        self._peak = 0

    def count(self, what: str) -> None:
        with self._lock:
            self._counts[what] += 1
            self._peak = max(self._peak, self._counts["opened"] - self._counts["closed"])

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            counts = dict(self._counts)
            counts["open"] = counts["opened"] - counts["closed"]
            counts["peak_open"] = self._peak
        return counts

    def __repr__(self) -> str:
        return "ConnectionStats(" + ", ".join(f"{k}={v}" for k, v in self.snapshot().items()) + ")"
