"""Serve a registry model over real HTTP with waitress.

``serve(registry)`` is a context manager for notebooks and tests: it starts
waitress on a free loopback port in a background thread, yields the base URL
(``http://127.0.0.1:PORT``) and stops the server cleanly (listening socket,
open connections and worker threads) when the block ends.
``run(registry, host, port)`` serves in the foreground until interrupted, for
``regcompat serve``; it warns on stderr when the address is reachable from
beyond this machine (the model has no authentication). Both bind 127.0.0.1
unless told otherwise; both take ``limits`` (limits.py: body size,
connections, idle timeout) and fill ``stats`` (stats.py) when given one.

waitress settings that differ from its defaults, to answer as Go's net/http:
no ``Server`` header (Go sends none); request header block up to
1 MiB + 4 KiB, Go's ``DefaultMaxHeaderBytes`` plus the slack its reader
allows (beyond it both answer 431); 8 worker threads (the model itself runs
one request at a time); reads of up to 256 KiB from a socket (waitress reads
8 KiB, which makes large uploads pay per-read overhead 32 times over); ``poll()`` rather than ``select()``, so a connection
limit above 1,000 works. A host name that resolves to several addresses gets
one listening socket each; the URL is the first. Left out: TLS and Unix sockets.
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import socket
import sys
import threading
from collections.abc import Iterator

from .limits import Limits
from .stats import ConnectionStats
from .wsgi import LOGGER_NAME, make_app

__all__ = ["WAITRESS_SETTINGS", "create_server", "exposure_warning", "run", "serve"]

WAITRESS_SETTINGS = {
    "ident": "",
    "max_request_header_size": (1 << 20) + 4096,
    "threads": 8,
    "recv_bytes": 1 << 18,
    "asyncore_use_poll": True,
    "clear_untrusted_proxy_headers": True,
}


def create_server(registry, host: str = "127.0.0.1", port: int = 0, *, limits: Limits | None = None,
                  stats: ConnectionStats | None = None, **settings):
    """A waitress server (not yet running) for ``registry``, with our hooks.

    waitress returns one server per listening socket, wrapped when a host name
    resolves to several addresses (``localhost`` as ``::1`` and ``127.0.0.1``);
    every one of them gets the hooks and shares ``stats``.
    """
    import waitress.server

    from ._waitress import RawHeaderChannel

    options = {**WAITRESS_SETTINGS, **(limits or Limits()).waitress_settings(), **settings}
    if "listen" not in options:
        options.update(host=host, port=port)
    server = waitress.server.create_server(make_app(registry), **options)
    stats = stats if stats is not None else ConnectionStats()
    for listener in _listeners(server):
        listener.channel_class = RawHeaderChannel
        listener.regcompat_stats = stats
    server.regcompat_stats = stats
    return server


def _socket_map(server) -> dict:
    return server._map if hasattr(server, "_map") else server.map


def _listeners(server) -> list:
    from waitress.server import BaseWSGIServer

    return [d for d in _socket_map(server).values() if isinstance(d, BaseWSGIServer)]


def base_url(server) -> str:
    """``http://host:port`` of the (first) listening socket."""
    if hasattr(server, "effective_listen"):
        host, port = server.effective_listen[0]
    else:
        host, port = server.effective_host, server.effective_port
    if ":" in str(host):
        host = f"[{host}]"
    return f"http://{host}:{port}"


@contextlib.contextmanager
def serve(registry, host: str = "127.0.0.1", port: int = 0, *, limits: Limits | None = None,
          stats: ConnectionStats | None = None, **settings) -> Iterator[str]:
    """Serve ``registry`` from a background thread; yield its base URL."""
    server = create_server(registry, host, port, limits=limits, stats=stats, **settings)
    url = base_url(server)
    thread = threading.Thread(target=server.run, name=f"regcompat-serve-{url}", daemon=True)
    thread.start()
    try:
        yield url
    finally:
        _stop(server, thread)


def _stop(server, thread: threading.Thread, timeout: float = 10.0) -> None:
    """End the loop (empty its map, wake it), then close every socket from this thread.

    The loop thread only ever looks dispatchers up in the map, so emptying it
    from here is safe; sockets are closed once that thread has finished.
    """
    socket_map = _socket_map(server)
    listeners = _listeners(server)
    dispatchers = list(socket_map.values())
    socket_map.clear()
    try:
        listeners[0].pull_trigger()  # wake select() now rather than at its timeout
    except (OSError, IndexError):
        pass
    thread.join(timeout)
    for dispatcher in dispatchers:
        try:
            dispatcher.close()
        except OSError:
            pass
    server.task_dispatcher.shutdown(timeout=timeout)


def _is_loopback(host: str) -> bool:
    try:
        infos = socket.getaddrinfo(host or None, None, proto=socket.IPPROTO_TCP, flags=socket.AI_PASSIVE)
    except OSError:
        return False
    addresses = {info[4][0].split("%", 1)[0] for info in infos}
    return bool(addresses) and all(ipaddress.ip_address(a).is_loopback for a in addresses)


def exposure_warning(host: str) -> str | None:
    """The warning to print when ``host`` is reachable from other machines, else None."""
    if _is_loopback(host):
        return None
    return (f"WARNING: serving on {host or 'every address'!s}, reachable from other machines. "
            "This registry has no authentication and no TLS: anyone who can reach it can push, "
            "overwrite and (with --delete-enabled) delete. Use --host 127.0.0.1 unless you mean it.")


def run(registry, host: str = "127.0.0.1", port: int = 5000, *, limits: Limits | None = None,
        stats: ConnectionStats | None = None, **settings) -> None:
    """Serve ``registry`` until interrupted, one access-log line per request on stderr."""
    logger = logging.getLogger(LOGGER_NAME)
    if not logger.handlers and not logging.getLogger().handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    warning = exposure_warning(host)
    if warning:
        logger.warning("%s", warning)
    stats = stats if stats is not None else ConnectionStats()
    server = create_server(registry, host, port, limits=limits, stats=stats, **settings)
    try:
        server.run()
    except KeyboardInterrupt:  # pragma: no cover - interactive
        pass
    finally:
        server.task_dispatcher.shutdown()
        logger.info("connections: %s", ", ".join(f"{k} {v}" for k, v in stats.snapshot().items()))
